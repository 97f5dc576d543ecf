/* report_audit_markdown.c - the audit as Markdown (a job summary or an
 * issue): untrusted text goes through markdown.c, in code spans or escaped,
 * so it cannot open HTML, links or mentions; the body is cut to stay under
 * AUDIT_MARKDOWN_MAX. */
#include <string.h>

#include "buildsleuth/markdown.h"
#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

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

	audit_add_date(&date, t, "-");
	md_entities(out, date.buf, 40);
	strbuf_release(&date);
}

static void md_group_cells(struct strbuf *out, const struct audit *a,
			   const struct audit_group *g, const struct md_budget *b)
{
	size_t i;

	strbuf_addf(out, " | %zu | %.1f%% | ", g->builds, 100 * audit_share(a, g->builds));
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

/* The trend as a table to paste: a row per period (the latest b->rows),
 * a column per category. Category names are the fixed vocabulary. */
static void md_trend(const struct audit_trend *t, const struct md_budget *b, struct strbuf *out)
{
	size_t p, c, skip = t->periods_nr > b->rows ? t->periods_nr - b->rows : 0;

	strbuf_addf(out, "#### Trend by %s\n\nBuilds per category; in brackets the change against "
		    "the previous %s.\n\n| period | builds |", audit_by_name(t->by),
		    audit_by_name(t->by));
	for (c = 0; c < t->categories_nr; c++) {
		strbuf_addch(out, ' ');
		md_entities(out, t->categories[c], 100);
		strbuf_addstr(out, " |");
	}
	strbuf_addstr(out, "\n| --- | --: |");
	for (c = 0; c < t->categories_nr; c++)
		strbuf_addstr(out, " --: |");
	strbuf_addch(out, '\n');
	for (p = skip; p < t->periods_nr; p++) {
		char label[AUDIT_PERIOD_LABEL_MAX];

		audit_period_label(t->periods[p], t->by, label);
		strbuf_addf(out, "| %s | %zu |", label, t->totals[p]);
		for (c = 0; c < t->categories_nr; c++) {
			strbuf_addch(out, ' ');
			audit_trend_cell(t, p, c, out);
			strbuf_addstr(out, " |");
		}
		strbuf_addch(out, '\n');
	}
	if (skip)
		strbuf_addf(out, "\n%zu earlier periods are in `--format json`.\n", skip);
	strbuf_addch(out, '\n');
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
	audit_templates_markdown(a, out, b->rows, b->text_max);
	if (a->trend.by)
		md_trend(&a->trend, b, out);
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
			if (audit_failure_needs_id(&a->failures[i], b->text_max)) {
				md_code_span(out, a->failures[i].id, 200, false);
				strbuf_addstr(out, ": ");
			}
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
