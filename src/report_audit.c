/* report_audit.c - the audit's four formats. Everything that came from a log
 * or a build record is untrusted: text output shows it as display_line
 * does, Markdown puts it in code spans (or escapes it) so it cannot open
 * HTML, links or mentions, CSV quotes it, defuses formulas and shows
 * control and invisible characters as U+FFFD. JSON is written by hand so
 * its bytes are stable. */
#include <stdio.h>
#include <string.h>

#include "buildsleuth/json.h"
#include "buildsleuth/json_writer.h"
#include "buildsleuth/markdown.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

int audit_format_from_name(const char *name, enum audit_format *out)
{
	static const struct { const char *name; enum audit_format f; } formats[] = {
		{ "text", AUDIT_FORMAT_TEXT }, { "markdown", AUDIT_FORMAT_MARKDOWN },
		{ "json", AUDIT_FORMAT_JSON }, { "csv", AUDIT_FORMAT_CSV },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(name, formats[i].name)) {
			*out = formats[i].f;
			return 0;
		}
	return -1;
}

void audit_report_write(const struct audit *a, enum audit_format f, struct strbuf *out)
{
	if (!a->finished)
		BUG("audit report before audit_finish");
	switch (f) {
	case AUDIT_FORMAT_TEXT: audit_report_text(a, out); break;
	case AUDIT_FORMAT_MARKDOWN: audit_report_markdown(a, out); break;
	case AUDIT_FORMAT_JSON: audit_report_json(a, out); break;
	case AUDIT_FORMAT_CSV: audit_report_csv(a, out); break;
	}
}

/* builds / analysed, 0 when nothing was analysed. */
static double share(const struct audit *a, size_t builds)
{
	return a->analysed ? (double)builds / (double)a->analysed : 0;
}

/* A createdAt for a table: its date when it is ISO 8601, else as given. */
static void add_date(struct strbuf *out, const struct audit_time *t, const char *none)
{
	const char *s = t->text;

	if (!s) {
		strbuf_addstr(out, none);
		return;
	}
	if (t->set && strlen(s) >= 10 && s[4] == '-' && s[7] == '-')
		strbuf_add(out, s, 10);
	else
		display_line(s, strlen(s), 40, out);
}

/* --- text ----------------------------------------------------------------- */

static void text_untrusted(struct strbuf *out, const char *s, size_t max)
{
	display_line(s, strlen(s), max, out);
}

static void text_examples(struct strbuf *out, const struct audit_group *g)
{
	size_t i;

	for (i = 0; i < g->examples_nr; i++) {
		strbuf_addstr(out, i ? ", " : "");
		text_untrusted(out, g->examples[i].id, 200);
	}
}

static void text_subjects(struct strbuf *out, const struct audit_group *g)
{
	size_t i;

	for (i = 0; i < g->subjects_nr && i < AUDIT_SUBJECTS; i++) {
		strbuf_addstr(out, i ? ", " : "");
		text_untrusted(out, g->subjects[i].name, 100);
		strbuf_addch(out, ' ');
		text_untrusted(out, g->subjects[i].value, 200);
		strbuf_addf(out, " (%zu)", g->subjects[i].builds);
	}
}

static void text_group_details(struct strbuf *out, const struct audit_group *g)
{
	strbuf_addstr(out, "                 seen ");
	add_date(out, &g->first, "-");
	strbuf_addstr(out, " .. ");
	add_date(out, &g->last, "-");
	strbuf_addstr(out, "; e.g. ");
	text_examples(out, g);
	strbuf_addch(out, '\n');
	if (g->subjects_nr) {
		strbuf_addstr(out, "                 subjects: ");
		text_subjects(out, g);
		strbuf_addch(out, '\n');
	}
}

