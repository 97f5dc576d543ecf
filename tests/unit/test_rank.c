/* test_rank.c - ranking order (specific before fallback, priority, failed
 * phase, earliest; fallback findings dropped beside a specific one),
 * placeholders, the host of a network finding, and the unknown diagnosis
 * built from the likeliest lines. */
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

/* The likeliest error lines of a log without steps, found from the end
 * backwards a chunk at a time: apt's "E: " (too short for the literal
 * scan, looked for at line starts) and npm's "ERR!", caseless words with
 * the long s, a noise line that reads as an error, and lines enough
 * that the search crosses several chunks. */
static void test_error_lines(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ruleset rs;
	struct source src;
	struct diagnoses d;
	size_t i;

	(void)state;
	load(&rs);
	strbuf_addstr(&sb, "Entering phase BUILD\ne: the mirror said no\nnpm Err! code E404\n");
	for (i = 0; i < 3000; i++)
		strbuf_addf(&sb, "Collecting package-%04zu (from -r requirements.txt)\n", i);
	strbuf_addstr(&sb, "Traceback (most recent call last):\nconnection REFU\xc5\xbf" "ED by peer\n");
	for (i = 0; i < 500; i++)
		strbuf_addf(&sb, "Collecting package-%04zu (from -r requirements.txt)\n", i);
	strbuf_addstr(&sb, "npm WARN deprecated: error in frob\nPhase complete: BUILD State: FAILED\n");
	diagnose(&rs, sb.buf, &src, &d);
	assert_int_equal(d.nr, 1);
	assert_string_equal(d.items[0].id, "unknown");
	assert_int_equal(d.items[0].hits.lines_nr, 4);
	assert_int_equal(d.items[0].hits.lines[0], 1);
	assert_int_equal(d.items[0].hits.lines[1], 2);
	assert_int_equal(d.items[0].hits.lines[2], 3003);
	assert_int_equal(d.items[0].hits.lines[3], 3004);
	assert_string_equal(d.items[0].summary, "No known failure signature matched; the likeliest "
			    "error line is: connection REFU\xc5\xbf" "ED by peer");
	diagnoses_release(&d);
	source_release(&src);

	/* only noise reads as an error: the noise is quoted */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Entering phase BUILD\n");
	for (i = 0; i < 2000; i++)
		strbuf_addf(&sb, "Collecting package-%04zu\n", i);
	strbuf_addstr(&sb, "npm WARN deprecated: error in frob\nCollecting x\n"
		      "Phase complete: BUILD State: FAILED\n");
	diagnose(&rs, sb.buf, &src, &d);
	assert_int_equal(d.nr, 1);
	assert_int_equal(d.items[0].hits.lines_nr, 1);
	assert_int_equal(d.items[0].hits.lines[0], 2001);
	diagnoses_release(&d);
	source_release(&src);
	strbuf_release(&sb);
	ruleset_release(&rs);
}

/* A second rule set: a cause and the consequence it explains, a warning
 * seen in steps that succeeded, an application-error rule, rules without
 * captures of several categories, and inference tables (one of each kind). */
#define RULE2(id, cat, prio, extra, pat) \
	"{\"id\": \"" id "\", \"title\": \"" id "\", \"category\": \"" cat "\", \"priority\": " #prio ", " \
	extra "\"patterns\": [\"" pat "\"], \"summary\": \"s\", \"hint\": \"h\", " \
	"\"examples\": {\"match\": [\"x\"]}}"

