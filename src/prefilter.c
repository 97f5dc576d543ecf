/* prefilter.c - the matcher's literal prefilter: finds the literals every
 * match of a rule must contain (literals.c reads them from the patterns) in
 * one pass over the log (a hashed 4-byte window, checked against a small
 * bitmap; for a search of a few literals of its own, Teddy), so that most
 * rules never run on most lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define HAVE_TEDDY 1
#endif

#include "buildsleuth/prefilter.h"
#include "buildsleuth/util.h"

/* Bytes hashed per position; shorter literals cannot be looked for. */
#define WINDOW LITERAL_MIN_LEN
#define HASH_BITS 16
#define NO_LITERAL SIZE_MAX

/* --- the scan -------------------------------------------------------------
 * Every position of the buffer that is a multiple of a stride S is hashed
 * with the WINDOW bytes there. Each literal puts S consecutive windows of
 * its own into the table, so any occurrence of it covers exactly one sampled
 * position; a bitmap of the hashes rejects most positions with one test, and
 * the rest are checked against the literals exactly. S is as large as the
 * shortest literal allows, which a single literal of 4 bytes would hold at
 * 1: the shortest literals, up to TEDDY_APART_MAX of them, are looked for
 * apart with Teddy (below) where the processor allows, and the stride is
 * set by the others. */

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

/* A few literals are looked for instead with Teddy (Hyperscan's SIMD
 * literal matcher): the literals in TEDDY_BUCKETS buckets, a window of
 * TEDDY_WINDOW bytes of each, and for each byte of the window two 16-entry
 * tables, by low and by high nibble, of the buckets it may belong to. */
#define TEDDY_MAX 32
#define TEDDY_APART_MAX 16
#define TEDDY_BUCKETS 8
#define TEDDY_WINDOW 4 /* = LITERAL_MIN_LEN: every literal has one */

/* How the scan looks for the literals: the stride, each literal's windows
 * sorted by hash, and a bitmap of their hashes (or Teddy's tables). */
