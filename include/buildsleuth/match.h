/* match.h - the matcher: runs every rule over a log's normalised text and
 * gathers, per rule, its occurrences (count, first lines, captures).
 * Ownership: a match_result owns its hits and the capture strings in them;
 * rule pointers are borrowed from the ruleset, which must outlive it. */
#ifndef BUILDSLEUTH_MATCH_H
#define BUILDSLEUTH_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cause.h"
#include "log.h"
#include "rules.h"

#define MATCH_EVIDENCE_MAX 10 /* occurrences kept as evidence per rule */
#define MATCH_VALUES_MAX 10   /* distinct values kept per capture name */

/* PCRE2 limits per match attempt: a pathological pattern gives up with a
 * warning instead of hanging the run. A linear pattern with a leading
 * unanchored class spends about one step per byte of a line, so the match
 * limit must exceed the longest line we expect to match whole (lines of
 * many megabytes occur when a tool prints a progress bar without newlines). */
#define MATCH_LIMIT 20000000
#define MATCH_DEPTH_LIMIT 5000
#define MATCH_HEAP_LIMIT_KIB (64 * 1024)

struct capture {
	const char *name;           /* borrowed from the rule */
	char *first;                /* value at the first occurrence, or NULL */
	struct string_list values;  /* distinct values, in order of appearance */
};

struct rule_hits {
	const struct rule *rule;
	size_t count;
	size_t lines[MATCH_EVIDENCE_MAX]; /* first occurrences, 0-based */
	size_t lines_nr;
	bool in_failed_phase;       /* some occurrence lies in the failed phase */
	struct capture *captures;   /* one per rule->names */
	size_t captures_nr;
};

struct match_result {
	struct rule_hits *hits;     /* only rules that matched, in ruleset order */
	size_t nr, alloc;
};

/*
 * Run every rule of rs over log. A rule that exceeds the PCRE2 limits is
 * abandoned for this log with a warning added to warnings ("rule 'x': ...");
 * the others still run. Always succeeds. Rules are JIT-compiled (rs->jit)
 * the first time a log gives them work; that is safe from several threads.
 */
void match_log(const struct ruleset *rs, const struct log *log,
	       struct match_result *out, struct causes *warnings);

/*
 * match_log without the literal prefilter and its line skipping: every rule
 * runs over the whole buffer. The same result, only slower; for tests and
 * benchmarks.
 */
void match_log_scan_all(const struct ruleset *rs, const struct log *log,
			struct match_result *out, struct causes *warnings);

/* Free the captures of one rule's hits. */
void rule_hits_release(struct rule_hits *h);
void match_result_release(struct match_result *res);

/*
 * Whether the rule matches the single line text (normalised first, as log
 * lines are). Text after a '\n' is the following lines, which only a
 * lookahead may read: the match must start on the first line. Sets *err to
 * a PCRE2 error (< -1) when matching failed.
 * Used by `rules test` and `rules check`.
 */
bool rule_matches_line(const struct rule *r, const char *text, int *err);

#endif
