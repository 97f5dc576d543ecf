/* comment.h - the one pull-request comment buildsleuth keeps up to date:
 * which existing comment is its own, whether it already says the same, and
 * a new body that keeps the analysis it replaces in a collapsed block.
 * Ownership: comments are borrowed; bodies are appended to the caller's
 * strbuf. */
#ifndef BUILDSLEUTH_COMMENT_H
#define BUILDSLEUTH_COMMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "github.h"
#include "strbuf.h"

/* The line that starts the superseded analysis inside a comment body. */
#define COMMENT_SUPERSEDED_MARKER "<!-- buildsleuth:superseded -->"

/*
 * The index of our comment in comments: the first whose body starts with
 * REPORT_MARKER and whose author is login (ignoring case: GitHub logins
 * are), or -1. Another author's comment with the marker is never ours (bots
 * copy markers). *mine (may be NULL) gets how many such comments are ours.
 */
long comment_find(const struct github_comments *comments, const char *login, size_t *mine);

/*
 * Whether body already holds report: its part before a superseded analysis
 * equals report, CRLF read as LF and trailing white space ignored.
 */
bool comment_same_report(const char *body, const char *report);

/*
 * Bytes that comment_add_superseded adds for old_body (so a caller can leave
 * room for them).
 */
size_t comment_superseded_size(const char *old_body, const char *when);

/*
 * Append to out the analysis of old_body (its report part, without the
 * marker line and without an older superseded analysis: one level is kept)
 * in a collapsed <details> block headed COMMENT_SUPERSEDED_MARKER; when
 * (ISO 8601, may be NULL or "") dates it. Appends nothing when old_body has
 * no analysis.
 */
void comment_add_superseded(struct strbuf *out, const char *old_body, const char *when);

/* Append the note that the previous analysis did not fit the size limit. */
void comment_add_superseded_note(struct strbuf *out);

/* How a failure report's headline starts (report_markdown). */
#define COMMENT_FAILURE_HEADLINE ":x: Build failed"
/* Longest old headline a resolved note quotes. */
#define COMMENT_HEADLINE_MAX 1000

/* Whether body is a failure report: its line after the marker line is
 * "### " COMMENT_FAILURE_HEADLINE "...". */
bool comment_is_failure(const char *body);

/*
 * The headline of failure report body (without "### "), the caller's to
 * free; NULL when body is not one, the headline is longer than
 * COMMENT_HEADLINE_MAX, or holds what this tool never writes raw there
 * (control characters, '<', '>', '@', '|', "](": an edited comment).
 */
char *comment_failure_headline(const char *body);

#endif
