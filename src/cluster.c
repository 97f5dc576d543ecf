/* cluster.c - lines grouped by template: masked with PCRE2, placed by a
 * Drain-style fixed-depth tree, written back as patterns. The masks are
 * PCRE2 expressions, not a hand scanner, so that a draft rule can carry
 * the very expression that masked a value: a pattern made from a template
 * then matches each line that template took, by construction. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/cluster.h"
#include "buildsleuth/rules.h" /* pcre2.h, RULE_PCRE2_FLAGS, string_list */
#include "buildsleuth/util.h"

/* Inside the tree and the templates a mask is MARK followed by '0' + its
 * enum value, and the wildcard MARK '*': normalised log text holds no
 * control character, so a literal "<NUM>" in a log stays literal. */
#define MARK '\x01'
#define WILDCARD "\x01*"

/*
 * The expressions hold no capturing group (the masker tells them apart by
 * group number) and no nested unbounded repeat a `rules check` lint would
 * refuse. Lookarounds keep a mask from starting or ending inside a word:
 * "python3.11", "arm64" and "can't" stay as they are.
 */
const struct cluster_mask_kind cluster_masks[CLUSTER_MASKS_NR] = {
	[CLUSTER_STR] = { "<STR>", "quoted",
			  "(?<!\\w)(?:'[^'\\n]*'(?!\\w)|\"[^\"\\n]*\"|`[^`\\n]*`)" },
	[CLUSTER_URL] = { "<URL>", "url",
			  "\\b[A-Za-z][A-Za-z0-9+.-]*://[^\\s'\"<>]*[^\\s'\"<>.,;:)\\]]" },
	[CLUSTER_UUID] = { "<UUID>", "uuid",
			   "\\b[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\\b" },
	[CLUSTER_TIME] = { "<TIME>", "time",
			   "\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?"
			   "(?:Z|[+-]\\d{2}:?\\d{2})?)?(?!\\w)" },
	[CLUSTER_PATH] = { "<PATH>", "path",
			   "(?<![\\w.~/-])(?:~|\\.{1,2})?(?:/[\\w.@%+=~-]+)+/?" },
	[CLUSTER_HEX] = { "<HEX>", "hex",
			  "\\b(?:sha(?:1|256|384|512):|0x)?(?=[0-9A-Fa-f]*[A-Fa-f])(?=[0-9A-Fa-f]*[0-9])"
			  "[0-9A-Fa-f]{7,}\\b" },
	[CLUSTER_VER] = { "<VER>", "version",
			  "(?<![\\w.])(?:v?\\d+(?:\\.\\d+){2,}(?:(?:a|b|rc|dev|post)\\d*)?|v\\d+\\.\\d+)"
			  "(?!\\.?\\w)" },
	[CLUSTER_NUM] = { "<NUM>", "number", "(?<![\\w.])\\d+(?:\\.\\d+)?(?!\\.?\\w)" },
};

struct cluster_node {
	char *token;
	struct cluster_node **children;
	size_t nr, alloc;
	size_t *groups;      /* a leaf's groups, oldest first */
	size_t groups_nr, groups_alloc;
};

static struct cluster_node *node_new(const char *token)
{
	struct cluster_node *n = xcalloc(1, sizeof(*n));

	n->token = xstrdup(token);
	return n;
}

static void node_free(struct cluster_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nr; i++)
		node_free(n->children[i]);
	free(n->children);
	free(n->groups);
	free(n->token);
	free(n);
}

/* The child of n for token; a new one while n has room (limit 0: no
 * limit), else the shared wildcard child. */
static struct cluster_node *node_child(struct cluster_node *n, const char *token, size_t limit)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		if (!strcmp(n->children[i]->token, token))
			return n->children[i];
	if (limit && n->nr >= limit) {
		for (i = 0; i < n->nr; i++)
			if (!strcmp(n->children[i]->token, WILDCARD))
				return n->children[i];
		token = WILDCARD; /* one more than the limit, once */
	}
	ALLOC_GROW(n->children, n->nr + 1, n->alloc);
	n->children[n->nr] = node_new(token);
	return n->children[n->nr++];
}

void cluster_init(struct cluster *c)
{
	struct strbuf src = STRBUF_INIT;
	pcre2_code *code;
	PCRE2_SIZE off;
	size_t k;
	int err;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < CLUSTER_MASKS_NR; k++)
		strbuf_addf(&src, "%s(%s)", k ? "|" : "", cluster_masks[k].regex);
	code = pcre2_compile((PCRE2_SPTR)src.buf, src.len, RULE_PCRE2_FLAGS, &err, &off, NULL);
	if (!code)
		BUG("the cluster masks do not compile at offset %zu", (size_t)off);
	if (pcre2_jit_wanted())
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	c->masker = code;
	c->match_data = pcre2_match_data_create_from_pattern(code, NULL);
	c->root = node_new("");
	strbuf_release(&src);
}

