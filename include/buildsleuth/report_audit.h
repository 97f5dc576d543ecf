/* report_audit.h - the audit's report formats: terminal text, Markdown (a job
 * summary or an issue), JSON (schema buildsleuth.audit/v1, byte-stable, the
 * one --from-reports must reproduce) and CSV (RFC 4180).
 * Ownership: writers borrow a finished struct audit and append to the
 * caller's strbuf. */
#ifndef BUILDSLEUTH_REPORT_AUDIT_H
#define BUILDSLEUTH_REPORT_AUDIT_H

#include <stdbool.h>

#include "audit.h"
#include "strbuf.h"

#define AUDIT_MARKER "<!-- buildsleuth:audit -->"
/* Markdown is cut (fewer rows and list entries, with a note) to stay under
 * GitHub's 65,536-character limit for comments and issue bodies. */
#define AUDIT_MARKDOWN_MAX 65536

enum audit_format {
	AUDIT_FORMAT_TEXT,
	AUDIT_FORMAT_MARKDOWN,
	AUDIT_FORMAT_JSON,
	AUDIT_FORMAT_CSV,
};

/* Whether name is "text", "markdown", "json" or "csv"; *out set when it is. */
bool audit_format_from_name(const char *name, enum audit_format *out);

/* Append the report of a (audit_finish must have been called) in format f. */
void audit_report_write(const struct audit *a, enum audit_format f, struct strbuf *out);
void audit_report_text(const struct audit *a, struct strbuf *out);
void audit_report_markdown(const struct audit *a, struct strbuf *out);
void audit_report_json(const struct audit *a, struct strbuf *out);
void audit_report_csv(const struct audit *a, struct strbuf *out);

/* The unknown and inferred builds by template (report_audit_templates.c),
 * for each format's writer: nothing (JSON: an empty "groups") without any. */
struct jw;
void audit_templates_text(const struct audit *a, struct strbuf *out);
/* At most rows groups, templates cut after text_max bytes. */
void audit_templates_markdown(const struct audit *a, struct strbuf *out, size_t rows,
			      size_t text_max);
void audit_templates_json(const struct audit *a, struct jw *w);
void audit_templates_csv(const struct audit *a, struct strbuf *out);

/*
 * Append s as one CSV field (RFC 4180): quoted when it holds a comma, a
 * quote, CR or LF (quotes doubled) or starts or ends with a space. Text that
 * starts with = + - @ or a tab is prefixed with ' so a spreadsheet shows it
 * instead of running it as a formula (OWASP "CSV injection"). Control
 * characters other than tab, CR and LF, and the invisible bidirectional and
 * zero-width characters (utf8_invisible_len), are written as U+FFFD, as the
 * other formats show them.
 */
void audit_csv_field(struct strbuf *out, const char *s);

/* Whether a build that could not be fetched needs its ID shown before its
 * error, of which max bytes are shown: not when they name it already
 * ("cannot get build ID: ..."), which the text and Markdown lists would
 * otherwise show twice. */
bool audit_failure_needs_id(const struct audit_failure *f, size_t max);

/* The trend's count of category c in period p, and whether the previous
 * period is in the trend (the first period's is not: *previous is then 0). */
size_t audit_trend_count(const struct audit_trend *t, size_t p, size_t c, bool *has_previous,
			 size_t *previous);
/* Append a trend cell as text and Markdown show it: "3 (+2)", "1 (-1)",
 * "0 (±0)"; the count alone in the first period. */
void audit_trend_cell(const struct audit_trend *t, size_t p, size_t c, struct strbuf *out);

#endif
