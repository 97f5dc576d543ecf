/* report_text.c - the terminal report: the root cause first with its
 * evidence in context and the fix, then the other findings, one line each
 * plus their evidence. Colour only when asked (a terminal, --color). Prose
 * (summaries, hints, the error message) wraps to r->width; a quoted log
 * line never wraps, it is cut with an ellipsis so its line number stays
 * the only thing in the gutter. */
#include <stdint.h>
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

/* "  >     12 | ": the mark, the line number and the bar before a quoted line. */
#define GUTTER 13
#define TAB_COLUMNS 8

/*
 * Columns s takes on a terminal: one a code point (display_line has made
 * it valid UTF-8 without controls), a tab counted as a whole tab stop. A
 * wide (CJK) character is counted as one: getting that right needs the
 * locale's wcwidth(), and a report must not depend on the locale.
 */
static size_t columns(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '\t')
			n += TAB_COLUMNS;
		else if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* The bytes of s's first cols columns (never half a code point). */
static size_t columns_prefix(const char *s, size_t len, size_t cols)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t w = s[i] == '\t' ? TAB_COLUMNS : 1, next = i + 1;

		while (next < len && ((unsigned char)s[next] & 0xc0) == 0x80)
			next++;
		if (n + w > cols)
			break;
		n += w;
		i = next;
	}
	return i;
}

static void add_spaces(struct strbuf *out, size_t n)
{
	while (n--)
		strbuf_addch(out, ' ');
}

/*
 * Append text (already cleaned) at column col, breaking between words so no
 * line passes width; a continuation line starts with indent spaces. A word
 * longer than the line (a URL, a path) stays whole on a line of its own.
 * Runs of spaces are kept where the text does not break. Returns the column
 * the text ends at. width 0: no wrapping.
 */
static size_t wrap(struct strbuf *out, const char *text, size_t len, size_t col,
		   size_t indent, size_t width)
{
	size_t i = 0;
	bool first = true;

	if (!width) {
		strbuf_add(out, text, len);
		return col + columns(text, len);
	}
	while (i < len) {
		size_t gap = i, word, w;

		while (i < len && text[i] == ' ')
			i++;
		if (i == len)
			break;
		word = i;
		while (i < len && text[i] != ' ')
			i++;
		w = columns(text + word, i - word);
		if (!first && col + (word - gap) + w > width && col > indent) {
			strbuf_addch(out, '\n');
			add_spaces(out, indent);
			col = indent;
		} else {
			strbuf_add(out, text + gap, word - gap);
			col += word - gap;
		}
		strbuf_add(out, text + word, i - word);
		col += w;
		first = false;
	}
	return col;
}

/* Untrusted prose (a summary, a hint, a build record's message): shown as
 * display_line shows log lines, so it cannot reach the terminal as control
 * sequences, cut after max bytes (0: never), then wrapped as wrap() does. */
static size_t add_prose(struct strbuf *out, const char *s, size_t len, size_t max,
			size_t col, size_t indent, size_t width)
{
	struct strbuf clean = STRBUF_INIT;

	display_line(s, len, max, &clean);
	col = wrap(out, clean.buf, clean.len, col, indent, width);
	strbuf_release(&clean);
	return col;
}

/* Text that did not come from us (a rule file, a path), on one line. */
static void add_untrusted(struct strbuf *out, const char *s)
{
	display_line(s, strlen(s), REPORT_LINE_MAX, out);
}

/* One log line under its number; '>' marks evidence. Cut to the width with
 * an ellipsis rather than wrapped: a wrapped log line would read as two. */
static void quote_line(struct strbuf *out, const struct log *log, size_t i,
		       bool mark, size_t width, const struct style *st)
{
	struct strbuf line = STRBUF_INIT;

	display_line(log_line_text(log, i), log->lines[i].length, REPORT_LINE_MAX, &line);
	strbuf_addf(out, "  %s%s%7zu | ", mark ? st->red : st->dim, mark ? ">" : " ", i + 1);
	if (width && columns(line.buf, line.len) > width - GUTTER) {
		strbuf_add(out, line.buf, columns_prefix(line.buf, line.len, width - GUTTER - 1));
		strbuf_addstr(out, "\u2026");
	} else {
		strbuf_add(out, line.buf, line.len);
	}
	strbuf_addf(out, "%s\n", st->reset);
	strbuf_release(&line);
}

