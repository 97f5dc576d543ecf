/* rank.h - ranking: turns a matcher's per-rule hits into the ordered list of
 * diagnoses of DESIGN.md "Ranking", with the `unknown` diagnosis (the lines
 * most likely to hold the error) when no rule explains the failure.
 * Ownership: struct diagnoses owns its items and their strings; rule
 * pointers are borrowed from the ruleset. */
#ifndef BUILDSLEUTH_RANK_H
#define BUILDSLEUTH_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "category.h"
#include "log.h"
#include "match.h"

#define UNKNOWN_EVIDENCE_MAX 5

struct diagnosis {
	const struct rule *rule;  /* NULL for the unknown diagnosis */
	const char *id;           /* rule id, or "unknown" */
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
};

struct diagnoses {
	struct diagnosis *items;
	size_t nr;
};

/*
 * Rank the hits of match (which is emptied: its hits move into out) for log.
 * With build_failed false, a log whose CodeBuild phases all succeeded and
 * that no rule matched gets no diagnosis at all; otherwise a failure no rule
 * explains gets the unknown diagnosis first.
 */
void rank_diagnoses(const struct log *log, struct match_result *match,
		    bool build_failed, struct diagnoses *out);
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
