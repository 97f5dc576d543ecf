/* prefilter.c - the matcher's literal prefilter: reads each rule's patterns
 * for the literal text every match must contain, then finds all of those
 * literals in one pass over the log (a hashed 4-byte window, checked against
 * a small bitmap), so that most rules never run on most lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/prefilter.h"
#include "buildsleuth/regex_syntax.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

/* Bytes hashed per position; shorter literals cannot be looked for. */
#define WINDOW 4
#define HASH_BITS 16
#define NO_LITERAL SIZE_MAX
/* Deepest group nesting the extractor follows (user rules are untrusted). */
#define MAX_DEPTH 64

void literal_set_release(struct literal_set *set)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		free(set->items[i].text);
	free(set->items);
	set->items = NULL;
	set->nr = set->alloc = 0;
}

/* The room allocated for a literal's text of len bytes and its NUL: runs
 * grow a character at a time. */
static size_t literal_room(size_t len)
{
	size_t room = 16;

	while (room < len + 1)
		room *= 2;
	return room;
}

void literal_set_add(struct literal_set *set, const char *text, size_t len, bool caseless)
{
	struct literal *l;

	ALLOC_GROW(set->items, set->nr + 1, set->alloc);
	l = &set->items[set->nr++];
	l->text = xmalloc(literal_room(len));
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	l->len = len;
	l->caseless = caseless;
}

/* --- extraction ------------------------------------------------------------
 * A small reader of the PCRE2 syntax the rules use. For every branch of an
 * alternation it keeps the best requirement seen in its sequence of items:
 * a run of consecutive literal characters, or a group all of whose branches
 * have one. A group whose branches are plain text ("(?:COPY|ADD)") extends
 * the run it stands in, which then holds one string per branch. Anything it
 * is unsure of (\Q, \K, backreferences, recursion, conditionals, verbs,
 * (?x), "{" that is not a plain quantifier...) makes it give up, which only
 * costs speed: the rule then scans the whole log. */

/* Most strings a run may hold before it is cut. */
#define MAX_RUN_STRINGS 16

/* The reader assumes what RULE_PCRE2_FLAGS gives: case-sensitive until
 * (?i), whitespace significant, patterns not literal strings. */
_Static_assert(!(RULE_PCRE2_FLAGS & (PCRE2_CASELESS | PCRE2_EXTENDED |
				      PCRE2_EXTENDED_MORE | PCRE2_LITERAL)),
	       "the literal extractor does not know these pattern options");

struct requirement {
	bool known;               /* set holds literals one of which must occur */
	struct literal_set set;
};

struct extractor {
	const unsigned char *p, *end;
	bool fail;
	int depth;
};

struct branch {
	struct literal_set run;   /* consecutive literal text, one string per way */
	bool run_caseless;
	bool exact;               /* the branch so far is the run and nothing else */
	struct requirement best;
};

static void requirement_release(struct requirement *r)
{
	literal_set_release(&r->set);
	r->known = false;
}

/* How selective a requirement is: the length of its shortest literal, 0 when
 * unknown or too short for the scan. */
static size_t score(const struct requirement *r)
{
	size_t i, min = SIZE_MAX;

	if (!r->known || !r->set.nr)
		return 0;
	for (i = 0; i < r->set.nr; i++)
		if (r->set.items[i].len < min)
			min = r->set.items[i].len;
	return min < WINDOW ? 0 : min;
}

/* Keep the better of best and *cand (consumed). */
static void consider(struct requirement *best, struct requirement *cand)
{
	size_t a = score(cand), b = score(best);

	if (a > b || (a == b && a && cand->set.nr < best->set.nr) ||
	    (!best->known && cand->known)) {
		struct requirement tmp = *best;

		*best = *cand;
		*cand = tmp;
	}
	requirement_release(cand);
}

/* The run is over: keep it if it is the best requirement so far. */
static void end_run(struct branch *b)
{
	struct requirement r = { true, { NULL, 0, 0 } };

	b->exact = false;
	if (!b->run.nr)
		return;
	r.set = b->run;
	memset(&b->run, 0, sizeof(b->run));
	consider(&b->best, &r);
}

