/* inferred.h - the failing step's own finding when no rule names the
 * failure there. */
#ifndef BUILDSLEUTH_INFERRED_H
#define BUILDSLEUTH_INFERRED_H

#include "category.h"
#include "log.h"
#include "rank.h"
#include "scope.h"

struct inference;

/*
 * Append to out (which has room for one more item) the finding of the
 * failure in sc: inferred.<category> from inf's tables (the wording class
 * of the failing step's last output, else its instruction, exit code, or
 * the last known tool its command runs), else `unknown`; its summary
 * describes the step and quotes the line that told the class (or the
 * latest error line), its evidence the likeliest error lines.
 */
void inferred_add(const struct log *log, const struct inference *inf,
		  const struct scope *sc, struct diagnoses *out);

/* "inferred.network" for category c, "unknown" for CATEGORY_UNKNOWN
 * (static strings). */
const char *inferred_id(enum category c);

#endif
