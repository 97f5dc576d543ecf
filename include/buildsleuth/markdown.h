/* markdown.h - the one Markdown escaper: how untrusted text (log lines, API
 * fields, rule titles of --rules folders) goes into the pull-request comment
 * (report_markdown.c) and the audit's Markdown (report_audit.c) so that it
 * stays text: no HTML, links, autolinks, emphasis, table cells, @mentions or
 * #123 references. Each function first shows the text as reports show it
 * (display_line(): escapes stripped, control and invisible characters made
 * visible, cut after max bytes), then escapes it in one of three forms. */
#ifndef BUILDSLEUTH_MARKDOWN_H
#define BUILDSLEUTH_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Inline text of a paragraph or (in_table) a table cell: `code` spans stay
 * code spans, paired as CommonMark pairs them; everything else escaped. */
void md_text(struct strbuf *out, const char *s, size_t len, size_t max, bool in_table);

/* The whole of s as one code span, its fence one backtick longer than any
 * run inside (nothing is written for empty text). */
void md_code_span(struct strbuf *out, const char *s, size_t max, bool in_table);

/* Prose that is not ours: every ASCII character but letters, digits, space,
 * ',' and '-' as a numeric entity. */
void md_entities(struct strbuf *out, const char *s, size_t max);

/* A URL as a link destination written inside <...>: the bytes that could
 * close the link or the line, open a code span or read as a mention ('<',
 * '>', '`', '@', space, control characters, non-ASCII) percent-encoded. */
void md_link_destination(struct strbuf *out, const char *url);

/* Backticks for a fenced code block around text[0..len): at least three,
 * and more than any run inside. */
size_t md_fence_length(const char *text, size_t len);

#endif
