/* report_markdown.c - the pull-request comment body. Everything that comes
 * from the log or the API is untrusted: inline text is escaped so it cannot
 * open HTML, links, tables or mentions, and evidence sits in a code fence
 * longer than any backtick run inside it. The body stays under GitHub's
 * 65,536-character limit by trimming evidence first, never mid-construct. */
#include <string.h>

#include "buildsleuth/markdown.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/report.h"
#include "buildsleuth/version.h"

/* How much evidence to show, from most to least. */
struct budget {
	size_t rows;          /* findings in the table */
	size_t evidence;      /* findings whose evidence is shown */
	size_t lines;         /* evidence lines per finding */
	bool context;         /* context around the top finding */
	size_t line_max;      /* bytes per quoted line */
	size_t text_max;      /* bytes per summary, hint, error message */
};

static const struct budget budgets[] = {
	{ SIZE_MAX, SIZE_MAX, MATCH_EVIDENCE_MAX, true, REPORT_LINE_MAX, 2000 },
	{ SIZE_MAX, 10, 3, false, 500, 1000 },
	{ 20, 3, 1, false, 300, 500 },
	{ 10, 1, 1, false, 200, 300 },
	{ 3, 0, 0, false, 200, 300 },
};

static void md_cstr(struct strbuf *out, const char *s, size_t max)
{
	md_text(out, s, strlen(s), max, false);
}

static void md_cell(struct strbuf *out, const char *s, size_t max)
{
	md_text(out, s, strlen(s), max, true);
}

/* The Where cell: the file and line to fix when the rule says (under
 * --source-dir), then the log line. */
static void where(const struct report *r, struct strbuf *out, const struct diagnosis *d,
		  size_t max)
{
	struct strbuf path = STRBUF_INIT;
	unsigned long line;
	bool located = report_location(r, d, &path, &line);

	if (located) {
		md_cell(out, path.buf, max);
		if (line)
			strbuf_addf(out, ":%lu", line);
		strbuf_addstr(out, d->hits.lines_nr ? " · log " : "");
	}
	strbuf_release(&path);
	if (!d->hits.lines_nr) {
		if (!located)
			strbuf_addstr(out, "-");
		return;
	}
	strbuf_addf(out, "line %zu", d->first_line + 1);
	if (phase_name(d->phase))
		strbuf_addf(out, " (`%s`)", phase_name(d->phase));
	if (d->hits.count > 1)
		strbuf_addf(out, " x%zu", d->hits.count);
}

/* Append code (a quoted block) in a fence longer than any backtick run in it. */
static void fenced(struct strbuf *out, const struct strbuf *code)
{
	size_t i, fence = md_fence_length(code->buf, code->len);

	for (i = 0; i < fence; i++)
		strbuf_addch(out, '`');
	strbuf_addstr(out, "text\n");
	strbuf_add(out, code->buf, code->len);
	for (i = 0; i < fence; i++)
		strbuf_addch(out, '`');
	strbuf_addstr(out, "\n\n");
}

static void quote(struct strbuf *code, const struct log *log, size_t i, bool mark,
		  size_t max)
{
	strbuf_addf(code, "%s%6zu | ", mark ? ">" : " ", i + 1);
	display_line(log_line_text(log, i), log->lines[i].length, max, code);
	strbuf_addch(code, '\n');
}

static void evidence(const struct report *r, struct strbuf *out,
		     const struct diagnosis *d, size_t rank, const struct budget *b)
{
	const struct log *log = &r->source->log;
	struct strbuf code = STRBUF_INIT;
	size_t i, k, first, last;

	if (!d->hits.lines_nr)
		return;
	if (rank == 1 && b->context) {
		report_context(r, d, &first, &last);
		for (i = first; i <= last; i++) {
			bool mark = false;

			for (k = 0; k < d->hits.lines_nr; k++)
				mark |= d->hits.lines[k] == i;
			quote(&code, log, i, mark, b->line_max);
		}
	} else {
		for (i = 0; i < d->hits.lines_nr && i < b->lines; i++)
			quote(&code, log, d->hits.lines[i], true, b->line_max);
	}
	strbuf_addf(out, "**%zu. ", rank);
	md_cstr(out, d->title, b->text_max);
	strbuf_addstr(out, "**\n\n");
	fenced(out, &code);
	strbuf_release(&code);
}

/* "Build ID in REGION, created TIME" from the build record, or nothing. */
static bool build_name(const struct report *r, struct strbuf *out, size_t max)
{
	const char *id = report_build_id(r);
	const char *region = report_build(r)->region;
	const char *created = report_build(r)->created_at;

	if (!r->source->build || !id)
		return false;
	strbuf_addstr(out, "Build ");
	md_cstr(out, id, max);
	if (region) {
		strbuf_addstr(out, " in ");
		md_cstr(out, region, max);
	}
	if (created) {
		strbuf_addstr(out, ", created ");
		md_cstr(out, created, max);
	}
	return true;
}

