/* test_strset.c - the string set: adds and lookups in order (a row says
 * whether each add is new), growth past many resizes, and release. */
#include <stdio.h>

#include "unit.h"
#include "buildsleuth/strset.h"

struct row {
	const char *op;   /* "add" or "has" */
	const char *s;
	bool expected;    /* add: it was new; has: it is there */
};

static void test_rows(void **state)
{
	static const struct row rows[] = {
		{ "has", "", false },
		{ "add", "t1", true },
		{ "has", "t1", true },
		{ "add", "t1", false },
		{ "has", "t2", false },
		{ "add", "", true },
		{ "has", "", true },
		{ "add", "T1", true },
		{ "add", "t1 ", true },
		{ "has", "t", false },
		{ "add", "QUJDREVG+/==", true },
		{ "add", "QUJDREVG+/==", false },
	};
	struct strset set = STRSET_INIT;
	size_t i, added = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		bool got;

		if (!strcmp(rows[i].op, "add")) {
			got = strset_add(&set, rows[i].s);
			added += got;
		} else {
			got = strset_contains(&set, rows[i].s);
		}
		if (got != rows[i].expected)
			fail_msg("row %zu: %s '%s' gave %d", i, rows[i].op, rows[i].s, got);
	}
	assert_int_equal(set.nr, added);
	strset_release(&set);
	assert_int_equal(set.nr, 0);
	assert_false(strset_contains(&set, "t1"));
	strset_release(&set); /* twice is fine */
}

/* Enough strings for many resizes: each found once, none twice. */
static void test_many(void **state)
{
	struct strset set;
	char s[32];
	size_t i;

	(void)state;
	strset_init(&set);
	for (i = 0; i < 5000; i++) {
		snprintf(s, sizeof(s), "token-%zu", i);
		assert_true(strset_add(&set, s));
	}
	for (i = 0; i < 5000; i++) {
		snprintf(s, sizeof(s), "token-%zu", i);
		assert_true(strset_contains(&set, s));
		assert_false(strset_add(&set, s));
	}
	assert_false(strset_contains(&set, "token-5000"));
	assert_int_equal(set.nr, 5000);
	assert_true(set.alloc >= 2 * set.nr);
	strset_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
