/* test_fuzz_regressions.c - replays, through the fuzz harness, every input a
 * fuzzer found a bug with (tests/fuzz/regressions/<target>/) and the seed
 * corpora (tests/fuzz/corpus/<target>/), so each bug stays fixed in `make
 * check`, and under ASan+UBSan with SANITIZE=1. */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>

/* The harness is compiled in whole: a unit test is built from one source. */
#include "../fuzz/harness.c"

typedef const char *(*harness_fn)(const uint8_t *data, size_t size);

/* Run every file of dir through run; returns how many ran. A missing
 * folder runs none. */
static size_t replay_dir(const char *dir, harness_fn run)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t ran = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct strbuf data = STRBUF_INIT;
		char *path, buf[65536];
		const char *why;
		size_t n;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		path = xstrfmt("%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			fail_msg("cannot open %s", path);
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(&data, buf, n);
		fclose(f);
		why = run((const uint8_t *)data.buf, data.len);
		if (why)
			fail_msg("%s: %s", path, why);
		ran++;
		strbuf_release(&data);
		free(path);
	}
	closedir(d);
	return ran;
}

/* The regressions of target, then its seeds (which must be there: they
 * prove the folder names are right). */
static void replay(const char *target, harness_fn run)
{
	char *dir = xstrfmt("tests/fuzz/regressions/%s", target);

	replay_dir(dir, run);
	free(dir);
	dir = xstrfmt("tests/fuzz/corpus/%s", target);
	assert_true(replay_dir(dir, run) > 0);
	free(dir);
}

static void test_log(void **state)
{
	(void)state;
	replay("log", harness_log);
}

static void test_json(void **state)
{
	(void)state;
	replay("json", harness_json);
}

static void test_rules(void **state)
{
	(void)state;
	replay("rules", harness_rules);
}

static void test_markdown(void **state)
{
	(void)state;
	replay("markdown", harness_markdown);
}

/* The checks themselves must catch what they look for. */
static void test_checks_catch(void **state)
{
	static const char *const bad_markdown[] = {
		"no marker\n",
		REPORT_MARKER "\n```text\n>     1 | x\n```\n```\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\n```text\n>     1 | x\n````\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\n```text\nescaped\n```\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\nhi <img src=x>\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\nhi @octocat\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\nhi &#64;octocat\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\nsee \\#123\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\nan ` open span\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\n| # | Category | Finding | Where |\n| 1 | a | b | c | d |\n"
			"<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\n<details>\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\n\033[2J\n<sub>buildsleuth x</sub>\n",
		REPORT_MARKER "\n~~~\n<sub>buildsleuth x</sub>\n",
	};
	static const char good[] = REPORT_MARKER "\nok `<b>@x` and &lt;b&gt; \\@ \n"
		"```text\n>     1 | ```` <b> @x\n```\n<sub>buildsleuth x</sub>\n";
	size_t i;

	(void)state;
	assert_null(check_markdown(good, sizeof(good) - 1));
	for (i = 0; i < ARRAY_SIZE(bad_markdown); i++)
		if (!check_markdown(bad_markdown[i], strlen(bad_markdown[i])))
			fail_msg("check_markdown missed case %zu", i);
	assert_non_null(check_text("a\xc2\x9b", 3));
	assert_non_null(check_text("a\xff", 2));
	assert_null(check_text("a\tb\n\xc3\xa9", 6));
	assert_non_null(check_json("{\"a\": NaN}", 10, 0));
	assert_non_null(check_json("{}\n{", 4, 1));
	assert_null(check_json("{}\n[1]\n", 7, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks_catch),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_markdown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	harness_release();
	return failed;
}
