/* literals.c - what text a rule's match must contain: a small reader of the
 * PCRE2 syntax the rules use finds, for a pattern, literal strings one of
 * which every match holds. The prefilter (prefilter.c) looks for them in the
 * log; `rules check` and the ranking's error words read them too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/literals.h"
#include "buildsleuth/regex_syntax.h"
#include "buildsleuth/util.h"

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
	struct literal_set leading; /* the run every match of the branch begins with */
	bool leading_caseless;
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
	return min < LITERAL_MIN_LEN ? 0 : min;
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
	size_t i;

	if (b->exact) {
		/* the first run of a branch that began with it */
		for (i = 0; i < b->run.nr; i++)
			literal_set_add(&b->leading, b->run.items[i].text, b->run.items[i].len,
					b->run_caseless);
		b->leading_caseless = b->run_caseless;
	}
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
	struct literal_set leading;  /* one branch: the run it begins with */
	bool leading_caseless;
};

static void group_text_release(struct group_text *gt)
{
	literal_set_release(&gt->exact);
	literal_set_release(&gt->trailing);
	literal_set_release(&gt->leading);
}

/* The run open before a group that matches at least once, followed by the
 * run the group begins with ("install (?<p>python3(?:\.\d+)?-venv)" holds
 * "install python3"): a requirement to consider, the run left as it was. */
static void consider_run_into(struct branch *b, const struct group_text *gt)
{
	struct branch t;
	struct requirement r = { true, { NULL, 0, 0 } };
	size_t i;

	if (!b->run.nr || !gt->leading.nr || gt->leading_caseless != b->run_caseless ||
	    b->run.nr * gt->leading.nr > MAX_RUN_STRINGS)
		return;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < b->run.nr; i++)
		literal_set_add(&t.run, b->run.items[i].text, b->run.items[i].len, b->run_caseless);
	t.run_caseless = b->run_caseless;
	extend_run(&t, &gt->leading, gt->leading_caseless);
	r.set = t.run;
	consider(&b->best, &r);
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
		if (!lookaround && q != 0 && !x->fail)
			consider_run_into(b, &gt);
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
	literal_set_release(&gt->leading);
	gt->leading = b.leading;
	gt->leading_caseless = b.leading_caseless;
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
	if (branches > 1 || x->fail) {
		literal_set_release(&gt->trailing);
		literal_set_release(&gt->leading);
	}
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