struct pf_plan {
	bool fixed;         /* a search of its own: not re-planned from a sample */
	size_t teddy_nr;    /* literals looked for with Teddy */
	unsigned char teddy_lo[TEDDY_WINDOW][16], teddy_hi[TEDDY_WINDOW][16];
	struct teddy_entry {
		size_t literal;
		size_t offset;  /* of the window looked for in it */
		uint32_t key;   /* the window's bytes, folded: the order of the buckets */
	} teddy_bucket[TEDDY_BUCKETS][TEDDY_MAX];
	size_t teddy_bucket_nr[TEDDY_BUCKETS];
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
#ifdef HAVE_TEDDY
static bool teddy_fits(const struct prefilter *pf);
static void make_teddy(const struct prefilter *pf, struct pf_plan *plan, const size_t *which,
		       size_t nr);
#endif

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
#ifdef HAVE_TEDDY
	if (teddy_fits(pf)) {
		size_t *all = xcalloc(pf->lits_nr, sizeof(*all));

		for (i = 0; i < pf->lits_nr; i++)
			all[i] = i;
		pf->plan = xcalloc(1, sizeof(*pf->plan));
		pf->plan->fixed = true;
		pf->plan->stride = MAX_STRIDE;
		make_teddy(pf, pf->plan, all, pf->lits_nr);
		free(all);
		return;
	}
#endif
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
		to->lit.text = xmalloc(from->lit.len + 1);
		memcpy(to->lit.text, from->lit.text, from->lit.len + 1);
		to->rules_nr = to->rules_alloc = from->rules_nr;
		to->rules = xcalloc(from->rules_nr, sizeof(*to->rules));
		memcpy(to->rules, from->rules, from->rules_nr * sizeof(*to->rules));
	}
	if (src->plan) {
		dst->plan = xmalloc(sizeof(*dst->plan));
		*dst->plan = *src->plan;
		dst->plan->windows = xcalloc(src->plan->windows_nr, sizeof(*dst->plan->windows));
		if (src->plan->windows_nr) /* a Teddy-only plan has none (NULL) */
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

#ifdef HAVE_TEDDY
/* The TEDDY_WINDOW bytes Teddy looks for in e's literal, folded as the
 * scan folds the text. */
static uint32_t teddy_key(const struct prefilter *pf, const struct teddy_entry *e)
{
	const unsigned char *t = (const unsigned char *)pf->lits[e->literal].lit.text + e->offset;
	uint32_t key = 0;
	size_t k;

	for (k = 0; k < TEDDY_WINDOW; k++)
		key = key << 8 | (t[k] | 0x20);
	return key;
}

static int compare_teddy_key(const void *a, const void *b)
{
	const struct teddy_entry *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Whether Teddy can be used: a processor with SSSE3's byte shuffle. */
static bool teddy_supported(void)
{
	return __builtin_cpu_supports("ssse3");
}

/* Whether Teddy looks for all of pf's literals (a search of its own): a
 * few of them. Where the hashed scan's stride is small (the error words'
 * literals of 5 bytes: every other byte), Teddy reads 16 positions in about
 * 25 instructions. */
static bool teddy_fits(const struct prefilter *pf)
{
	return pf->lits_nr && pf->lits_nr <= TEDDY_MAX && teddy_supported();
}

/* Teddy's buckets and tables for the literals which[0..nr) of pf (at most
 * TEDDY_MAX): each literal's rarest window in a typical log, the literals
 * sorted by it and cut into TEDDY_BUCKETS runs, so that a bucket holds
 * alike windows and a position rarely agrees with a bucket only by mixing
 * the nibbles of two. */
static void make_teddy(const struct prefilter *pf, struct pf_plan *plan, const size_t *which,
		       size_t nr)
{
	struct teddy_entry order[TEDDY_MAX];
	size_t freq[256], i, k;

	typical_frequencies(freq);
	for (i = 0; i < nr; i++) {
		const unsigned char *t = (const unsigned char *)pf->lits[which[i]].lit.text;
		size_t best = SIZE_MAX;

		order[i].literal = which[i];
		order[i].offset = 0;
		for (k = 0; k + TEDDY_WINDOW <= pf->lits[which[i]].lit.len; k++) {
			size_t cost = 0, j;

			for (j = 0; j < TEDDY_WINDOW; j++)
				cost += freq[lower(t[k + j])];
			if (cost < best) {
				best = cost;
				order[i].offset = k;
			}
		}
		order[i].key = teddy_key(pf, &order[i]);
	}
	qsort(order, nr, sizeof(*order), compare_teddy_key);
	plan->teddy_nr = nr;
	for (i = 0; i < nr; i++) {
		size_t b = i * TEDDY_BUCKETS / nr;
		const unsigned char *t = (const unsigned char *)pf->lits[order[i].literal].lit.text +
					 order[i].offset;

		plan->teddy_bucket[b][plan->teddy_bucket_nr[b]++] = order[i];
		for (k = 0; k < TEDDY_WINDOW; k++) {
			unsigned char c = t[k] | 0x20;

			plan->teddy_lo[k][c & 15] |= (unsigned char)(1u << b);
			plan->teddy_hi[k][c >> 4] |= (unsigned char)(1u << b);
		}
	}
}
#endif

/* The length under which pf's literals are looked for with Teddy, apart
 * from the hashed scan, whose stride the others then set: as long as at
 * most TEDDY_APART_MAX literals are that short (two a bucket: more, and
 * positions agreeing with a bucket by chance cost more than the longer
 * stride saves), up to the longest stride; 0 without Teddy. On the
 * built-in rules it is 9 (15 literals of 4 to 8 bytes; the others set a
 * stride of 6 instead of 1): callgrind counts 8.2% fewer instructions for
 * the whole analysis of an 11 MB log than with the 4 shortest apart. */
static size_t teddy_apart_len(const struct prefilter *pf)
{
#ifdef HAVE_TEDDY
	size_t apart, i, nr, best = 0;

	if (!teddy_supported())
		return 0;
	for (apart = WINDOW + 1; apart <= WINDOW - 1 + MAX_STRIDE; apart++) {
		for (i = nr = 0; i < pf->lits_nr; i++)
			nr += pf->lits[i].lit.len < apart;
		if (nr > TEDDY_APART_MAX)
			break;
		if (nr)
			best = apart;
	}
	return best;
#else
	(void)pf;
	return 0;
#endif
}

/* The plan for pf's literals: windows chosen from a sample of buf, or for
 * a typical log when buf is NULL. */
static struct pf_plan *make_plan(const struct prefilter *pf, const unsigned char *buf,
				 size_t len)
{
	struct pf_plan *plan = xcalloc(1, sizeof(*plan));
	size_t *first, i, k, apart = teddy_apart_len(pf);

	plan->stride = MAX_STRIDE;
#ifdef HAVE_TEDDY
	if (apart) {
		size_t which[TEDDY_MAX], nr = 0;

		for (i = 0; i < pf->lits_nr; i++)
			if (pf->lits[i].lit.len < apart)
				which[nr++] = i;
		make_teddy(pf, plan, which, nr);
	}
#endif
	for (i = 0; i < pf->lits_nr; i++) {
		if (pf->lits[i].lit.len < apart)
			continue;
		if (pf->lits[i].lit.len - WINDOW + 1 < plan->stride)
			plan->stride = pf->lits[i].lit.len - WINDOW + 1;
	}
	first = choose_windows(pf, buf, len, plan->stride);
	plan->windows = xcalloc(pf->lits_nr * plan->stride, sizeof(*plan->windows));
	for (i = 0; i < pf->lits_nr; i++) {
		if (pf->lits[i].lit.len < apart)
			continue; /* looked for apart */
		for (k = first[i]; k < first[i] + plan->stride; k++) {
			struct pf_window *w = &plan->windows[plan->windows_nr++];

			w->hash = window_hash((const unsigned char *)pf->lits[i].lit.text + k);
			w->literal = i;
			w->offset = k;
			plan->bitmap[w->hash / 64] |= (uint64_t)1 << (w->hash % 64);
		}
	}
	qsort(plan->windows, plan->windows_nr, sizeof(*plan->windows), compare_window);
	free(first);
	return plan;
}

/* Add the starts of literal i of pf when it is at buf[start..len). */
static void check_literal(struct prefilter *pf, size_t i, const unsigned char *buf,
			size_t start, size_t len, size_t cap)
{
	const struct pf_literal *pl = &pf->lits[i];
	size_t k;

	if (pl->lit.len > len - start || !same_text(&pl->lit, buf + start))
		return;
	for (k = 0; k < pl->rules_nr; k++)
		add_start(&pf->rules[pl->rules[k]], start, cap);
}

/* The windows of the plan whose hash is h, at position pos of buf: add
 * the starts of the literals that are there. */
static void check_windows(struct prefilter *pf, const struct pf_plan *plan,
			  const unsigned char *buf, size_t len, size_t pos, uint32_t h,
			  size_t cap)
{
	const struct pf_window *windows = plan->windows;
	size_t i, k;

	for (i = first_window(windows, plan->windows_nr, h);
	     i < plan->windows_nr && windows[i].hash == h; i++) {
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

#ifdef HAVE_TEDDY
/* One table lookup of Teddy: the buckets whose literals may have byte v
 * (each lane) at offset k. */
__attribute__((target("ssse3")))
static inline __m128i teddy_lookup(const struct pf_plan *plan, size_t k, __m128i v)
{
	const __m128i nibble = _mm_set1_epi8(0x0f);
	__m128i lo = _mm_loadu_si128((const __m128i *)(const void *)plan->teddy_lo[k]);
	__m128i hi = _mm_loadu_si128((const __m128i *)(const void *)plan->teddy_hi[k]);

	return _mm_and_si128(_mm_shuffle_epi8(lo, _mm_and_si128(v, nibble)),
			     _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), nibble)));
}

/* Check the literals of the buckets in mask whose window would be at
 * position pos of buf. */
static void teddy_check(struct prefilter *pf, const struct pf_plan *plan, const unsigned char *buf,
			size_t pos, size_t len, unsigned mask, size_t cap)
{
	size_t b, k;

	for (b = 0; b < TEDDY_BUCKETS; b++)
		if (mask >> b & 1)
			for (k = 0; k < plan->teddy_bucket_nr[b]; k++) {
				const struct teddy_entry *e = &plan->teddy_bucket[b][k];

				if (pos >= e->offset)
					check_literal(pf, e->literal, buf, pos - e->offset, len, cap);
			}
}

/* The positions pos + j of buf whose bit j is set in lanes, each with its
 * buckets in masks[j]: their literals checked exactly (both widths of
 * Teddy). */
static void teddy_check_lanes(struct prefilter *pf, const struct pf_plan *plan,
			      const unsigned char *buf, size_t pos, size_t len, uint32_t lanes,
			      const unsigned char *masks, size_t cap)
{
	for (; lanes; lanes &= lanes - 1) {
		unsigned j = (unsigned)__builtin_ctz(lanes);

		teddy_check(pf, plan, buf, pos + j, len, masks[j], cap);
	}
}

/* The occurrences of pf's literals in buf[0..len) with Teddy, from
 * position pos on: sixteen positions at a time, the three bytes there
 * (ASCII case folded loosely, | 0x20, as the tables are) each giving the
 * buckets it may start; a position whose three agree on a bucket has that
 * bucket's literals checked exactly, and so do the last few positions. */
__attribute__((target("ssse3")))
static void scan_teddy(struct prefilter *pf, const struct pf_plan *plan,
		       const unsigned char *buf, size_t len, size_t pos, size_t cap)
{
	const __m128i fold = _mm_set1_epi8(0x20), zero = _mm_setzero_si128();

	for (; pos + 16 + TEDDY_WINDOW - 1 <= len; pos += 16) {
		const unsigned char *p = buf + pos;
		__m128i v0 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)p), fold);
		__m128i v1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)), fold);
		__m128i v2 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 2)), fold);
		__m128i v3 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 3)), fold);
		__m128i m = _mm_and_si128(_mm_and_si128(teddy_lookup(plan, 0, v0), teddy_lookup(plan, 1, v1)),
					  _mm_and_si128(teddy_lookup(plan, 2, v2), teddy_lookup(plan, 3, v3)));
		unsigned lanes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(m, zero)) ^ 0xffffu;
		unsigned char masks[16];

		if (!lanes)
			continue;
		_mm_storeu_si128((__m128i *)(void *)masks, m);
		teddy_check_lanes(pf, plan, buf, pos, len, lanes, masks, cap);
	}
	/* the windows that start in the last few bytes */
	for (; pos + TEDDY_WINDOW <= len; pos++)
		teddy_check(pf, plan, buf, pos, len, (1u << TEDDY_BUCKETS) - 1, cap);
}

