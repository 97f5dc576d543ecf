/* report.h - the reporters: a ranked diagnosis as terminal text, Markdown for
 * a pull-request comment, JSON (schema buildsleuth.report/v1) or GitHub
 * Actions workflow commands.
 * Ownership: a report borrows everything it points to; each writer appends to
 * the caller's strbuf. */
#ifndef BUILDSLEUTH_REPORT_H
#define BUILDSLEUTH_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "changes.h"
#include "rank.h"
#include "source.h"
#include "strbuf.h"

#define REPORT_SCHEMA "buildsleuth.report/v1"
#define REPORT_MARKER "<!-- buildsleuth:report -->"
/* GitHub rejects comment bodies over 65,536 characters. */
#define MARKDOWN_MAX_BYTES 65536
/* Longest quoted log line; the rest is replaced by a note. */
#define REPORT_LINE_MAX 2000
/* GitHub Actions: annotations shown per step and per kind, and a workflow
 * command's longest message (characters; counted here in bytes). */
#define GITHUB_ERRORS_MAX 10
#define GITHUB_MESSAGE_MAX 4096
/* GitHub Actions ignores a job summary file larger than this. */
#define GITHUB_SUMMARY_MAX ((size_t)1 << 20)
/* Text: the narrowest width wrapped to (a quoted line keeps some room). */
#define REPORT_WIDTH_MIN 40
#define CONTEXT_BEFORE 5
#define CONTEXT_AFTER 2

enum report_format {
	FORMAT_TEXT,
	FORMAT_MARKDOWN,
	FORMAT_JSON,
	FORMAT_GITHUB,
};

struct report {
	const struct source *source;
	const struct diagnoses *diagnoses;
	size_t top;    /* show at most this many diagnoses; 0 = all */
	bool color;    /* text: ANSI colour */
	size_t width;  /* text: columns to wrap prose and cut quoted lines to; 0 = no limit */
	bool compact;  /* json: one line (JSON Lines) */
	/* github: the build context's folder in the repository, prefixed to
	 * annotation files (location_normalize_dir's form; NULL or "": root) */
	const char *source_dir;
	/* what changed since a build that worked (--baseline, --changes), or NULL */
	const struct changes *changes;
};

/* Whether name is "text", "markdown", "json" or "github"; *out set when it is. */
bool report_format_from_name(const char *name, enum report_format *out);

void report_write(const struct report *r, enum report_format f, struct strbuf *out);
void report_text(const struct report *r, struct strbuf *out);
void report_markdown(const struct report *r, struct strbuf *out);
/*
 * The Markdown report in at most max bytes, trimming evidence (and saying
 * so) until it fits; report_markdown is this with MARKDOWN_MAX_BYTES. False
 * when even the shortest form is longer (it is appended all the same).
 */
bool report_markdown_capped(const struct report *r, size_t max, struct strbuf *out);
/*
 * The short note that replaces a failure comment once a build succeeded:
 * REPORT_MARKER (so a later failure edits it back), a "Build failure
 * resolved" headline, the build of r's record that fixed it (ID, region,
 * creation time) and replaced, the failure's headline (Markdown this tool
 * wrote, put in as it is; NULL when it could not be read back).
 */
void report_markdown_resolved(const struct report *r, const char *replaced,
			      struct strbuf *out);
void report_json(const struct report *r, struct strbuf *out);
void report_github(const struct report *r, struct strbuf *out);

/* How many diagnoses to show. */
size_t report_count(const struct report *r);
/* The context window around diagnosis d: [*first, *last], 0-based. */
void report_context(const struct report *r, const struct diagnosis *d,
		    size_t *first, size_t *last);
/* The step whose error ended the build, or NULL (a build that did not
 * fail, or a log without builder framing). */
const struct build_step *report_failed_step(const struct report *r);

/*
 * Append "failed at step 5/9: `RUN pip install -r requirements.txt` (exit
 * code 1)" for st: plain text holding one Markdown code span whose backtick
 * run is longer than any inside the command, so text reporters show it as
 * is and the Markdown reporter keeps it a code span.
 */
void report_step_sentence(const struct build_step *st, struct strbuf *out);

/* The build record, or one with every field NULL when there is none. */
const struct build *report_build(const struct report *r);

/* The build's ID: the one the source was fetched as, else the record's;
 * NULL when neither says. */
const char *report_build_id(const struct report *r);

/*
 * Where in the repository d's fix goes: its rule's location resolved
 * against the captures, the file put under r->source_dir, appended to
 * path; *line the line (0 when not known). False when d has none.
 */
bool report_location(const struct report *r, const struct diagnosis *d,
		     struct strbuf *path, unsigned long *line);

#endif
