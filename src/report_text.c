/* report_text.c - the terminal report: the root cause first with its
 * evidence in context and the fix, then the other findings, one line each
 * plus their evidence. Colour only when asked (a terminal, --color). */
#include <string.h>

#include "buildsleuth/normalize.h"
#include "buildsleuth/report.h"

struct style {
	const char *bold, *dim, *red, *green, *yellow, *cyan, *reset;
};

static const struct style plain = { "", "", "", "", "", "", "" };
static const struct style ansi = {
	"\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m", "\033[36m", "\033[0m",
};

/* Text that did not come from us (a build record, a rule file, a path):
 * shown as display_line shows log lines, so it cannot reach the terminal
 * as control sequences. */
static void add_untrusted(struct strbuf *out, const char *s)
{
	display_line(s, strlen(s), REPORT_LINE_MAX, out);
}

static void quote_line(struct strbuf *out, const struct log *log, size_t i,
		       bool mark, const struct style *st)
{
	strbuf_addf(out, "  %s%s%7zu | ", mark ? st->red : st->dim, mark ? ">" : " ", i + 1);
	display_line(log_line_text(log, i), log->lines[i].length, REPORT_LINE_MAX, out);
	strbuf_addf(out, "%s\n", st->reset);
}

static bool is_evidence(const struct diagnosis *d, size_t line)
{
	size_t i;

	for (i = 0; i < d->hits.lines_nr; i++)
		if (d->hits.lines[i] == line)
			return true;
	return false;
}

static void where(struct strbuf *out, const struct diagnosis *d)
{
	if (!d->hits.lines_nr) {
		strbuf_addstr(out, "no log line");
		return;
	}
	strbuf_addf(out, "line %zu", d->first_line + 1);
	if (phase_name(d->phase))
		strbuf_addf(out, " (%s)", phase_name(d->phase));
	if (d->hits.count > 1)
		strbuf_addf(out, ", %zu occurrences", d->hits.count);
}

static void header(const struct report *r, struct strbuf *out, const struct style *st)
{
	const struct source *src = r->source;
	const struct build *b = report_build(r);
	const char *status = b->status_name;
	const char *message = b->error_message;
	const char *region = b->region;

	if (src->kind == SOURCE_API) {
		strbuf_addf(out, "%sbuild %s%s", st->bold, src->build_id, st->reset);
	} else {
		strbuf_addstr(out, st->bold);
		add_untrusted(out, src->kind == SOURCE_FILE ? src->path : "stdin");
		strbuf_addstr(out, st->reset);
	}
	if (status) {
		strbuf_addstr(out, ": ");
		add_untrusted(out, status);
	}
	if (region) {
		strbuf_addstr(out, " (");
		add_untrusted(out, region);
		strbuf_addch(out, ')');
	}
	strbuf_addf(out, "%s %zu log lines", status ? "," : ":", src->log.nr);
	if (src->log.phases.failed != PHASE_NONE)
		strbuf_addf(out, ", failed in phase %s", phase_name(src->log.phases.failed));
	strbuf_addch(out, '\n');
	if (message) {
		strbuf_addstr(out, "error message: ");
		display_line(message, strlen(message), REPORT_LINE_MAX, out);
		strbuf_addch(out, '\n');
	}
	if (report_failed_step(r)) {
		struct strbuf sb = STRBUF_INIT;

		report_step_sentence(report_failed_step(r), &sb);
		display_line(sb.buf, sb.len, REPORT_LINE_MAX, out);
		strbuf_addch(out, '\n');
		strbuf_release(&sb);
	}
	strbuf_addch(out, '\n');
}

static void finding(const struct report *r, struct strbuf *out, const struct diagnosis *d,
		    size_t rank, const struct style *st)
{
	const struct log *log = &r->source->log;
	size_t i, first, last;

	strbuf_addf(out, "%s%zu. ", st->bold, rank);
	add_untrusted(out, d->title);
	strbuf_addf(out, "%s %s[%s]%s", st->reset, st->cyan, category_name(d->category),
		    st->reset);
	if (d->fallback)
		strbuf_addf(out, " %s(generic)%s", st->dim, st->reset);
	if (d->inferred)
		strbuf_addf(out, " %s(inferred from the failing step)%s", st->dim, st->reset);
	if (d->explained_by)
		strbuf_addf(out, " %s(follows from %s)%s", st->dim, d->explained_by, st->reset);
	strbuf_addch(out, '\n');
	strbuf_addstr(out, "   ");
	display_line(d->summary, strlen(d->summary), REPORT_LINE_MAX, out);
	strbuf_addf(out, "\n   %s", st->dim);
	where(out, d);
	strbuf_addf(out, " - rule %s%s\n", d->id, st->reset);
	if (rank == 1 && d->hits.lines_nr) {
		report_context(r, d, &first, &last);
		for (i = first; i <= last; i++)
			quote_line(out, log, i, is_evidence(d, i), st);
		for (i = 0; i < d->hits.lines_nr; i++)
			if (d->hits.lines[i] > last)
				quote_line(out, log, d->hits.lines[i], true, st);
	} else {
		for (i = 0; i < d->hits.lines_nr && i < 3; i++)
			quote_line(out, log, d->hits.lines[i], true, st);
	}
	strbuf_addf(out, "   %sfix:%s ", st->green, st->reset);
	display_line(d->hint, strlen(d->hint), 0, out);
	strbuf_addch(out, '\n');
	if (d->docs) {
		strbuf_addf(out, "   %sdocs:%s ", st->green, st->reset);
		add_untrusted(out, d->docs);
		strbuf_addch(out, '\n');
	}
}

void report_text(const struct report *r, struct strbuf *out)
{
	const struct style *st = r->color ? &ansi : &plain;
	size_t i, n = report_count(r);

	header(r, out, st);
	if (r->diagnoses->outcome == OUTCOME_SUCCESS) {
		strbuf_addstr(out, "No failure found: the build succeeded.\n");
		return;
	}
	if (r->diagnoses->outcome == OUTCOME_RUNNING) {
		strbuf_addstr(out, "No failure found: the build is still running.\n");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addch(out, '\n');
		finding(r, out, &r->diagnoses->items[i], i + 1, st);
	}
	if (n < r->diagnoses->nr)
		strbuf_addf(out, "\n%s(%zu more findings not shown; see --top)%s\n", st->dim,
			    r->diagnoses->nr - n, st->reset);
}
