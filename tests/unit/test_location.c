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

/* The built-in rules on real lines: the patterns capture what the
 * locations need, and the whole pack links. */
struct pack_row {
	const char *line;
	const char *rule;
	const char *dockerfile;
	const char *want_file; /* NULL: no location */
	unsigned long want_line;
};

static const struct pack_row pack_rows[] = {
	{ "#9 0.4 ERROR: Invalid requirement: 'pip install transformers==4.42.0' (from line 1 of requirements.txt)",
	  "pip.invalid-requirement", NULL, "requirements.txt", 1 },
	{ "#9 0.7 ERROR: Invalid requirement: 'openai==>1.2': Expected end or semicolon (after name and no valid version specifier)",
	  "pip.invalid-requirement", NULL, NULL, 0 },
	{ "#7 3.02 ERROR: Double requirement given: numpy>=1.24 (from -r requirements-ml.txt (line 3)) (already in numpy==1.23.5 (from -r requirements.txt (line 9)), name='numpy')",
	  "pip.double-requirement", NULL, "requirements-ml.txt", 3 },
	{ "    torch==2.1.0 from https://download.pytorch.org/whl/torch-2.1.0-cp310-linux_x86_64.whl#sha256=a81b (from -r /app/requirements.txt (line 4)):",
	  "pip.hash-mismatch-package", NULL, "requirements.txt", 4 },
	{ "#1 WARN: CopyIgnoredFile: Attempting to Add file \"bot.py\" that is excluded by .dockerignore (line 9)",
	  "docker.copy-ignored-file", "deploy/Dockerfile", "deploy/Dockerfile", 9 },
	{ "ERROR: failed to solve: dockerfile parse error on line 5: unknown instruction: RUNN (did you mean RUN?)",
	  "docker.unknown-instruction", NULL, "Dockerfile", 5 },
	{ "ERROR: failed to solve: dockerfile parse error on line 20: Unknown flag: mount",
	  "docker.dockerfile-parse-error", "./Dockerfile.cloud", "Dockerfile.cloud", 20 },
	{ "error building image: parsing dockerfile: dockerfile parse error line 37: Unknown flag: link",
	  "kaniko.dockerfile-parse-error", NULL, "Dockerfile", 37 },
	{ "#10 ERROR: failed to calculate checksum of ref 4e9f2b1c::k2m9: \"/requirements.txt\": not found",
	  "docker.copy-source-missing", NULL, "requirements.txt", 0 },
	{ "error building image: error building stage: failed to get files used from context: failed to get fileinfo for /kaniko/buildcontext/requirements.txt: lstat /kaniko/buildcontext/requirements.txt: no such file or directory",
	  "kaniko.copy-source-missing", NULL, "requirements.txt", 0 },
	{ "Docker build failed: COPY failed - file not found: uv.lock", "pipecat.copy-file-not-found", NULL, "uv.lock", 0 },
	{ "error: No `project` table found in: `/app/pyproject.toml`", "uv.no-project-table", NULL, "pyproject.toml", 0 },
	{ "error: No `project` table found in: `/home/dev/proj/pyproject.toml`", "uv.no-project-table", NULL, NULL, 0 },
	{ "#14 7.381 The lockfile at `uv.lock` needs to be updated, but `--locked` was provided. To update the lockfile, run `uv lock`.",
	  "uv.lockfile-outdated", NULL, "uv.lock", 0 },
	{ "pyproject.toml changed significantly since poetry.lock was last generated. Run `poetry lock` to fix the lock file.",
	  "poetry.lock-outdated", NULL, "poetry.lock", 0 },
	{ "#11 0.611 *** Error compiling './bot.py'...", "python.compileall-error", NULL, "bot.py", 0 },
};

static void test_builtin_pack(void **state)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	const struct rule *cause;
	size_t i, k;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_builtin(&rs, &causes), RULES_OK);
	assert_int_equal(ruleset_link(&rs, &causes), RULES_OK);
	cause = ruleset_find(&rs, "python.header-missing");
	assert_non_null(cause);
	for (k = 0; k < cause->explains.nr; k++)
		if (cause->explains_rules[k] == ruleset_find(&rs, "pip.wheel-build-failed"))
			break;
	assert_true(k < cause->explains.nr);

	for (i = 0; i < ARRAY_SIZE(pack_rows); i++) {
		const struct pack_row *row = &pack_rows[i];
		struct log log;
		struct match_result res = { 0 };
		struct causes warnings = CAUSES_INIT;
		struct resolved_location got;
		const struct rule_hits *h = NULL;
		bool ok;

		log_init(&log, 0);
		log_add_text(&log, row->line, strlen(row->line));
		match_log(&rs, &log, &res, &warnings);
		for (k = 0; k < res.nr; k++)
			if (!strcmp(res.hits[k].rule->id, row->rule))
				h = &res.hits[k];
		if (!h)
			fail_msg("%s: %s did not match", row->rule, row->line);
		ok = rule_location_resolve(h->rule, h, row->dockerfile, &got);
		if (!row->want_file && ok)
			fail_msg("%s: resolved to %s:%lu, want no location", row->line, got.file, got.line);
		if (row->want_file && (!ok || strcmp(got.file, row->want_file) || got.line != row->want_line))
			fail_msg("%s: got %s:%lu, want %s:%lu", row->line, ok ? got.file : "(none)",
				 got.line, row->want_file, row->want_line);
		resolved_location_release(&got);
		match_result_release(&res);
		causes_release(&warnings);
		log_release(&log);
	}
	ruleset_release(&rs);
}

/* --source-dir DIR: made plain, or refused */
static void test_normalize_dir(void **state)
{
	static const struct { const char *in, *want; } dirs[] = {
		{ ".", "" }, { "./", "" }, { "", "" }, { "app", "app" }, { "./app/", "app" },
		{ "app//src", "app/src" }, { ".//app/./src//", "app/src" }, { "a.b/..c", "a.b/..c" },
		{ "..", NULL }, { "app/../x", NULL }, { "app/..", NULL }, { "/app", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		char *out = NULL;
		bool ok = location_normalize_dir(dirs[i].in, &out);

		if (!dirs[i].want) {
			assert_false(ok);
			assert_null(out);
			continue;
		}
		assert_true(ok);
		assert_string_equal(out, dirs[i].want);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_builtin_pack),
		cmocka_unit_test(test_normalize_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
