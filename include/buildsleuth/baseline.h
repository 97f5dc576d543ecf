/* baseline.h - what a failed build is compared with over the Pipecat Cloud
 * API (`--changes`, `--baseline BUILD_ID`; DESIGN.md "What changed since it
 * last worked"): the newest build that succeeded with the same Dockerfile
 * path and region, created before the failed one (or the build named), with
 * its whole log; and a build that succeeded with the same contextHash, the
 * same source (then the failure is likely transient).
 * Ownership: the caller's source and struct changes are filled (the changes
 * own their strings); failed and the config are borrowed. */
#ifndef BUILDSLEUTH_BASELINE_H
#define BUILDSLEUTH_BASELINE_H

#include <stdbool.h>

#include "api.h"
#include "build.h"
#include "cause.h"
#include "changes.h"
#include "source.h"
#include "strbuf.h"

/*
 * Look up what failed (its record; NULL when the log came without one) is
 * compared with, over the API cfg names:
 * - find true: the baseline build, id when not NULL (--baseline BUILD_ID),
 *   else the newest `success` build of GET /builds?status=success&region=R
 *   (paged) with failed's dockerfilePath, created before it (ties on
 *   createdAt to the greater id); its every log page into *baseline (an API
 *   source holding its record), and c's baseline_id and baseline_created.
 *   None matches: c->note says so ("No earlier successful build of
 *   Dockerfile X in region R to compare with") and *baseline is untouched.
 * - always, when failed has a contextHash: the newest `success` build with
 *   it (GET /builds?status=success&contextHash=H, paged) into c's
 *   same_context_id and same_context_created.
 * A failed request stops the lookup: false, err holding one line (then the
 * caller warns; the diagnosis stands); what was found before it is kept.
 * Paging and key warnings go to warnings. Makes no request when there is
 * nothing to look up.
 */
bool baseline_lookup(const struct api_config *cfg, const struct build *failed, bool find,
		     const char *id, struct source *baseline, struct changes *c,
		     struct causes *warnings, struct strbuf *err);

#endif