static const char rules2_json[] = "{\"rules\": ["
	RULE2("t.header", "package-build", 80, "\"explains\": [\"t.wheel\"], ", "fatal error: (?<header>\\\\S+): No such file") ","
	RULE2("t.wheel", "package-build", 85, "", "Failed building wheel for (?<package>\\\\S+)") ","
	RULE2("t.warning", "platform", 60, "", "WARNING: platform mismatch") ","
	RULE2("t.syntax", "application", 60, "", "^SyntaxError: (?<message>.+)") ","
	RULE2("t.signature", "base-image", 88, "", "missing signature key") ","
	RULE2("t.crlf", "application", 91, "", "env: 'bash") ","
	RULE2("t.nofiles", "build-context", 70, "", "no source files were specified") ","
	RULE2("t.manifest", "platform", 70, "", "no matching manifest for") ","
	RULE2("t.platform", "platform", 70, "", "no variant for (?<platform>\\\\S+)") ","
	RULE2("t.killed", "resources", 70, "", "^Killed$") ","
	RULE2("t.meta", "package-build", 70, "", "× (?<step>[^\\\\n]+) did not run successfully") ","
	RULE2("t.dpkg", "system-packages", 70, "", "E: Sub-process (?<program>\\\\S+) returned an error code") ","
	RULE2("t.compile", "application", 70, "", "^Failed to compile\\\\.$") ","
	RULE2("t.method", "system-packages", 70, "", "^E: Method http has died") ","
	RULE2("t.stdlib", "python-environment", 70, "", "No module named '(?<module>imp)'") ","
	RULE2("t.copydest", "dockerfile", 80, "", "When using (?<instruction>COPY|ADD) with more than one source file")
	"], \"inference\": {"
	"\"wordings\": [{\"key\": \"network\", \"category\": \"network\", \"title\": \"Net\", \"hint\": \"hn\", "
	"\"patterns\": [\"Connection reset by peer\", \"Connection refused\"]}, "
	"{\"key\": \"python-environment\", \"category\": \"python-environment\", \"title\": \"Py\", "
	"\"hint\": \"hp\", \"patterns\": [\"externally-managed\"]}, "
	"{\"key\": \"dockerfile\", \"category\": \"dockerfile\", \"title\": \"Df\", "
	"\"hint\": \"hd\", \"patterns\": [\"the destination must be a folder\"]}], "
	"\"instructions\": [{\"key\": \"FROM\", \"category\": \"base-image\", \"title\": \"From\", \"hint\": \"hf\"}], "
	"\"exit_codes\": [{\"key\": \"137\", \"category\": \"resources\", \"title\": \"Killed\", \"hint\": \"hk\"}], "
	"\"tools\": [{\"key\": \"apt-get\", \"category\": \"system-packages\", \"title\": \"Apt\", \"hint\": \"ha\"}, "
	"{\"key\": \"npm\", \"category\": \"dependency-resolution\", \"title\": \"Npm\", \"hint\": \"hnpm\"}, "
	"{\"key\": \"npm run\", \"category\": \"application\", \"title\": \"Script\", \"hint\": \"hs\"}, "
	"{\"key\": \"python setup.py\", \"category\": \"package-build\", \"title\": \"Setup\", \"hint\": \"hsp\"}]"
	"}}";

static void load2(struct ruleset *rs)
{
	struct causes causes = CAUSES_INIT;

	ruleset_init(rs);
	if (ruleset_load_buffer(rs, "t2.json", rules2_json, sizeof(rules2_json) - 1, false, &causes) ||
	    ruleset_link(rs, &causes)) {
		causes_print(&causes, stderr);
		fail_msg("test rules 2 do not load");
	}
}

/* ids of the diagnoses of text, space-separated, "*" after an inferred one
 * and "<id" after one explained by id */
static char *ranked(const struct ruleset *rs, const char *text)
{
	struct source src;
	struct diagnoses d;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	diagnose(rs, text, &src, &d);
	for (i = 0; i < d.nr; i++) {
		strbuf_addf(&sb, "%s%s%s", i ? " " : "", d.items[i].id, d.items[i].inferred ? "*" : "");
		if (d.items[i].explained_by)
			strbuf_addf(&sb, "<%s", d.items[i].explained_by);
	}
	diagnoses_release(&d);
	source_release(&src);
	return strbuf_detach(&sb, NULL);
}