static void text_summary(const struct audit *a, struct strbuf *out)
{
	strbuf_addf(out, "buildsleuth audit: %zu build%s: %zu analysed", audit_total(a),
		    audit_total(a) == 1 ? "" : "s", a->analysed);
	if (a->nodiag_nr)
		strbuf_addf(out, ", %zu with nothing to diagnose", a->nodiag_nr);
	strbuf_addf(out, ", %zu not fetched", a->failures_nr);
	if (a->pending)
		strbuf_addf(out, ", %zu not processed (interrupted)", a->pending);
	strbuf_addch(out, '\n');
	if (a->analysed)
		strbuf_addf(out, "classification rate: %.1f%% (%zu of %zu analysed builds have a "
			    "known cause; %zu unknown)\n", 100.0 * (double)a->classified /
			    (double)a->analysed, a->classified, a->analysed, a->unknown_nr);
	else
		strbuf_addstr(out, "classification rate: - (no build analysed)\n");
	if (a->first.text) {
		strbuf_addstr(out, "created: ");
		add_date(out, &a->first, "-");
		strbuf_addstr(out, " .. ");
		add_date(out, &a->last, "-");
		strbuf_addch(out, '\n');
	}
}

void audit_report_text(const struct audit *a, struct strbuf *out)
{
	size_t i, k, quiet_rules = 0;

	text_summary(a, out);
	if (a->categories_nr) {
		strbuf_addstr(out, "\nRoot causes by category\n");
		strbuf_addstr(out, "  builds   share  category\n");
		for (i = 0; i < a->categories_nr; i++) {
			const struct audit_group *g = &a->categories[i];

			strbuf_addf(out, "  %6zu  %5.1f%%  ", g->builds, 100 * share(a, g->builds));
			text_untrusted(out, g->key, 100);
			strbuf_addch(out, '\n');
			text_group_details(out, g);
		}
	}
	for (i = 0; i < a->rules_nr; i++)
		if (!a->rules[i].builds)
			quiet_rules++;
	if (a->rules_nr > quiet_rules) {
		strbuf_addstr(out, "\nRoot causes by rule\n");
		strbuf_addstr(out, "  builds   share  rule [category]\n");
		for (i = 0; i < a->rules_nr; i++) {
			const struct audit_group *g = &a->rules[i];

			if (!g->builds)
				continue;
			strbuf_addf(out, "  %6zu  %5.1f%%  ", g->builds, 100 * share(a, g->builds));
			text_untrusted(out, g->key, 200);
			strbuf_addstr(out, " [");
			text_untrusted(out, g->category ? g->category : "-", 100);
			strbuf_addstr(out, "]\n                 ");
			text_untrusted(out, g->title ? g->title : "-", 300);
			strbuf_addch(out, '\n');
			text_group_details(out, g);
		}
		if (quiet_rules)
			strbuf_addf(out, "  (%zu more rule%s matched but never as the root cause; see "
				    "--format json)\n", quiet_rules, quiet_rules == 1 ? "" : "s");
	}
	if (a->unknown_nr) {
		strbuf_addf(out, "\nUnknown: %zu build%s no rule explains\n", a->unknown_nr,
			    a->unknown_nr == 1 ? "" : "s");
		for (i = 0; i < a->unknown_nr; i++) {
			const struct audit_unknown *u = &a->unknown[i];

			strbuf_addstr(out, "  ");
			text_untrusted(out, u->id, 200);
			strbuf_addstr(out, " (");
			add_date(out, &u->created, "no date");
			if (u->status) {
				strbuf_addstr(out, ", ");
				text_untrusted(out, u->status, 40);
			}
			strbuf_addstr(out, ")");
			if (u->error_message) {
				strbuf_addstr(out, ": ");
				text_untrusted(out, u->error_message, AUDIT_EXCERPT_MAX);
			}
			strbuf_addch(out, '\n');
			for (k = 0; k < u->excerpt_nr; k++) {
				strbuf_addf(out, "  %s%7zu | ", u->excerpt[k].evidence ? ">" : " ",
					    u->excerpt[k].line);
				text_untrusted(out, u->excerpt[k].text, AUDIT_EXCERPT_MAX + 3);
				strbuf_addch(out, '\n');
			}
		}
	}
	if (a->failures_nr) {
		strbuf_addf(out, "\nNot fetched: %zu build%s\n", a->failures_nr,
			    a->failures_nr == 1 ? "" : "s");
		for (i = 0; i < a->failures_nr; i++) {
			strbuf_addstr(out, "  ");
			text_untrusted(out, a->failures[i].id, 200);
			strbuf_addstr(out, ": ");
			text_untrusted(out, a->failures[i].error, 600);
			strbuf_addch(out, '\n');
		}
	}
	if (a->nodiag_nr) {
		strbuf_addf(out, "\nNothing to diagnose: %zu build%s\n", a->nodiag_nr,
			    a->nodiag_nr == 1 ? "" : "s");
		for (i = 0; i < a->nodiag_nr; i++) {
			strbuf_addstr(out, "  ");
			text_untrusted(out, a->nodiag[i].id, 200);
			strbuf_addstr(out, ": ");
			text_untrusted(out, a->nodiag[i].status ? a->nodiag[i].status :
				       "no failure in the log", 40);
			strbuf_addch(out, '\n');
		}
	}
}

