/* normalize.h - turns one raw log line into the text rules match against.
 * Ownership: callers pass their own strbuf; nothing is retained. */
#ifndef BUILDSLEUTH_NORMALIZE_H
#define BUILDSLEUTH_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Longest normalised line kept for matching; bytes past it are not matched
 * (the original line is still kept whole and quoted truncated). */
#define NORMALIZE_MAX_LINE (16 * 1024 * 1024)

struct normalized_line {
	bool codebuild; /* the CodeBuild "[Container] <time> " prefix was set aside */
	bool buildkit;  /* the BuildKit "#<step> <seconds> " prefix was set aside */
	unsigned step;  /* that <step>, when buildkit */
};

/*
 * Append the normalised form of raw[0..len) to out: ANSI/terminal escape
 * sequences, other control characters and the invisible bidirectional and
 * zero-width characters (utf8_invisible_len) removed, carriage-return overwrites
 * collapsed to what a terminal would show, invalid UTF-8 replaced by U+FFFD,
 * then the CodeBuild "[Container] YYYY/MM/DD HH:MM:SS[.ffffff] " prefix (or
 * another CI system's: an ISO 8601 time stamp, Cloud Build's "Step #N -
 * \"name\": ", a Tekton "[task : step] ") and the BuildKit "#<step> <seconds> "
 * prefix set aside. The result holds no
 * '\n'. Fills *info (may be NULL).
 */
void normalize_line(const char *raw, size_t len, struct strbuf *out,
		    struct normalized_line *info);

/*
 * Append a display form of raw[0..len) for terminals and Markdown: escapes
 * stripped, '\r' overwrites collapsed, invalid UTF-8, remaining control
 * characters and the invisible bidirectional and zero-width characters
 * shown as U+FFFD (tabs kept), prefixes kept, cut after max bytes
 * with a note saying how much was left out (max 0: no cut).
 */
void display_line(const char *raw, size_t len, size_t max, struct strbuf *out);

#endif