static void test_step_ranking(void **state)
{
	static const struct { const char *name, *text, *want; } rows[] = {
		{ "cause before consequence, in one step",
		  "#5 [2/3] RUN pip install pyaudio\n"
		  "#5 1.0 src/a.c:9:10: fatal error: portaudio.h: No such file or directory\n"
		  "#5 1.1 ERROR: Failed building wheel for pyaudio\n"
		  "#5 ERROR: process \"/bin/sh -c pip install pyaudio\" did not complete successfully: exit code: 1\n",
		  "t.header t.wheel<t.header" },
		{ "a cause in a step that succeeded explains nothing, and is not shown",
		  "#4 [1/3] RUN pip install other\n"
		  "#4 1.0 src/b.c:1:1: fatal error: x.h: No such file or directory\n"
		  "#4 DONE 2.0s\n"
		  "#5 [2/3] RUN pip install pyaudio\n"
		  "#5 1.1 ERROR: Failed building wheel for pyaudio\n"
		  "#5 ERROR: process \"/bin/sh -c pip install pyaudio\" did not complete successfully: exit code: 1\n",
		  "t.wheel" },
		{ "a warning of a step that succeeded gives way to inference",
		  "#4 [1/2] RUN ./check\n#4 0.1 WARNING: platform mismatch\n#4 DONE 0.2s\n"
		  "#5 [2/2] RUN pip install x\n#5 2.0 ConnectionResetError: Connection reset by peer\n"
		  "#5 ERROR: process \"/bin/sh -c pip install x\" did not complete successfully: exit code: 1\n",
		  "inferred.network*" },
		{ "and stays when nothing is known of the failing step",
		  "#4 [1/2] RUN ./check\n#4 0.1 WARNING: platform mismatch\n#4 DONE 0.2s\n"
		  "#5 [2/2] RUN ./frob\n#5 0.1 frob: misaligned\n"
		  "#5 ERROR: process \"/bin/sh -c ./frob\" did not complete successfully: exit code: 3\n",
		  "unknown t.warning" },
		{ "wording beats the instruction",
		  "#2 [1/2] FROM docker.io/library/python:3.12\n#2 0.5 read: Connection reset by peer\n"
		  "#2 ERROR: failed to copy: read: Connection reset by peer\n",
		  "inferred.network*" },
		{ "the builder's message below its Dockerfile excerpt has a class, error word or not",
		  "#5 [2/2] COPY a.txt b.txt /dst\n------\n > [2/2] COPY a.txt b.txt /dst:\n------\n"
		  "Dockerfile:2\n--------------------\n   1 |     FROM x\n   2 | >>> COPY a.txt b.txt /dst\n"
		  "--------------------\nWith two sources the destination must be a folder\n",
		  "inferred.dockerfile*" },
		{ "and below the summary alone (BuildKit's tty output, older BuildKit)",
		  " => ERROR [2/2] COPY a.txt b.txt /dst                0.0s\n------\n > [2/2] COPY a.txt b.txt /dst:\n------\n"
		  "With two sources the destination must be a folder\n",
		  "inferred.dockerfile*" },
		{ "a failed phase's last line before later phases' errors",
		  "Entering phase BUILD\nSending build context to Docker daemon  2.048kB\nread: Connection reset by peer\n"
		  "Phase complete: BUILD State: FAILED\nEntering phase POST_BUILD\ndocker build failed\n"
		  "Phase complete: POST_BUILD State: SUCCEEDED\n",
		  "inferred.network*" },
		{ "the instruction",
		  "#2 [1/2] FROM docker.io/library/pythn:3.12\n#2 ERROR: some registry said no\n",
		  "inferred.base-image*" },
		{ "the exit code",
		  "#5 [2/2] RUN make\n#5 9.0 [ 40%] Building CXX object\n"
		  "#5 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 137\n",
		  "inferred.resources*" },
		{ "the last known tool of the command",
		  "Step 2/2 : RUN set -e && sudo apt-get install -y libfoo\n ---> Running in 1a2b3c\n"
		  "Reading package lists...\nsomething unusual\n"
		  "The command '/bin/sh -c set -e && sudo apt-get install -y libfoo' returned a non-zero code: 1\n",
		  "inferred.system-packages*" },
		{ "a tool's subcommand has its own entry, found past the options",
		  "#5 [2/2] RUN npm --silent run build\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c npm --silent run build\" did not complete successfully: exit code: 1\n",
		  "inferred.application*" },
		{ "a shell's -c string runs the tool, past its options",
		  "#5 [2/2] RUN bash -o pipefail -ec \"npm run build\"\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c bash -o pipefail -ec \\\"npm run build\\\"\" did not complete successfully: exit code: 1\n",
		  "inferred.application*" },
		{ "a shell running a script names no tool",
		  "#5 [2/2] RUN bash ./build.sh npm\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c bash ./build.sh npm\" did not complete successfully: exit code: 3\n",
		  "unknown" },
		{ "a pipeline's tool is its last command's: the one feeding it is not",
		  "#5 [2/2] RUN npm run build | ./filter\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c npm run build | ./filter\" did not complete successfully: exit code: 3\n",
		  "unknown" },
		{ "and a known last command is the tool",
		  "#5 [2/2] RUN yes | apt-get install -y libfoo\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c yes | apt-get install -y libfoo\" did not complete successfully: exit code: 100\n",
		  "inferred.system-packages*" },
		{ "a versioned program name is the program, with its subcommand",
		  "#5 [2/2] RUN python3.11 setup.py install\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c python3.11 setup.py install\" did not complete successfully: exit code: 1\n",
		  "inferred.package-build*" },
		{ "else the tool's own entry",
		  "#5 [2/2] RUN npm ci\n#5 9.0 something unusual\n"
		  "#5 ERROR: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1\n",
		  "inferred.dependency-resolution*" },
		{ "a SyntaxError in the project's file stays application",
		  "#5 [2/2] RUN python -m compileall /app\n"
		  "#5 0.1   File \"/app/bot.py\", line 3\n#5 0.1 SyntaxError: invalid syntax\n"
		  "#5 ERROR: process \"/bin/sh -c python -m compileall /app\" did not complete successfully: exit code: 1\n",
		  "t.syntax" },
	};
	struct ruleset rs;
	size_t i;

	(void)state;
	load2(&rs);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		char *got = ranked(&rs, rows[i].text);

		if (strcmp(got, rows[i].want))
			fail_msg("%s: got [%s], want [%s]", rows[i].name, got, rows[i].want);
		free(got);
	}
	ruleset_release(&rs);
}

