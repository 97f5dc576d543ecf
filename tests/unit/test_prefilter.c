/* test_prefilter.c - the matcher's literal prefilter: that the scan finds
 * literals at the edges of a buffer and in one large enough to be sampled,
 * a rule's literals and the uncapped scan, and that match_log with the
 * prefilter finds exactly what a full scan of every rule finds, on the
 * fixture logs and on a log made to be awkward (the literals themselves:
 * test_literals.c). */
#include <dirent.h>
#include <stdio.h>
#include <strings.h>

#include "unit.h"
#include "buildsleuth/match.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/prefilter.h"
#include "buildsleuth/source.h"

static const char scan_rules[] =
	"{\"rules\": [{\"id\": \"t.one\", \"title\": \"T\", \"category\": \"network\", "
	"\"priority\": 5, \"patterns\": [\"abcdef\", \"(?i)xyzzy1\"], \"summary\": \"s\", "
	"\"hint\": \"h\", \"examples\": {\"match\": [\"abcdef\"]}}]}";

/* The same rule beside one with 16 literals of 4 bytes that never occur:
 * Teddy then takes those (the shortest), and the rule's literals of 6
 * bytes are left to the hashed scan. */
static const char hashed_rules[] =
	"{\"rules\": [{\"id\": \"t.one\", \"title\": \"T\", \"category\": \"network\", "
	"\"priority\": 5, \"patterns\": [\"abcdef\", \"(?i)xyzzy1\"], \"summary\": \"s\", "
	"\"hint\": \"h\", \"examples\": {\"match\": [\"abcdef\"]}}, "
	"{\"id\": \"t.decoys\", \"title\": \"T\", \"category\": \"network\", "
	"\"priority\": 5, \"patterns\": [\"qq01|qq02|qq03|qq04|qq05|qq06|qq07|qq08|"
	"qq09|qq10|qq11|qq12|qq13|qq14|qq15|qq16\"], \"summary\": \"s\", "
	"\"hint\": \"h\", \"examples\": {\"match\": [\"qq01\"]}}]}";

/* A rule set of the JSON text rules, which must load. */
static void load_rules(struct ruleset *rs, const char *rules)
{
	struct causes causes = CAUSES_INIT;

	ruleset_init(rs);
	assert_int_equal(ruleset_load_buffer(rs, "t.json", rules, strlen(rules), false, &causes),
			 RULES_OK);
	causes_release(&causes);
}

/* Occurrences at the start, the end, overlapping and in any case, with
 * Teddy (scan_rules) and with the hashed scan (hashed_rules). */
static void scan_edges_with(const char *rules)
{
	static const struct {
		const char *text;
		size_t starts[4];
		size_t nr;
	} cases[] = {
		{ "", { 0 }, 0 },
		{ "abc", { 0 }, 0 },
		{ "abcdef", { 0 }, 1 },
		{ "xxabcdef", { 2 }, 1 },
		{ "abcdefabcdef", { 0, 6 }, 2 },
		{ "abcdeabcdef", { 5 }, 1 },
		{ "XYZZY1 xYzZy1", { 0, 7 }, 2 },
		{ "abcdex\nabcdef\n", { 7 }, 1 },
	};
	struct ruleset rs;
	size_t i, k;

	load_rules(&rs, rules);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct prefilter pf;

		prefilter_init(&pf, &rs);
		assert_true(pf.rules[0].filtered);
		prefilter_scan(&pf, cases[i].text, strlen(cases[i].text));
		assert_true(pf.rules[0].filtered);
		if (pf.rules[0].starts_nr != cases[i].nr)
			fail_msg("'%s': want %zu starts, got %zu", cases[i].text, cases[i].nr,
				 pf.rules[0].starts_nr);
		for (k = 0; k < cases[i].nr; k++)
			assert_int_equal(pf.rules[0].starts[k], cases[i].starts[k]);
		prefilter_release(&pf);
	}
	ruleset_release(&rs);
}

static const char short_rules[] =
	"{\"rules\": [{\"id\": \"t.short\", \"title\": \"T\", \"category\": \"network\", "
	"\"priority\": 5, \"patterns\": [\"ab@d\", \"(?i)wxyz!\", \"long enough\"], "
	"\"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"ab@d\"]}}]}";

