/* report.c - what every report format shares: picking the format, how many
 * findings to show, the context window, the build record and its ID. */
#include <string.h>

#include "buildsleuth/location.h"
#include "buildsleuth/report.h"

bool report_format_from_name(const char *name, enum report_format *out)
{
	static const struct { const char *name; enum report_format f; } formats[] = {
		{ "text", FORMAT_TEXT }, { "markdown", FORMAT_MARKDOWN },
		{ "json", FORMAT_JSON }, { "github", FORMAT_GITHUB },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(name, formats[i].name)) {
			*out = formats[i].f;
			return true;
		}
	return false;
}

void report_write(const struct report *r, enum report_format f, struct strbuf *out)
{
	switch (f) {
	case FORMAT_TEXT: report_text(r, out); break;
	case FORMAT_MARKDOWN: report_markdown(r, out); break;
	case FORMAT_JSON: report_json(r, out); break;
	case FORMAT_GITHUB: report_github(r, out); break;
	}
}

size_t report_count(const struct report *r)
{
	size_t n = r->diagnoses->nr;

	return r->top && r->top < n ? r->top : n;
}

void report_context(const struct report *r, const struct diagnosis *d,
		    size_t *first, size_t *last)
{
	size_t nr = r->source->log.nr, at = d->first_line;

	*first = at > CONTEXT_BEFORE ? at - CONTEXT_BEFORE : 0;
	*last = at + CONTEXT_AFTER < nr ? at + CONTEXT_AFTER : (nr ? nr - 1 : 0);
	if (d->hits.lines_nr) {
		/* stretch to cover the last evidence line close by */
		size_t end = d->hits.lines[d->hits.lines_nr - 1];

		if (end > *last && end - at <= 2 * CONTEXT_BEFORE)
			*last = end + CONTEXT_AFTER < nr ? end + CONTEXT_AFTER : nr - 1;
	}
}

const struct build *report_build(const struct report *r)
{
	static const struct build none = {
		.context_size_bytes = -1, .build_duration_seconds = -1,
	};

	return r->source->build ? r->source->build : &none;
}

const char *report_build_id(const struct report *r)
{
	return r->source->build_id ? r->source->build_id : report_build(r)->id;
}

bool report_location(const struct report *r, const struct diagnosis *d,
		     struct strbuf *path, unsigned long *line)
{
	struct resolved_location loc;

	if (!d->rule || !rule_location_resolve(d->rule, &d->hits,
						report_build(r)->dockerfile_path, &loc))
		return false;
	if (r->source_dir && *r->source_dir)
		strbuf_addf(path, "%s/", r->source_dir);
	strbuf_addstr(path, loc.file);
	*line = loc.line;
	resolved_location_release(&loc);
	return true;
}

const struct build_step *report_failed_step(const struct report *r)
{
	size_t k = r->diagnoses->failed_step;

	return k && k <= r->source->log.steps.nr ? &r->source->log.steps.steps[k - 1] : NULL;
}

void report_step_sentence(const struct build_step *st, struct strbuf *out)
{
	struct strbuf cmd = STRBUF_INIT;
	size_t run = 0, longest = 0, i;

	strbuf_addstr(out, "failed at ");
	if (st->index > 0) {
		strbuf_addf(out, "step %d", st->index);
		if (st->total > 0)
			strbuf_addf(out, "/%d", st->total);
		if (st->stage)
			strbuf_addf(out, " of stage %s", st->stage);
		strbuf_addstr(out, ": ");
	} else {
		strbuf_addstr(out, "the step ");
	}
	if (!st->instruction && !st->command && st->label)
		strbuf_addstr(&cmd, st->label);
	else
		build_step_text(st, false, &cmd);
	for (i = 0; i < cmd.len; i++) {
		run = cmd.buf[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	/* a code span: a backtick run longer than any inside, padded when
	 * the command starts or ends with one (CommonMark strips one space) */
	for (i = 0; i <= longest; i++)
		strbuf_addch(out, '`');
	if (cmd.buf[0] == '`' || cmd.buf[cmd.len - 1] == '`')
		strbuf_addch(out, ' ');
	strbuf_add(out, cmd.buf, cmd.len);
	if (cmd.buf[0] == '`' || cmd.buf[cmd.len - 1] == '`')
		strbuf_addch(out, ' ');
	for (i = 0; i <= longest; i++)
		strbuf_addch(out, '`');
	if (st->exit_code >= 0)
		strbuf_addf(out, " (exit code %d)", st->exit_code);
	strbuf_release(&cmd);
}