/* A traceback whose frames are all third-party is not the project's. */
static void test_attribution(void **state)
{
	static const char pip_own[] =
		"#5 [2/2] RUN pip install -r requirements.txt\n"
		"#5 0.1 Traceback (most recent call last):\n"
		"#5 0.1   File \"/usr/local/bin/pip\", line 7, in <module>\n"
		"#5 0.1   File \"/usr/local/lib/python2.7/dist-packages/pip/_internal/cli/main.py\", line 60\n"
		"#5 0.1 SyntaxError: invalid syntax\n"
		"#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n";
	static const char dependency[] =
		"#5 [2/2] RUN pip install dbf\n"
		"#5 0.1   File \"/tmp/pip-install-1a2b/dbf_0f1e2d/setup.py\", line 12\n"
		"#5 0.1 SyntaxError: Missing parentheses in call to 'print'\n"
		"#5 ERROR: process \"/bin/sh -c pip install dbf\" did not complete successfully: exit code: 1\n";
	static const char dashed[] =
		"#5 [2/2] RUN pip install merkle-proofs\n"
		"#5 0.1   File \"/tmp/pip-install-f_oeAm/merkle-proofs/setup.py\", line 4, in <module>\n"
		"#5 0.1 SyntaxError: invalid syntax\n"
		"#5 ERROR: process \"/bin/sh -c pip install merkle-proofs\" did not complete successfully: exit code: 1\n";
	static const char macos_tmp[] =
		"#5 [2/2] RUN pip install runnel\n"
		"#5 0.1 Traceback (most recent call last):\n"
		"#5 0.1   File \"<string>\", line 2, in <module>\n"
		"#5 0.1   File \"/private/var/folders/cl/f5/T/pip-install-imuphfjw/hiredis_f2348412130b4d15/setup.py\", line 7, in <module>\n"
		"#5 0.1 ModuleNotFoundError: No module named 'imp'\n"
		"#5 ERROR: process \"/bin/sh -c pip install runnel\" did not complete successfully: exit code: 1\n";
	struct ruleset rs;
	struct source src;
	struct diagnoses d;

	(void)state;
	load2(&rs);
	diagnose(&rs, pip_own, &src, &d);
	assert_string_equal(d.items[0].id, "t.syntax");
	assert_int_equal(d.items[0].category, CATEGORY_PYTHON_ENVIRONMENT);
	assert_string_equal(d.items[0].subject, "pip");
	assert_string_equal(d.items[0].hint, "hp"); /* the inference table's hint of that class */
	diagnoses_release(&d);
	source_release(&src);

	diagnose(&rs, dependency, &src, &d);
	assert_int_equal(d.items[0].category, CATEGORY_PACKAGE_BUILD);
	assert_string_equal(d.items[0].subject, "dbf");
	diagnoses_release(&d);
	source_release(&src);

	/* a python-environment finding raised in a dependency's build, in
	 * macOS's TMPDIR: it keeps its category and hint, and names the package */
	diagnose(&rs, macos_tmp, &src, &d);
	assert_string_equal(d.items[0].id, "t.stdlib");
	assert_int_equal(d.items[0].category, CATEGORY_PYTHON_ENVIRONMENT);
	assert_string_equal(d.items[0].subject, "hiredis");
	assert_string_equal(d.items[0].hint, "h");
	diagnoses_release(&d);
	source_release(&src);

	/* pip's build folder is named for the requirement, dashes and all */
	diagnose(&rs, dashed, &src, &d);
	assert_int_equal(d.items[0].category, CATEGORY_PACKAGE_BUILD);
	assert_string_equal(d.items[0].subject, "merkle-proofs");
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
}

