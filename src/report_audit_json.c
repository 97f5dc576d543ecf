/* report_audit_json.c - the audit as JSON, schema buildsleuth.audit/v1,
 * written by json_writer.c so its bytes are stable. */
#include <string.h>

#include "buildsleuth/json_writer.h"
#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

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
	jw_ratio(w, "share", audit_share(a, g->builds), true);
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

/* "trend": {"by", "undated", "periods": [{"period", "total", "categories":
 * [{"category", "count", "previous", "change"}]}]}; previous and change are
 * null in the first period. */
static void jw_trend(struct jw *w, const struct audit_trend *t)
{
	size_t p, c;

	jw_open(w, "trend", '{');
	jw_string(w, "by", audit_by_name(t->by));
	jw_number(w, "undated", t->undated);
	jw_open(w, "periods", '[');
	for (p = 0; p < t->periods_nr; p++) {
		char label[AUDIT_PERIOD_LABEL_MAX];

		audit_period_label(t->periods[p], t->by, label);
		jw_open(w, NULL, '{');
		jw_string(w, "period", label);
		jw_number(w, "total", t->totals[p]);
		jw_open(w, "categories", '[');
		for (c = 0; c < t->categories_nr; c++) {
			size_t previous, count;
			bool has_previous;

			count = audit_trend_count(t, p, c, &has_previous, &previous);
			jw_member(w, NULL);
			strbuf_addstr(w->out, "{\"category\": ");
			json_add_cstr(w->out, t->categories[c]);
			strbuf_addf(w->out, ", \"count\": %zu, \"previous\": ", count);
			if (has_previous)
				strbuf_addf(w->out, "%zu, \"change\": %lld}", previous,
					    (long long)count - (long long)previous);
			else
				strbuf_addstr(w->out, "null, \"change\": null}");
		}
		jw_close(w, ']');
		jw_close(w, '}');
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
	audit_templates_json(a, &w);
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
	/* only with --by: without it the document is what it always was */
	if (a->trend.by)
		jw_trend(&w, &a->trend);
	jw_close(&w, '}');
	strbuf_addch(out, '\n');
}