/* --- Markdown ------------------------------------------------------------- */

/* How much to show, from most to least, until the body fits. */
struct md_budget {
	size_t rows;       /* rule rows */
	size_t entries;    /* unknown and not-fetched entries */
	size_t subjects;   /* subjects per row */
	size_t text_max;   /* bytes per quoted text */
};

static const struct md_budget md_budgets[] = {
	{ SIZE_MAX, SIZE_MAX, 3, 300 },
	{ 100, 100, 3, 200 },
	{ 40, 30, 1, 120 },
	{ 15, 10, 1, 80 },
	{ 5, 0, 0, 60 },
};

static void md_date(struct strbuf *out, const struct audit_time *t)
{
	struct strbuf date = STRBUF_INIT;

	add_date(&date, t, "-");
	md_entities(out, date.buf, 40);
	strbuf_release(&date);
}

static void md_group_cells(struct strbuf *out, const struct audit *a,
			   const struct audit_group *g, const struct md_budget *b)
{
	size_t i;

	strbuf_addf(out, " | %zu | %.1f%% | ", g->builds, 100 * share(a, g->builds));
	md_date(out, &g->first);
	strbuf_addstr(out, " | ");
	md_date(out, &g->last);
	strbuf_addstr(out, " | ");
	for (i = 0; i < g->examples_nr; i++) {
		strbuf_addstr(out, i ? " " : "");
		md_code_span(out, g->examples[i].id, 100, true);
	}
	strbuf_addstr(out, " | ");
	for (i = 0; i < g->subjects_nr && i < b->subjects; i++) {
		strbuf_addstr(out, i ? ", " : "");
		md_entities(out, g->subjects[i].name, 100);
		strbuf_addch(out, ' ');
		md_code_span(out, g->subjects[i].value, b->text_max, true);
		strbuf_addf(out, " (%zu)", g->subjects[i].builds);
	}
	if (g->subjects_nr > b->subjects && b->subjects)
		strbuf_addstr(out, ", ...");
	strbuf_addstr(out, " |\n");
}