static void literal_append(struct literal *l, const char *text, size_t len)
{
	if (literal_room(l->len + len) > literal_room(l->len))
		l->text = xrealloc(l->text, literal_room(l->len + len));
	memcpy(l->text + l->len, text, len);
	l->len += len;
	l->text[l->len] = '\0';
}

/* Continue the run with any one of the strings of ways (caseless as given). */
static void extend_run(struct branch *b, const struct literal_set *ways, bool caseless)
{
	struct literal_set next = { NULL, 0, 0 };
	size_t i, k;

	if (b->run.nr && (b->run_caseless != caseless ||
			  b->run.nr * ways->nr > MAX_RUN_STRINGS))
		end_run(b);
	b->run_caseless = caseless;
	if (b->run.nr && ways->nr == 1) {
		for (i = 0; i < b->run.nr; i++)
			literal_append(&b->run.items[i], ways->items[0].text, ways->items[0].len);
		return;
	}
	if (!b->run.nr) {
		for (k = 0; k < ways->nr; k++)
			literal_set_add(&b->run, ways->items[k].text, ways->items[k].len, caseless);
		return;
	}
	for (i = 0; i < b->run.nr; i++)
		for (k = 0; k < ways->nr; k++) {
			struct literal *l;

			literal_set_add(&next, b->run.items[i].text, b->run.items[i].len, caseless);
			l = &next.items[next.nr - 1];
			literal_append(l, ways->items[k].text, ways->items[k].len);
		}
	literal_set_release(&b->run);
	b->run = next;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Read a quantifier if one follows: -1 none, 0 minimum zero, 1 minimum one
 * or more. A '{' that is not {n}, {n,} or {n,m} gives up: "{,n}" and
 * "{ n }" changed meaning across PCRE2 versions. */
static int quantifier(struct extractor *x)
{
	struct regex_quantifier q;
	size_t n = regex_read_quantifier((const char *)x->p, (const char *)x->end, &q);

	if (!n) {
		x->fail |= q.odd_brace;
		return -1;
	}
	x->p += n;
	return q.at_least_one;
}

/* An item that matches something other than a known literal (a class, '.',
 * \d...): it ends the run and may be quantified. */
static void other_item(struct extractor *x, struct branch *b)
{
	end_run(b);
	quantifier(x);
}

/* The literal character c[0..n), already consumed. */
static void literal_char(struct extractor *x, struct branch *b, const unsigned char *c,
			 size_t n, bool caseless)
{
	int q = quantifier(x);
	/* Caseless, PCRE2 in UTF mode also matches K and S against U+212A
	 * and U+017F, and non-ASCII letters against other letters: those
	 * characters cannot be looked for by folding ASCII case. Control
	 * characters never reach a normalised line in a useful way. */
	bool usable = c[0] >= 0x20 && c[0] != 0x7f &&
		      (!caseless || (n == 1 && !strchr("kKsS", c[0])));

	if (x->fail)
		return;
	if (!usable || q == 0) {
		end_run(b);
		return;
	}
	{
		struct literal one = { (char *)c, n, caseless };
		struct literal_set ways = { &one, 1, 1 };

		extend_run(b, &ways, caseless);
	}
	if (q == 1)
		end_run(b); /* "ab+c": the run "ab" is sure, what follows is not */
}

static void escape(struct extractor *x, struct branch *b, bool caseless)
{
	unsigned char e;

	if (x->p + 1 >= x->end || x->p[1] >= 0x80) {
		x->fail = true;
		return;
	}
	e = x->p[1];
	x->p += 2;
	if (!is_alnum(e)) {
		literal_char(x, b, x->p - 1, 1, caseless);
		return;
	}
	switch (e) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h':
	case 'H': case 'v': case 'V': case 'N': case 'R': case 'X':
	case 'n': case 't': case 'r': case 'f': case 'e': case 'a':
		other_item(x, b);
		return;
	case 'p': case 'P':
		if (x->p < x->end && *x->p == '{') {
			while (x->p < x->end && *x->p != '}')
				x->p++;
			if (x->p >= x->end) {
				x->fail = true;
				return;
			}
		}
		x->p++;
		other_item(x, b);
		return;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
		end_run(b); /* assertions: zero width */
		return;
	default:
		/* \K moves the start of the match; \Q, \x, \o, \c, \g, \k, digits
		 * and the rest are not worth understanding here */
		x->fail = true;
	}
}

