/* test_phase.c - the CodeBuild phase tracker over whole logs: every wording
 * of phase lines, the first failed phase, later phases after a failure. */
#include "unit.h"
#include "buildsleuth/log.h"

struct row {
	const char *name;
	const char *log;
	enum build_phase failed;
	size_t failed_first, failed_last; /* 1-based, when failed */
	const char *phases;               /* one letter per line: phase of each */
};

/* phase letters: - none, D download, I install, P pre_build, B build,
 * O post_build, U upload, F finalizing, C completed */
static char letter(enum build_phase p)
{
	switch (p) {
	case PHASE_DOWNLOAD_SOURCE: return 'D';
	case PHASE_INSTALL: return 'I';
	case PHASE_PRE_BUILD: return 'P';
	case PHASE_BUILD: return 'B';
	case PHASE_POST_BUILD: return 'O';
	case PHASE_UPLOAD_ARTIFACTS: return 'U';
	case PHASE_FINALIZING: return 'F';
	case PHASE_COMPLETED: return 'C';
	case PHASE_NONE: return '-';
	default: return '?';
	}
}

static const struct row rows[] = {
	{ "no framing", "docker build .\nERROR: x\n", PHASE_NONE, 0, 0, "--" },
	{ "modern wording with and without colon",
	  "[Container] 2026/01/28 20:46:51.423722 Entering phase INSTALL\n"
	  "x\n"
	  "[Container] 2026/01/28 20:46:52 Phase complete: INSTALL State: SUCCEEDED\n"
	  "[Container] 2026/03/04 10:00:00 Entering phase: BUILD\n"
	  "boom\n"
	  "[Container] 2026/01/28 20:48:46.742551 Phase complete: BUILD State: FAILED\n"
	  "[Container] 2026/01/28 20:48:46.742573 Phase context status code: COMMAND_EXECUTION_ERROR Message: x\n"
	  "[Container] 2026/01/28 20:48:46.8 Entering phase POST_BUILD\n"
	  "[Container] 2026/01/28 20:48:47 Phase complete: POST_BUILD State: SUCCEEDED\n",
	  PHASE_BUILD, 4, 7, "IIIBBBBOO" },
	{ "first phase announced as Phase is",
	  "[Container] 2026/01/28 20:46:49 Phase is DOWNLOAD_SOURCE\n"
	  "[Container] 2026/01/28 20:46:49 Phase complete: DOWNLOAD_SOURCE State: FAILED\n"
	  "[Container] 2026/01/28 20:46:50 Phase context status code: CLIENT_ERROR Message: x\n"
	  "[Container] 2026/01/28 20:46:51 Entering phase FINALIZING\n",
	  PHASE_DOWNLOAD_SOURCE, 1, 3, "DDDF" },
	{ "old Success: false wording",
	  "[Container] 2018/01/28 20:46:51 Entering phase PRE_BUILD\n"
	  "[Container] 2018/01/28 20:46:52 Phase complete: PRE_BUILD Success: true\n"
	  "[Container] 2018/01/28 20:46:53 Entering phase BUILD\n"
	  "[Container] 2018/01/28 20:46:54 Phase complete: BUILD Success: false\n"
	  "[Container] 2018/01/28 20:46:55 Entering phase POST_BUILD\n",
	  PHASE_BUILD, 3, 4, "PPBBO" },
	{ "the first failure wins over later ones",
	  "[Container] 2026/01/28 20:46:51 Entering phase BUILD\n"
	  "[Container] 2026/01/28 20:46:52 Phase complete: BUILD State: FAILED\n"
	  "[Container] 2026/01/28 20:46:53 Entering phase POST_BUILD\n"
	  "[Container] 2026/01/28 20:46:54 Phase complete: POST_BUILD State: FAILED\n",
	  PHASE_BUILD, 1, 2, "BBOO" },
	{ "timed out counts as failed",
	  "[Container] 2026/01/28 20:46:51 Entering phase BUILD\n"
	  "downloading\n"
	  "[Container] 2026/01/28 21:46:51 Phase complete: BUILD State: TIMED_OUT\n",
	  PHASE_BUILD, 1, 3, "BBB" },
	{ "framing without the CodeBuild prefix",
	  "Entering phase INSTALL\nPhase complete: INSTALL State: FAULT\n",
	  PHASE_INSTALL, 1, 2, "II" },
	{ "all succeeded",
	  "[Container] 2026/01/28 20:46:51 Entering phase BUILD\n"
	  "[Container] 2026/01/28 20:46:52 Phase complete: BUILD State: SUCCEEDED\n",
	  PHASE_NONE, 0, 0, "BB" },
	{ "unknown phase names and look-alikes are ignored",
	  "[Container] 2026/01/28 20:46:51 Entering phase WHATEVER\n"
	  "echo Entering phase BUILD\n"
	  "[Container] 2026/01/28 20:46:52 Phase complete: BUILD State: FAILED\n",
	  PHASE_BUILD, 3, 3, "--B" },
};

