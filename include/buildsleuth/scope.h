/* scope.h - where a failure is (DESIGN.md "Ranking"): the failing step,
 * else the failed CodeBuild phase, else the whole log. Ranking keeps a
 * finding in scope first; the error-line search, the inferred finding and
 * the subjects look there. */
#ifndef BUILDSLEUTH_SCOPE_H
#define BUILDSLEUTH_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"

struct scope {
	size_t step;            /* index + 1 of the failing step, or 0 */
	enum build_phase phase; /* the failed phase, or PHASE_NONE */
	size_t first, last;     /* its line range */
};

/* The scope of log's failure; failed_step is the failing step's index + 1,
 * or 0 when no step failed. */
void scope_init(const struct log *log, size_t failed_step, struct scope *sc);

/* Whether line belongs to the scope: the failing step's lines (and
 * CodeBuild's verdict on the phase the step ran in), else the failed
 * phase's, else any. */
bool scope_has_line(const struct log *log, const struct scope *sc, size_t line);

/* Up to max of the failing step's latest non-empty output lines into out,
 * newest first (none without a failing step). Returns how many. */
size_t scope_step_output(const struct log *log, const struct scope *sc, size_t *out, size_t max);

#endif
