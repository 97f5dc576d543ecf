/* prefilter.h - the matcher's literal prefilter: for each rule, strings one of
 * which every match must contain, all looked for in one pass over the log so
 * that a rule only runs on the lines holding one of them (and not at all when
 * none occurs). The literals are read from the patterns by literals.h.
 * Ownership: a prefilter owns its literals and candidate lists and borrows
 * nothing from the ruleset (which owns the one made when its rules were
 * linked, copied for each scan). */
#ifndef BUILDSLEUTH_PREFILTER_H
#define BUILDSLEUTH_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "literals.h"
#include "rules.h"

/* What the scan found for one rule. */
struct prefilter_rule {
	bool filtered;       /* false: the rule must scan the whole buffer */
	size_t *starts;      /* filtered: sorted offsets of literal occurrences */
	size_t starts_nr, starts_alloc;
};

struct prefilter {
	struct prefilter_rule *rules; /* one per rule of the ruleset */
	size_t nr;
	struct pf_literal *lits;      /* distinct literals of all filtered rules */
	size_t lits_nr, lits_alloc;
	struct pf_plan *plan;         /* how the scan looks for them in a typical log */
};

/* The literals of every rule of rs and the plan of the scan, read from the
 * patterns: what ruleset_link() keeps in rs->literals. */
struct prefilter *prefilter_new(const struct ruleset *rs);
void prefilter_free(struct prefilter *pf);

/* The literals of every rule of rs, ready to scan: a copy of rs->literals
 * (set up when the rules were linked; safe from several threads), or read
 * from the patterns when rs was never linked. */
void prefilter_init(struct prefilter *pf, const struct ruleset *rs);

/*
 * Find every occurrence of every literal in buf[0..len) in one pass and fill
 * each filtered rule's starts. A rule whose literals occur too often to be
 * worth it is turned back into an unfiltered one.
 */
void prefilter_scan(struct prefilter *pf, const char *buf, size_t len);

/*
 * prefilter_scan keeping every occurrence, however common: no rule is turned
 * back into an unfiltered one. For counting the lines a rule's literals
 * send it to (`rules check --corpus`); memory grows with the occurrences.
 */
void prefilter_scan_uncapped(struct prefilter *pf, const char *text, size_t len);

/*
 * A prefilter whose "rules" are the literal sets given, one each (their
 * literals are taken, the sets left empty): for a search of its own, set
 * up once (error_lines.c's likeliest error lines). An empty set is
 * unfiltered. Up to 32 literals in all are looked for with Teddy (SIMD
 * byte shuffles, on a processor with SSSE3) rather than the hashed scan a
 * rule pack's hundreds of literals get; the starts found are the same.
 */
void prefilter_init_literals(struct prefilter *pf, struct literal_set *sets, size_t nr);

/* Where the processor has AVX2, whether Teddy takes 32 positions at a time
 * with it (the default) or 16 with SSSE3: for tests, which check both. */
void prefilter_use_avx2(bool on);

/* dst: src's literals, flags and plan without its starts, ready to scan
 * (src stays as it was: a set-up prefilter is copied for each scan). */
void prefilter_copy(struct prefilter *dst, const struct prefilter *src);

void prefilter_release(struct prefilter *pf);

#endif