/* Whether Teddy may take 32 positions at a time with AVX2 (where the
 * processor has it): prefilter_use_avx2(). */
static bool avx2_allowed = true;

void prefilter_use_avx2(bool on)
{
	avx2_allowed = on;
}

/* scan_teddy with AVX2, 32 positions at a time: the same tables in both
 * 128-bit lanes (the byte shuffle looks up within a lane); the last
 * positions are left to scan_teddy. */
__attribute__((target("avx2")))
static void scan_teddy_avx2(struct prefilter *pf, const struct pf_plan *plan,
			    const unsigned char *buf, size_t len, size_t cap)
{
	const __m256i fold = _mm256_set1_epi8(0x20), zero = _mm256_setzero_si256();
	const __m256i nibble = _mm256_set1_epi8(0x0f);
	__m256i lo[TEDDY_WINDOW], hi[TEDDY_WINDOW];
	size_t pos = 0, k;

	for (k = 0; k < TEDDY_WINDOW; k++) {
		lo[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)plan->teddy_lo[k]));
		hi[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)plan->teddy_hi[k]));
	}
	for (; pos + 32 + TEDDY_WINDOW - 1 <= len; pos += 32) {
		__m256i m = _mm256_set1_epi8(-1);
		unsigned lanes;
		unsigned char masks[32];

		for (k = 0; k < TEDDY_WINDOW; k++) {
			__m256i v = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(buf + pos + k)), fold);

			m = _mm256_and_si256(m, _mm256_and_si256(
				_mm256_shuffle_epi8(lo[k], _mm256_and_si256(v, nibble)),
				_mm256_shuffle_epi8(hi[k], _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble))));
		}
		lanes = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, zero));
		if (!lanes)
			continue;
		_mm256_storeu_si256((__m256i *)(void *)masks, m);
		teddy_check_lanes(pf, plan, buf, pos, len, lanes, masks, cap);
	}
	scan_teddy(pf, plan, buf, len, pos, cap);
}