/* What a group's text tells the branch it stands in, besides its
 * requirement. */
struct group_text {
	struct literal_set exact;    /* plain text: every string it can match */
	bool exact_caseless;
	struct literal_set trailing; /* one branch: the run still open at its end */
	bool trailing_caseless;
};

static void group_text_release(struct group_text *gt)
{
	literal_set_release(&gt->exact);
	literal_set_release(&gt->trailing);
}

static void alternation(struct extractor *x, bool *caseless, struct requirement *out,
			struct group_text *gt);

/* Past the group name at p and the close that ends it; NULL when it holds
 * anything but letters, digits and '_', or does not close. */
static const unsigned char *skip_name(const unsigned char *p, const unsigned char *end,
				      unsigned char close)
{
	for (; p < end && *p != close; p++)
		if (!is_alnum(*p) && *p != '_')
			return NULL;
	return p < end ? p + 1 : NULL;
}

/* A group "(...)" at x->p, or an option setting "(?i)". */
static void group(struct extractor *x, struct branch *b, bool *caseless)
{
	const unsigned char *p = x->p + 1;
	bool lookaround = false, inner = *caseless;
	struct requirement r = { false, { NULL, 0, 0 } };
	struct group_text gt;
	int q;

	if (p < x->end && *p == '*') {
		x->fail = true; /* verbs */
		return;
	}
	if (p < x->end && *p == '?') {
		p++;
		if (p >= x->end) {
			x->fail = true;
			return;
		}
		switch (*p) {
		case ':': case '|': case '>':
			p++;
			break;
		case '=': case '!':
			lookaround = true;
			p++;
			break;
		case '<':
			if (p + 1 < x->end && (p[1] == '=' || p[1] == '!')) {
				lookaround = true;
				p += 2;
				break;
			}
			p = skip_name(p + 1, x->end, '>');
			if (!p) {
				x->fail = true;
				return;
			}
			break;
		case '\'':
			p = skip_name(p + 1, x->end, '\'');
			if (!p) {
				x->fail = true;
				return;
			}
			break;
		case 'P':
			/* (?P<name> */
			p = p + 1 < x->end && p[1] == '<' ? skip_name(p + 2, x->end, '>') : NULL;
			if (!p) {
				x->fail = true;
				return;
			}
			break;
		default: {
			/* options: (?i) for the rest of the group, (?i:...) */
			bool ci = *caseless, negate = false;

			if (*p == '^') {
				ci = false;
				p++;
			}
			for (; p < x->end && (is_alnum(*p) || *p == '-'); p++) {
				if (*p == '-')
					negate = true;
				else if (*p == 'i')
					ci = !negate;
				else if (!strchr("mnsJU", *p)) {
					x->fail = true; /* x (extended) and the rest */
					return;
				}
			}
			if (p < x->end && *p == ')') {
				if (ci != *caseless)
					end_run(b);
				*caseless = ci;
				x->p = p + 1;
				return;
			}
			if (p >= x->end || *p != ':') {
				x->fail = true;
				return;
			}
			inner = ci;
			p++;
		}
		}
	}
	x->p = p;
	if (++x->depth > MAX_DEPTH) {
		x->fail = true;
		return;
	}
	alternation(x, &inner, &r, &gt);
	x->depth--;
	if (x->fail || x->p >= x->end || *x->p != ')') {
		x->fail = true;
		requirement_release(&r);
		group_text_release(&gt);
		return;
	}
	x->p++;
	q = quantifier(x);
	if (!x->fail && !lookaround && q == -1 && gt.exact.nr) {
		/* plain text: the run goes on through it */
		extend_run(b, &gt.exact, gt.exact_caseless);
		requirement_release(&r);
	} else {
		end_run(b);
		if (lookaround || q == 0 || x->fail) {
			requirement_release(&r);
		} else {
			consider(&b->best, &r);
			if (q == -1 && gt.trailing.nr) {
				/* "(?<e>\w+Error): " goes on as "Error: " */
				b->run = gt.trailing;
				b->run_caseless = gt.trailing_caseless;
				memset(&gt.trailing, 0, sizeof(gt.trailing));
			}
		}
	}
	group_text_release(&gt);
}

