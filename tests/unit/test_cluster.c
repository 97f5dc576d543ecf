/* test_cluster.c - lines grouped by template: each mask kind (and what it
 * leaves alone), the Drain tree (lines differing only in masked values form
 * one group, distinct errors distinct groups, the similarity threshold at
 * and below 0.5, the prefix levels), determinism, and the patterns written
 * from templates matching every line of their group. */
#include <stdio.h>

#include "unit.h"
#include "buildsleuth/cluster.h"
#include "buildsleuth/rules.h"

struct mask_row {
	const char *line;
	const char *template;
};

static void test_mask(void **state)
{
	static const struct mask_row rows[] = {
		/* numbers: integers and decimals, not inside words */
		{ "exit code: 3", "exit code: <NUM>" },
		{ "lufs -14.2 != -16.0", "lufs -<NUM> != -<NUM>" },
		{ "python3.11 on arm64 took 5s", "python3.11 on arm64 took 5s" },
		{ "100% done, 2 of 37 left.", "<NUM>% done, <NUM> of <NUM> left." },
		/* hex: 7+ digits holding a digit and a letter, digests */
		{ "commit 4f2a9c1e drifted", "commit <HEX> drifted" },
		{ "image@sha256:9b2c4e1d0a7f3e5b6c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
		  "image@<HEX>" },
		{ "the word defaced stays", "the word defaced stays" },
		{ "id 1234567", "id <NUM>" },
		{ "object at 0x7f253f6990d0>", "object at <HEX>>" },
		/* dates and times, whole */
		{ "2026-02-01T20:01:12.000711043Z: sd-bus call", "<TIME>: sd-bus call" },
		{ "on 2026-02-01 at 2026-02-01 10:00:00+02:00.", "on <TIME> at <TIME>." },
		/* UUIDs before hex */
		{ "build 123e4567-e89b-12d3-a456-426614174000 failed", "build <UUID> failed" },
		/* versions: three parts or more, pre-releases, v1.2 */
		{ "numpy==1.26.4 needs 2.0.0rc1", "numpy==<VER> needs <VER>" },
		{ "node v18.2 and 3.11", "node <VER> and <NUM>" },
		/* paths: absolute, ./ ../ ~/, not relative words such as linux/arm64 */
		{ "cannot open /app/models/x.bin: denied", "cannot open <PATH>: denied" },
		{ "run ./scripts/gate.sh then ../a ~/b", "run <PATH> then <PATH> <PATH>" },
		{ "platform linux/arm64 only", "platform linux/arm64 only" },
		{ "File /app/main.py:12: error", "File <PATH>:<NUM>: error" },
		/* URLs, without trailing punctuation */
		{ "GET https://pypi.org/simple/numpy/ (404).", "GET <URL> (<NUM>)." },
		{ "see http://x.io/a.", "see <URL>." },
		/* quoted strings, whole; an apostrophe is not a quote */
		{ "No module named 'foo.bar'", "No module named <STR>" },
		{ "process \"/bin/sh -c make all\" failed", "process <STR> failed" },
		{ "can't find `cc`, won't retry", "can't find <STR>, won't retry" },
		/* a bare leading time (BuildKit's summary) dropped; white space folded */
		{ "0.501 asset-gate:   2 of 37\tassets", "asset-gate: <NUM> of <NUM> assets" },
		{ "  12 apples", "<NUM> apples" },
		/* a literal "<NUM>" in a log stays literal text */
		{ "value <NUM> seen", "value <NUM> seen" },
		{ "", "" },
	};
	struct cluster c;
	struct strbuf out = STRBUF_INIT;
	size_t i;

	(void)state;
	cluster_init(&c);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		strbuf_reset(&out);
		cluster_mask(&c, rows[i].line, strlen(rows[i].line), &out);
		if (strcmp(out.buf, rows[i].template))
			fail_msg("row %zu: '%s' masked to '%s', expected '%s'", i, rows[i].line,
				 out.buf, rows[i].template);
	}
	strbuf_release(&out);
	cluster_release(&c);
}

/* Add lines, return each one's group index in groups[]. */
static void add_all(struct cluster *c, const char *const *lines, size_t nr, size_t *groups)
{
	size_t i;

	for (i = 0; i < nr; i++)
		groups[i] = cluster_add(c, lines[i], strlen(lines[i]));
}

static void assert_template(const struct cluster *c, size_t g, const char *expected)
{
	struct strbuf t = STRBUF_INIT;

	assert_true(g < c->nr);
	cluster_template(&c->groups[g], &t);
	assert_string_equal(t.buf, expected);
	strbuf_release(&t);
}

