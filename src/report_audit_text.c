/* report_audit_text.c - the audit for a terminal. Untrusted text is shown
 * as display_line() shows it. */
#include <string.h>

#include "buildsleuth/normalize.h"
#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

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
	audit_add_date(out, &g->first, "-");
	strbuf_addstr(out, " .. ");
	audit_add_date(out, &g->last, "-");
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
		audit_add_date(out, &a->first, "-");
		strbuf_addstr(out, " .. ");
		audit_add_date(out, &a->last, "-");
		strbuf_addch(out, '\n');
	}
}

/* The columns s takes: its characters (a cell holds no wide one). */
static size_t columns(const struct strbuf *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->len; i++)
		n += ((unsigned char)s->buf[i] & 0xc0) != 0x80;
	return n;
}

static void trim_spaces(struct strbuf *out)
{
	size_t len = out->len;

	while (len && out->buf[len - 1] == ' ')
		len--;
	strbuf_setlen(out, len);
}

/* The trend: a row per period, a column per category (its count, and the
 * change against the previous period). */
static void text_trend(const struct audit_trend *t, struct strbuf *out)
{
	struct strbuf cell = STRBUF_INIT;
	size_t *width = xcalloc(t->categories_nr + 1, sizeof(*width)), p, c;
	const char *by = audit_by_name(t->by);

	strbuf_addf(out, "\nTrend by %s (builds per category; in brackets the change against the "
		    "previous %s)\n", by, by);
	for (c = 0; c < t->categories_nr; c++) {
		width[c] = strlen(t->categories[c]);
		for (p = 0; p < t->periods_nr; p++) {
			strbuf_reset(&cell);
			audit_trend_cell(t, p, c, &cell);
			if (columns(&cell) > width[c])
				width[c] = columns(&cell);
		}
	}
	strbuf_addstr(out, "  period      builds");
	for (c = 0; c < t->categories_nr; c++)
		strbuf_addf(out, "  %-*s", (int)width[c], t->categories[c]);
	trim_spaces(out);
	strbuf_addch(out, '\n');
	for (p = 0; p < t->periods_nr; p++) {
		char label[AUDIT_PERIOD_LABEL_MAX];

		audit_period_label(t->periods[p], t->by, label);
		strbuf_addf(out, "  %-10s %6zu", label, t->totals[p]);
		for (c = 0; c < t->categories_nr; c++) {
			size_t w;

			strbuf_reset(&cell);
			audit_trend_cell(t, p, c, &cell);
			w = columns(&cell);
			strbuf_addstr(out, "  ");
			strbuf_add(out, cell.buf, cell.len);
			while (w++ < width[c])
				strbuf_addch(out, ' ');
		}
		trim_spaces(out);
		strbuf_addch(out, '\n');
	}
	if (t->undated)
		strbuf_addf(out, "  (%zu analysed build%s without a createdAt not in the trend)\n",
			    t->undated, t->undated == 1 ? "" : "s");
	strbuf_release(&cell);
	free(width);
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

			strbuf_addf(out, "  %6zu  %5.1f%%  ", g->builds, 100 * audit_share(a, g->builds));
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
			strbuf_addf(out, "  %6zu  %5.1f%%  ", g->builds, 100 * audit_share(a, g->builds));
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
	audit_templates_text(a, out);
	if (a->trend.by)
		text_trend(&a->trend, out);
	if (a->unknown_nr) {
		strbuf_addf(out, "\nUnknown: %zu build%s no rule explains\n", a->unknown_nr,
			    a->unknown_nr == 1 ? "" : "s");
		for (i = 0; i < a->unknown_nr; i++) {
			const struct audit_unknown *u = &a->unknown[i];

			strbuf_addstr(out, "  ");
			text_untrusted(out, u->id, 200);
			strbuf_addstr(out, " (");
			audit_add_date(out, &u->created, "no date");
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
			if (audit_failure_needs_id(&a->failures[i], 600)) {
				text_untrusted(out, a->failures[i].id, 200);
				strbuf_addstr(out, ": ");
			}
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