/* Length of the UTF-8 character led by c, or 0. */
static size_t utf8_lead_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
	       c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* A character class "[...]" at x->p. */
static void char_class(struct extractor *x, struct branch *b)
{
	size_t n = regex_class_len((const char *)x->p, (const char *)x->end);

	if (!n) {
		x->fail = true;
		return;
	}
	x->p += n;
	other_item(x, b);
}

/* One branch into *out. When it is plain text and nothing else, its strings
 * are also added to gt->exact (else that is released); the run open at its
 * end replaces gt->trailing. */
static void branch(struct extractor *x, bool *caseless, struct requirement *out,
		   struct group_text *gt)
{
	struct branch b;
	size_t i;

	memset(&b, 0, sizeof(b));
	b.exact = true;
	while (!x->fail && x->p < x->end && *x->p != '|' && *x->p != ')') {
		unsigned char c = *x->p;
		size_t n;

		switch (c) {
		case '(':
			group(x, &b, caseless);
			continue;
		case '[':
			char_class(x, &b);
			continue;
		case '\\':
			escape(x, &b, *caseless);
			continue;
		case '.':
			x->p++;
			other_item(x, &b);
			continue;
		case '^': case '$':
			x->p++;
			end_run(&b);
			continue;
		case '*': case '+': case '?': case '{':
			x->fail = true;
			continue;
		}
		n = utf8_lead_len(c);
		if (!n || (size_t)(x->end - x->p) < n) {
			x->fail = true;
			continue;
		}
		x->p += n;
		literal_char(x, &b, x->p - n, n, *caseless);
	}
	if (b.exact && b.run.nr && gt->exact.nr + b.run.nr <= MAX_RUN_STRINGS &&
	    (!gt->exact.nr || gt->exact_caseless == b.run_caseless)) {
		for (i = 0; i < b.run.nr; i++)
			literal_set_add(&gt->exact, b.run.items[i].text, b.run.items[i].len,
					b.run_caseless);
		gt->exact_caseless = b.run_caseless;
	} else {
		literal_set_release(&gt->exact); /* alternation() sees it is not plain */
	}
	literal_set_release(&gt->trailing);
	for (i = 0; i < b.run.nr; i++)
		literal_set_add(&gt->trailing, b.run.items[i].text, b.run.items[i].len,
				b.run_caseless);
	gt->trailing_caseless = b.run_caseless;
	end_run(&b);
	*out = b.best;
}

/* Branches separated by '|' up to ')' or the end. An option set in one
 * branch carries on into the following ones, as in PCRE2. When every branch
 * is plain text, gt->exact gets all their strings; when there is only one
 * branch, gt->trailing gets the run open at its end. */
static void alternation(struct extractor *x, bool *caseless, struct requirement *out,
			struct group_text *gt)
{
	bool all = true, plain = true;
	size_t branches = 0;

	out->known = false;
	memset(&out->set, 0, sizeof(out->set));
	memset(gt, 0, sizeof(*gt));
	for (;;) {
		struct requirement r;
		size_t i, before = gt->exact.nr;

		branch(x, caseless, &r, gt);
		branches++;
		plain &= gt->exact.nr > before;
		if (!r.known || x->fail)
			all = false;
		for (i = 0; all && i < r.set.nr; i++)
			literal_set_add(&out->set, r.set.items[i].text, r.set.items[i].len,
					r.set.items[i].caseless);
		requirement_release(&r);
		if (x->fail || x->p >= x->end || *x->p != '|')
			break;
		x->p++;
	}
	out->known = all && out->set.nr;
	if (!out->known)
		literal_set_release(&out->set);
	if (!plain || x->fail)
		literal_set_release(&gt->exact);
	if (branches > 1 || x->fail)
		literal_set_release(&gt->trailing);
}

