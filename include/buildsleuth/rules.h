/* rules.h - the rule set: loading and validating rule files (built in and
 * from --rules folders), compiling their PCRE2 patterns.
 * Ownership: a ruleset owns its rules and everything in them; rule pointers
 * handed out are borrowed for the ruleset's lifetime. Load errors go to the
 * caller's struct causes. */
#ifndef BUILDSLEUTH_RULES_H
#define BUILDSLEUTH_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "category.h"
#include "cause.h"

struct string_list {
	char **items;
	size_t nr, alloc;
};

/* Where in the user's project the fix goes: templates with {name}
 * placeholders (named groups of the rule's patterns; {dockerfile} is the
 * build's Dockerfile path). Resolved per finding by location.h. */
struct rule_location {
	char *file;            /* never NULL */
	char *line;            /* NULL when the rule names no line */
};

struct rule {
	char *id;
	char *title;
	enum category category;
	int priority;          /* 0..100 */
	char **patterns;       /* sources, as written */
	size_t patterns_nr;
	char *summary;         /* with {name} placeholders */
	char *hint;
	char *docs;            /* NULL when absent */
	char *subject;         /* the capture naming what to fix; NULL: the first named group */
	bool fallback;
	bool override;
	struct string_list match_examples;
	struct string_list nomatch_examples;
	struct string_list explains;  /* ids of the rules this one causes, as written */
	/* explains.nr rules, explains_rules[i] having the id explains.items[i]:
	 * set by ruleset_link(), NULL before it (and when explains is empty) */
	const struct rule **explains_rules;
	struct rule_location *location; /* NULL when the rule has none */
	char *origin;          /* the file it came from */
	bool builtin;          /* compiled into the binary */
	size_t index;          /* position in the ruleset */

	pcre2_code *code;      /* all patterns as one alternation */
	char **names;          /* named groups of code, unique, in table order */
	size_t names_nr;
};

struct inference;
struct prefilter;

struct ruleset {
	struct rule **rules;
	size_t nr, alloc;
	struct inference *inference; /* the inference tables of every file loaded */
	/* the matcher's literals and scan plan (prefilter.h), made by
	 * ruleset_link() once the rules are final; NULL before */
	struct prefilter *literals;
	bool jit;              /* JIT-compile patterns (default true) */
	uint64_t digest;       /* FNV-1a over every rule file loaded: ruleset_digest() */
	size_t precompiled;    /* rules whose code came compiled from the build */
};

enum rules_result {
	RULES_OK = 0,
	RULES_INVALID, /* causes were added */
};

void ruleset_init(struct ruleset *rs);
void ruleset_release(struct ruleset *rs);

/* Load the rule files compiled into the binary from rules/, with the
 * patterns compiled at build time (ruleset_load_builtin_codes). */
enum rules_result ruleset_load_builtin(struct ruleset *rs, struct causes *causes);

/*
 * ruleset_load_builtin, taking each rule's combined pattern from codes[0..len)
 * (pcre2_serialize_encode'd by src/gen/serialize.c, one code for each of
 * builtin_code_sources, builtin.h) instead of compiling it at each start:
 * when the PCRE2 library refuses them (another version or build of it) or
 * len is 0, and for a rule whose combined pattern is not the one its code
 * was compiled from, the pattern is compiled as before. rs->precompiled
 * counts the rules that took a code.
 */
enum rules_result ruleset_load_builtin_codes(struct ruleset *rs, const unsigned char *codes,
					     size_t len, struct causes *causes);

/* A rule's patterns as the one expression the matcher runs: each wrapped
 * in (?:...), joined with '|'. Appended to out. */
struct strbuf;
void rule_combined_pattern(const struct rule *r, struct strbuf *out);

/* A rule file is an object with "rules": [...] and/or "inference": {...}
 * (inference.h); both merge across files and folders. */

/* Load every *.json below dir (recursively, in path order). */
enum rules_result ruleset_load_dir(struct ruleset *rs, const char *dir,
				   struct causes *causes);

/* Load one rule file held in memory; origin names it in messages. */
enum rules_result ruleset_load_buffer(struct ruleset *rs, const char *origin,
				      const char *data, size_t len, bool builtin,
				      struct causes *causes);

/*
 * Finish loading: call once after the last ruleset_load_*() (the builtin set
 * and every --rules folder). Resolves each rule's `explains` ids into
 * explains_rules and adds a cause, like a load error, for an id that names
 * no rule of the final set and for each cycle of explanations (a -> b -> a).
 * Also reads the literals of every rule for the matcher's prefilter
 * (rs->literals), once for every log matched with the set.
 * Loading more rules afterwards (an override frees the rule it replaces)
 * leaves stale pointers: call it again.
 */
enum rules_result ruleset_link(struct ruleset *rs, struct causes *causes);

/* The rule set's digest, 16 lowercase hex digits and a NUL in out: FNV-1a
 * over the bytes of every rule file loaded (built in and --rules), each
 * followed by its length, in load order. The same files give the same
 * digest; any change to one (or one more) gives another. The audit's
 * database keeps it per build (--reanalyze). */
#define RULESET_DIGEST_LEN 16
void ruleset_digest(const struct ruleset *rs, char out[RULESET_DIGEST_LEN + 1]);

/* The rule with this id, or NULL. */
const struct rule *ruleset_find(const struct ruleset *rs, const char *id);

/* Pattern k of r compiled alone (`rules check`), or NULL with PCRE2's
 * error code and offset in *err and *off. The caller frees it. */
pcre2_code *rule_pattern_compile(const struct rule *r, size_t k, int *err, PCRE2_SIZE *off);

/* Whether to JIT-compile patterns: yes unless main() was told otherwise
 * by BUILDSLEUTH_NO_JIT (valgrind cannot follow JIT code and reports false
 * errors in it); set once, before any rule is loaded. */
void pcre2_jit_set(bool on);
bool pcre2_jit_wanted(void);

/* JIT-compile code unless it is already (or JIT is not wanted): done when
 * a log first needs a pattern, not at load; safe from several threads. */
void pcre2_jit_ensure(pcre2_code *code);

/* PCRE2 flags every pattern is compiled with. */
#define RULE_PCRE2_FLAGS (PCRE2_UTF | PCRE2_MULTILINE)

/* Append the text of PCRE2 error code err. */
struct strbuf;
void pcre2_error_text(int err, struct strbuf *out);

void string_list_append(struct string_list *l, const char *s);
void string_list_release(struct string_list *l);

#endif