static void teddy(struct prefilter *pf, const struct pf_plan *plan,
		  const unsigned char *buf, size_t len, size_t cap)
{
	if (avx2_allowed && __builtin_cpu_supports("avx2"))
		scan_teddy_avx2(pf, plan, buf, len, cap);
	else
		scan_teddy(pf, plan, buf, len, 0, cap);
}
#endif

#ifndef HAVE_TEDDY
void prefilter_use_avx2(bool on)
{
	(void)on;
}
#endif

/* Fill the starts of pf's filtered rules from buf[0..len) with plan; a
 * rule with cap starts or more is turned back into an unfiltered one. */
static void scan_range(struct prefilter *pf, const struct pf_plan *plan,
		       const unsigned char *buf, size_t len, size_t cap)
{
	size_t i, pos, stride = plan->stride, windows_nr = plan->windows_nr;

#ifdef HAVE_TEDDY
	if (plan->teddy_nr)
		teddy(pf, plan, buf, len, cap);
#endif
	/* two positions a turn: most turns are two bitmap tests and no branch
	 * taken */
	for (pos = 0; windows_nr && pos + stride + WINDOW <= len; pos += 2 * stride) {
		uint32_t h1 = window_hash(buf + pos), h2 = window_hash(buf + pos + stride);
		uint64_t b1 = plan->bitmap[h1 / 64] >> (h1 % 64), b2 = plan->bitmap[h2 / 64] >> (h2 % 64);

		if (!((b1 | b2) & 1))
			continue;
		if (b1 & 1)
			check_windows(pf, plan, buf, len, pos, h1, cap);
		if (b2 & 1)
			check_windows(pf, plan, buf, len, pos + stride, h2, cap);
	}
	for (; windows_nr && pos + WINDOW <= len; pos += stride) {
		uint32_t h = window_hash(buf + pos);

		if (plan->bitmap[h / 64] >> (h % 64) & 1)
			check_windows(pf, plan, buf, len, pos, h, cap);
	}
	/* several literals, or windows, of a rule find them out of order */
	for (i = 0; i < pf->nr; i++)
		sort_starts(&pf->rules[i]);
}