bool pattern_required_literals(const char *pattern, struct literal_set *out)
{
	struct extractor x = { (const unsigned char *)pattern,
			       (const unsigned char *)pattern + strlen(pattern), false, 0 };
	struct requirement r;
	struct group_text gt;
	bool caseless = false, ok;
	size_t i;

	alternation(&x, &caseless, &r, &gt);
	group_text_release(&gt);
	ok = !x.fail && x.p == x.end && score(&r) > 0;
	for (i = 0; ok && i < r.set.nr; i++)
		literal_set_add(out, r.set.items[i].text, r.set.items[i].len,
				r.set.items[i].caseless);
	requirement_release(&r);
	return ok;
}

bool prefilter_rule_literals(const struct rule *r, struct literal_set *out)
{
	size_t k;

	for (k = 0; k < r->patterns_nr; k++)
		if (!pattern_required_literals(r->patterns[k], out))
			break;
	if (r->patterns_nr && k == r->patterns_nr)
		return true;
	literal_set_release(out);
	return false;
}

/* --- the scan -------------------------------------------------------------
 * Every position of the buffer that is a multiple of a stride S is hashed
 * with the WINDOW bytes there. Each literal puts S consecutive windows of
 * its own into the table, so any occurrence of it covers exactly one sampled
 * position; a bitmap of the hashes rejects most positions with one test, and
 * the rest are checked against the literals exactly. S is as large as the
 * shortest literal allows. */

struct pf_literal {
	struct literal lit;
	size_t *rules;      /* indices of the rules that need it */
	size_t rules_nr, rules_alloc;
};

struct pf_window {
	uint32_t hash;
	size_t literal;
	size_t offset;      /* of the window in the literal */
};

#define MAX_STRIDE 8
/* Logs this large get windows chosen from a sample of their own text; for
 * smaller ones sampling would cost more than it saves, and the plan made
 * once with typical byte frequencies is used. */
#define ADAPT_MIN (4 * 1024 * 1024)

/* How the scan looks for the literals: the stride, each literal's windows
 * sorted by hash, and a bitmap of their hashes. */
struct pf_plan {
	size_t stride;
	struct pf_window *windows;
	size_t windows_nr;
	uint64_t bitmap[((size_t)1 << HASH_BITS) / 64];
};

static void plan_free(struct pf_plan *plan)
{
	if (plan)
		free(plan->windows);
	free(plan);
}

/* ASCII lowercase for letters; the window hash folds more loosely (| 0x20)
 * and every hit is checked exactly. */
static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static uint32_t window_hash(const unsigned char *s)
{
	uint32_t w;

	memcpy(&w, s, sizeof(w));
	w |= 0x20202020u;
	return (w * 0x9e3779b1u) >> (32 - HASH_BITS);
}

static size_t find_literal(const struct prefilter *pf, const struct literal *l)
{
	size_t i;

	for (i = 0; i < pf->lits_nr; i++)
		if (pf->lits[i].lit.len == l->len && pf->lits[i].lit.caseless == l->caseless &&
		    !memcmp(pf->lits[i].lit.text, l->text, l->len))
			return i;
	return NO_LITERAL;
}

static struct pf_plan *make_plan(const struct prefilter *pf, const unsigned char *buf,
				 size_t len);

/* Add to pf the literals of its rule i (moved out of set). */
static void add_rule_literals(struct prefilter *pf, size_t i, struct literal_set *set)
{
	size_t k, j;

	for (k = 0; k < set->nr; k++) {
		struct pf_literal *pl;

		j = find_literal(pf, &set->items[k]);
		if (j == NO_LITERAL) {
			ALLOC_GROW(pf->lits, pf->lits_nr + 1, pf->lits_alloc);
			j = pf->lits_nr++;
			pl = &pf->lits[j];
			memset(pl, 0, sizeof(*pl));
			pl->lit = set->items[k];
			set->items[k].text = NULL; /* moved */
		}
		pl = &pf->lits[j];
		if (pl->rules_nr && pl->rules[pl->rules_nr - 1] == i)
			continue;
		ALLOC_GROW(pl->rules, pl->rules_nr + 1, pl->rules_alloc);
		pl->rules[pl->rules_nr++] = i;
	}
	literal_set_release(set);
}