static void test_tree(void **state)
{
	static const char *const lines[] = {
		"asset-gate: 2 of 37 assets drifted (/app/assets.lock v1.2.3)",
		"asset-gate: 5 of 40 assets drifted (/srv/a/assets.lock v1.2.4)",
		"manifest digest drifted for sha256:9b2c4e1d0a7f3e5b",
		"asset-gate: 1 of 3 assets drifted (/x/assets.lock 2.0)",
		"manifest digest drifted for sha256:0a7f3e5b9b2c4e1d",
		"npm ERR! code ELIFECYCLE",
		"npm ERR! code ENOENT",
		"error: cannot open /tmp/a for writing now",
		"error: cannot parse /tmp/b into a tree",
		"",
	};
	size_t groups[ARRAY_SIZE(lines)];
	struct cluster c;

	(void)state;
	cluster_init(&c);
	add_all(&c, lines, ARRAY_SIZE(lines), groups);
	assert_int_equal(c.nr, 5);
	/* numbers, paths and versions only: one group */
	assert_int_equal(groups[0], 0);
	assert_int_equal(groups[1], 0);
	assert_int_equal(groups[3], 0);
	assert_int_equal(c.groups[0].count, 3);
	assert_int_equal(c.groups[0].first, 0);
	assert_template(&c, 0, "asset-gate: <NUM> of <NUM> assets drifted (<PATH> <*>");
	/* a distinct error: its own group */
	assert_int_equal(groups[2], 1);
	assert_int_equal(groups[4], 1);
	assert_int_equal(c.groups[1].first, 2);
	assert_template(&c, 1, "manifest digest drifted for <HEX>");
	/* 4 tokens, 3 the same (0.75 >= 0.5): one group, the other a wildcard */
	assert_int_equal(groups[5], 2);
	assert_int_equal(groups[6], 2);
	assert_template(&c, 2, "npm ERR! code <*>");
	/* 7 tokens sharing the first two and <PATH> (3/7 < 0.5): two groups */
	assert_int_equal(groups[7], 3);
	assert_int_equal(groups[8], 4);
	/* no token: no group */
	assert_int_equal(groups[9], SIZE_MAX);
	assert_int_equal(c.lines, 9);
	cluster_release(&c);
}

static void test_threshold(void **state)
{
	/* after the two prefix tokens, 6-token lines: 3 equal of 6 (0.5) join,
	 * 2 of 6 (0.33) do not */
	static const char *const lines[] = {
		"alpha beta one two three four",
		"alpha beta one six seven eight",
		"alpha beta nine ten eleven twelve",
		"alpha beta one two three four",
	};
	size_t groups[ARRAY_SIZE(lines)];
	struct cluster c;

	(void)state;
	cluster_init(&c);
	add_all(&c, lines, ARRAY_SIZE(lines), groups);
	assert_int_equal(groups[0], 0);
	assert_int_equal(groups[1], 0);
	assert_int_equal(groups[2], 1);
	/* the first group's template lost three tokens: 3 of 6 still equal */
	assert_int_equal(groups[3], 0);
	assert_template(&c, 0, "alpha beta one <*> <*> <*>");
	assert_template(&c, 1, "alpha beta nine ten eleven twelve");
	/* different token counts never meet; nor do different first tokens */
	assert_int_equal(cluster_add(&c, "alpha beta one two three", 24), 2);
	assert_int_equal(cluster_add(&c, "gamma beta one two three four", 29), 3);
	assert_int_equal(c.nr, 4);
	cluster_release(&c);
}

static void test_determinism(void **state)
{
	static const char *const lines[] = {
		"E: Unable to fetch http://deb.debian.org/a 404",
		"E: Unable to fetch http://deb.debian.org/b 503",
		"fatal: bad object 4f2a9c1e0b",
		"E: Unable to fetch some archives",
		"fatal: bad object 9e0f1a2b3c",
	};
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t run, i;

	(void)state;
	for (run = 0; run < 2; run++) {
		struct cluster c;
		struct strbuf *out = run ? &b : &a;

		cluster_init(&c);
		for (i = 0; i < ARRAY_SIZE(lines); i++)
			strbuf_addf(out, "%zu ", cluster_add(&c, lines[i], strlen(lines[i])));
		for (i = 0; i < c.nr; i++) {
			cluster_template(&c.groups[i], out);
			strbuf_addf(out, " x%zu|", c.groups[i].count);
		}
		cluster_release(&c);
	}
	/* 4 of 6 tokens the same: the archives line joins the URL ones */
	assert_string_equal(a.buf, "0 0 1 0 1 E: Unable to fetch <*> <*> x3|fatal: bad object "
			    "<HEX> x2|");
	assert_string_equal(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
}

static bool matches(const char *pattern, const char *line)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
					 RULE_PCRE2_FLAGS, &err, &off, NULL);
	pcre2_match_data *md;
	bool ok;

	if (!code)
		fail_msg("pattern '%s' does not compile at %zu", pattern, (size_t)off);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	ok = pcre2_match(code, (PCRE2_SPTR)line, strlen(line), 0, 0, md, NULL) > 0;
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return ok;
}

