/* test_suggest.c - "did you mean": edit distances (swaps count one), which
 * candidates are close enough to suggest, ties kept in order, and the
 * words too long to compare. */
#include <stdio.h>

#include "unit.h"
#include "buildsleuth/suggest.h"

struct distance_row {
	const char *a, *b;
	size_t expected;
};

static void test_distance(void **state)
{
	static const struct distance_row rows[] = {
		{ "", "", 0 },
		{ "", "abc", 3 },
		{ "abc", "", 3 },
		{ "diagnose", "diagnose", 0 },
		{ "diagnsoe", "diagnose", 1 },  /* a swap is one edit */
		{ "dignose", "diagnose", 1 },
		{ "analyse", "analyze", 1 },
		{ "audits", "audit", 1 },
		{ "ca", "abc", 3 },             /* optimal string alignment: no edit after a swap */
		{ "commit", "comment", 2 },
		{ "kitten", "sitting", 3 },
		{ "status", "rules", 5 },
	};
	size_t i, got;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		got = suggest_distance(rows[i].a, rows[i].b);
		if (got != rows[i].expected)
			fail_msg("row %zu: '%s' to '%s' is %zu, expected %zu", i, rows[i].a, rows[i].b,
				 got, rows[i].expected);
	}
}

struct closest_row {
	const char *word;
	const char *expected; /* the suggestions, joined by spaces */
};

static void test_closest(void **state)
{
	static const char *const commands[] = {
		"diagnose", "analyze", "fetch", "watch", "comment", "audit", "rules", "help", NULL
	};
	static const struct closest_row rows[] = {
		{ "diagnsoe", "diagnose" },
		{ "diag", "diagnose" },       /* the start of a name */
		{ "d", "" },                  /* one letter starts too much */
		{ "rule", "rules" },
		{ "hepl", "help" },
		{ "foo", "" },
		{ "build", "" },
		{ "commit", "comment" },
		{ "wat", "watch" },
		{ "a", "" },
		{ "au", "audit" },
		{ "x", "" },
		{ "", "" },
	};
	const char *out[4];
	char joined[256];
	size_t i, j, nr, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		nr = suggest_closest(rows[i].word, commands, out, ARRAY_SIZE(out));
		joined[0] = '\0';
		for (j = 0, len = 0; j < nr; j++)
			len += (size_t)snprintf(joined + len, sizeof(joined) - len, "%s%s",
						j ? " " : "", out[j]);
		if (strcmp(joined, rows[i].expected))
			fail_msg("row %zu: '%s' gave [%s], expected [%s]", i, rows[i].word, joined,
				 rows[i].expected);
	}
}

/* Ties are all kept, in the candidates' order, up to max. */
static void test_ties(void **state)
{
	static const char *const options[] = {
		"format", "retries", "region", "rules", "timeout", NULL
	};
	const char *out[2];

	(void)state;
	assert_int_equal(suggest_closest("re", options, out, 2), 2);
	assert_string_equal(out[0], "retries");
	assert_string_equal(out[1], "region");
	assert_int_equal(suggest_closest("r", options, out, 2), 0);
	/* a start beats a typo: "rul" starts rules, one edit from nothing closer */
	assert_int_equal(suggest_closest("rul", options, out, 2), 1);
	assert_string_equal(out[0], "rules");
	assert_int_equal(suggest_closest("re", options, out, 1), 1);
	assert_string_equal(out[0], "retries");
}

static void test_too_long(void **state)
{
	static const char *const names[] = { "diagnose", NULL };
	char word[SUGGEST_MAX_LEN + 2];
	const char *out[1];

	(void)state;
	memset(word, 'a', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	assert_int_equal(suggest_distance(word, "diagnose"), SIZE_MAX);
	assert_int_equal(suggest_closest(word, names, out, 1), 0);
	word[SUGGEST_MAX_LEN] = '\0';
	assert_int_equal(suggest_distance(word, ""), SUGGEST_MAX_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
