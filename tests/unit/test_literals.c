/* test_literals.c - the literals read from patterns: one row each, that
 * every built-in rule's own match examples hold one of its literals, as does
 * every match of thousands of random patterns. */
#include <stdio.h>

#include "unit.h"
#include "buildsleuth/literals.h"
#include "buildsleuth/normalize.h"

struct row {
	const char *pattern;
	const char *want; /* literals joined by '|', "i:" before a caseless one; NULL: none */
};

static const struct row rows[] = {
	{ "No matching distribution found for (?<p>\\S+)", "No matching distribution found for " },
	{ "E: Package '(?<p>[^'\\n]+)' has no installation candidate", "' has no installation candidate" },
	{ "\\bENOSPC\\b", "ENOSPC" },
	{ "^\\h*Killed\\h*$", "Killed" },
	/* plain alternatives extend the run they stand in */
	{ "(?:COPY|ADD) failed: x", "COPY failed: x|ADD failed: x" },
	{ "Phase complete: BUILD (?:State: FAILED|Success: false)",
	  "Phase complete: BUILD State: FAILED|Phase complete: BUILD Success: false" },
	/* a group's trailing run goes on after it */
	{ "(?<e>[A-Z]\\w*(?:Error|Exit)): (?<m>.+)", "Error: |Exit: " },
	/* the run before a group goes on into the run the group begins with */
	{ "^\\h+apt(?:-get)? install (?<package>python3(?:\\.\\d+)?-venv)\\h*$", " install python3" },
	{ "abc(?:de(?:f|g)+h)", "abcde" },
	{ "ab(?:cdef\\d)+", "abcdef" },
	{ "abcdef(?:gh)?ij", "abcdef" },
	{ "abcde(?:x\\d)?", "abcde" },
	{ "abcd(?=efgh\\d)", "abcd" },
	{ "(?i)abcd(?-i:efgh\\d)", "i:abcd" },
	{ "abcd(?:e|fg\\d)", "abcd" },
	/* alternation at the top: one literal per branch, or none at all */
	{ "abcdef|ghijkl", "abcdef|ghijkl" },
	{ "abcdef|\\d+", NULL },
	{ "abcdef|", NULL },
	/* optional and repeated items end runs */
	{ "abcd(?:xyz)?efgh", "abcd" },
	{ "abcdx*efghij", "efghij" },
	{ "abcdefx+yz", "abcdefx" },
	{ "abcdefx{0,3}yz", "abcdef" },
	{ "abc\\d{2}defgh", "defgh" },
	{ "ab.cdefg[xy]hijk", "cdefg" },
	/* lookarounds are not consumed */
	{ "^(?!.*Retrying \\().*?Temporary failure", "Temporary failure" },
	{ "(?<![a-z])wxyzw", "wxyzw" },
	/* caseless: k, s and non-ASCII match other characters, so they end runs */
	{ "(?i)out of memory", "i:out of memory" },
	{ "(?i)toomanyrequests", "i:toomanyreque" },
	{ "(?i:docker) build failed", " build failed" },
	{ "Docker (?i)build fail", "i:build fail" },
	{ "(?i)caf\xc3\xa9 latte", "i: latte" },
	{ "ab(?i)cdefg", "i:cdefg" },
	{ "a|(?i)b|cdefgh", NULL },
	/* escapes */
	{ "\\(AccessDenied\\) when", "(AccessDenied) when" },
	{ "x509\\: cert", "x509: cert" },
	{ "tab\\there1234", "here1234" },
	/* too short, or not understood: no literal, the rule scans everything */
	{ "abc", NULL },
	{ "\\w+", NULL },
	{ "\\Qabcdef\\E", NULL },
	{ "abcdef\\Kghijk", NULL },
	{ "(abcd)\\1efgh", NULL },
	{ "(?x) a b c d e", NULL },
	{ "(*UTF)abcdef", NULL },
	{ "(?(1)abcdef|ghijkl)", NULL },
	{ "abcd{,3}efgh", NULL },
	{ "abcdef{x}", NULL },
	{ "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((abcdef)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))", NULL },
};

static void test_rows(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct literal_set set = { NULL, 0, 0 };
		struct strbuf got = STRBUF_INIT;
		bool ok = pattern_required_literals(rows[i].pattern, &set);

		for (k = 0; k < set.nr; k++)
			strbuf_addf(&got, "%s%s%s", k ? "|" : "",
				    set.items[k].caseless ? "i:" : "", set.items[k].text);
		if (!rows[i].want) {
			if (ok || set.nr)
				fail_msg("row %zu /%s/: want no literal, got '%s'", i,
					 rows[i].pattern, got.buf);
		} else if (!ok || strcmp(got.buf, rows[i].want)) {
			fail_msg("row %zu /%s/: want '%s', got %s'%s'", i, rows[i].pattern,
				 rows[i].want, ok ? "" : "(none) ", got.buf);
		}
		strbuf_release(&got);
		literal_set_release(&set);
	}
}

static bool holds(const char *text, size_t len, const struct literal *l)
{
	size_t i, k;

	for (i = 0; i + l->len <= len; i++) {
		for (k = 0; k < l->len; k++) {
			unsigned char a = (unsigned char)text[i + k], b = (unsigned char)l->text[k];

			if (l->caseless && a >= 'A' && a <= 'Z')
				a |= 0x20;
			if (l->caseless && b >= 'A' && b <= 'Z')
				b |= 0x20;
			if (a != b)
				break;
		}
		if (k == l->len)
			return true;
	}
	return false;
}