/* Read the literals of every rule of rs into pf (no starts yet), and plan
 * the scan for a typical log. */
static void extract_all(struct prefilter *pf, const struct ruleset *rs)
{
	size_t i;

	memset(pf, 0, sizeof(*pf));
	pf->nr = rs->nr;
	pf->rules = xcalloc(rs->nr ? rs->nr : 1, sizeof(*pf->rules));
	for (i = 0; i < rs->nr; i++) {
		struct literal_set set = { NULL, 0, 0 };

		pf->rules[i].filtered = prefilter_rule_literals(rs->rules[i], &set);
		add_rule_literals(pf, i, &set);
	}
	if (pf->lits_nr)
		pf->plan = make_plan(pf, NULL, 0);
}

void prefilter_init_literals(struct prefilter *pf, struct literal_set *sets, size_t nr)
{
	size_t i;

	memset(pf, 0, sizeof(*pf));
	pf->nr = nr;
	pf->rules = xcalloc(nr ? nr : 1, sizeof(*pf->rules));
	for (i = 0; i < nr; i++) {
		pf->rules[i].filtered = sets[i].nr > 0;
		add_rule_literals(pf, i, &sets[i]);
	}
	if (pf->lits_nr)
		pf->plan = make_plan(pf, NULL, 0);
}

void prefilter_copy(struct prefilter *dst, const struct prefilter *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->nr = src->nr;
	dst->rules = xcalloc(src->nr ? src->nr : 1, sizeof(*dst->rules));
	for (i = 0; i < src->nr; i++)
		dst->rules[i].filtered = src->rules[i].filtered;
	dst->lits_nr = dst->lits_alloc = src->lits_nr;
	dst->lits = xcalloc(src->lits_nr ? src->lits_nr : 1, sizeof(*dst->lits));
	for (i = 0; i < src->lits_nr; i++) {
		const struct pf_literal *from = &src->lits[i];
		struct pf_literal *to = &dst->lits[i];

		to->lit = from->lit;
		to->lit.text = xmalloc(literal_room(from->lit.len));
		memcpy(to->lit.text, from->lit.text, from->lit.len + 1);
		to->rules_nr = to->rules_alloc = from->rules_nr;
		to->rules = xcalloc(from->rules_nr, sizeof(*to->rules));
		memcpy(to->rules, from->rules, from->rules_nr * sizeof(*to->rules));
	}
	if (src->plan) {
		dst->plan = xmalloc(sizeof(*dst->plan));
		*dst->plan = *src->plan;
		dst->plan->windows = xcalloc(src->plan->windows_nr, sizeof(*dst->plan->windows));
		memcpy(dst->plan->windows, src->plan->windows,
		       src->plan->windows_nr * sizeof(*dst->plan->windows));
	}
}

struct prefilter *prefilter_new(const struct ruleset *rs)
{
	struct prefilter *pf = xmalloc(sizeof(*pf));

	extract_all(pf, rs);
	return pf;
}

void prefilter_free(struct prefilter *pf)
{
	if (!pf)
		return;
	prefilter_release(pf);
	free(pf);
}

void prefilter_init(struct prefilter *pf, const struct ruleset *rs)
{
	if (rs->literals && rs->literals->nr == rs->nr)
		prefilter_copy(pf, rs->literals);
	else
		extract_all(pf, rs);
}

void prefilter_release(struct prefilter *pf)
{
	size_t i;

	for (i = 0; i < pf->nr; i++)
		free(pf->rules[i].starts);
	free(pf->rules);
	for (i = 0; i < pf->lits_nr; i++) {
		free(pf->lits[i].lit.text);
		free(pf->lits[i].rules);
	}
	free(pf->lits);
	plan_free(pf->plan);
	memset(pf, 0, sizeof(*pf));
}

