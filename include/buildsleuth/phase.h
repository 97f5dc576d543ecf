/* phase.h - the CodeBuild phases and the tracker that finds which one failed.
 * Ownership: plain values only; nothing to free. */
#ifndef BUILDSLEUTH_PHASE_H
#define BUILDSLEUTH_PHASE_H

#include <stdbool.h>
#include <stddef.h>

enum build_phase {
	PHASE_NONE = 0,
	PHASE_SUBMITTED,
	PHASE_QUEUED,
	PHASE_PROVISIONING,
	PHASE_DOWNLOAD_SOURCE,
	PHASE_INSTALL,
	PHASE_PRE_BUILD,
	PHASE_BUILD,
	PHASE_POST_BUILD,
	PHASE_UPLOAD_ARTIFACTS,
	PHASE_FINALIZING,
	PHASE_COMPLETED,
	PHASE__COUNT
};

/* "BUILD", ...; NULL for PHASE_NONE. */
const char *phase_name(enum build_phase phase);
/* The phase named by s[0..len), or PHASE_NONE. */
enum build_phase phase_from_name(const char *s, size_t len);

struct phase_tracker {
	enum build_phase current;
	size_t current_first_line;
	enum build_phase failed;  /* first phase that completed not SUCCEEDED */
	size_t failed_first_line; /* 0-based, valid when failed != PHASE_NONE */
	size_t failed_last_line;  /* last line seen while in the failed phase */
	bool framed;              /* any CodeBuild phase line was seen */
	bool build_succeeded;     /* "Phase complete: BUILD State: SUCCEEDED" was seen */
};

void phase_tracker_init(struct phase_tracker *t);

/*
 * Feed line number line_no (0-based) whose text after the CodeBuild prefix is
 * s[0..len). Recognises "Entering phase X", "Entering phase: X", "Phase is X",
 * "Phase complete: X State: S" and "Phase complete: X Success: true|false".
 * Returns the phase this line belongs to.
 */
enum build_phase phase_tracker_feed(struct phase_tracker *t, const char *s,
				    size_t len, size_t line_no);

/* Whether s[0..len) is one of the CodeBuild agent's own lines (its phase
 * lines, "Running command", "Waiting for", "Phase context status code"),
 * also when a copy of the log lost the "[Container] <time>" prefix. */
bool phase_agent_line(const char *s, size_t len);

#endif