/* A network finding whose line gives only an address takes the host that
 * the step's output named just before it, never one of another step. */
static void test_network_host(void **state)
{
	static const char connecting[] =
		"#5 [2/2] RUN /install.sh\n"
		"#5 0.1 Connecting to github.com (140.82.113.3:443)\n"
		"#5 0.2 Connecting to objects.githubusercontent.com (185.199.110.133:443)\n"
		"#5 9.9 wget: AAA (185.199.110.133): Operation timed out\n"
		"#5 ERROR: process \"/bin/sh -c /install.sh\" did not complete successfully: exit code: 1\n";
	static const char url[] =
		"#5 [2/2] RUN ./get.sh\n"
		"#5 0.1 + curl -o r.tar.gz -fSL https://github.com/o/r/archive/refs/tags/r_.tar.gz\n"
		"#5 0.5 curl: (22) The requested URL returned error: 404 AAA\n"
		"#5 ERROR: process \"/bin/sh -c ./get.sh\" did not complete successfully: exit code: 22\n";
	static const char other_step[] =
		"#4 [1/2] RUN wget https://example.org/x\n"
		"#4 0.1 Connecting to example.org (93.184.215.14:443)\n"
		"#4 DONE 0.3s\n"
		"#5 [2/2] RUN /install.sh\n"
		"#5 9.9 wget: AAA (185.199.110.133): Operation timed out\n"
		"#5 ERROR: process \"/bin/sh -c /install.sh\" did not complete successfully: exit code: 1\n";
	struct ruleset rs;
	struct source src;
	struct diagnoses d;

	(void)state;
	load(&rs);
	diagnose(&rs, connecting, &src, &d);
	assert_string_equal(d.items[0].id, "a.high");
	assert_non_null(d.items[0].subject);
	assert_string_equal(d.items[0].subject, "objects.githubusercontent.com");
	diagnoses_release(&d);
	source_release(&src);

	/* the line that named the host gives its whole URL: the file a 404 is about */
	diagnose(&rs, url, &src, &d);
	assert_string_equal(d.items[0].id, "a.high");
	assert_non_null(d.items[0].subject);
	assert_string_equal(d.items[0].subject, "https://github.com/o/r/archive/refs/tags/r_.tar.gz");
	diagnoses_release(&d);
	source_release(&src);

	diagnose(&rs, other_step, &src, &d);
	assert_string_equal(d.items[0].id, "a.high");
	assert_null(d.items[0].subject);
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
}