/* An integer stand-in for 16 * log2(n + 1). */
static unsigned log_cost(size_t n)
{
	unsigned bits = 0;

	n++;
	while (n >> bits > 1)
		bits++;
	return bits * 16 + (unsigned)(bits >= 4 ? (n >> (bits - 4)) & 15 : (n << (4 - bits)) & 15);
}

/* Rough byte counts of a build log, for choosing windows without a sample:
 * spaces, lowercase letters in English order, digits and path punctuation
 * are common, capitals and other punctuation less so. */
static void typical_frequencies(size_t freq[256])
{
	static const char letters[] = "etaoinsrhldcumfpgwybvkxjqz";
	size_t i;

	for (i = 0; i < 256; i++)
		freq[i] = i >= 0x80 ? 2 : i >= 0x21 && i < 0x7f ? 30 : 5;
	for (i = 0; letters[i]; i++)
		freq[(unsigned char)letters[i]] = 600 - 20 * i;
	for (i = '0'; i <= '9'; i++)
		freq[i] = 300;
	for (i = 0; ".-/_:="[i]; i++)
		freq[(unsigned char)".-/_:="[i]] = 200;
	freq[' '] = 1000;
}

/* The offset of the stride consecutive windows of each literal that are
 * rarest in a sample of the buffer (or, buf NULL, by typical_frequencies) (64 slices of 1 KiB spread over it): how
 * often their hash turns up there (which counts the windows themselves and
 * whatever shares their hash), then how common their bytes are. */
static size_t *choose_windows(const struct prefilter *pf, const unsigned char *buf,
			      size_t len, size_t stride)
{
	size_t freq[256] = { 0 }, i, k, slice, step;
	unsigned byte_cost[256];
	size_t *first = xcalloc(pf->lits_nr, sizeof(*first));
	unsigned char *seen = xcalloc((size_t)1 << HASH_BITS, 1);

	if (!buf)
		typical_frequencies(freq);
	slice = len < 64 * 1024 ? len : 1024;
	step = len / 64 > slice ? len / 64 : slice;
	if (!step)
		step = 1;
	for (i = 0; buf && i + slice <= len; i += step)
		for (k = 0; k < slice; k++) {
			freq[lower(buf[i + k])]++;
			if (k + WINDOW <= slice) {
				uint32_t h = window_hash(buf + i + k);

				if (seen[h] < 255)
					seen[h]++;
			}
		}
	for (i = 0; i < 256; i++)
		byte_cost[i] = log_cost(freq[i]);
	for (i = 0; i < pf->lits_nr; i++) {
		const unsigned char *t = (const unsigned char *)pf->lits[i].lit.text;
		unsigned long best = ~0ul;

		for (k = 0; k + WINDOW - 1 + stride <= pf->lits[i].lit.len; k++) {
			unsigned long cost = 0;
			size_t j;

			for (j = 0; j < stride; j++)
				cost += (unsigned long)seen[window_hash(t + k + j)] << 10;
			for (j = 0; j < WINDOW - 1 + stride; j++)
				cost += byte_cost[lower(t[k + j])];
			if (cost < best) {
				best = cost;
				first[i] = k;
			}
		}
	}
	free(seen);
	return first;
}

static bool same_text(const struct literal *l, const unsigned char *s)
{
	size_t i;

	if (!l->caseless)
		return !memcmp(l->text, s, l->len);
	for (i = 0; i < l->len; i++)
		if (lower((unsigned char)l->text[i]) != lower(s[i]))
			return false;
	return true;
}

static void add_start(struct prefilter_rule *r, size_t start, size_t cap)
{
	if (!r->filtered)
		return;
	if (r->starts_nr >= cap) {
		/* so common that checking each line costs more than a scan */
		r->filtered = false;
		free(r->starts);
		r->starts = NULL;
		r->starts_nr = r->starts_alloc = 0;
		return;
	}
	ALLOC_GROW(r->starts, r->starts_nr + 1, r->starts_alloc);
	r->starts[r->starts_nr++] = start;
}

