/* report_json.c - the JSON report, schema buildsleuth.report/v1 (DESIGN.md):
 * written by hand so the bytes are stable (goldens, scripts), pretty for one
 * report, one line each for JSON Lines. */
#include <string.h>

#include "buildsleuth/json_writer.h"
#include "buildsleuth/latest.h"
#include "buildsleuth/location.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/report.h"

/* A log line as quoted in reports: escapes stripped, prefixes kept, cut
 * after REPORT_LINE_MAX bytes. */
static void jw_line(struct jw *w, const char *key, const struct log *log, size_t i)
{
	struct strbuf sb = STRBUF_INIT;

	display_line(log_line_text(log, i), log->lines[i].length, REPORT_LINE_MAX, &sb);
	jw_member(w, key);
	json_add_string(w->out, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* The record's documented fields as it held them, in the order of the API
 * documentation; unknown fields are not kept. */
static void write_build(struct jw *w, const struct build *build)
{
	const char *name, *string, *json;
	size_t f;

	if (!build) {
		jw_string(w, "build", NULL);
		return;
	}
	jw_open(w, "build", '{');
	for (f = 0; f < BUILD_FIELDS_NR; f++) {
		if (!build_field_get(build, f, &name, &string, &json))
			continue;
		if (string) {
			jw_string(w, name, string);
		} else {
			jw_member(w, name);
			strbuf_addstr(w->out, json);
		}
	}
	jw_close(w, '}');
}

/* "step": {"stage", "index"} of a diagnosis, or null. */
static void write_step(struct jw *w, const struct log *log, size_t step)
{
	const struct build_step *st = step && step <= log->steps.nr ? &log->steps.steps[step - 1] : NULL;

	if (!st) {
		jw_string(w, "step", NULL);
		return;
	}
	jw_open(w, "step", '{');
	jw_string(w, "stage", st->stage);
	if (st->index > 0)
		jw_number(w, "index", (size_t)st->index);
	else
		jw_string(w, "index", NULL);
	jw_close(w, '}');
}

static void write_location(struct jw *w, const struct report *r, const struct diagnosis *d)
{
	struct resolved_location loc;

	if (!d->rule || !rule_location_resolve(d->rule, &d->hits,
						report_build(r)->dockerfile_path, &loc)) {
		jw_string(w, "location", NULL);
		return;
	}
	jw_open(w, "location", '{');
	jw_string(w, "file", loc.file);
	if (loc.line)
		jw_number(w, "line", loc.line);
	else
		jw_string(w, "line", NULL);
	jw_close(w, '}');
	resolved_location_release(&loc);
}

/* "failed_step": the step whose error ended the build, or null. */
static void write_failed_step(struct jw *w, const struct report *r)
{
	const struct build_step *st = report_failed_step(r);

	if (!st) {
		jw_string(w, "failed_step", NULL);
		return;
	}
	jw_open(w, "failed_step", '{');
	jw_string(w, "builder", builder_name(st->builder));
	jw_string(w, "stage", st->stage);
	if (st->index > 0)
		jw_number(w, "index", (size_t)st->index);
	else
		jw_string(w, "index", NULL);
	if (st->total > 0)
		jw_number(w, "total", (size_t)st->total);
	else
		jw_string(w, "total", NULL);
	jw_string(w, "instruction", st->instruction);
	jw_string(w, "command", st->command);
	if (st->exit_code >= 0)
		jw_number(w, "exit_code", (size_t)st->exit_code);
	else
		jw_string(w, "exit_code", NULL);
	jw_number(w, "first_line", st->first_line + 1);
	jw_number(w, "last_line", st->last_line + 1);
	jw_close(w, '}');
}

static void write_diagnosis(struct jw *w, const struct report *r,
			    const struct diagnosis *d, size_t rank)
{
	const struct log *log = &r->source->log;
	size_t i, k, first, last;

	jw_open(w, NULL, '{');
	jw_number(w, "rank", rank);
	jw_string(w, "rule", d->id);
	jw_string(w, "title", d->title);
	jw_string(w, "category", category_name(d->category));
	jw_number(w, "priority", (size_t)d->priority);
	jw_bool(w, "fallback", d->fallback);
	jw_bool(w, "inferred", d->inferred);
	jw_string(w, "explained_by", d->explained_by);
	jw_string(w, "summary", d->summary);
	jw_string(w, "hint", d->hint);
	jw_string(w, "docs", d->docs);
	jw_open(w, "captures", '{');
	for (i = 0; i < d->hits.captures_nr; i++) {
		const struct capture *c = &d->hits.captures[i];

		if (c->first || c->values.nr)
			jw_string(w, c->name, c->first ? c->first : c->values.items[0]);
	}
	jw_close(w, '}');
	jw_open(w, "capture_values", '{');
	for (i = 0; i < d->hits.captures_nr; i++) {
		const struct capture *c = &d->hits.captures[i];

		if (!c->values.nr)
			continue;
		jw_open(w, c->name, '[');
		for (k = 0; k < c->values.nr; k++)
			jw_string(w, NULL, c->values.items[k]);
		jw_close(w, ']');
	}
	jw_close(w, '}');
	jw_string(w, "subject", d->subject);
	jw_number(w, "count", d->hits.count);
	jw_string(w, "phase", phase_name(d->phase));
	write_step(w, log, d->step);
	write_location(w, r, d);
	if (d->hits.lines_nr)
		jw_number(w, "first_line", d->first_line + 1);
	else
		jw_string(w, "first_line", NULL);
	jw_open(w, "evidence", '[');
	for (i = 0; i < d->hits.lines_nr; i++) {
		jw_open(w, NULL, '{');
		jw_number(w, "line", d->hits.lines[i] + 1);
		jw_line(w, "text", log, d->hits.lines[i]);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	if (log->nr && d->hits.lines_nr) {
		report_context(r, d, &first, &last);
		jw_open(w, "context", '{');
		jw_number(w, "first_line", first + 1);
		jw_open(w, "lines", '[');
		for (i = first; i <= last; i++)
			jw_line(w, NULL, log, i);
		jw_close(w, ']');
		jw_close(w, '}');
	} else {
		jw_string(w, "context", NULL);
	}
	jw_close(w, '}');
}

/* How --latest chose the build: its filters, null when not given. */
static void write_selected(struct jw *w, const struct latest_query *q)
{
	struct strbuf since = STRBUF_INIT;
	size_t i;

	jw_open(w, "selected", '{');
	jw_string(w, "by", "latest");
	jw_open(w, "filters", '{');
	jw_open(w, "status", '[');
	for (i = 0; i < q->statuses_nr; i++)
		jw_string(w, NULL, build_status_name(q->statuses[i]));
	jw_close(w, ']');
	jw_string(w, "region", q->region);
	jw_string(w, "dockerfile", q->dockerfile);
	if (q->since)
		latest_since_iso(q, &since);
	jw_string(w, "since", q->since ? since.buf : NULL);
	jw_close(w, '}');
	jw_close(w, '}');
	strbuf_release(&since);
}

/* key: {"id", "createdAt"} of a build, or null without an id. */
static void write_build_ref(struct jw *w, const char *key, const char *id, const char *created)
{
	if (!id) {
		jw_string(w, key, NULL);
		return;
	}
	jw_open(w, key, '{');
	jw_string(w, "id", id);
	jw_string(w, "createdAt", created);
	jw_close(w, '}');
}

/* "changes": DESIGN.md's object; null fields where a side is missing. */
static void write_changes(struct jw *w, const struct log *log, const struct changes *c)
{
	size_t i;

	jw_open(w, "changes", '{');
	if (c->baseline_id) {
		write_build_ref(w, "baseline", c->baseline_id, c->baseline_created);
	} else if (c->baseline_path) {
		jw_open(w, "baseline", '{');
		jw_string(w, "path", c->baseline_path);
		jw_close(w, '}');
	} else {
		jw_string(w, "baseline", NULL);
	}
	if (c->note)
		jw_string(w, "note", c->note);
	write_build_ref(w, "same_context", c->same_context_id, c->same_context_created);
	jw_open(w, "packages", '[');
	for (i = 0; i < c->packages_nr; i++) {
		jw_open(w, NULL, '{');
		jw_string(w, "name", c->packages[i].name);
		jw_string(w, "manager", c->packages[i].manager);
		jw_string(w, "before", c->packages[i].before);
		jw_string(w, "after", c->packages[i].after);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "base_images", '[');
	for (i = 0; i < c->images_nr; i++) {
		jw_open(w, NULL, '{');
		jw_string(w, "ref", c->images[i].ref);
		jw_string(w, "change", c->images[i].change);
		jw_string(w, "before_digest", c->images[i].before_digest);
		jw_string(w, "after_digest", c->images[i].after_digest);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "steps", '{');
	jw_open(w, "added", '[');
	for (i = 0; i < c->steps_added_nr; i++)
		jw_string(w, NULL, c->steps_added[i]);
	jw_close(w, ']');
	jw_open(w, "removed", '[');
	for (i = 0; i < c->steps_removed_nr; i++)
		jw_string(w, NULL, c->steps_removed[i]);
	jw_close(w, ']');
	jw_close(w, '}');
	jw_open(w, "new_lines", '[');
	for (i = 0; i < c->new_lines_nr; i++) {
		jw_open(w, NULL, '{');
		jw_number(w, "line", c->new_lines[i] + 1);
		jw_line(w, "text", log, c->new_lines[i]);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_number(w, "new_lines_total", c->new_lines_total);
	jw_close(w, '}');
}

void report_json(const struct report *r, struct strbuf *out)
{
	struct jw w = JW_INIT(out, !r->compact);
	const struct source *src = r->source;
	size_t i, n = report_count(r);

	jw_open(&w, NULL, '{');
	jw_string(&w, "schema", REPORT_SCHEMA);
	jw_open(&w, "source", '{');
	switch (src->kind) {
	case SOURCE_FILE:
		jw_string(&w, "kind", "file");
		jw_string(&w, "path", src->path);
		break;
	case SOURCE_STDIN:
		jw_string(&w, "kind", "stdin");
		break;
	case SOURCE_API:
		jw_string(&w, "kind", "api");
		jw_string(&w, "build_id", src->build_id);
		if (src->selected)
			write_selected(&w, src->selected);
		break;
	}
	jw_close(&w, '}');
	write_build(&w, src->build);
	jw_number(&w, "lines", src->log.nr);
	jw_string(&w, "outcome", outcome_name(r->diagnoses->outcome));
	jw_string(&w, "failed_phase", phase_name(src->log.phases.failed));
	write_failed_step(&w, r);
	jw_open(&w, "diagnoses", '[');
	for (i = 0; i < n; i++)
		write_diagnosis(&w, r, &r->diagnoses->items[i], i + 1);
	jw_close(&w, ']');
	if (r->changes)
		write_changes(&w, &src->log, r->changes);
	jw_close(&w, '}');
	strbuf_addch(out, '\n');
}