/* An inferred network failure that names no host names what the step was
 * fetching: the newest "Downloading X" or "Collecting X" line. */
static void test_network_download(void **state)
{
	static const char uv[] =
		"#5 [2/2] RUN uv venv --python 3.11.11\n"
		"#5 0.3 Downloading cpython-3.11.11-linux-x86_64-gnu (download) (20.5MiB)\n"
		"#5 900.1   ╰─▶ read: Connection reset by peer\n"
		"#5 ERROR: process \"/bin/sh -c uv venv --python 3.11.11\" did not complete successfully: exit code: 2\n";
	static const char pip[] =
		"#5 [2/2] RUN pip install -r requirements.txt\n"
		"#5 0.3 Collecting Flask (from -r requirements.txt (line 1))\n"
		"#5 0.4   Downloading click-8.1.7-py3-none-any.whl (97 kB)\n"
		"#5 0.5 Collecting Jinja2>=3.1.2 (from Flask)\n"
		"#5 9.0 ConnectionResetError: Connection reset by peer\n"
		"#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n";
	static const char url[] =
		"#5 [2/2] RUN apk add --no-cache curl\n"
		"#5 0.3 fetch https://dl-cdn.alpinelinux.org/alpine/v3.18/main/aarch64/APKINDEX.tar.gz\n"
		"#5 5.3 ERROR: https://dl-cdn.alpinelinux.org/alpine/v3.18/main: Connection refused\n"
		"#5 ERROR: process \"/bin/sh -c apk add --no-cache curl\" did not complete successfully: exit code: 1\n";
	static const char curl[] =
		"#5 [2/2] RUN curl -fsSL -o x.tgz https://github.com/o/r/releases/download/v1/x.tgz\n"
		"#5 0.3 curl: (7) Failed to connect to github.com port 443 after 2 ms: Connection refused\n"
		"#5 ERROR: process \"/bin/sh -c curl -fsSL -o x.tgz https://github.com/o/r/releases/download/v1/x.tgz\" did not complete successfully: exit code: 7\n";
	static const char wget[] =
		"#5 [2/2] RUN ./fetch-model.sh\n"
		"#5 0.2 Resolving deltas: 100% (12/12), done.\n"
		"#5 0.3 Resolving dl.example-cdn.org (dl.example-cdn.org)... failed: Connection reset by peer.\n"
		"#5 ERROR: process \"/bin/sh -c ./fetch-model.sh\" did not complete successfully: exit code: 4\n";
	static const struct { const char *name, *text, *subject; } rows[] = {
		{ "uv's Downloading line", uv, "cpython-3.11.11-linux-x86_64-gnu" },
		{ "pip's newest Collecting line", pip, "Jinja2>=3.1.2" },
		/* a URL with a path is named whole: a 404's file says what is wrong */
		{ "a URL with a path", url, "https://dl-cdn.alpinelinux.org/alpine/v3.18/main" },
		/* a host named the way curl and wget name it wins over progress */
		{ "curl's Failed to connect to", curl, "github.com" },
		{ "wget's Resolving, not git's", wget, "dl.example-cdn.org" },
	};
	struct ruleset rs;
	size_t i;

	(void)state;
	load2(&rs);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct source src;
		struct diagnoses d;

		diagnose(&rs, rows[i].text, &src, &d);
		if (strcmp(d.items[0].id, "inferred.network") || !d.items[0].subject ||
		    strcmp(d.items[0].subject, rows[i].subject))
			fail_msg("%s: got %s [%s], want inferred.network [%s]", rows[i].name,
				 d.items[0].id, d.items[0].subject ? d.items[0].subject : "(none)",
				 rows[i].subject);
		diagnoses_release(&d);
		source_release(&src);
	}
	ruleset_release(&rs);
}