/* Quote line i after the line *prev quoted before it, marking a gap
 * between the two with an ellipsis in the number column. */
static void quote_next(struct strbuf *out, const struct report *r, size_t i, bool mark,
		       size_t *prev, const struct style *st)
{
	if (*prev != SIZE_MAX && i > *prev + 1)
		strbuf_addf(out, "  %s       \u2026 |%s\n", st->dim, st->reset);
	quote_line(out, &r->source->log, i, mark, r->width, st);
	*prev = i;
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
		add_prose(out, message, strlen(message), REPORT_LINE_MAX, 15, 2, r->width);
		strbuf_addch(out, '\n');
	}
	if (report_failed_step(r)) {
		struct strbuf sb = STRBUF_INIT;

		report_step_sentence(report_failed_step(r), &sb);
		add_prose(out, sb.buf, sb.len, REPORT_LINE_MAX, 0, 2, r->width);
		strbuf_addch(out, '\n');
		strbuf_release(&sb);
	}
	strbuf_addch(out, '\n');
}

/* A tag after a finding's title, on the next line when it does not fit. */
static size_t tag(struct strbuf *out, size_t col, const char *colour, const char *text,
		  const char *reset, size_t width)
{
	size_t w = columns(text, strlen(text));

	if (width && col + 1 + w > width) {
		strbuf_addstr(out, "\n  ");
		col = 2;
	}
	strbuf_addf(out, " %s%s%s", colour, text, reset);
	return col + 1 + w;
}

static void finding(const struct report *r, struct strbuf *out, const struct diagnosis *d,
		    size_t rank, const struct style *st)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, first, last, col, prev = SIZE_MAX;

	strbuf_addf(out, "%s%zu. ", st->bold, rank);
	strbuf_addf(&sb, "%zu. ", rank);
	col = add_prose(out, d->title, strlen(d->title), REPORT_LINE_MAX, sb.len, 3, r->width);
	strbuf_addstr(out, st->reset);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "[%s]", category_name(d->category));
	col = tag(out, col, st->cyan, sb.buf, st->reset, r->width);
	if (d->fallback)
		col = tag(out, col, st->dim, "(generic)", st->reset, r->width);
	if (d->inferred)
		col = tag(out, col, st->dim, "(inferred from the failing step)", st->reset, r->width);
	if (d->explained_by) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "(follows from %s)", d->explained_by);
		tag(out, col, st->dim, sb.buf, st->reset, r->width);
	}
	strbuf_release(&sb);
	strbuf_addstr(out, "\n   ");
	add_prose(out, d->summary, strlen(d->summary), REPORT_LINE_MAX, 3, 3, r->width);
	strbuf_addf(out, "\n   %s", st->dim);
	where(out, d);
	strbuf_addf(out, " - rule %s%s\n", d->id, st->reset);
	if (rank == 1 && d->hits.lines_nr) {
		report_context(r, d, &first, &last);
		for (i = first; i <= last; i++)
			quote_next(out, r, i, is_evidence(d, i), &prev, st);
		for (i = 0; i < d->hits.lines_nr; i++)
			if (d->hits.lines[i] > last)
				quote_next(out, r, d->hits.lines[i], true, &prev, st);
	} else {
		for (i = 0; i < d->hits.lines_nr && i < 3; i++)
			quote_next(out, r, d->hits.lines[i], true, &prev, st);
	}
	strbuf_addf(out, "   %sfix:%s ", st->green, st->reset);
	add_prose(out, d->hint, strlen(d->hint), 0, 8, 8, r->width);
	strbuf_addch(out, '\n');
	if (d->docs) {
		strbuf_addf(out, "   %sdocs:%s ", st->green, st->reset);
		add_untrusted(out, d->docs);
		strbuf_addch(out, '\n');
	}
}

