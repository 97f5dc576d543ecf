/* rank.h - ranking: turns a matcher's per-rule hits into the ordered list of
 * diagnoses of DESIGN.md "Ranking": causes before what they explain, the
 * failing step's findings first, an inferred diagnosis (from the failing
 * step's instruction, tool, exit code and wording) when no rule names the
 * failure there, and `unknown` only when nothing is known.
 * Ownership: struct diagnoses owns its items and their strings; rule
 * pointers are borrowed from the ruleset. */
#ifndef BUILDSLEUTH_RANK_H
#define BUILDSLEUTH_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "category.h"
#include "log.h"
#include "error_lines.h"
#include "match.h"

struct diagnosis {
	const struct rule *rule;  /* NULL for inferred, unknown and timeout diagnoses */
	const char *id;           /* rule id, "inferred.<category>" or "unknown" */
	const char *title;
	enum category category;
	int priority;
	bool fallback;
	char *summary;            /* placeholders filled from the first occurrence */
	char *hint;
	const char *docs;         /* NULL when none */
	struct rule_hits hits;    /* count, evidence lines, captures */
	size_t first_line;        /* 0-based */
	enum build_phase phase;   /* of the first occurrence */
	size_t step;              /* its Dockerfile step (index + 1 in log.steps), or 0 */
	bool inferred;            /* named from the failing step, not by a rule */
	bool in_failed_step;      /* some occurrence lies in the failing step */
	char *subject;            /* what the user must fix, or NULL */
	const char *explained_by; /* the id of the cause this finding follows from, or NULL */
};

struct diagnoses {
	struct diagnosis *items;
	size_t nr;
	enum outcome outcome;
	size_t failed_step;       /* index + 1 in log.steps, 0 when none */
};

struct inference;

/*
 * Rank the hits of match (which is emptied: its hits move into out) for log,
 * whose outcome is given (a build record's status, else log_outcome()). A
 * build that did not fail gets no diagnosis at all. A failed one always
 * gets at least one: specific findings, else one inferred with inf's
 * tables, else `unknown` quoting the likeliest error lines.
 */
void rank_diagnoses(const struct log *log, struct match_result *match,
		    enum outcome outcome, const struct inference *inf,
		    struct diagnoses *out);
void diagnoses_release(struct diagnoses *d);

#define RANK_TIMEOUT_ID "build.timeout"
/* The synthetic timeout diagnosis ranks like a non-fallback rule of this
 * priority: a rule naming a specific error (above it) stays on top. */
#define RANK_TIMEOUT_PRIORITY 70

/*
 * For a build that hit its time limit (status timeout): add the `timeout`
 * diagnosis, ranked as a non-fallback rule of RANK_TIMEOUT_PRIORITY, with
 * the last line of the log (where the build was when it was stopped) as
 * evidence and message (the build's errorMessage, may be NULL) in its
 * summary. It takes the place of the unknown diagnosis. Does nothing when a
 * diagnosis of category timeout is already there (a rule, or an earlier
 * call).
 */
void rank_add_timeout(const struct log *log, const char *message, struct diagnoses *d);

/* Whether some diagnosis has a category other than unknown. */
bool diagnoses_known_cause(const struct diagnoses *d);

/* Fill {name} placeholders of text from h's captures ("?" when unset). */
char *fill_placeholders(const char *text, const struct rule_hits *h);

#endif