/* A base-image finding whose line names no image takes the failing FROM
 * step's image (without its stage name), and only then; an application
 * finding the failing RUN's command. */
static void test_base_image_subject(void **state)
{
	static const char from[] =
		"#2 [internal] load metadata for docker.io/library/ubuntu:focal\n"
		"------\n"
		" > [internal] load metadata for docker.io/library/ubuntu:focal:\n"
		"------\n"
		"Dockerfile:1\n"
		"--------------------\n"
		"   1 | >>> FROM ubuntu:focal AS base\n"
		"--------------------\n"
		"missing signature key\n";
	static const char variant[] =
		"Step 1/4 : FROM mysql:5.7\n"
		"no variant for linux/arm64/v8\n";
	static const char crlf[] =
		"#6 [3/3] RUN ./build.sh\n"
		"#6 0.2 /usr/bin/env: 'bash\\r': No such file or directory\n"
		"#6 ERROR: process \"/bin/sh -c ./build.sh\" did not complete successfully: exit code: 127\n";
	static const char run[] =
		"#5 [2/2] RUN ./pull.sh\n"
		"#5 0.1 missing signature key\n"
		"#5 ERROR: process \"/bin/sh -c ./pull.sh\" did not complete successfully: exit code: 1\n";
	struct ruleset rs;
	struct source src;
	struct diagnoses d;

	(void)state;
	load2(&rs);
	diagnose(&rs, from, &src, &d);
	assert_string_equal(d.items[0].id, "t.signature");
	assert_non_null(d.items[0].subject);
	assert_string_equal(d.items[0].subject, "docker.io/library/ubuntu:focal");
	diagnoses_release(&d);
	source_release(&src);

	/* a platform finding in the failing FROM names the image, not the
	 * platform its rule captured */
	diagnose(&rs, variant, &src, &d);
	assert_string_equal(d.items[0].id, "t.platform");
	assert_non_null(d.items[0].subject);
	assert_string_equal(d.items[0].subject, "mysql:5.7");
	diagnoses_release(&d);
	source_release(&src);

	diagnose(&rs, run, &src, &d);
	assert_string_equal(d.items[0].id, "t.signature");
	assert_null(d.items[0].subject);
	diagnoses_release(&d);
	source_release(&src);

	/* an application finding in a failing RUN names its command */
	diagnose(&rs, crlf, &src, &d);
	assert_string_equal(d.items[0].id, "t.crlf");
	assert_non_null(d.items[0].subject);
	assert_string_equal(d.items[0].subject, "./build.sh");
	diagnoses_release(&d);
	source_release(&src);

	ruleset_release(&rs);
}

/* A finding that captured no subject takes it from the failing step when
 * the step's instruction is what the category is about (a RUN's command for
 * the project's own failure and a package manager's too). */
