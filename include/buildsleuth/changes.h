/* changes.h - what changed between a failed build's log and the log of one
 * that worked (`--baseline`, `--changes`): the package versions the tools
 * resolved, the base images and their digests, the Dockerfile steps, and
 * the error and warning lines only the failed log has. Evidence beside the
 * diagnosis; it ranks nothing.
 * Ownership: struct changes owns every string in it; changes_release frees
 * them. Computing is linear in the two logs (plus sorting the packages). */
#ifndef BUILDSLEUTH_CHANGES_H
#define BUILDSLEUTH_CHANGES_H

#include <stddef.h>

#include "log.h"

/* At most this many new lines are kept (the earliest). */
#define CHANGES_NEW_LINES_MAX 20

struct package_change {
	char *name;          /* as the tool prints it (pip names normalised) */
	const char *manager; /* "pip", "uv", "poetry", "apt" */
	char *before, *after; /* versions; NULL: not in that log */
};

struct image_change {
	char *ref;                          /* "python:3.12-slim" as written */
	char *before_digest, *after_digest; /* "sha256:..."; NULL: not seen */
	const char *change;                 /* "added", "removed" or "digest" */
};


struct changes {
	/* who the baseline is: a build (id, createdAt) or a file, for the
	 * reports; a build with the same source that succeeded (the failure
	 * is then likely transient); a note when there is no baseline */
	char *baseline_id, *baseline_created, *baseline_path;
	char *same_context_id, *same_context_created;
	char *note;
	struct package_change *packages;
	size_t packages_nr;
	struct image_change *images;
	size_t images_nr;
	char **steps_added, **steps_removed;
	size_t steps_added_nr, steps_removed_nr;
	size_t *new_lines; /* 0-based lines of the failed log, in order */
	size_t new_lines_nr, new_lines_total;
};

void changes_init(struct changes *c);
void changes_release(struct changes *c);

/*
 * Compare the failed log with the baseline's. A package or step the
 * failed build never reached (it stopped first) is not counted as
 * removed: only a tool that finished installing in the failed log can have
 * dropped a package, and only steps before the failing one can be gone.
 */
void changes_compute(const struct log *failed, const struct log *baseline,
		     struct changes *out);

/* Whether c found anything to report (a note alone is not). */
bool changes_any(const struct changes *c);

#endif
