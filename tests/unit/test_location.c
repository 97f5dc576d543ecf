/* test_location.c - resolving a rule's location for a finding: templates
 * filled from the first occurrence's captures, {dockerfile}, paths made
 * relative to the build context, lines that are not numbers. */
#include "unit.h"
#include "buildsleuth/location.h"

#define CAPTURES_MAX 3

struct row {
	const char *name;
	const char *file_template;  /* NULL: the rule has no location */
	const char *line_template;  /* NULL: none */
	/* name, value at the first occurrence (NULL: did not take part) */
	struct { const char *name, *first; } captures[CAPTURES_MAX];
	const char *dockerfile;     /* the build's dockerfilePath, may be NULL */
	const char *want_file;      /* NULL: no location */
	unsigned long want_line;
};

static const struct row rows[] = {
	{ "requirements file and line", "{file}", "{line}",
	  { { "file", "requirements.txt" }, { "line", "3" } }, NULL, "requirements.txt", 3 },
	{ "no line template", "{path}", NULL, { { "path", "pyproject.toml" } }, NULL, "pyproject.toml", 0 },
	{ "no location", NULL, NULL, { { "path", "x" } }, NULL, NULL, 0 },
	{ "leading ./", "{path}", NULL, { { "path", "./requirements/prod.txt" } }, NULL, "requirements/prod.txt", 0 },
	{ "several ./", "{path}", NULL, { { "path", ".//./a.txt" } }, NULL, "a.txt", 0 },
	{ "COPY source from the context root", "{path}", NULL, { { "path", "/requirements.txt" } }, NULL,
	  "requirements.txt", 0 },
	{ "pipecat-base WORKDIR", "{path}", NULL, { { "path", "/app/requirements/prod.txt" } }, NULL,
	  "requirements/prod.txt", 0 },
	{ "an image path outside the context", "{path}", NULL, { { "path", "/usr/lib/python3/x.py" } }, NULL, NULL, 0 },
	{ "a temporary file", "{path}", NULL, { { "path", "/tmp/pip-req-build-x/setup.py" } }, NULL, NULL, 0 },
	{ "lib64", "{path}", NULL, { { "path", "/lib64/ld.so" } }, NULL, NULL, 0 },
	{ "a context folder named like a system one", "{path}", NULL, { { "path", "/library/x.txt" } }, NULL,
	  "library/x.txt", 0 },
	{ "escapes the context", "{path}", NULL, { { "path", "../shared/requirements.txt" } }, NULL, NULL, 0 },
	{ "escapes the context further in", "{path}", NULL, { { "path", "a/../../b" } }, NULL, NULL, 0 },
	{ "dots in a name are fine", "{path}", NULL, { { "path", "a/..b/c..txt" } }, NULL, "a/..b/c..txt", 0 },
	{ "nothing left", "{path}", NULL, { { "path", "./" } }, NULL, NULL, 0 },
	{ "the context root itself", "{path}", NULL, { { "path", "/" } }, NULL, NULL, 0 },
	{ "file capture did not take part", "{file}", "{line}", { { "file", NULL }, { "line", "3" } }, NULL, NULL, 0 },
	{ "line capture did not take part", "{file}", "{line}", { { "file", "r.txt" }, { "line", NULL } }, NULL, "r.txt", 0 },
	{ "line not a number", "{file}", "{line}", { { "file", "r.txt" }, { "line", "3a" } }, NULL, "r.txt", 0 },
	{ "line zero", "{file}", "{line}", { { "file", "r.txt" }, { "line", "0" } }, NULL, "r.txt", 0 },
	{ "line negative", "{file}", "{line}", { { "file", "r.txt" }, { "line", "-2" } }, NULL, "r.txt", 0 },
	{ "line too large", "{file}", "{line}", { { "file", "r.txt" }, { "line", "99999999999999999999999" } }, NULL,
	  "r.txt", 0 },
	{ "dockerfile by default", "{dockerfile}", "{line}", { { "line", "12" } }, NULL, "Dockerfile", 12 },
	{ "dockerfile empty means the default", "{dockerfile}", "{line}", { { "line", "12" } }, "", "Dockerfile", 12 },
	{ "dockerfile from the build record", "{dockerfile}", "{line}", { { "line", "7" } }, "./docker/Dockerfile.prod",
	  "docker/Dockerfile.prod", 7 },
	{ "a dockerfile path with braces is not a template", "{dockerfile}", NULL, { { "line", "7" } }, "df/{line}",
	  "df/{line}", 0 },
	{ "a capture with braces is not a template", "{path}", NULL, { { "path", "{dockerfile}" } }, NULL,
	  "{dockerfile}", 0 },
	{ "template text around captures", "requirements/{env}.txt", NULL, { { "env", "prod" } }, NULL,
	  "requirements/prod.txt", 0 },
	{ "a constant file", "poetry.lock", NULL, { { NULL, NULL } }, NULL, "poetry.lock", 0 },
	{ "line from a template with text", "{file}", "{line}0", { { "file", "r.txt" }, { "line", "4" } }, NULL, "r.txt", 40 },
};

static void test_resolve(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *row = &rows[i];
		struct rule_location loc = { (char *)row->file_template, (char *)row->line_template };
		struct rule rule = { 0 };
		struct capture captures[CAPTURES_MAX];
		struct rule_hits hits = { 0 };
		struct resolved_location got;
		bool ok;

		memset(captures, 0, sizeof(captures));
		rule.id = "t.rule";
		rule.location = row->file_template ? &loc : NULL;
		hits.rule = &rule;
		hits.count = 1;
		hits.captures = captures;
		for (k = 0; k < CAPTURES_MAX && row->captures[k].name; k++) {
			captures[k].name = row->captures[k].name;
			captures[k].first = (char *)row->captures[k].first;
			hits.captures_nr++;
		}
		memset(&got, 0xff, sizeof(got));
		ok = rule_location_resolve(&rule, &hits, row->dockerfile, &got);
		if (!row->want_file) {
			if (ok || got.file || got.line)
				fail_msg("%s: resolved to %s:%lu, want no location", row->name,
					 got.file ? got.file : "(null)", got.line);
			continue;
		}
		if (!ok)
			fail_msg("%s: no location, want %s:%lu", row->name, row->want_file, row->want_line);
		if (strcmp(got.file, row->want_file) || got.line != row->want_line)
			fail_msg("%s: got %s:%lu, want %s:%lu", row->name, got.file, got.line,
				 row->want_file, row->want_line);
		resolved_location_release(&got);
		assert_null(got.file);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
