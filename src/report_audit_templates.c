/* report_audit_templates.c - the unknown and inferred builds grouped by
 * template (audit_templates.h), one function per audit format, each called
 * by that format's file at its place in the report. Untrusted text goes
 * through the same helpers as the rest of each format. */
#include <string.h>

#include "buildsleuth/audit_templates.h"
#include "buildsleuth/json_writer.h"
#include "buildsleuth/markdown.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

void audit_templates_text(const struct audit *a, struct strbuf *out)
{
	const struct audit_templates *t = a->templates;
	size_t i;

	if (!t->nr)
		return;
	strbuf_addf(out, "\nUnknown and inferred failures by template: %zu build%s in %zu group%s\n",
		    t->grouped, t->grouped == 1 ? "" : "s", t->nr, t->nr == 1 ? "" : "s");
	strbuf_addstr(out, "  builds  template [category]\n");
	for (i = 0; i < t->nr; i++) {
		const struct audit_template *g = &t->groups[i];

		strbuf_addf(out, "  %6zu  ", g->builds);
		display_line(g->template, strlen(g->template), AUDIT_EXCERPT_MAX, out);
		strbuf_addstr(out, " [");
		display_line(g->category, strlen(g->category), 100, out);
		strbuf_addf(out, "]\n          %zu unknown, %zu inferred; seen ", g->unknown, g->inferred);
		audit_add_date(out, &g->first, "-");
		strbuf_addstr(out, " .. ");
		audit_add_date(out, &g->last, "-");
		strbuf_addstr(out, "; e.g. ");
		display_line(g->example, strlen(g->example), 200, out);
		strbuf_addf(out, "\n          draft rule: %s\n", g->pattern ? g->id :
			    "none (the template holds no literal word)");
	}
}

void audit_templates_markdown(const struct audit *a, struct strbuf *out, size_t rows,
			      size_t text_max)
{
	const struct audit_templates *t = a->templates;
	struct strbuf date = STRBUF_INIT;
	size_t i;

	if (!t->nr)
		return;
	strbuf_addf(out, "#### Unknown and inferred failures by template\n\n%zu build%s in %zu "
		    "group%s.\n\n| Template | Category | Builds | Unknown / inferred | First seen | "
		    "Last seen | Example |\n| --- | --- | --: | --: | --- | --- | --- |\n",
		    t->grouped, t->grouped == 1 ? "" : "s", t->nr, t->nr == 1 ? "" : "s");
	for (i = 0; i < t->nr && i < rows; i++) {
		const struct audit_template *g = &t->groups[i];

		strbuf_addstr(out, "| ");
		md_code_span(out, g->template, text_max, true);
		strbuf_addstr(out, " | ");
		md_code_span(out, g->category, 100, true);
		strbuf_addf(out, " | %zu | %zu / %zu | ", g->builds, g->unknown, g->inferred);
		strbuf_reset(&date);
		audit_add_date(&date, &g->first, "-");
		md_entities(out, date.buf, 40);
		strbuf_addstr(out, " | ");
		strbuf_reset(&date);
		audit_add_date(&date, &g->last, "-");
		md_entities(out, date.buf, 40);
		strbuf_addstr(out, " | ");
		md_code_span(out, g->example, 100, true);
		strbuf_addstr(out, " |\n");
	}
	if (t->nr > rows)
		strbuf_addf(out, "\n%zu more groups are in `--format json`.\n", t->nr - rows);
	strbuf_addch(out, '\n');
	strbuf_release(&date);
}

void audit_templates_json(const struct audit *a, struct jw *w)
{
	const struct audit_templates *t = a->templates;
	size_t i, k;

	jw_open(w, "groups", '[');
	for (i = 0; i < t->nr; i++) {
		const struct audit_template *g = &t->groups[i];

		jw_open(w, NULL, '{');
		jw_string(w, "id", g->id);
		jw_string(w, "template", g->template);
		jw_string(w, "category", g->category);
		jw_number(w, "builds", g->builds);
		jw_number(w, "unknown", g->unknown);
		jw_number(w, "inferred", g->inferred);
		jw_string(w, "first_seen", g->first.text);
		jw_string(w, "last_seen", g->last.text);
		jw_string(w, "example", g->example);
		jw_bool(w, "draft", g->pattern != NULL);
		jw_open(w, "lines", '[');
		for (k = 0; k < g->lines_nr; k++)
			jw_string(w, NULL, g->lines[k]);
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

void audit_templates_csv(const struct audit *a, struct strbuf *out)
{
	const struct audit_templates *t = a->templates;
	struct strbuf cell = STRBUF_INIT;
	size_t i, k;

	/* the header's fields: section,key,category,title,builds,share,matched,
	 * first_seen,last_seen,examples,subjects,detail */
	for (i = 0; i < t->nr; i++) {
		const struct audit_template *g = &t->groups[i];

		strbuf_addstr(out, "template,");
		audit_csv_field(out, g->id);
		strbuf_addch(out, ',');
		audit_csv_field(out, g->category);
		strbuf_addch(out, ',');
		audit_csv_field(out, g->template);
		strbuf_addf(out, ",%zu,%.4f,,", g->builds, audit_share(a, g->builds));
		audit_csv_field(out, g->first.text ? g->first.text : "");
		strbuf_addch(out, ',');
		audit_csv_field(out, g->last.text ? g->last.text : "");
		strbuf_addch(out, ',');
		audit_csv_field(out, g->example);
		strbuf_addstr(out, ",,");
		strbuf_reset(&cell);
		for (k = 0; k < g->lines_nr; k++)
			strbuf_addf(&cell, "%s%s", k ? "\n" : "", g->lines[k]);
		audit_csv_field(out, cell.buf);
		strbuf_addstr(out, "\r\n");
	}
	strbuf_release(&cell);
}