static void markdown_with(const struct audit *a, const struct md_budget *b, struct strbuf *out)
{
	size_t i, k, shown;

	strbuf_addstr(out, AUDIT_MARKER "\n");
	strbuf_addf(out, "### Build failure audit: %zu build%s\n\n", audit_total(a),
		    audit_total(a) == 1 ? "" : "s");
	if (a->analysed)
		strbuf_addf(out, "**Classification rate: %.1f%%**: %zu of %zu analysed builds have a "
			    "known cause, %zu unknown.", 100.0 * (double)a->classified /
			    (double)a->analysed, a->classified, a->analysed, a->unknown_nr);
	else
		strbuf_addstr(out, "**No build was analysed.**");
	if (a->failures_nr)
		strbuf_addf(out, " %zu could not be fetched.", a->failures_nr);
	if (a->nodiag_nr)
		strbuf_addf(out, " %zu had nothing to diagnose.", a->nodiag_nr);
	if (a->pending)
		strbuf_addf(out, " **Interrupted**: %zu not processed.", a->pending);
	strbuf_addstr(out, "\n\n");
	if (a->categories_nr) {
		strbuf_addstr(out, "| Category | Builds | Share | First seen | Last seen | Examples | "
			      "Top subjects |\n| --- | --: | --: | --- | --- | --- | --- |\n");
		for (i = 0; i < a->categories_nr; i++) {
			strbuf_addstr(out, "| ");
			md_code_span(out, a->categories[i].key, 100, true);
			md_group_cells(out, a, &a->categories[i], b);
		}
		strbuf_addch(out, '\n');
	}
	for (i = shown = 0; i < a->rules_nr; i++)
		if (a->rules[i].builds)
			shown++;
	if (shown) {
		strbuf_addstr(out, "#### By rule\n\n| Rule | Category | Builds | Share | First seen | "
			      "Last seen | Examples | Top subjects |\n"
			      "| --- | --- | --: | --: | --- | --- | --- | --- |\n");
		for (i = k = 0; i < a->rules_nr && k < b->rows; i++) {
			const struct audit_group *g = &a->rules[i];

			if (!g->builds)
				continue;
			k++;
			strbuf_addstr(out, "| ");
			md_code_span(out, g->key, 200, true);
			if (g->title) {
				strbuf_addstr(out, "<br>");
				md_entities(out, g->title, b->text_max);
			}
			strbuf_addstr(out, " | ");
			md_code_span(out, g->category ? g->category : "-", 100, true);
			md_group_cells(out, a, g, b);
		}
		if (shown > k)
			strbuf_addf(out, "\n%zu more rules are in `--format json`.\n", shown - k);
		strbuf_addch(out, '\n');
	}
	if (a->unknown_nr) {
		strbuf_addf(out, "<details>\n<summary>%zu unknown build%s: no rule explains them"
			    "</summary>\n\n", a->unknown_nr, a->unknown_nr == 1 ? "" : "s");
		for (i = 0; i < a->unknown_nr && i < b->entries; i++) {
			const struct audit_unknown *u = &a->unknown[i];

			strbuf_addstr(out, "- ");
			md_code_span(out, u->id, 200, false);
			strbuf_addstr(out, " (");
			md_date(out, &u->created);
			strbuf_addstr(out, ")");
			for (k = 0; k < u->excerpt_nr && !u->excerpt[k].evidence; k++)
				;
			if (k < u->excerpt_nr) {
				/* the line just above the evidence often names the cause */
				if (k > 0) {
					strbuf_addstr(out, ": ");
					md_code_span(out, u->excerpt[k - 1].text, b->text_max, false);
				}
				strbuf_addstr(out, k > 0 ? " then " : ": ");
				md_code_span(out, u->excerpt[k].text, b->text_max, false);
			} else if (u->error_message) {
				strbuf_addstr(out, ": ");
				md_code_span(out, u->error_message, b->text_max, false);
			}
			strbuf_addch(out, '\n');
		}
		if (a->unknown_nr > b->entries)
			strbuf_addf(out, "- ... and %zu more (see `--format json`)\n",
				    a->unknown_nr - b->entries);
		strbuf_addstr(out, "\n</details>\n\n");
	}
	if (a->failures_nr) {
		strbuf_addf(out, "<details>\n<summary>%zu build%s could not be fetched</summary>\n\n",
			    a->failures_nr, a->failures_nr == 1 ? "" : "s");
		for (i = 0; i < a->failures_nr && i < b->entries; i++) {
			strbuf_addstr(out, "- ");
			md_code_span(out, a->failures[i].id, 200, false);
			strbuf_addstr(out, ": ");
			md_code_span(out, a->failures[i].error, b->text_max, false);
			strbuf_addch(out, '\n');
		}
		if (a->failures_nr > b->entries)
			strbuf_addf(out, "- ... and %zu more (see `--format json`)\n",
				    a->failures_nr - b->entries);
		strbuf_addstr(out, "\n</details>\n\n");
	}
	strbuf_addstr(out, "<sub>buildsleuth audit</sub>\n");
}