/* Literals of 4 and 5 bytes, looked for apart from the others (Teddy),
 * sixteen or 32 positions at a time and one at a time at the end: every
 * prefix of a text with them at block edges, in other case and beside near misses (ab`d
 * passes the loose case fold) gives the starts a plain search gives. */
static void test_scan_short(void **state)
{
	char text[200];
	static const size_t at[] = { 0, 15, 16, 31, 47, 63, 100, 120, 196 };
	struct ruleset rs;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = "ab`d wxy! AB@D WXYZ? "[i % 21];
	for (i = 0; i < ARRAY_SIZE(at); i++)
		memcpy(text + at[i], i % 2 ? "wXyZ!" : "ab@d", i % 2 ? 5 : 4);
	load_rules(&rs, short_rules);
	for (len = 0; len <= sizeof(text); len++) {
		struct prefilter pf;
		size_t want = 0;

		prefilter_init(&pf, &rs);
		prefilter_scan(&pf, text, len);
		assert_true(pf.rules[0].filtered);
		for (i = 0; i < len; i++) {
			if (!((i + 4 <= len && !memcmp(text + i, "ab@d", 4)) ||
			      (i + 5 <= len && !strncasecmp(text + i, "wxyz!", 5))))
				continue;
			if (want >= pf.rules[0].starts_nr || pf.rules[0].starts[want] != i)
				fail_msg("length %zu: no start at %zu", len, i);
			want++;
		}
		assert_int_equal(pf.rules[0].starts_nr, want);
		prefilter_release(&pf);
	}
	ruleset_release(&rs);
}

/* The search of a few literals of its own (prefilter_init_literals, as the
 * likeliest error lines use), looked for with Teddy where the processor
 * allows: every prefix of a text with the literals at the edges of its
 * 16-byte blocks, in other case, overlapping and beside near misses (a
 * window that passes the loose fold, `@` for '`', or shares a literal's
 * first bytes) gives, rule by rule, the starts a plain search gives. */
static void test_scan_own_literals(void **state)
{
	static const struct {
		const char *text;
		bool caseless;
		size_t rule;
	} lits[] = {
		{ "error", true, 0 }, { "fatal", true, 0 }, { "can't", true, 0 },
		{ "exit ", true, 0 }, { "exit code", true, 0 }, { "no such file", true, 0 },
		{ "abort", true, 0 }, { "refu\xc5\xbf", true, 0 }, { "E: x", false, 1 },
		{ "ab@d", false, 1 }, { "giving up", true, 1 }, { "non-zero", true, 1 },
	};
	static const size_t at[] = { 0, 13, 15, 16, 17, 31, 32, 47, 63, 100, 181, 187, 195 };
	static const char filler[] = "erro exi ab`d E: X can'  fatall NO SUCH fil refu\xc5 ";
	char text[200];
	struct literal_set sets[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct prefilter own;
	size_t i, len, r;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = filler[i % (sizeof(filler) - 1)];
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		const char *t = i % 3 ? lits[i % ARRAY_SIZE(lits)].text : "EXIT CODE";
		size_t n = strlen(t);

		if (at[i] + n <= sizeof(text))
			memcpy(text + at[i], t, n);
	}
	memcpy(text + sizeof(text) - 4, "ab@d", 4);
	for (i = 0; i < ARRAY_SIZE(lits); i++)
		literal_set_add(&sets[lits[i].rule], lits[i].text, strlen(lits[i].text),
				lits[i].caseless);
	prefilter_init_literals(&own, sets, 2);
	for (len = 0; len <= sizeof(text); len++) {
		struct prefilter pf;

		prefilter_copy(&pf, &own);
		prefilter_scan(&pf, text, len);
		for (r = 0; r < 2; r++) {
			size_t want = 0;

			assert_true(pf.rules[r].filtered);
			for (i = 0; i < len; i++) {
				size_t k;

				for (k = 0; k < ARRAY_SIZE(lits); k++) {
					size_t n = strlen(lits[k].text);

					if (lits[k].rule != r || i + n > len ||
					    (lits[k].caseless ? strncasecmp(text + i, lits[k].text, n) :
								memcmp(text + i, lits[k].text, n)))
						continue;
					if (want >= pf.rules[r].starts_nr || pf.rules[r].starts[want] != i)
						fail_msg("length %zu: no start at %zu for '%s'", len, i,
							 lits[k].text);
					want++;
				}
			}
			assert_int_equal(pf.rules[r].starts_nr, want);
		}
		prefilter_release(&pf);
	}
	prefilter_release(&own);
}

