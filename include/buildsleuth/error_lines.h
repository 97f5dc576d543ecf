/* error_lines.h - the likeliest error lines of a failure no rule names,
 * quoted by the inferred and unknown findings. */
#ifndef BUILDSLEUTH_ERROR_LINES_H
#define BUILDSLEUTH_ERROR_LINES_H

#include <stddef.h>

#include "log.h"
#include "scope.h"

/* The most lines an inferred or unknown finding quotes. */
#define UNKNOWN_EVIDENCE_MAX 5

/*
 * Up to UNKNOWN_EVIDENCE_MAX of the likeliest error lines of sc into out,
 * oldest first, repeats dropped: the failing step's last output; else the
 * latest lines that read as errors (and are not known noise), or that
 * BuildKit prints as its failure message below its error summary (below the
 * summary's Dockerfile excerpt, or its closing "------"), in the failing
 * step, the failed phase; else any error-looking line of the failed phase;
 * else its last text; else (or, without a failed phase, before those two)
 * such lines in the whole log. Never agent, framing or success lines.
 * Returns how many. Thread-safe: the patterns are compiled once per process.
 */
size_t error_lines_likeliest(const struct log *log, const struct scope *sc, size_t *out);

/*
 * The line of lines[0..nr) (oldest first, nr > 0) a summary quotes: the
 * newest with text that is not known noise (pip's "[notice]" lines, the
 * builder's exit line), else the newest with text.
 */
size_t error_lines_quote(const struct log *log, const size_t *lines, size_t nr);

/* The text of line i (*len bytes) without a bare leading "<seconds> ":
 * BuildKit repeats a failed step's last lines in its error summary that
 * way. */
const char *line_without_time(const struct log *log, size_t i, size_t *len);

#endif
