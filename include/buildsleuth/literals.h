/* literals.h - the literal text a match must contain: for each pattern (and
 * rule), strings one of which every match holds, read from the PCRE2 syntax
 * the rules use. The prefilter (prefilter.h) looks for them in the log.
 * Ownership: a literal_set owns its strings. */
#ifndef BUILDSLEUTH_LITERALS_H
#define BUILDSLEUTH_LITERALS_H

#include <stdbool.h>
#include <stddef.h>

#include "rules.h"

/* The shortest literal worth reporting: the prefilter hashes this many
 * bytes at a time, so a shorter one cannot be looked for. */
#define LITERAL_MIN_LEN 4

struct literal {
	char *text;     /* never holds '\n' */
	size_t len;
	bool caseless;  /* matched ignoring ASCII case (never holds k, s or non-ASCII) */
};

struct literal_set {
	struct literal *items;
	size_t nr, alloc;
};

void literal_set_release(struct literal_set *set);
void literal_set_add(struct literal_set *set, const char *text, size_t len, bool caseless);

/*
 * Add to out the literals one of which every match of pattern (compiled
 * with RULE_PCRE2_FLAGS) contains within the text it consumes. Returns false,
 * leaving out as it was, when the pattern uses anything the extractor does
 * not understand or has no such literal: the caller must then assume it can
 * match anywhere. Conservative by design: a wrong "true" would lose matches.
 */
bool pattern_required_literals(const char *pattern, struct literal_set *out);

/*
 * Fill out (empty on entry) with the literals one of which every match of
 * rule r contains: those of each of its patterns, as the matcher's
 * prefilter reads them. False, leaving out empty, when a pattern has none:
 * the matcher then runs the rule over the whole log.
 */
bool prefilter_rule_literals(const struct rule *r, struct literal_set *out);

#endif