void cluster_release(struct cluster *c)
{
	size_t i, k;

	for (i = 0; i < c->nr; i++) {
		for (k = 0; k < c->groups[i].tokens_nr; k++)
			free(c->groups[i].tokens[k]);
		free(c->groups[i].tokens);
	}
	free(c->groups);
	node_free(c->root);
	pcre2_match_data_free(c->match_data);
	pcre2_code_free(c->masker);
	memset(c, 0, sizeof(*c));
}

/* The length of a leading bare time in seconds and the space after it. */
static size_t leading_time(const char *s, size_t len)
{
	size_t k = 0, j;

	while (k < len && s[k] >= '0' && s[k] <= '9')
		k++;
	if (!k || k >= len || s[k] != '.')
		return 0;
	for (j = k + 1; j < len && s[j] >= '0' && s[j] <= '9'; j++)
		;
	return j > k + 1 && j < len && s[j] == ' ' ? j + 1 : 0;
}

/* Literal text: a MARK byte in it (never in a normalised line) is shown as
 * '?', so only the masker writes one. */
static void add_literal(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addch(out, s[i] == MARK ? '?' : s[i]);
}

/* The internal template of line[0..len): literal text and MARK tokens. */
static void mask_internal(struct cluster *c, const char *line, size_t len, struct strbuf *out)
{
	pcre2_match_data *md = c->match_data;
	size_t pos = 0, k;

	while (pos < len && (line[pos] == ' ' || line[pos] == '\t'))
		pos++;
	pos += leading_time(line + pos, len - pos);
	while (pos < len) {
		PCRE2_SIZE *ov;
		int rc = pcre2_match(c->masker, (PCRE2_SPTR)line, len, pos, 0, md, NULL);
		size_t start, end;

		if (rc <= 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		start = ov[0];
		end = ov[1];
		for (k = 0; k < CLUSTER_MASKS_NR && ov[2 * k + 2] == PCRE2_UNSET; k++)
			;
		add_literal(out, line + pos, start - pos);
		if (end == start || k == CLUSTER_MASKS_NR) { /* never: each mask takes a byte */
			pos = start + 1;
			continue;
		}
		strbuf_addch(out, MARK);
		strbuf_addch(out, (char)('0' + k));
		pos = end;
	}
	if (pos < len)
		add_literal(out, line + pos, len - pos);
}

static void add_token_shown(struct strbuf *out, const char *t)
{
	for (; *t; t++) {
		if (*t == MARK && t[1] == '*') {
			strbuf_addstr(out, "<*>");
			t++;
		} else if (*t == MARK && t[1] >= '0' && t[1] < '0' + CLUSTER_MASKS_NR) {
			strbuf_addstr(out, cluster_masks[t[1] - '0'].token);
			t++;
		} else {
			strbuf_addch(out, *t);
		}
	}
}

/* Split the internal template into tokens (owned copies); *spaced: every
 * separator was one space. */
static size_t split(const char *s, size_t len, char ***tokens, bool *spaced)
{
	size_t nr = 0, alloc = 0, i = 0;

	*tokens = NULL;
	*spaced = true;
	while (i < len) {
		size_t start, gap = i;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (nr && !(i - gap == 1 && s[gap] == ' '))
			*spaced = false;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		ALLOC_GROW(*tokens, nr + 1, alloc);
		(*tokens)[nr++] = xstrndup(s + start, i - start);
	}
	return nr;
}

void cluster_mask(struct cluster *c, const char *line, size_t len, struct strbuf *out)
{
	struct strbuf in = STRBUF_INIT;
	char **tokens;
	size_t nr, i;
	bool spaced;

	mask_internal(c, line, len, &in);
	nr = split(in.buf, in.len, &tokens, &spaced);
	for (i = 0; i < nr; i++) {
		if (i)
			strbuf_addch(out, ' ');
		add_token_shown(out, tokens[i]);
		free(tokens[i]);
	}
	free(tokens);
	strbuf_release(&in);
}

/* The key of a token in the tree: a token holding a mask is <*>. */
static const char *tree_key(const char *token)
{
	return strchr(token, MARK) ? WILDCARD : token;
}

static size_t new_group(struct cluster *c, struct cluster_node *leaf, char **tokens,
			size_t nr, bool spaced)
{
	struct cluster_group *g;

	ALLOC_GROW(c->groups, c->nr + 1, c->alloc);
	g = &c->groups[c->nr];
	g->tokens = tokens;
	g->tokens_nr = nr;
	g->count = 1;
	g->first = c->lines;
	g->spaced = spaced;
	ALLOC_GROW(leaf->groups, leaf->groups_nr + 1, leaf->groups_alloc);
	leaf->groups[leaf->groups_nr++] = c->nr;
	return c->nr++;
}

size_t cluster_add(struct cluster *c, const char *line, size_t len)
{
	struct strbuf in = STRBUF_INIT;
	struct cluster_node *n;
	char **tokens, count[24];
	size_t nr, i, k, best = SIZE_MAX, best_sim = 0, best_param = 0, at;
	bool spaced;

	mask_internal(c, line, len, &in);
	nr = split(in.buf, in.len, &tokens, &spaced);
	strbuf_release(&in);
	if (!nr) {
		free(tokens);
		return SIZE_MAX;
	}
	snprintf(count, sizeof(count), "%zu", nr);
	n = node_child(c->root, count, 0);
	for (i = 0; i < nr && i < CLUSTER_PREFIX_TOKENS; i++)
		n = node_child(n, tree_key(tokens[i]), CLUSTER_MAX_CHILDREN);
	/* the most similar group of the leaf: most equal tokens, then most
	 * wildcards (Drain), then the oldest */
	for (k = 0; k < n->groups_nr; k++) {
		const struct cluster_group *g = &c->groups[n->groups[k]];
		size_t sim = 0, param = 0;

		for (i = 0; i < nr; i++) {
			if (!strcmp(g->tokens[i], WILDCARD))
				param++;
			else if (!strcmp(g->tokens[i], tokens[i]))
				sim++;
		}
		if (best == SIZE_MAX || sim > best_sim || (sim == best_sim && param > best_param)) {
			best = n->groups[k];
			best_sim = sim;
			best_param = param;
		}
	}
	if (best == SIZE_MAX || (double)best_sim < CLUSTER_SIMILARITY * (double)nr) {
		at = new_group(c, n, tokens, nr, spaced);
	} else {
		struct cluster_group *g = &c->groups[best];

		for (i = 0; i < nr; i++) {
			if (strcmp(g->tokens[i], WILDCARD) && strcmp(g->tokens[i], tokens[i])) {
				free(g->tokens[i]);
				g->tokens[i] = xstrdup(WILDCARD);
			}
			free(tokens[i]);
		}
		free(tokens);
		g->count++;
		g->spaced &= spaced;
		at = best;
	}
	c->lines++;
	return at;
}

void cluster_template(const struct cluster_group *g, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < g->tokens_nr; i++) {
		if (i)
			strbuf_addch(out, ' ');
		add_token_shown(out, g->tokens[i]);
	}
}