/* "Changed since ...": evidence beside the findings, never ranked. */
static void changes(const struct report *r, struct strbuf *out, const struct style *st)
{
	const struct changes *c = r->changes;
	size_t i, prev = SIZE_MAX;

	strbuf_addf(out, "\n%s", st->bold);
	if (c->baseline_id) {
		strbuf_addf(out, "Changed since build %s", c->baseline_id);
		if (c->baseline_created) {
			strbuf_addstr(out, " (");
			add_untrusted(out, c->baseline_created);
			strbuf_addch(out, ')');
		}
	} else if (c->baseline_path) {
		strbuf_addstr(out, "Changed since ");
		add_untrusted(out, c->baseline_path);
	} else {
		strbuf_addstr(out, "Changes");
	}
	strbuf_addf(out, ":%s\n", st->reset);
	if (c->note) {
		strbuf_addstr(out, "   ");
		add_prose(out, c->note, strlen(c->note), REPORT_LINE_MAX, 3, 3, r->width);
		strbuf_addch(out, '\n');
	}
	if (c->same_context_id) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "The same source (context hash) built fine in build %s%s%s%s: the "
			    "failure is likely transient (network, registry, rate limit).",
			    c->same_context_id, c->same_context_created ? " (" : "",
			    c->same_context_created ? c->same_context_created : "",
			    c->same_context_created ? ")" : "");
		strbuf_addstr(out, "   ");
		add_prose(out, sb.buf, sb.len, REPORT_LINE_MAX, 3, 3, r->width);
		strbuf_addch(out, '\n');
		strbuf_release(&sb);
	}
	if (c->packages_nr)
		strbuf_addstr(out, "   packages:\n");
	for (i = 0; i < c->packages_nr; i++) {
		const struct package_change *p = &c->packages[i];

		strbuf_addf(out, "     %s ", p->manager);
		add_untrusted(out, p->name);
		strbuf_addch(out, ' ');
		add_untrusted(out, p->before ? p->before : "(none)");
		strbuf_addstr(out, " \u2192 ");
		add_untrusted(out, p->after ? p->after : "(none)");
		strbuf_addch(out, '\n');
	}
	if (c->images_nr)
		strbuf_addstr(out, "   base images:\n");
	for (i = 0; i < c->images_nr; i++) {
		const struct image_change *im = &c->images[i];

		strbuf_addstr(out, "     ");
		add_untrusted(out, im->ref);
		if (!strcmp(im->change, "digest")) {
			strbuf_addstr(out, " ");
			add_untrusted(out, im->before_digest);
			strbuf_addstr(out, " \u2192 ");
			add_untrusted(out, im->after_digest);
		} else {
			strbuf_addf(out, " (%s)", !strcmp(im->change, "added") ? "new" :
				    "no longer used");
		}
		strbuf_addch(out, '\n');
	}
	for (i = 0; i < c->steps_added_nr + c->steps_removed_nr; i++) {
		bool added = i < c->steps_added_nr;
		const char *t = added ? c->steps_added[i] : c->steps_removed[i - c->steps_added_nr];

		if (i == 0 || i == c->steps_added_nr)
			strbuf_addf(out, "   steps %s:\n", added ? "added" : "removed");
		strbuf_addstr(out, "     ");
		add_prose(out, t, strlen(t), REPORT_LINE_MAX, 5, 7, r->width);
		strbuf_addch(out, '\n');
	}
	if (c->new_lines_total)
		strbuf_addf(out, "   error and warning lines only this log has (%zu):\n",
			    c->new_lines_total);
	for (i = 0; i < c->new_lines_nr; i++)
		quote_next(out, r, c->new_lines[i], false, &prev, st);
	if (c->new_lines_total > c->new_lines_nr)
		strbuf_addf(out, "   (%zu more)\n", c->new_lines_total - c->new_lines_nr);
	if (!c->note && !changes_any(c))
		strbuf_addstr(out, "   nothing that this tool compares\n");
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
	if (r->changes)
		changes(r, out, st);
}
