/* test_rank.c - ranking order (specific before fallback, priority, failed
 * phase, earliest; fallback findings dropped beside a specific one),
 * placeholders, and the unknown diagnosis built from the likeliest lines. */
#include "unit.h"
#include "buildsleuth/analysis.h"

#define RULE(id, cat, prio, fb, pat) \
	"{\"id\": \"" id "\", \"title\": \"" id "\", \"category\": \"" cat "\", \"priority\": " #prio ", " \
	"\"fallback\": " fb ", \"patterns\": [\"" pat "\"], \"summary\": \"s\", \"hint\": \"h\", " \
	"\"examples\": {\"match\": [\"x\"]}}"

static const char rules_json[] = "{\"rules\": ["
	RULE("b.low", "network", 50, "false", "BBB") ","
	RULE("c.fallback", "unknown", 99, "true", "exit code") ","
	RULE("a.high", "network", 90, "false", "AAA") ","
	RULE("d.same", "network", 50, "false", "DDD") ","
	RULE("e.same-later", "network", 50, "false", "EEE")
	"]}";

static void load(struct ruleset *rs)
{
	struct causes causes = CAUSES_INIT;

	ruleset_init(rs);
	if (ruleset_load_buffer(rs, "t.json", rules_json, sizeof(rules_json) - 1, false, &causes)) {
		causes_print(&causes, stderr);
		fail_msg("test rules do not load");
	}
}

static void diagnose(const struct ruleset *rs, const char *text, struct source *src,
		     struct diagnoses *d)
{
	struct causes warnings = CAUSES_INIT;

	source_init(src, SOURCE_STDIN);
	log_add_text(&src->log, text, strlen(text));
	analysis_run(rs, src, d, &warnings);
	assert_int_equal(warnings.nr, 0);
}

static void test_order(void **state)
{
	static const char text[] =
		"Entering phase INSTALL\n"
		"BBB in install\n"                      /* 2 */
		"Phase complete: INSTALL State: SUCCEEDED\n"
		"Entering phase BUILD\n"
		"EEE in build\n"                        /* 5 */
		"DDD in build\n"                        /* 6 */
		"AAA in build\n"                        /* 7 */
		"AAA again\n"                           /* 8 */
		"step failed: exit code: 1\n"           /* 9 */
		"Phase complete: BUILD State: FAILED\n";
	/* c.fallback matched too: a generic finding is not shown beside a real one */
	static const char *const want[] = { "a.high", "e.same-later", "d.same", "b.low" };
	struct ruleset rs;
	struct source src;
	struct diagnoses d;
	size_t i;

	(void)state;
	load(&rs);
	diagnose(&rs, text, &src, &d);
	assert_int_equal(d.nr, 4);
	for (i = 0; i < d.nr; i++)
		assert_string_equal(d.items[i].id, want[i]);
	assert_int_equal(d.items[0].hits.count, 2);
	assert_int_equal(d.items[0].first_line, 6);
	assert_int_equal(d.items[0].phase, PHASE_BUILD);
	assert_true(d.items[0].hits.in_failed_phase);
	assert_false(d.items[3].hits.in_failed_phase);
	assert_true(diagnoses_known_cause(&d));
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
}

static void test_unknown_first_when_only_fallback(void **state)
{
	static const char text[] =
		"Entering phase BUILD\n"
		"ERROR: pip's dependency resolver does not currently take into account all the packages\n"
		"Collecting foo\n"
		"custom-tool: fatal: the frobnicator is misaligned\n"   /* 4 */
		"#9 ERROR: process \"/bin/sh -c ./frob\" did not complete successfully: exit code: 3\n"
		"Phase complete: BUILD State: FAILED\n"
		"Entering phase POST_BUILD\n"
		"ERROR: something after the failure\n";
	struct ruleset rs;
	struct source src;
	struct diagnoses d;

	(void)state;
	load(&rs);
	diagnose(&rs, text, &src, &d);
	assert_int_equal(d.nr, 1);
	assert_string_equal(d.items[0].id, "unknown");
	assert_int_equal(d.items[0].category, CATEGORY_UNKNOWN);
	assert_int_equal(d.items[0].hits.lines_nr, 1);
	assert_int_equal(d.items[0].hits.lines[0], 3);
	assert_string_equal(d.items[0].summary,
			    "No known failure signature matched; `./frob` exited with code 3 after printing: "
			    "custom-tool: fatal: the frobnicator is misaligned");
	/* the step's command and exit code are the failing step's facts now,
	 * read from the error line although the step's name was not logged */
	assert_int_equal(d.failed_step, 1);
	assert_string_equal(src.log.steps.steps[0].command, "./frob");
	assert_int_equal(src.log.steps.steps[0].exit_code, 3);
	assert_false(diagnoses_known_cause(&d));
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
}