bool cluster_has_word(const struct cluster_group *g)
{
	size_t i;
	const char *t;

	for (i = 0; i < g->tokens_nr; i++) {
		size_t run = 0;

		for (t = g->tokens[i]; *t; t++) {
			if (*t == MARK && t[1]) {
				t++;
				run = 0;
			} else if ((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z')) {
				if (++run == 3)
					return true;
			} else {
				run = 0;
			}
		}
	}
	return false;
}

/* The template written out: as a pattern (placeholders false) or as a
 * summary's text with {name} placeholders; the names numbered alike. */
static void write_out(const struct cluster_group *g, bool placeholders, struct strbuf *out,
		      struct string_list *names)
{
	size_t used[CLUSTER_MASKS_NR] = { 0 }, i;
	const char *t;

	for (i = 0; i < g->tokens_nr; i++) {
		if (i)
			strbuf_addstr(out, g->spaced || placeholders ? " " : "\\s+");
		for (t = g->tokens[i]; *t; t++) {
			if (*t == MARK && t[1] == '*') {
				strbuf_addstr(out, placeholders ? "..." : ".+?");
				t++;
			} else if (*t == MARK && t[1] >= '0' && t[1] < '0' + CLUSTER_MASKS_NR) {
				size_t k = (size_t)(t[1] - '0');
				char *name = ++used[k] > 1 ?
					xstrfmt("%s%zu", cluster_masks[k].name, used[k]) :
					xstrdup(cluster_masks[k].name);

				if (placeholders)
					strbuf_addf(out, "{%s}", name);
				else
					strbuf_addf(out, "(?<%s>%s)", name, cluster_masks[k].regex);
				if (names)
					string_list_append(names, name);
				free(name);
				t++;
			} else if (placeholders) {
				strbuf_addch(out, *t == '{' ? '(' : *t == '}' ? ')' : *t);
			} else {
				if (strchr("\\^$.|?*+()[]{}#", *t))
					strbuf_addch(out, '\\');
				strbuf_addch(out, *t);
			}
		}
	}
}

void cluster_pattern(const struct cluster_group *g, struct strbuf *out,
		     struct string_list *names)
{
	write_out(g, false, out, names);
}

void cluster_placeholders(const struct cluster_group *g, struct strbuf *out)
{
	write_out(g, true, out, NULL);
}