static void test_rows(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct log log;
		char got[64];

		log_init(&log, 0);
		log_add_text(&log, r->log, strlen(r->log));
		for (k = 0; k < log.nr && k < sizeof(got) - 1; k++)
			got[k] = letter(log.lines[k].phase);
		got[k] = '\0';
		if (strcmp(got, r->phases))
			fail_msg("%s: phases [%s], want [%s]", r->name, got, r->phases);
		if (log.phases.failed != r->failed)
			fail_msg("%s: failed phase %d, want %d", r->name, log.phases.failed, r->failed);
		if (r->failed != PHASE_NONE &&
		    (log.phases.failed_first_line + 1 != r->failed_first ||
		     log.phases.failed_last_line + 1 != r->failed_last))
			fail_msg("%s: failed lines %zu..%zu, want %zu..%zu", r->name,
				 log.phases.failed_first_line + 1, log.phases.failed_last_line + 1,
				 r->failed_first, r->failed_last);
		log_release(&log);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(phase_name(PHASE_UPLOAD_ARTIFACTS), "UPLOAD_ARTIFACTS");
	assert_null(phase_name(PHASE_NONE));
	assert_int_equal(phase_from_name("PRE_BUILD", 9), PHASE_PRE_BUILD);
	assert_int_equal(phase_from_name("PRE_BUIL", 8), PHASE_NONE);
}

/* the agent's own lines, as the error-line search leaves them out */
static void test_agent_lines(void **state)
{
	static const struct { const char *s; bool agent; } rows[] = {
		{ "Entering phase BUILD", true },
		{ "Phase complete: BUILD State: FAILED", true },
		{ "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: docker build . Reason: exit status 1", true },
		{ "Running command docker build -t app .", true },
		{ "Waiting for agent ping", true },
		{ "Phase is DOWNLOAD_SOURCE", true },
		{ "ERROR: failed to solve: process did not complete successfully", false },
		{ "Running setup.py install for psutil: finished with status 'error'", false },
		{ "Phase", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (phase_agent_line(rows[i].s, strlen(rows[i].s)) != rows[i].agent)
			fail_msg("row %zu [%s]: want %d", i, rows[i].s, rows[i].agent);
}

static void test_lines_and_offsets(void **state)
{
	struct log log;
	static const char text[] = "one\r\ntwo\n\nfour";

	(void)state;
	log_init(&log, 0);
	log_add_text(&log, text, sizeof(text) - 1);
	assert_int_equal(log.nr, 4);
	assert_int_equal(log.lines[0].length, 3); /* CRLF: the \r is dropped */
	assert_memory_equal(log_line_text(&log, 3), "four", 4);
	assert_int_equal(log_line_at(&log, 0), 0);
	assert_int_equal(log_line_at(&log, 4), 1);
	assert_int_equal(log_line_at(&log, 8), 2);
	assert_int_equal(log_line_at(&log, 9), 3);
	log_release(&log);

	log_init(&log, 8);
	assert_int_equal(log_add_text(&log, "12345\n6789\n", 11), LOG_TOOBIG);
	log_release(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_agent_lines),
		cmocka_unit_test(test_lines_and_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