static void test_pattern(void **state)
{
	static const char *const lines[] = {
		"gate: 'a b' at /app/x.py:12 (v1.2.3) see https://x.io/a [1]",
		"gate: \"c\" at /srv/y.py:7 (2.0.0) see http://y.io/b/c [22]",
		"gate: `d`  at  /z.py:9 (3.1.4rc1) see https://z.io [333]",
	};
	struct cluster c;
	struct strbuf p = STRBUF_INIT, t = STRBUF_INIT;
	struct string_list names = { NULL, 0, 0 };
	size_t i;

	(void)state;
	cluster_init(&c);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		assert_int_equal(cluster_add(&c, lines[i], strlen(lines[i])), 0);
	cluster_template(&c.groups[0], &t);
	assert_string_equal(t.buf, "gate: <STR> at <PATH>:<NUM> (<VER>) see <URL> [<NUM>]");
	/* the third line's double spaces: separators become \s+ */
	assert_false(c.groups[0].spaced);
	cluster_pattern(&c.groups[0], &p, &names);
	assert_int_equal(names.nr, 6);
	assert_string_equal(names.items[0], "quoted");
	assert_string_equal(names.items[1], "path");
	assert_string_equal(names.items[2], "number");
	assert_string_equal(names.items[3], "version");
	assert_string_equal(names.items[4], "url");
	assert_string_equal(names.items[5], "number2");
	assert_non_null(strstr(p.buf, "gate:\\s+(?<quoted>"));
	assert_non_null(strstr(p.buf, "\\s+\\[(?<number2>"));
	strbuf_reset(&t);
	cluster_placeholders(&c.groups[0], &t);
	assert_string_equal(t.buf, "gate: {quoted} at {path}:{number} ({version}) see {url} [{number2}]");
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		if (!matches(p.buf, lines[i]))
			fail_msg("pattern '%s' does not match line %zu", p.buf, i);
	assert_false(matches(p.buf, "gate: nothing here"));
	assert_true(cluster_has_word(&c.groups[0]));
	string_list_release(&names);
	strbuf_reset(&p);

	/* a wildcard is ".+?"; single spaces stay spaces; metacharacters escaped */
	assert_int_equal(cluster_add(&c, "x (a) costs $5 + tax", 20), 1);
	assert_int_equal(cluster_add(&c, "x (a) costs $5 * tip", 20), 1);
	cluster_pattern(&c.groups[1], &p, NULL);
	assert_string_equal(p.buf, "x \\(a\\) costs \\$(?<number>(?<![\\w.])\\d+(?:\\.\\d+)?(?!\\.?\\w)) "
			    ".+? .+?");
	strbuf_reset(&t);
	assert_int_equal(cluster_add(&c, "set {x} to 5", 12), 2);
	cluster_placeholders(&c.groups[2], &t);
	assert_string_equal(t.buf, "set (x) to {number}");
	strbuf_reset(&t);
	cluster_placeholders(&c.groups[1], &t);
	assert_string_equal(t.buf, "x (a) costs ${number} ... ...");
	strbuf_release(&p);
	strbuf_release(&t);
	cluster_release(&c);
}

static void test_no_word(void **state)
{
	struct cluster c;

	(void)state;
	cluster_init(&c);
	assert_int_equal(cluster_add(&c, "12 /a/b 4f2a9c1e0b", 18), 0);
	assert_false(cluster_has_word(&c.groups[0]));
	assert_int_equal(cluster_add(&c, "ab 12 cd", 8), 1);
	assert_false(cluster_has_word(&c.groups[1]));
	assert_int_equal(cluster_add(&c, "xyz 12 cde", 10), 2);
	assert_true(cluster_has_word(&c.groups[2]));
	cluster_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_no_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
