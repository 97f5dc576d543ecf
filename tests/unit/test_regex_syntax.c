/* test_regex_syntax.c - the pattern syntax reader shared by the prefilter
 * and the `rules check` lint: quantifiers (with the '{' PCRE2 reads as
 * text), escapes and character classes, each as the bytes it takes. */
#include "unit.h"
#include "buildsleuth/regex_syntax.h"

static void test_quantifier(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		bool at_least_one, unbounded, possessive, odd_brace;
	} rows[] = {
		{ "", 0, false, false, false, false },
		{ "a+", 0, false, false, false, false },
		{ "?x", 1, false, false, false, false },
		{ "*", 1, false, true, false, false },
		{ "+", 1, true, true, false, false },
		{ "++", 2, true, true, true, false },
		{ "*?", 2, false, true, false, false },
		{ "{3}", 3, true, false, false, false },
		{ "{0}", 3, false, false, false, false },
		{ "{2,}", 4, true, true, false, false },
		{ "{0,}+", 5, false, true, true, false },
		{ "{2,5}?", 6, true, false, false, false },
		{ "{", 0, false, false, false, true },
		{ "{,3}", 0, false, false, false, true },
		{ "{ 3 }", 0, false, false, false, true },
		{ "{3", 0, false, false, false, true },
		{ "{3,a}", 0, false, false, false, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct regex_quantifier q;
		const char *p = rows[i].in;
		size_t n = regex_read_quantifier(p, p + strlen(p), &q);

		if (n != rows[i].len || q.at_least_one != rows[i].at_least_one ||
		    q.unbounded != rows[i].unbounded || q.possessive != rows[i].possessive ||
		    q.odd_brace != rows[i].odd_brace)
			fail_msg("'%s': %zu %d %d %d %d", p, n, q.at_least_one, q.unbounded,
				 q.possessive, q.odd_brace);
	}
}

static void test_escape_and_class(void **state)
{
	static const struct { const char *in; size_t escape, class; } rows[] = {
		{ "\\", 1, 0 },
		{ "\\d+", 2, 0 },
		{ "\\x{41}b", 6, 0 },
		{ "\\p{Lu}", 6, 0 },
		{ "\\k<name>x", 8, 0 },
		{ "\\g'1'", 5, 0 },
		{ "\\Qa.b\\Ec", 7, 0 },
		{ "\\Qa.b", 5, 0 },
		{ "\\cXy", 3, 0 },
		{ "\\\xc3\xa9x", 3, 0 },
		{ "[abc]d", 0, 5 },
		{ "[^]a]b", 0, 5 },
		{ "[]]", 0, 3 },
		{ "[[:alpha:]]x", 0, 11 },
		{ "[[.a.]]", 0, 7 },
		{ "[\\]]x", 0, 4 },
		{ "[\\c]]x", 0, 5 },
		{ "[\\x{5d}]", 0, 8 },
		{ "[abc", 0, 0 },
		{ "[[:alpha]", 0, 0 },
		{ "[\\Q]\\E]", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const char *p = rows[i].in, *end = p + strlen(p);
		size_t n = p[0] == '[' ? regex_class_len(p, end) : regex_escape_len(p, end);
		size_t want = p[0] == '[' ? rows[i].class : rows[i].escape;

		if (n != want)
			fail_msg("'%s': %zu, expected %zu", p, n, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantifier),
		cmocka_unit_test(test_escape_and_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