static void test_scan_edges(void **state)
{
	(void)state;
	scan_edges_with(scan_rules);
	scan_edges_with(hashed_rules);
}

/* A log large enough for the scan to choose its windows from a sample of it
 * finds the same occurrences, even when the filler holds their prefixes
 * (with Teddy and with the hashed scan, as above). */
static void scan_large_with(const char *rules)
{
	static const char filler[] = "abcde abcdex ABCDEF XYZZY xyzzy2 \n";
	const size_t size = 5 * 1024 * 1024, at[] = { 0, 777777, 2345678, 0 };
	struct ruleset rs;
	struct prefilter pf;
	char *buf = xmalloc(size);
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = filler[i % (sizeof(filler) - 1)];
	memcpy(buf, "abcdef", 6);
	memcpy(buf + at[1], "xyZZy1", 6);
	memcpy(buf + at[2], "abcdef", 6);
	memcpy(buf + size - 6, "abcdef", 6);
	load_rules(&rs, rules);
	prefilter_init(&pf, &rs);
	prefilter_scan(&pf, buf, size);
	assert_true(pf.rules[0].filtered);
	assert_int_equal(pf.rules[0].starts_nr, 4);
	assert_int_equal(pf.rules[0].starts[0], at[0]);
	assert_int_equal(pf.rules[0].starts[1], at[1]);
	assert_int_equal(pf.rules[0].starts[2], at[2]);
	assert_int_equal(pf.rules[0].starts[3], size - 6);
	prefilter_release(&pf);
	ruleset_release(&rs);
	free(buf);
}

static void test_scan_large(void **state)
{
	(void)state;
	scan_large_with(scan_rules);
	scan_large_with(hashed_rules);
}

/* Teddy 16 positions at a time (SSSE3), where the tests above took 32 at a
 * time (AVX2) on a processor that has it: the same starts. */
static void test_scan_ssse3(void **state)
{
	prefilter_use_avx2(false);
	test_scan_edges(state);
	test_scan_short(state);
	test_scan_own_literals(state);
	test_scan_large(state);
	prefilter_use_avx2(true);
}

/* A rule's literals, as the prefilter reads them; and a literal on every
 * line: prefilter_scan gives up filtering the rule, prefilter_scan_uncapped
 * keeps every occurrence (what `rules check --corpus` counts). */
static void test_rule_literals_and_uncapped_scan(void **state)
{
	const size_t lines = 3000;
	struct ruleset rs;
	struct literal_set set = { NULL, 0, 0 };
	struct prefilter pf;
	struct strbuf buf = STRBUF_INIT;
	size_t i;

	(void)state;
	load_rules(&rs, scan_rules);
	assert_true(prefilter_rule_literals(rs.rules[0], &set));
	assert_int_equal(set.nr, 2);
	assert_string_equal(set.items[0].text, "abcdef");
	assert_false(set.items[0].caseless);
	assert_string_equal(set.items[1].text, "xyzzy1");
	assert_true(set.items[1].caseless);
	literal_set_release(&set);
	for (i = 0; i < lines; i++)
		strbuf_addstr(&buf, i % 2 ? "x abcdef\n" : "XyZzY1 .\n");
	prefilter_init(&pf, &rs);
	prefilter_scan(&pf, buf.buf, buf.len);
	assert_false(pf.rules[0].filtered);
	prefilter_release(&pf);
	prefilter_init(&pf, &rs);
	prefilter_scan_uncapped(&pf, buf.buf, buf.len);
	assert_true(pf.rules[0].filtered);
	assert_int_equal(pf.rules[0].starts_nr, lines);
	assert_int_equal(pf.rules[0].starts[0], 0);
	assert_int_equal(pf.rules[0].starts[1], 9 + 2);
	assert_int_equal(pf.rules[0].starts[lines - 1], buf.len - 7);
	prefilter_release(&pf);
	strbuf_release(&buf);
	ruleset_release(&rs);
}

