/* cluster.h - log lines grouped by template (the audit's unknown and inferred
 * failures): each line is masked (numbers, hex hashes and digests, UUIDs,
 * versions, dates and times, paths, URLs and quoted strings become typed
 * tokens such as <NUM> <HEX> <UUID> <VER> <TIME> <PATH> <URL> <STR>), then placed by a Drain-style
 * fixed-depth parse tree (He et al., "Drain: An Online Log Parsing Approach
 * with Fixed Depth Tree", ICWS 2017): the first level is the token count,
 * the next CLUSTER_PREFIX_TOKENS levels the first tokens, and a leaf holds
 * groups a line joins when its tokens agree with the group's template on at
 * least CLUSTER_SIMILARITY of the positions; a position where they differ
 * becomes the wildcard <*>. Deterministic: the same lines in the same order
 * give the same groups. Each group can be written back as a PCRE2 pattern
 * (with a named group where each mask was) that matches every line it took.
 * Ownership: struct cluster owns its groups, their tokens and the compiled
 * masks; strings passed in are copied. */
#ifndef BUILDSLEUTH_CLUSTER_H
#define BUILDSLEUTH_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* A line joins the most similar group of its leaf when at least this share
 * of its positions hold the group's token (a wildcard position does not
 * count): Drain's similarity threshold. Lines that differ only in masked
 * values have similarity 1; at 0.5 two 4-token lines that share their first
 * two tokens (which the tree already required) join, two 6-token lines that
 * share only those do not. */
#define CLUSTER_SIMILARITY 0.5
/* Tree levels below the token count: the first tokens (a token holding a
 * mask goes to the <*> child, as Drain sends tokens with digits). */
#define CLUSTER_PREFIX_TOKENS 2
/* Children of an inner node before new tokens share its <*> child (Drain's
 * maxChild): bounds the work per line. */
#define CLUSTER_MAX_CHILDREN 100

/* The masks, in the order the masker tries them at each position. */
enum cluster_mask {
	CLUSTER_STR,   /* '...', "..." or `...` (after no word character) */
	CLUSTER_URL,   /* scheme://... */
	CLUSTER_UUID,
	CLUSTER_TIME,  /* 2026-02-01, 2026-02-01T20:01:12.5Z */
	CLUSTER_PATH,  /* /a/b, ./a, ../a, ~/a */
	CLUSTER_HEX,   /* 7+ hex digits holding a digit and a letter, sha256:..., 0x... */
	CLUSTER_VER,   /* 1.2.3, 1.2.3rc1, v1.2 */
	CLUSTER_NUM,   /* 42, 3.14 */
	CLUSTER_MASKS_NR
};

/* How a mask is shown ("<VER>"), the name of its group in a pattern
 * ("version") and its PCRE2 expression (the masker's own). */
struct cluster_mask_kind {
	const char *token;
	const char *name;
	const char *regex;
};

extern const struct cluster_mask_kind cluster_masks[CLUSTER_MASKS_NR];

struct cluster_group {
	char **tokens;       /* the template, masks and <*> in internal form */
	size_t tokens_nr;
	size_t count;        /* lines it took */
	size_t first;        /* the index (order of cluster_add) of its first line */
	bool spaced;         /* each line it took had single spaces between tokens */
};

struct cluster_node;

struct cluster {
	struct cluster_group *groups; /* in the order they were created */
	size_t nr, alloc;
	size_t lines;        /* lines added */
	struct cluster_node *root;
	void *masker;        /* pcre2_code of the masks */
	void *match_data;
};

/* An empty clustering; cluster_release frees it. */
void cluster_init(struct cluster *c);
void cluster_release(struct cluster *c);

/*
 * Append the template of line[0..len) to out as shown (tokens joined by
 * one space): each mask replaced by its token, and a leading bare time in
 * seconds ("0.501 ", which BuildKit puts before a failed step's lines in
 * its summary) dropped.
 */
void cluster_mask(struct cluster *c, const char *line, size_t len, struct strbuf *out);

/* Add a line: the index of the group that took it (new or not), or
 * SIZE_MAX when it has no token. */
size_t cluster_add(struct cluster *c, const char *line, size_t len);

/* Append group g's template as shown ("asset-gate: <NUM> of <*> drifted"). */
void cluster_template(const struct cluster_group *g, struct strbuf *out);

/* Whether the template holds a literal word (3 letters in a row outside the
 * masks): without one, a pattern of it would match too much to be a rule. */
bool cluster_has_word(const struct cluster_group *g);

/*
 * Append a PCRE2 pattern (for RULE_PCRE2_FLAGS) matching every line g took:
 * literal text escaped, each mask as a named group of its expression
 * ("(?<version>...)", a second one "version2"), <*> as ".+?", tokens
 * separated by one space when every line had one, else "\s+". The names
 * are appended to names (owned by the caller, may be NULL).
 */
struct string_list;
void cluster_pattern(const struct cluster_group *g, struct strbuf *out,
		     struct string_list *names);

/* Append g's template as a rule's summary can hold it: each mask as the
 * {name} placeholder of its group in cluster_pattern, <*> as "...", and a
 * literal '{' or '}' as '(' or ')' so it cannot read as a placeholder. */
void cluster_placeholders(const struct cluster_group *g, struct strbuf *out);

#endif