/* "What changed since ..." as a collapsed block: evidence, not a finding. */
static void changes(const struct report *r, struct strbuf *out, const struct budget *b)
{
	const struct changes *c = r->changes;
	struct strbuf code = STRBUF_INIT;
	size_t i;

	strbuf_addstr(out, "<details>\n<summary>");
	if (c->baseline_id) {
		strbuf_addstr(out, "Changed since build ");
		md_cstr(out, c->baseline_id, b->text_max);
		if (c->baseline_created) {
			strbuf_addstr(out, " (");
			md_cstr(out, c->baseline_created, b->text_max);
			strbuf_addch(out, ')');
		}
	} else if (c->baseline_path) {
		strbuf_addstr(out, "Changed since ");
		md_cstr(out, c->baseline_path, b->text_max);
	} else {
		strbuf_addstr(out, "Changes");
	}
	strbuf_addstr(out, "</summary>\n\n");
	if (c->note) {
		md_cstr(out, c->note, b->text_max);
		strbuf_addstr(out, "\n\n");
	}
	if (c->same_context_id) {
		strbuf_addstr(out, "The same source (context hash) built fine in build ");
		md_cstr(out, c->same_context_id, b->text_max);
		if (c->same_context_created) {
			strbuf_addstr(out, " (");
			md_cstr(out, c->same_context_created, b->text_max);
			strbuf_addch(out, ')');
		}
		strbuf_addstr(out, ": the failure is likely transient (network, registry, rate limit).\n\n");
	}
	if (c->packages_nr)
		strbuf_addstr(out, "| Package | Tool | Before | After |\n| --- | --- | --- | --- |\n");
	for (i = 0; i < c->packages_nr; i++) {
		const struct package_change *p = &c->packages[i];

		strbuf_addstr(out, "| ");
		md_cell(out, p->name, b->text_max);
		strbuf_addf(out, " | %s | ", p->manager);
		md_cell(out, p->before ? p->before : "-", b->text_max);
		strbuf_addstr(out, " | ");
		md_cell(out, p->after ? p->after : "-", b->text_max);
		strbuf_addstr(out, " |\n");
	}
	if (c->packages_nr)
		strbuf_addch(out, '\n');
	for (i = 0; i < c->images_nr; i++) {
		const struct image_change *im = &c->images[i];

		strbuf_addstr(out, "- Base image ");
		md_cstr(out, im->ref, b->text_max);
		if (!strcmp(im->change, "digest")) {
			strbuf_addstr(out, ": ");
			md_cstr(out, im->before_digest, b->text_max);
			strbuf_addstr(out, " \u2192 ");
			md_cstr(out, im->after_digest, b->text_max);
		} else {
			strbuf_addstr(out, !strcmp(im->change, "added") ? " (new)" : " (no longer used)");
		}
		strbuf_addch(out, '\n');
	}
	for (i = 0; i < c->steps_added_nr + c->steps_removed_nr; i++) {
		bool added = i < c->steps_added_nr;
		const char *t = added ? c->steps_added[i] : c->steps_removed[i - c->steps_added_nr];

		strbuf_addstr(out, added ? "- Step added: " : "- Step removed: ");
		md_cstr(out, t, b->text_max);
		strbuf_addch(out, '\n');
	}
	if (c->images_nr || c->steps_added_nr || c->steps_removed_nr)
		strbuf_addch(out, '\n');
	for (i = 0; i < c->new_lines_nr; i++)
		quote(&code, &r->source->log, c->new_lines[i], false, b->line_max);
	if (c->new_lines_total) {
		strbuf_addf(out, "Error and warning lines only this log has (%zu):\n\n",
			    c->new_lines_total);
		fenced(out, &code);
	}
	strbuf_release(&code);
	strbuf_addstr(out, "</details>\n\n");
}