/* A scan of text split among threads in 2, 3 and 4 parts (as a large log
 * is) finds what one scan finds: each rule's starts, in order, and whether
 * it stays filtered (a rule whose literal every part finds, and one that
 * only all parts together find more often than the cap allows). */
static void assert_split_scan_same(const struct ruleset *rs, const char *what,
				   const char *text, size_t len)
{
	struct prefilter one;
	size_t n, i, k;

	prefilter_init(&one, rs);
	prefilter_scan(&one, text, len);
	for (n = 2; n <= PARALLEL_MAX_PARTS; n++) {
		struct prefilter split;

		parallel_force_parts(n);
		prefilter_init(&split, rs);
		prefilter_scan(&split, text, len);
		parallel_force_parts(0);
		for (i = 0; i < one.nr; i++) {
			const struct prefilter_rule *a = &one.rules[i], *b = &split.rules[i];

			if (a->filtered != b->filtered || a->starts_nr != b->starts_nr)
				fail_msg("%s, %zu parts: rule '%s': %s with %zu starts, one scan: %s with %zu",
					 what, n, rs->rules[i]->id, b->filtered ? "filtered" : "unfiltered",
					 b->starts_nr, a->filtered ? "filtered" : "unfiltered", a->starts_nr);
			for (k = 0; k < a->starts_nr; k++)
				assert_int_equal(a->starts[k], b->starts[k]);
		}
		prefilter_release(&split);
	}
	prefilter_release(&one);
}

static void test_split_scan(void **state)
{
	struct ruleset rs;
	struct strbuf buf = STRBUF_INIT;
	size_t i;

	(void)state;
	load_rules(&rs, scan_rules);
	/* 3000 starts: more than the cap (1024 + len / 256) in each of 2
	 * parts, and in 4 parts only together */
	for (i = 0; i < 3000; i++)
		strbuf_addstr(&buf, i % 2 ? "x abcdef\n" : "XyZzY1 .\n");
	assert_split_scan_same(&rs, "a literal on every line", buf.buf, buf.len);
	/* under the cap: every start kept, the last in the last part */
	strbuf_setlen(&buf, 9 * 200);
	strbuf_addstr(&buf, "abcdef");
	assert_split_scan_same(&rs, "200 lines", buf.buf, buf.len);
	ruleset_release(&rs);
	strbuf_release(&buf);
}

static void assert_same_hits(const char *what, const struct match_result *a,
			     const struct match_result *b)
{
	size_t i, k, j;

	if (a->nr != b->nr)
		fail_msg("%s: %zu rules matched with the prefilter, %zu without", what, a->nr, b->nr);
	for (i = 0; i < a->nr; i++) {
		const struct rule_hits *x = &a->hits[i], *y = &b->hits[i];

		if (x->rule != y->rule || x->count != y->count || x->lines_nr != y->lines_nr ||
		    x->in_failed_phase != y->in_failed_phase)
			fail_msg("%s: rule '%s': %zu hits with the prefilter, %zu without", what,
				 x->rule->id, x->count, y->count);
		for (k = 0; k < x->lines_nr; k++)
			assert_int_equal(x->lines[k], y->lines[k]);
		for (k = 0; k < x->captures_nr; k++) {
			const struct capture *c = &x->captures[k], *d = &y->captures[k];

			assert_string_equal(c->first ? c->first : "-", d->first ? d->first : "-");
			assert_int_equal(c->values.nr, d->values.nr);
			for (j = 0; j < c->values.nr; j++)
				assert_string_equal(c->values.items[j], d->values.items[j]);
		}
	}
}

static void compare_on(const struct ruleset *rs, const char *what, const struct log *log)
{
	struct match_result with = { NULL, 0, 0 }, without = { NULL, 0, 0 };
	struct causes w1 = CAUSES_INIT, w2 = CAUSES_INIT;

	match_log(rs, log, &with, &w1);
	match_log_scan_all(rs, log, &without, &w2);
	assert_same_hits(what, &with, &without);
	assert_int_equal(w1.nr, w2.nr);
	match_result_release(&with);
	match_result_release(&without);
	causes_release(&w1);
	causes_release(&w2);
}

