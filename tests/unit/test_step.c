/* test_step.c - the Dockerfile step tracker and the outcome of a log, for
 * each builder's framing as it prints it: BuildKit plain progress (new and
 * old "executor failed" wording, interleaved vertices, CANCELED, the error
 * summary), BuildKit tty progress, the legacy builder, kaniko and podman /
 * buildah (new "STEP k/n:" and old "STEP k:" wording). The framing lines
 * follow the builders' real output; sources are named where a row's wording
 * was checked against a public log. */
#include "unit.h"
#include "buildsleuth/log.h"

struct row {
	const char *name;
	const char *log;
	enum builder builder;      /* of the failing step */
	int index, total;          /* of the failing step; 0: no failing step */
	const char *instruction, *command;
	int exit_code;
	enum outcome outcome;      /* log_outcome() */
	const char *steps;         /* per line: '.' no step, or the failing step's lines '*' */
};

static const struct row rows[] = {
	{ "buildkit plain, new wording",
	  "#1 [internal] load build definition from Dockerfile\n"
	  "#1 transferring dockerfile: 215B done\n"
	  "#1 DONE 0.0s\n"
	  "#4 [1/3] FROM docker.io/library/python:3.11-slim@sha256:0123\n"
	  "#4 DONE 0.0s\n"
	  "#6 [2/3] COPY requirements.txt .\n"
	  "#6 CACHED\n"
	  "#8 [3/3] RUN pip install -r requirements.txt\n"
	  "#8 1.523 Collecting fastapi==0.1000\n"
	  "#8 2.772 ERROR: No matching distribution found for fastapi==0.1000\n"
	  "#8 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n"
	  "------\n"
	  " > [3/3] RUN pip install -r requirements.txt:\n"
	  "2.772 ERROR: No matching distribution found for fastapi==0.1000\n"
	  "------\n"
	  "Dockerfile:3\n"
	  "--------------------\n"
	  "   3 | >>> RUN pip install -r requirements.txt\n"
	  "--------------------\n"
	  "ERROR: failed to solve: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
	  BUILDER_BUILDKIT, 3, 3, "RUN", "pip install -r requirements.txt", 1, OUTCOME_FAILED,
	  ".......*************" },
	{ "buildkit plain, old executor wording (docker 20.10)",
	  "#8 [4/4] RUN apt-get install -y libportaudio2\n"
	  "#8 0.412 E: Unable to locate package libportaudio2\n"
	  "#8 ERROR: executor failed running [/bin/sh -c apt-get install -y libportaudio2]: exit code: 100\n"
	  "------\n"
	  " > [4/4] RUN apt-get install -y libportaudio2:\n"
	  "------\n"
	  "executor failed running [/bin/sh -c apt-get install -y libportaudio2]: exit code: 100\n",
	  BUILDER_BUILDKIT, 4, 4, "RUN", "apt-get install -y libportaudio2", 100, OUTCOME_FAILED,
	  "*******" },
	{ "buildkit: interleaved stages, the other one CANCELED",
	  "#9 [builder 2/3] RUN make\n"
	  "#10 [stage-1 2/2] RUN apt-get update\n"
	  "#9 0.512 cc -c main.c\n"
	  "#10 0.601 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\n"
	  "#9 0.733 main.c:3:10: fatal error: foo.h: No such file or directory\n"
	  "#10 CANCELED\n"
	  "#9 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2\n",
	  BUILDER_BUILDKIT, 2, 3, "RUN", "make", 2, OUTCOME_FAILED, "*.*.*.*" },
	{ "buildkit: a FROM that cannot be resolved",
	  "#2 [internal] load metadata for docker.io/dailyco/pipecat-base:0.9.99\n"
	  "#2 ERROR: docker.io/dailyco/pipecat-base:0.9.99: not found\n"
	  "ERROR: failed to solve: dailyco/pipecat-base:0.9.99: failed to resolve source metadata for docker.io/dailyco/pipecat-base:0.9.99: docker.io/dailyco/pipecat-base:0.9.99: not found\n",
	  BUILDER_BUILDKIT, -1, -1, "FROM", "docker.io/dailyco/pipecat-base:0.9.99", -1, OUTCOME_FAILED,
	  "***" },
	{ "buildkit: a log that starts after the step's name",
	  "#9 0.2 custom-tool: misaligned\n"
	  "#9 ERROR: process \"/bin/sh -c ./frob --all\" did not complete successfully: exit code: 3\n",
	  BUILDER_BUILDKIT, -1, -1, "RUN", "./frob --all", 3, OUTCOME_FAILED, "**" },
	{ "buildkit success",
	  "#5 [2/2] RUN pip install flask\n"
	  "#5 3.1 WARNING: Running pip as the 'root' user can result in broken permissions\n"
	  "#5 DONE 3.4s\n"
	  "#6 exporting to image\n"
	  "#6 exporting layers 0.2s done\n"
	  "#6 writing image sha256:4f5e done\n"
	  "#6 naming to docker.io/library/app done\n"
	  "#6 DONE 0.3s\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_SUCCESS, "........" },
	{ "buildkit tty progress (as pasted from a terminal)",
	  "[+] Building 3.2s (7/8)\n"
	  " => [internal] load build definition from Dockerfile        0.0s\n"
	  " => CACHED [2/4] WORKDIR /app                                0.0s\n"
	  " => ERROR [3/4] RUN pip install -r requirements.txt          2.3s\n"
	  "------\n"
	  " > [3/4] RUN pip install -r requirements.txt:\n"
	  "#8 1.234 ERROR: Could not find a version that satisfies the requirement torch==9\n"
	  "------\n",
	  BUILDER_BUILDKIT, 3, 4, "RUN", "pip install -r requirements.txt", -1, OUTCOME_FAILED,
	  "...*****" },
	{ "legacy builder",
	  "Sending build context to Docker daemon  3.072kB\n"
	  "Step 1/3 : FROM python:3.11-slim\n"
	  " ---> 2d0f3d7c1f4e\n"
	  "Step 2/3 : WORKDIR /app\n"
	  " ---> Using cache\n"
	  " ---> 5a8c2f9b7e1d\n"
	  "Step 3/3 : RUN pip install -r requirements.txt\n"
	  " ---> Running in 1f2e3d4c5b6a\n"
	  "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'\n"
	  "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 1\n",
	  BUILDER_LEGACY, 3, 3, "RUN", "pip install -r requirements.txt", 1, OUTCOME_FAILED,
	  "......****" },
	{ "legacy builder: a FROM that is never pulled",
	  "Step 1/5 : FROM pythn:3.11\n"
	  "pull access denied for pythn, repository does not exist or may require 'docker login'\n",
	  BUILDER_LEGACY, 1, 5, "FROM", "pythn:3.11", -1, OUTCOME_FAILED, "**" },
	{ "legacy success",
	  "Step 1/2 : FROM alpine\n"
	  " ---> 3f4e5d6c7b8a\n"
	  "Step 2/2 : RUN echo E: not an error\n"
	  " ---> Running in 1f2e3d4c5b6a\n"
	  "E: not an error\n"
	  " ---> 9a8b7c6d5e4f\n"
	  "Successfully built 9a8b7c6d5e4f\n"
	  "Successfully tagged app:latest\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_SUCCESS, "........" },
	/* Docker Hub's automated build cut at its time limit while pushing:
	 * docker/hub-feedback#983 */
	{ "legacy success, then Docker Hub's cancel",
	  "Step 1/1 : FROM alpine\n"
	  " ---> 3f4e5d6c7b8a\n"
	  "Successfully built 3f4e5d6c7b8a\n"
	  "Pushing index.docker.io/app/app:latest...\n"
	  "Build canceled.\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_FAILED, "....." },
	/* kaniko's wording: GoogleContainerTools/kaniko#769, tektoncd/pipeline#4597 */
	{ "kaniko",
	  "INFO[0000] Retrieving image manifest python:3.11-slim\n"
	  "INFO[0001] Built cross stage deps: map[]\n"
	  "INFO[0001] Retrieving image manifest python:3.11-slim\n"
	  "INFO[0001] Executing 0 build triggers\n"
	  "INFO[0001] Unpacking rootfs as cmd RUN pip install -r requirements.txt requires it.\n"
	  "INFO[0005] WORKDIR /app\n"
	  "INFO[0005] cmd: workdir\n"
	  "INFO[0005] RUN pip install -r requirements.txt\n"
	  "INFO[0005] Taking snapshot of full filesystem...\n"
	  "INFO[0006] cmd: /bin/sh\n"
	  "INFO[0006] args: [-c pip install -r requirements.txt]\n"
	  "INFO[0006] Running: [/bin/sh -c pip install -r requirements.txt]\n"
	  "ERROR: No matching distribution found for fastapi==0.1000\n"
	  "error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1\n",
	  BUILDER_KANIKO, -1, -1, "RUN", "pip install -r requirements.txt", 1, OUTCOME_FAILED,
	  ".......*******" },
	{ "kaniko success, Tekton prefixes",
	  "[build : build-and-push] INFO[0005] RUN echo hello\n"
	  "[build : build-and-push] INFO[0005] Running: [/bin/sh -c echo hello]\n"
	  "[build : build-and-push] hello\n"
	  "[build : build-and-push] INFO[0006] Pushing image to registry.example/app\n"
	  "[build : build-and-push] INFO[0007] Pushed registry.example/app@sha256:3254\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_SUCCESS, "....." },
	/* podman's wording: containers/buildah#1679, cross-rs/cross#1452 */
	{ "podman",
	  "STEP 1/3: FROM docker.io/library/fedora:39\n"
	  "STEP 2/3: COPY app.sh /app.sh\n"
	  "--> 3c4d5e6f7a8b\n"
	  "STEP 3/3: RUN /common.sh\n"
	  "/bin/sh: /common.sh: Permission denied\n"
	  "Error: building at STEP \"RUN /common.sh\": while running runtime: exit status 126\n",
	  BUILDER_PODMAN, 3, 3, "RUN", "/common.sh", 126, OUTCOME_FAILED, "...***" },
	{ "buildah, old wording",
	  "STEP 1: FROM fedora:32\n"
	  "STEP 2: RUN dnf -y install make\n"
	  "error running container: error creating container for [/bin/sh -c dnf -y install make]: : exit status 1\n"
	  "Error: error building at STEP \"RUN dnf -y install make\": error while running runtime: exit status 1\n",
	  BUILDER_PODMAN, 2, -1, "RUN", "dnf -y install make", 1, OUTCOME_FAILED, ".***" },
	{ "podman success",
	  "STEP 1/2: FROM alpine\n"
	  "STEP 2/2: RUN true\n"
	  "COMMIT app\n"
	  "--> 5e6f7a8b9c0d\n"
	  "Successfully tagged localhost/app:latest\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_SUCCESS, "....." },
	{ "CodeBuild around a success, with an error-looking line",
	  "[Container] 2026/01/28 20:46:51.423722 Entering phase BUILD\n"
	  "ERROR: this line is only an echo\n"
	  "[Container] 2026/01/28 20:48:46.742551 Phase complete: BUILD State: SUCCEEDED\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_SUCCESS, "..." },
	{ "no framing at all: failed",
	  "Collecting foo\nERROR: oops\n",
	  BUILDER_NONE, 0, 0, NULL, NULL, -1, OUTCOME_FAILED, ".." },
};

static void check_row(const struct row *r)
{
	struct log log;
	const struct build_step *st;
	size_t i, failed;

	log_init(&log, 0);
	assert_int_equal(log_add_text(&log, r->log, strlen(r->log)), LOG_OK);
	if (log_outcome(&log) != r->outcome)
		fail_msg("%s: outcome %s, want %s", r->name, outcome_name(log_outcome(&log)),
			 outcome_name(r->outcome));
	st = r->outcome == OUTCOME_FAILED ? log_failed_step(&log) : NULL;
	if (!r->index) {
		if (st && r->outcome == OUTCOME_FAILED)
			fail_msg("%s: unexpected failing step '%s'", r->name,
				 st->command ? st->command : "?");
	} else {
		if (!st)
			fail_msg("%s: no failing step", r->name);
		assert_int_equal(st->builder, r->builder);
		assert_int_equal(st->index, r->index);
		assert_int_equal(st->total, r->total);
		assert_string_equal(st->instruction, r->instruction);
		assert_string_equal(st->command, r->command);
		if (st->exit_code != r->exit_code)
			fail_msg("%s: exit code %d, want %d", r->name, st->exit_code, r->exit_code);
	}
	assert_int_equal(strlen(r->steps), log.nr);
	failed = r->outcome == OUTCOME_FAILED ? log_failed_step_nr(&log) : 0;
	for (i = 0; i < log.nr; i++) {
		bool in = failed && log.lines[i].step == failed;

		if (in != (r->steps[i] == '*'))
			fail_msg("%s: line %zu %s the failing step", r->name, i + 1,
				 in ? "is in" : "is not in");
	}
	log_release(&log);
}

static void test_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		check_row(&rows[i]);
}

/* Lines the likeliest-line picker must never take. */
static void test_line_kinds(void **state)
{
	static const char text[] =
		"[Container] 2026/01/28 20:46:51.423722 Unable to initialize cache download: no paths specified to be cached\n"
		"#9 exporting to image\n"
		"#9 naming to docker.io/library/other done\n"
		"#8 [3/3] RUN ./build.sh\n"
		"#8 0.5 build: something odd\n"
		"#8 ERROR: process \"/bin/sh -c ./build.sh\" did not complete successfully: exit code: 4\n";
	static const enum line_kind want[] = {
		LINE_AGENT, LINE_FRAMING, LINE_SUCCESS, LINE_FRAMING, LINE_OUTPUT, LINE_FRAMING,
	};
	struct log log;
	size_t i;

	(void)state;
	log_init(&log, 0);
	log_add_text(&log, text, strlen(text));
	assert_int_equal(log.nr, ARRAY_SIZE(want));
	for (i = 0; i < log.nr; i++)
		if (log.lines[i].kind != want[i])
			fail_msg("line %zu: kind %d, want %d", i + 1, log.lines[i].kind, want[i]);
	/* an error after the last success words: not a success */
	assert_int_equal(log_outcome(&log), OUTCOME_FAILED);
	log_release(&log);
}

/* The step a vertex number names changes when a second build reuses it. */
static void test_vertex_reused(void **state)
{
	static const char text[] =
		"#1 [1/2] RUN echo one\n"
		"#1 DONE 0.1s\n"
		"#1 [1/2] RUN echo two\n"
		"#1 0.1 two\n"
		"#1 ERROR: process \"/bin/sh -c echo two\" did not complete successfully: exit code: 9\n";
	struct log log;

	(void)state;
	log_init(&log, 0);
	log_add_text(&log, text, strlen(text));
	assert_int_equal(log.steps.nr, 2);
	assert_string_equal(log_failed_step(&log)->command, "echo two");
	assert_int_equal(log_failed_step(&log)->exit_code, 9);
	assert_int_equal(log.steps.steps[0].state, STEP_DONE);
	log_release(&log);
}

/* A step number too large to be one is not read as one (nor overflows). */
static void test_huge_step_number(void **state)
{
	static const char text[] =
		"#3 [5888888888888888889/3] RUN x\n"
		"#3 ERROR: process \"/bin/sh -c x\" did not complete successfully: exit code: 1\n";
	struct log log;

	(void)state;
	log_init(&log, 0);
	log_add_text(&log, text, strlen(text));
	assert_int_equal(log_failed_step(&log)->index, -1);
	assert_int_equal(log_failed_step(&log)->total, -1);
	assert_string_equal(log_failed_step(&log)->command, "x");
	log_release(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_line_kinds),
		cmocka_unit_test(test_vertex_reused),
		cmocka_unit_test(test_huge_step_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