/* Each built-in rule's match examples hold one of the rule's literals. */
static void test_examples_hold_a_literal(void **state)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	size_t i, k, j, filtered = 0;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_builtin(&rs, &causes), RULES_OK);
	for (i = 0; i < rs.nr; i++) {
		const struct rule *r = rs.rules[i];
		struct literal_set set = { NULL, 0, 0 };

		for (k = 0; k < r->patterns_nr; k++)
			if (!pattern_required_literals(r->patterns[k], &set))
				break;
		if (k == r->patterns_nr) {
			filtered++;
			for (k = 0; k < r->match_examples.nr; k++) {
				struct strbuf norm = STRBUF_INIT;
				const char *ex = r->match_examples.items[k];

				normalize_line(ex, strlen(ex), &norm, NULL);
				for (j = 0; j < set.nr; j++)
					if (holds(norm.buf, norm.len, &set.items[j]))
						break;
				if (j == set.nr)
					fail_msg("rule '%s': example holds none of its literals: %s",
						 r->id, ex);
				strbuf_release(&norm);
			}
		}
		literal_set_release(&set);
	}
	/* the prefilter is of no use unless it covers nearly every rule */
	assert_true(filtered * 10 >= rs.nr * 9);
	ruleset_release(&rs);
	causes_release(&causes);
}

/* --- random patterns: every match contains one of the literals ----------- */

static unsigned long rnd_state = 1234567890123ul;

static unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

/* A random pattern of the syntax the rules use, into sb. */
static void random_pattern(struct strbuf *sb, int depth)
{
	static const char *const atoms[] = {
		"abcd", "kiss", "Error", "xyzs", "a:b ", "SKy", "a", "b", "k", "K", "s",
		"S", "x", ":", " ", "\\(", "\\.", ".", "\\d", "\\s", "\\h", "\\w", "[ab]",
		"[^a]", "\\b", "^", "$", "\xc3\xa9", "\xe2\x84\xaa", "-",
	};
	static const char *const opens[] = {
		"(?:", "(", "(?<g>", "(?i:", "(?=", "(?!", "(?>", "(?|",
	};
	static const char *const quantifiers[] = {
		"?", "*", "+", "{2}", "{0,2}", "{1,}", "+?", "*+", "{0}",
	};
	int items = 1 + (int)rnd(6), i, k;

	for (i = 0; i < items; i++) {
		if (rnd(20) < 13 || depth > 3) {
			strbuf_addstr(sb, atoms[rnd(ARRAY_SIZE(atoms))]);
		} else {
			int alts = 1 + (int)rnd(3);

			strbuf_addstr(sb, opens[rnd(ARRAY_SIZE(opens))]);
			for (k = 0; k < alts; k++) {
				if (k)
					strbuf_addch(sb, '|');
				random_pattern(sb, depth + 1);
			}
			strbuf_addch(sb, ')');
		}
		if (!rnd(5))
			strbuf_addstr(sb, quantifiers[rnd(ARRAY_SIZE(quantifiers))]);
		if (!rnd(12))
			strbuf_addstr(sb, rnd(2) ? "(?i)" : "(?-i)");
	}
}

static void test_random_patterns(void **state)
{
	static const char *const parts[] = {
		"abcd", "kiss", "Error", "ERROR", "xyzs", "a:b ", "SKy", "\xe2\x84\xaaiss",
		"ki\xc5\xbfs", "a", "b", "k", "K", "s", "S", "x", "X", ":", " ", "(", ".",
		"1", "\t", "A", "\xc3\xa9", "\xc3\x89", "-",
	};
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t checked = 0, i, t, j;

	(void)state;
	for (i = 0; i < 4000; i++) {
		struct strbuf pat = STRBUF_INIT;
		struct literal_set set = { NULL, 0, 0 };
		pcre2_code *code;
		int err;
		PCRE2_SIZE off;

		random_pattern(&pat, 0);
		code = pcre2_compile((PCRE2_SPTR)pat.buf, pat.len, RULE_PCRE2_FLAGS | PCRE2_DUPNAMES,
				     &err, &off, NULL);
		if (code && pattern_required_literals(pat.buf, &set)) {
			for (t = 0; t < 60; t++) {
				struct strbuf subject = STRBUF_INIT;
				size_t n = rnd(25);
				PCRE2_SIZE *ov;

				while (n--)
					strbuf_addstr(&subject, parts[rnd(ARRAY_SIZE(parts))]);
				if (rnd(2)) /* plant a literal, in some case */
					for (j = 0; j < set.items[0].len; j++) {
						char c = set.items[0].text[j];

						if (set.items[0].caseless && rnd(2) &&
						    ((c | 32) >= 'a' && (c | 32) <= 'z'))
							c ^= 32;
						strbuf_addch(&subject, c);
					}
				if (pcre2_match(code, (PCRE2_SPTR)subject.buf, subject.len, 0, 0, md,
						NULL) > 0) {
					ov = pcre2_get_ovector_pointer(md);
					for (j = 0; j < set.nr; j++)
						if (holds(subject.buf + ov[0], ov[1] - ov[0], &set.items[j]))
							break;
					if (j == set.nr)
						fail_msg("/%s/ matched '%.*s' in '%s', which holds none of its literals",
							 pat.buf, (int)(ov[1] - ov[0]), subject.buf + ov[0],
							 subject.buf);
					checked++;
				}
				strbuf_release(&subject);
			}
		}
		pcre2_code_free(code);
		literal_set_release(&set);
		strbuf_release(&pat);
	}
	pcre2_match_data_free(md);
	assert_true(checked > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_examples_hold_a_literal),
		cmocka_unit_test(test_random_patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