/* One part of a scan split among threads: its own starts (relative to buf),
 * the literals and plan borrowed from the whole scan's. */
struct scan_part {
	struct prefilter pf;
	const struct pf_plan *plan;
	const unsigned char *buf;
	size_t len, cap;
};

static void scan_part(void *arg)
{
	struct scan_part *p = arg;

	scan_range(&p->pf, p->plan, p->buf, p->len, p->cap);
}

/* Whether a literal holds a '\n': then an occurrence may cross the line a
 * split is made at, and the scan is not split. */
static bool literal_spans_lines(const struct prefilter *pf)
{
	size_t i;

	for (i = 0; i < pf->lits_nr; i++)
		if (memchr(pf->lits[i].lit.text, '\n', pf->lits[i].lit.len))
			return true;
	return false;
}

/*
 * scan_range of buf[0..len) in n parts, each in a thread of its own, split
 * after a '\n' (no literal holds one, so each occurrence lies in one part),
 * then each part's starts appended to pf's in order: the same starts as one
 * scan. A rule is unfiltered when all parts together found more than cap
 * starts, as one scan would have.
 */
static void scan_parts(struct prefilter *pf, const struct pf_plan *plan,
		       const unsigned char *buf, size_t len, size_t cap, size_t n)
{
	struct scan_part *parts = xcalloc(n, sizeof(*parts));
	size_t i, k, at = 0;

	for (k = 0; k < n; k++) {
		struct scan_part *p = &parts[k];
		size_t end = k + 1 == n ? len : len / n * (k + 1);
		const unsigned char *nl;

		if (end < at)
			end = at;
		nl = end < len ? memchr(buf + end, '\n', len - end) : NULL;
		end = nl ? (size_t)(nl - buf) + 1 : len;
		p->pf = *pf;
		if (k) {
			p->pf.rules = xcalloc(pf->nr, sizeof(*pf->rules));
			for (i = 0; i < pf->nr; i++)
				p->pf.rules[i].filtered = pf->rules[i].filtered;
		}
		p->plan = plan;
		p->buf = buf + at;
		p->len = end - at;
		p->cap = cap;
		at = end;
	}
	parallel_run(scan_part, parts, sizeof(*parts), n); /* part 0 fills pf's own rules */
	for (k = 1; k < n; k++) {
		size_t base = (size_t)(parts[k].buf - buf);

		for (i = 0; i < pf->nr; i++) {
			struct prefilter_rule *r = &pf->rules[i], *s = &parts[k].pf.rules[i];
			size_t j;

			/* a part that found more than cap unfiltered it itself */
			if (r->filtered && (!s->filtered || r->starts_nr + s->starts_nr > cap)) {
				r->filtered = false;
				free(r->starts);
				r->starts = NULL;
				r->starts_nr = r->starts_alloc = 0;
			}
			if (r->filtered) {
				ALLOC_GROW(r->starts, r->starts_nr + s->starts_nr, r->starts_alloc);
				for (j = 0; j < s->starts_nr; j++)
					r->starts[r->starts_nr++] = base + s->starts[j];
			}
			free(s->starts);
		}
		free(parts[k].pf.rules);
	}
	free(parts);
}

/* Fill the starts of pf's filtered rules from buf[0..len); a rule with cap
 * starts or more is turned back into an unfiltered one. A large buffer is
 * scanned in parts, one per processor. */
static void scan(struct prefilter *pf, const char *text, size_t len, size_t cap)
{
	const unsigned char *buf = (const unsigned char *)text;
	struct pf_plan *own = NULL;
	const struct pf_plan *plan = pf->plan;
	size_t n;

	if (!pf->lits_nr || len < WINDOW)
		return; /* no literal fits: filtered rules have no starts */
	if ((len >= ADAPT_MIN && !(plan && plan->fixed)) || !plan)
		plan = own = make_plan(pf, buf, len);
	n = parallel_parts(len);
	if (n > 1 && !literal_spans_lines(pf))
		scan_parts(pf, plan, buf, len, cap, n);
	else
		scan_range(pf, plan, buf, len, cap);
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