static void test_step_subject(void **state)
{
	static const struct {
		const char *text, *id, *subject;
	} rows[] = {
		{ "#4 [2/3] COPY --from=build --chown=a:b /src/*.res  lib/ /app/\n"
		  "#4 ERROR: no source files were specified\n",
		  "t.nofiles", "/src/*.res  lib/" },
		{ "#4 [2/3] COPY [\"a b\", \"/app/\"]\n#4 ERROR: no source files were specified\n",
		  "t.nofiles", NULL },
		/* a capture naming only the instruction gives way to the step:
		 * the whole COPY, destination too, for a Dockerfile mistake */
		{ "#4 [2/3] COPY --from=tools /oss_source* /prebuilt\n"
		  "#4 ERROR: When using COPY with more than one source file, the destination must be a directory and end with a /\n",
		  "t.copydest", "/oss_source* /prebuilt" },
		{ "#2 [1/3] FROM --platform=linux/arm64 docker.io/library/debian:bullseye@sha256:ab AS base\n"
		  "#2 ERROR: no matching manifest for linux/arm64/v8 in the manifest list entries\n",
		  "t.manifest", "docker.io/library/debian:bullseye@sha256:ab" },
		{ "#5 [2/3] RUN pip install torch\n#5 9.1 Killed\n"
		  "#5 ERROR: process \"/bin/sh -c pip install torch\" did not complete successfully: exit code: 137\n",
		  "t.killed", "pip install torch" },
		{ "#5 [2/3] RUN pip install -r requirements.txt\n#5 1.0 Collecting numpy\n"
		  "#5 1.1 Collecting pyyaml==5.4 (from -r requirements.txt (line 2))\n"
		  "#5 1.2   Getting requirements to build wheel: finished with status 'error'\n"
		  "#5 1.3   × Getting requirements to build wheel did not run successfully.\n"
		  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
		  "t.meta", "pyyaml==5.4" },
		{ "#5 [2/3] RUN pip install -r requirements.txt\n#5 1.1 Collecting pyyaml==5.4\n"
		  "#5 1.2 Building wheel for pyyaml (pyproject.toml): started\n"
		  "#5 1.2 Building wheel for netifaces (setup.py): started\n"
		  "#5 1.3   × Building wheel for netifaces did not run successfully.\n"
		  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
		  "t.meta", "netifaces" },
		/* an inferred network failure naming no host: what pip was collecting */
		{ "#5 [2/3] RUN pip install -r requirements.txt\n"
		  "#5 1.0 Collecting Flask (from -r requirements.txt (line 1))\n"
		  "#5 1.1   Retrying (Retry(total=4)) after connection broken by 'Connection reset by peer': /simple/flask/\n"
		  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
		  "inferred.network", "Flask" },
		{ "#5 [2/3] RUN apt-get install -y bbb\n#5 9.6 Errors were encountered while processing:\n"
		  "#5 9.6  bbb-record-core\n#5 9.6  bigbluebutton\n"
		  "#5 9.7 E: Sub-process /usr/bin/dpkg returned an error code (1)\n"
		  "#5 ERROR: process \"/bin/sh -c apt-get install -y bbb\" did not complete successfully: exit code: 100\n",
		  "t.dpkg", "bbb-record-core" },
		{ "#5 [2/3] RUN apt-get install -y bbb\n"
		  "#5 9.7 E: Sub-process /usr/bin/dpkg returned an error code (1)\n"
		  "#5 ERROR: process \"/bin/sh -c apt-get install -y bbb\" did not complete successfully: exit code: 100\n",
		  "t.dpkg", "/usr/bin/dpkg" },
		{ "#5 [2/3] RUN pip install torch\n#5 9.1 WARNING: platform mismatch\n"
		  "#5 ERROR: process \"/bin/sh -c pip install torch\" did not complete successfully: exit code: 1\n",
		  "t.warning", NULL },
		{ "#6 [3/3] RUN npm run build\n#6 4.2 Failed to compile.\n"
		  "#6 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
		  "t.compile", "npm run build" },
		{ "#7 [2/3] RUN apt-get update\n#7 4.2 E: Method http has died unexpectedly!\n"
		  "#7 ERROR: process \"/bin/sh -c apt-get update\" did not complete successfully: exit code: 100\n",
		  "t.method", "apt-get update" },
	};
	struct ruleset rs;
	size_t i;

	(void)state;
	load2(&rs);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct source src;
		struct diagnoses d;

		diagnose(&rs, rows[i].text, &src, &d);
		assert_top_finding(&d, i, rows[i].id, rows[i].subject);
		diagnoses_release(&d);
		source_release(&src);
	}
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
		cmocka_unit_test(test_error_lines),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_step_ranking),
		cmocka_unit_test(test_attribution),
		cmocka_unit_test(test_network_host),
		cmocka_unit_test(test_network_download),
		cmocka_unit_test(test_base_image_subject),
		cmocka_unit_test(test_step_subject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
