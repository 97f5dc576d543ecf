/* audit_suggest.h - `audit --suggest-rules DIR`: one draft rule file per
 * group of unknown and inferred builds (audit_templates.h), for a person to
 * review and keep under --rules. Each draft loads as written and passes
 * `rules check` and `rules test`: its pattern comes from the group's
 * template with a named group where each mask was, its examples.match are
 * the group's real lines (each checked to match before it is written), its
 * examples.nomatch a line it was checked not to match, and what a person
 * must still write (title, summary, hint) is marked with plain TODO text.
 * Ownership: nothing is retained; the caller owns err. */
#ifndef BUILDSLEUTH_AUDIT_SUGGEST_H
#define BUILDSLEUTH_AUDIT_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "audit.h"
#include "strbuf.h"

/* A draft's priority: below the specific rules that name a cause well
 * (80..95), above the fallbacks. */
#define AUDIT_SUGGEST_PRIORITY 50

/*
 * Append the rule file (JSON, with a final newline) of group g of a's
 * templates (audit_finish done); false, with nothing appended, when the
 * group has no pattern (its template holds no literal word) or none of its
 * lines matched it.
 */
bool audit_suggest_rule(const struct audit *a, size_t g, struct strbuf *out);

/*
 * Write every group's draft to DIR/<id>.json (DIR created when missing; a
 * file of the same id replaced, atomically). *written: how many. False,
 * with "cannot write ..." in err, at the first that cannot be written.
 */
bool audit_suggest_write(const struct audit *a, const char *dir, size_t *written,
			 struct strbuf *err);

#endif