void audit_report_markdown(const struct audit *a, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(md_budgets); i++) {
		strbuf_reset(&body);
		markdown_with(a, &md_budgets[i], &body);
		if (body.len <= AUDIT_MARKDOWN_MAX)
			break;
	}
	/* the smallest budget has fixed, small rows: it always fits */
	strbuf_add(out, body.buf, body.len);
	strbuf_release(&body);
}

/* --- JSON ------------------------------------------------------------------- */

static void jw_group(struct jw *w, const struct audit *a, const struct audit_group *g,
		     bool rule)
{
	size_t i;

	jw_open(w, NULL, '{');
	jw_string(w, rule ? "rule" : "category", g->key);
	if (rule) {
		jw_string(w, "title", g->title);
		jw_string(w, "category", g->category);
	}
	jw_number(w, "builds", g->builds);
	jw_ratio(w, "share", share(a, g->builds), true);
	if (rule)
		jw_number(w, "matched", g->matched);
	jw_string(w, "first_seen", g->first.text);
	jw_string(w, "last_seen", g->last.text);
	jw_member(w, "examples");
	strbuf_addch(w->out, '[');
	for (i = 0; i < g->examples_nr; i++) {
		strbuf_addstr(w->out, i ? ", " : "");
		json_add_cstr(w->out, g->examples[i].id);
	}
	strbuf_addch(w->out, ']');
	jw_open(w, "subjects", '[');
	for (i = 0; i < g->subjects_nr && i < AUDIT_SUBJECTS; i++) {
		jw_member(w, NULL);
		strbuf_addstr(w->out, "{\"name\": ");
		json_add_cstr(w->out, g->subjects[i].name);
		strbuf_addstr(w->out, ", \"value\": ");
		json_add_cstr(w->out, g->subjects[i].value);
		strbuf_addf(w->out, ", \"builds\": %zu}", g->subjects[i].builds);
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

void audit_report_json(const struct audit *a, struct strbuf *out)
{
	struct jw w = JW_INIT(out, true);
	size_t i, k;

	jw_begin(&w, '{');
	jw_string(&w, "schema", AUDIT_SCHEMA);
	jw_open(&w, "builds", '{');
	jw_number(&w, "total", audit_total(a));
	jw_number(&w, "analysed", a->analysed);
	jw_number(&w, "classified", a->classified);
	jw_number(&w, "unknown", a->unknown_nr);
	jw_number(&w, "no_diagnosis", a->nodiag_nr);
	jw_number(&w, "not_fetched", a->failures_nr);
	jw_number(&w, "not_processed", a->pending);
	jw_close(&w, '}');
	jw_ratio(&w, "classification_rate",
		 a->analysed ? (double)a->classified / (double)a->analysed : 0, a->analysed > 0);
	jw_string(&w, "first_seen", a->first.text);
	jw_string(&w, "last_seen", a->last.text);
	jw_open(&w, "categories", '[');
	for (i = 0; i < a->categories_nr; i++)
		jw_group(&w, a, &a->categories[i], false);
	jw_close(&w, ']');
	jw_open(&w, "rules", '[');
	for (i = 0; i < a->rules_nr; i++)
		jw_group(&w, a, &a->rules[i], true);
	jw_close(&w, ']');
	jw_open(&w, "unknown", '[');
	for (i = 0; i < a->unknown_nr; i++) {
		const struct audit_unknown *u = &a->unknown[i];

		jw_open(&w, NULL, '{');
		jw_string(&w, "build_id", u->id);
		jw_string(&w, "created_at", u->created.text);
		jw_string(&w, "status", u->status);
		jw_string(&w, "error_message", u->error_message);
		jw_open(&w, "excerpt", '[');
		for (k = 0; k < u->excerpt_nr; k++) {
			jw_member(&w, NULL);
			strbuf_addf(out, "{\"line\": %zu, \"text\": ", u->excerpt[k].line);
			json_add_cstr(out, u->excerpt[k].text);
			strbuf_addf(out, ", \"evidence\": %s}", u->excerpt[k].evidence ? "true" : "false");
		}
		jw_close(&w, ']');
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_open(&w, "no_diagnosis", '[');
	for (i = 0; i < a->nodiag_nr; i++) {
		jw_member(&w, NULL);
		strbuf_addstr(out, "{\"build_id\": ");
		json_add_cstr(out, a->nodiag[i].id);
		strbuf_addstr(out, ", \"status\": ");
		if (a->nodiag[i].status)
			json_add_cstr(out, a->nodiag[i].status);
		else
			strbuf_addstr(out, "null");
		strbuf_addch(out, '}');
	}
	jw_close(&w, ']');
	jw_open(&w, "not_fetched", '[');
	for (i = 0; i < a->failures_nr; i++) {
		jw_member(&w, NULL);
		strbuf_addstr(out, "{\"build_id\": ");
		json_add_cstr(out, a->failures[i].id);
		strbuf_addstr(out, ", \"error\": ");
		json_add_cstr(out, a->failures[i].error);
		strbuf_addch(out, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	strbuf_addch(out, '\n');
}

/* --- CSV -------------------------------------------------------------------- */

void audit_csv_field(struct strbuf *out, const char *s)
{
	size_t len = strlen(s), i;
	bool formula = len && strchr("=+-@\t\r", s[0]);
	bool quote = strpbrk(s, ",\"\r\n") || (len && (s[0] == ' ' || s[len - 1] == ' '));

	if (quote)
		strbuf_addch(out, '"');
	if (formula)
		strbuf_addch(out, '\'');
	for (i = 0; i < len; i++) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t k = utf8_invisible_len(u, len - i);

		if (!k && u[0] == 0xc2 && i + 1 < len && u[1] >= 0x80 && u[1] < 0xa0)
			k = 2; /* C1 */
		if (!k && ((u[0] < 0x20 && u[0] != '\t' && u[0] != '\r' && u[0] != '\n') ||
			   u[0] == 0x7f))
			k = 1;
		if (k) {
			strbuf_add(out, "\xef\xbf\xbd", 3);
			i += k - 1;
			continue;
		}
		if (s[i] == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, s[i]);
	}
	if (quote)
		strbuf_addch(out, '"');
}

/* One row: the fields of the header, in order, NULL for an empty field. */
struct csv_row {
	const char *section, *key, *category, *title;
	char builds[24], share[16], matched[24];
	const char *first_seen, *last_seen;
	struct strbuf examples, subjects, detail;
};

static void csv_row_init(struct csv_row *r, const char *section, const char *key)
{
	memset(r, 0, sizeof(*r));
	r->section = section;
	r->key = key;
	strbuf_init(&r->examples, 0);
	strbuf_init(&r->subjects, 0);
	strbuf_init(&r->detail, 0);
}

static void csv_write_row(struct strbuf *out, struct csv_row *r)
{
	const char *fields[] = {
		r->section, r->key, r->category, r->title, r->builds, r->share, r->matched,
		r->first_seen, r->last_seen, r->examples.buf, r->subjects.buf, r->detail.buf,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (i)
			strbuf_addch(out, ',');
		if (fields[i])
			audit_csv_field(out, fields[i]);
	}
	strbuf_addstr(out, "\r\n");
	strbuf_release(&r->examples);
	strbuf_release(&r->subjects);
	strbuf_release(&r->detail);
}

static void csv_count(struct strbuf *out, const char *key, size_t n)
{
	struct csv_row r;

	csv_row_init(&r, "summary", key);
	snprintf(r.builds, sizeof(r.builds), "%zu", n);
	csv_write_row(out, &r);
}

static void csv_group(struct strbuf *out, const struct audit *a, const struct audit_group *g,
		      bool rule)
{
	struct csv_row r;
	size_t i;

	csv_row_init(&r, rule ? "rule" : "category", g->key);
	r.category = rule ? g->category : g->key;
	r.title = rule ? g->title : NULL;
	snprintf(r.builds, sizeof(r.builds), "%zu", g->builds);
	snprintf(r.share, sizeof(r.share), "%.4f", share(a, g->builds));
	if (rule)
		snprintf(r.matched, sizeof(r.matched), "%zu", g->matched);
	r.first_seen = g->first.text;
	r.last_seen = g->last.text;
	for (i = 0; i < g->examples_nr; i++) {
		strbuf_addstr(&r.examples, i ? " " : "");
		strbuf_addstr(&r.examples, g->examples[i].id);
	}
	for (i = 0; i < g->subjects_nr && i < AUDIT_SUBJECTS; i++)
		strbuf_addf(&r.subjects, "%s%s=%s (%zu)", i ? "; " : "", g->subjects[i].name,
			    g->subjects[i].value, g->subjects[i].builds);
	csv_write_row(out, &r);
}

void audit_report_csv(const struct audit *a, struct strbuf *out)
{
	size_t i, k;
	struct csv_row r;

	strbuf_addstr(out, "section,key,category,title,builds,share,matched,first_seen,last_seen,"
		      "examples,subjects,detail\r\n");
	csv_count(out, "total", audit_total(a));
	csv_count(out, "analysed", a->analysed);
	csv_count(out, "classified", a->classified);
	csv_count(out, "unknown", a->unknown_nr);
	csv_count(out, "no_diagnosis", a->nodiag_nr);
	csv_count(out, "not_fetched", a->failures_nr);
	csv_count(out, "not_processed", a->pending);
	csv_row_init(&r, "summary", "classification_rate");
	if (a->analysed)
		snprintf(r.share, sizeof(r.share), "%.4f",
			 (double)a->classified / (double)a->analysed);
	r.first_seen = a->first.text;
	r.last_seen = a->last.text;
	csv_write_row(out, &r);
	for (i = 0; i < a->categories_nr; i++)
		csv_group(out, a, &a->categories[i], false);
	for (i = 0; i < a->rules_nr; i++)
		csv_group(out, a, &a->rules[i], true);
	for (i = 0; i < a->unknown_nr; i++) {
		const struct audit_unknown *u = &a->unknown[i];

		csv_row_init(&r, "unknown", u->id);
		r.category = "unknown";
		r.title = u->error_message;
		r.first_seen = r.last_seen = u->created.text;
		for (k = 0; k < u->excerpt_nr; k++)
			strbuf_addf(&r.detail, "%s%s%zu: %s", k ? "\n" : "",
				    u->excerpt[k].evidence ? "> " : "", u->excerpt[k].line,
				    u->excerpt[k].text);
		csv_write_row(out, &r);
	}
	for (i = 0; i < a->nodiag_nr; i++) {
		csv_row_init(&r, "no_diagnosis", a->nodiag[i].id);
		strbuf_addstr(&r.detail, a->nodiag[i].status ? a->nodiag[i].status : "");
		csv_write_row(out, &r);
	}
	for (i = 0; i < a->failures_nr; i++) {
		csv_row_init(&r, "not_fetched", a->failures[i].id);
		strbuf_addstr(&r.detail, a->failures[i].error);
		csv_write_row(out, &r);
	}
}