/* Every example line of every rule, as is and made awkward: other case,
 * cut in two, wrapped in escapes, overwritten after '\r', with the Kelvin
 * sign and long s that (?i) k and s also match, behind CodeBuild and
 * BuildKit prefixes, and two examples on one line. */
static void awkward_log(const struct ruleset *rs, struct log *log)
{
	struct string_list ex = { NULL, 0, 0 };
	size_t i, k, n = 0;

	for (i = 0; i < rs->nr; i++) {
		for (k = 0; k < rs->rules[i]->match_examples.nr; k++)
			string_list_append(&ex, rs->rules[i]->match_examples.items[k]);
		for (k = 0; k < rs->rules[i]->nomatch_examples.nr; k++)
			string_list_append(&ex, rs->rules[i]->nomatch_examples.items[k]);
	}
	for (i = 0; i < ex.nr; i++) {
		const char *s = ex.items[i];
		size_t len = strlen(s), cut = (i * 7) % (len + 1);
		struct strbuf sb = STRBUF_INIT;

		log_add_line(log, s, len);
		strbuf_addstr(&sb, s);
		for (k = 0; k < sb.len; k++)
			if (sb.buf[k] >= 'a' && sb.buf[k] <= 'z')
				sb.buf[k] -= 32;
			else if (sb.buf[k] >= 'A' && sb.buf[k] <= 'Z')
				sb.buf[k] += 32;
		log_add_line(log, sb.buf, sb.len);
		log_add_line(log, s, cut);
		log_add_line(log, s + cut, len - cut);
		strbuf_reset(&sb);
		strbuf_add(&sb, s, cut);
		strbuf_addstr(&sb, "\033[1;31m");
		strbuf_addstr(&sb, s + cut);
		strbuf_addstr(&sb, "\033[0m\r\xc2\x9b" "2K");
		log_add_line(log, sb.buf, sb.len);
		strbuf_reset(&sb);
		for (k = 0; k < len; k++)
			if (s[k] == 'k' || s[k] == 'K')
				strbuf_addstr(&sb, "\xe2\x84\xaa");
			else if (s[k] == 's' || s[k] == 'S')
				strbuf_addstr(&sb, "\xc5\xbf");
			else
				strbuf_addch(&sb, s[k]);
		log_add_line(log, sb.buf, sb.len);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "#%zu 1.%03zu %s %s", i % 40 + 1, i % 1000, s, ex.items[(i + 1) % ex.nr]);
		log_add_line(log, sb.buf, sb.len);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "[Container] 2026/01/28 20:46:51.423722 progress 10%%\r%s", s);
		log_add_line(log, sb.buf, sb.len);
		strbuf_release(&sb);
		if (++n % 50 == 0)
			log_add_line(log, "", 0);
	}
	string_list_release(&ex);
}

static void test_same_as_scan_all(void **state)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	struct log log;
	DIR *d;
	struct dirent *de;
	size_t files = 0;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_builtin(&rs, &causes), RULES_OK);
	log_init(&log, 0);
	awkward_log(&rs, &log);
	compare_on(&rs, "awkward log", &log);
	assert_split_scan_same(&rs, "awkward log", log.norm.buf, log.norm.len);
	log_release(&log);

	d = opendir("fixtures/logs");
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct source src;
		struct strbuf err = STRBUF_INIT;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = xstrfmt("fixtures/logs/%s", de->d_name);
		source_init(&src, SOURCE_FILE);
		assert_int_equal(source_read_path(&src, path, &err), SOURCE_OK);
		compare_on(&rs, path, &src.log);
		source_release(&src);
		strbuf_release(&err);
		free(path);
		files++;
	}
	closedir(d);
	assert_true(files > 10);
	ruleset_release(&rs);
	causes_release(&causes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_edges),
		cmocka_unit_test(test_scan_short),
		cmocka_unit_test(test_scan_own_literals),
		cmocka_unit_test(test_scan_large),
		cmocka_unit_test(test_scan_ssse3),
		cmocka_unit_test(test_rule_literals_and_uncapped_scan),
		cmocka_unit_test(test_split_scan),
		cmocka_unit_test(test_same_as_scan_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