static int compare_window(const void *a, const void *b)
{
	const struct pf_window *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->literal < y->literal ? -1 : x->literal > y->literal;
}

/* The first of the windows (sorted by hash) with hash h. */
static size_t first_window(const struct pf_window *w, size_t nr, uint32_t h)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int compare_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_starts(struct prefilter_rule *r)
{
	size_t i;

	for (i = 1; i < r->starts_nr; i++)
		if (r->starts[i] < r->starts[i - 1])
			break;
	if (i < r->starts_nr)
		qsort(r->starts, r->starts_nr, sizeof(size_t), compare_size);
}

/* The plan for pf's literals: windows chosen from a sample of buf, or for
 * a typical log when buf is NULL. */
static struct pf_plan *make_plan(const struct prefilter *pf, const unsigned char *buf,
				 size_t len)
{
	struct pf_plan *plan = xcalloc(1, sizeof(*plan));
	size_t *first, i, k;

	plan->stride = MAX_STRIDE;
	for (i = 0; i < pf->lits_nr; i++)
		if (pf->lits[i].lit.len - WINDOW + 1 < plan->stride)
			plan->stride = pf->lits[i].lit.len - WINDOW + 1;
	first = choose_windows(pf, buf, len, plan->stride);
	plan->windows = xcalloc(pf->lits_nr * plan->stride, sizeof(*plan->windows));
	for (i = 0; i < pf->lits_nr; i++)
		for (k = first[i]; k < first[i] + plan->stride; k++) {
			struct pf_window *w = &plan->windows[plan->windows_nr++];

			w->hash = window_hash((const unsigned char *)pf->lits[i].lit.text + k);
			w->literal = i;
			w->offset = k;
			plan->bitmap[w->hash / 64] |= (uint64_t)1 << (w->hash % 64);
		}
	qsort(plan->windows, plan->windows_nr, sizeof(*plan->windows), compare_window);
	free(first);
	return plan;
}

/* Fill the starts of pf's filtered rules from buf[0..len); a rule with cap
 * starts or more is turned back into an unfiltered one. */
static void scan(struct prefilter *pf, const char *text, size_t len, size_t cap)
{
	const unsigned char *buf = (const unsigned char *)text;
	struct pf_plan *own = NULL;
	const struct pf_plan *plan = pf->plan;
	const struct pf_window *windows;
	size_t i, k, pos, stride, windows_nr;

	if (!pf->lits_nr || len < WINDOW)
		return; /* no literal fits: filtered rules have no starts */
	if (len >= ADAPT_MIN || !plan)
		plan = own = make_plan(pf, buf, len);
	stride = plan->stride;
	windows = plan->windows;
	windows_nr = plan->windows_nr;
	for (pos = 0; pos + WINDOW <= len; pos += stride) {
		uint32_t h = window_hash(buf + pos);

		if (!(plan->bitmap[h / 64] >> (h % 64) & 1))
			continue;
		for (i = first_window(windows, windows_nr, h); i < windows_nr && windows[i].hash == h; i++) {
			const struct pf_literal *pl = &pf->lits[windows[i].literal];
			size_t start;

			if (pos < windows[i].offset)
				continue;
			start = pos - windows[i].offset;
			if (pl->lit.len > len - start || !same_text(&pl->lit, buf + start))
				continue;
			for (k = 0; k < pl->rules_nr; k++)
				add_start(&pf->rules[pl->rules[k]], start, cap);
		}
	}
	/* several literals, or windows, of a rule find them out of order */
	for (i = 0; i < pf->nr; i++)
		sort_starts(&pf->rules[i]);
	plan_free(own);
}

void prefilter_scan(struct prefilter *pf, const char *text, size_t len)
{
	scan(pf, text, len, 1024 + len / 256);
}

void prefilter_scan_uncapped(struct prefilter *pf, const char *text, size_t len)
{
	scan(pf, text, len, SIZE_MAX);
}