static void render(const struct report *r, struct strbuf *out, const struct budget *b,
		   bool trimmed)
{
	const struct source *src = r->source;
	const char *message = report_build(r)->error_message;
	size_t i, n = report_count(r), rows;
	const struct diagnosis *top = n ? &r->diagnoses->items[0] : NULL;

	strbuf_addstr(out, REPORT_MARKER "\n");
	if (r->diagnoses->outcome == OUTCOME_RUNNING) {
		strbuf_addstr(out, "### :hourglass: No failure found\n\n");
		if (build_name(r, out, b->text_max))
			strbuf_addstr(out, ", is still running.\n");
		else
			strbuf_addstr(out, "The build is still running.\n");
		goto footer;
	}
	if (!top) {
		strbuf_addstr(out, "### :white_check_mark: No failure found\n\n");
		if (build_name(r, out, b->text_max))
			strbuf_addstr(out, ", succeeded.\n");
		else
			strbuf_addstr(out, "The build succeeded.\n");
		goto footer;
	}
	strbuf_addstr(out, "### :x: Build failed");
	if (phase_name(src->log.phases.failed))
		strbuf_addf(out, " in phase `%s`", phase_name(src->log.phases.failed));
	strbuf_addstr(out, ": ");
	if (top->category == CATEGORY_UNKNOWN)
		strbuf_addstr(out, "cause not recognised");
	else
		md_cstr(out, top->title, b->text_max);
	strbuf_addstr(out, "\n\n");
	if (build_name(r, out, b->text_max))
		strbuf_addstr(out, ".\n\n");
	if (report_failed_step(r)) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "The build ");
		report_step_sentence(report_failed_step(r), &sb);
		strbuf_addch(&sb, '.');
		md_text(out, sb.buf, sb.len, b->text_max, false);
		strbuf_addstr(out, "\n\n");
		strbuf_release(&sb);
	}
	strbuf_addstr(out, "**");
	md_cstr(out, top->summary, b->text_max);
	strbuf_addf(out, "** (`%s`)\n\n**Fix:** ", category_name(top->category));
	md_cstr(out, top->hint, b->text_max);
	if (top->docs) {
		/* rule docs are http(s) URLs, checked at load */
		strbuf_addstr(out, " ([docs](<");
		md_link_destination(out, top->docs);
		strbuf_addstr(out, ">))");
	}
	strbuf_addstr(out, "\n\n");
	if (message) {
		strbuf_addstr(out, "Pipecat Cloud said: ");
		md_cstr(out, message, b->text_max);
		strbuf_addstr(out, "\n\n");
	}
	rows = n < b->rows ? n : b->rows;
	strbuf_addstr(out, "| # | Category | Finding | Where |\n| --: | --- | --- | --- |\n");
	for (i = 0; i < rows; i++) {
		const struct diagnosis *d = &r->diagnoses->items[i];

		strbuf_addf(out, "| %zu | `%s` | ", i + 1, category_name(d->category));
		md_cell(out, d->title, b->text_max);
		if (d->fallback)
			strbuf_addstr(out, " (generic)");
		if (d->inferred)
			strbuf_addstr(out, " (inferred)");
		if (d->explained_by) {
			strbuf_addstr(out, " (follows from `");
			md_cell(out, d->explained_by, b->text_max);
			strbuf_addstr(out, "`)");
		}
		strbuf_addstr(out, ": ");
		md_cell(out, d->summary, b->text_max);
		strbuf_addstr(out, " | ");
		where(r, out, d, b->text_max);
		strbuf_addstr(out, " |\n");
	}
	if (rows < r->diagnoses->nr)
		strbuf_addf(out, "\n_%zu more findings not shown._\n", r->diagnoses->nr - rows);
	strbuf_addch(out, '\n');
	if (b->evidence && b->lines) {
		strbuf_addstr(out, "<details>\n<summary>Evidence from the build log</summary>\n\n");
		for (i = 0; i < rows && i < b->evidence; i++)
			evidence(r, out, &r->diagnoses->items[i], i + 1, b);
		strbuf_addstr(out, "</details>\n\n");
	}
	if (r->changes && b->evidence)
		changes(r, out, b);
	if (trimmed)
		strbuf_addstr(out, "_Evidence was trimmed to fit GitHub's comment size limit; "
			      "run `buildsleuth` locally for the full report._\n\n");
footer:
	strbuf_addf(out, "<sub>buildsleuth %s &middot; %zu log lines</sub>\n",
		    BUILDSLEUTH_VERSION, src->log.nr);
}

bool report_markdown_capped(const struct report *r, size_t max, struct strbuf *out)
{
	size_t base = out->len, i;

	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		strbuf_setlen(out, base);
		render(r, out, &budgets[i], i > 0);
		if (out->len - base <= max)
			return true;
	}
	return false;
}

void report_markdown(const struct report *r, struct strbuf *out)
{
	report_markdown_capped(r, MARKDOWN_MAX_BYTES, out);
}

void report_markdown_resolved(const struct report *r, const char *replaced, struct strbuf *out)
{
	strbuf_addstr(out, REPORT_MARKER "\n### :white_check_mark: Build failure resolved\n\n");
	if (build_name(r, out, budgets[0].text_max))
		strbuf_addstr(out, ", succeeded.\n\n");
	else
		strbuf_addstr(out, "A later build succeeded.\n\n");
	/* replaced is a headline this tool wrote (comment_failure_headline
	 * checked it): already Markdown, escaped when it was written */
	if (replaced)
		strbuf_addf(out, "It replaces this failure:\n\n> %s\n\n", replaced);
	else
		strbuf_addstr(out, "The failure it replaces could not be read back from the "
			      "earlier comment.\n\n");
	strbuf_addf(out, "<sub>buildsleuth %s</sub>\n", BUILDSLEUTH_VERSION);
}