/* A failed step's own last output lines, among parallel BuildKit steps. */
static void test_step_tail(void **state)
{
	static const char buildkit[] =
		"#7 [2/3] RUN ./gate.sh\n"
		"#7 0.10 gate: checking\n"                 /* 2 */
		"#8 0.11 other step says error: nothing\n"
		"#7 0.20 gate: asset a drifted\n"          /* 4 */
		"#7 0.30 gate: refusing to bake\n"         /* 5 */
		"#7 ERROR: process \"/bin/sh -c ./gate.sh\" did not complete successfully: exit code: 3\n"
		"ERROR: failed to solve: process \"/bin/sh -c ./gate.sh\" did not complete successfully: exit code: 3\n";
	static const char legacy[] =
		"Step 3/4 : RUN ./gate.sh\n"
		" ---> Running in 1a2b3c\n"
		"gate: asset a drifted\n"                  /* 3 */
		"The command '/bin/sh -c ./gate.sh' returned a non-zero code: 4\n";
	struct ruleset rs;
	struct source src;
	struct diagnoses d;

	(void)state;
	load(&rs);
	diagnose(&rs, buildkit, &src, &d);
	assert_string_equal(d.items[0].id, "unknown");
	assert_int_equal(d.items[0].hits.lines_nr, 3);
	assert_int_equal(d.items[0].hits.lines[0], 1);
	assert_int_equal(d.items[0].hits.lines[1], 3);
	assert_int_equal(d.items[0].hits.lines[2], 4);
	assert_string_equal(d.items[0].summary, "No known failure signature matched; `./gate.sh` (step 2/3) "
			    "exited with code 3 after printing: gate: refusing to bake");
	diagnoses_release(&d);
	source_release(&src);

	diagnose(&rs, legacy, &src, &d);
	assert_int_equal(d.items[0].hits.lines_nr, 1);
	assert_int_equal(d.items[0].hits.lines[0], 2);
	assert_string_equal(d.items[0].summary, "No known failure signature matched; `./gate.sh` (step 3/4) "
			    "exited with code 4 after printing: gate: asset a drifted");
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
}

static void test_no_failure(void **state)
{
	static const char text[] = "Entering phase BUILD\nall good\nPhase complete: BUILD State: SUCCEEDED\n";
	struct ruleset rs;
	struct source src;
	struct diagnoses d;

	(void)state;
	load(&rs);
	diagnose(&rs, text, &src, &d);
	assert_int_equal(d.nr, 0);
	diagnoses_release(&d);
	source_release(&src);

	/* no framing at all: still a failure to explain */
	diagnose(&rs, "hello\nworld\n", &src, &d);
	assert_int_equal(d.nr, 1);
	assert_string_equal(d.items[0].id, "unknown");
	assert_int_equal(d.items[0].hits.lines_nr, 2);
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
}

static void test_placeholders(void **state)
{
	struct rule_hits h;
	struct capture caps[2];
	char *s;

	(void)state;
	memset(&h, 0, sizeof(h));
	memset(caps, 0, sizeof(caps));
	caps[0].name = "pkg";
	caps[0].first = "numpy==9";
	caps[1].name = "unset";
	h.captures = caps;
	h.captures_nr = 2;
	s = fill_placeholders("no {pkg} here {unset} {other} {x", &h);
	assert_string_equal(s, "no numpy==9 here ? {other} {x");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_unknown_first_when_only_fallback),
		cmocka_unit_test(test_step_tail),
		cmocka_unit_test(test_no_failure),
		cmocka_unit_test(test_placeholders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
