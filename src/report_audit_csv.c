/* report_audit_csv.c - the audit as CSV (RFC 4180): untrusted text quoted,
 * formulas defused, control and invisible characters shown as U+FFFD. */
#include <stdio.h>
#include <string.h>

#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

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
	snprintf(r.share, sizeof(r.share), "%.4f", audit_share(a, g->builds));
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

/* With --by the CSV is the trend alone, one tidy row per period and
 * category: period,category,count,previous,change (the last two empty in
 * the first period). */
static void csv_trend(const struct audit_trend *t, struct strbuf *out)
{
	size_t p, c;

	strbuf_addstr(out, "period,category,count,previous,change\r\n");
	for (p = 0; p < t->periods_nr; p++) {
		char label[AUDIT_PERIOD_LABEL_MAX];

		audit_period_label(t->periods[p], t->by, label);
		for (c = 0; c < t->categories_nr; c++) {
			size_t previous, count;
			bool has_previous;

			count = audit_trend_count(t, p, c, &has_previous, &previous);
			audit_csv_field(out, label);
			strbuf_addch(out, ',');
			audit_csv_field(out, t->categories[c]);
			strbuf_addf(out, ",%zu,", count);
			if (has_previous)
				strbuf_addf(out, "%zu,%lld", previous,
					    (long long)count - (long long)previous);
			else
				strbuf_addch(out, ',');
			strbuf_addstr(out, "\r\n");
		}
	}
}

void audit_report_csv(const struct audit *a, struct strbuf *out)
{
	size_t i, k;
	struct csv_row r;

	if (a->trend.by) {
		csv_trend(&a->trend, out);
		return;
	}

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
	audit_templates_csv(a, out);
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
