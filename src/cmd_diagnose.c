/* cmd_diagnose.c - `buildsleuth diagnose BUILD_ID`: fetch a build record and
 * all its log pages from the Pipecat Cloud API, then the analyze pipeline. */
#include <stdio.h>

#include "buildsleuth/cli.h"
#include "buildsleuth/fetch.h"

/* --latest without --status: the builds there is a failure to diagnose in */
static const enum build_status default_statuses[] = {
	BUILD_STATUS_FAILED, BUILD_STATUS_TIMEOUT, BUILD_STATUS_NONE
};

static bool note(void *ctx, enum fetch_note note, const char *id, const char *text,
		 const struct build *build)
{
	/* nothing to diagnose, but a report all the same: a JSON consumer
	 * always gets a document (outcome success or running) */
	if (note == FETCH_NOTE_RECORD && build_status_running(build->status))
		fprintf(stderr, "buildsleuth: build %s is still %s: nothing to diagnose yet (use "
			"--wait to wait for it to end)\n", id, text);
	return print_fetch_note(ctx, note, id, text, build);
}

enum exit_code cmd_diagnose(const struct command *cmd, int argc, char **argv)
{
	struct fetch_printer printer;
	const struct build_diagnosis how = {
		default_statuses, FETCH_LOGS_FAILURE, note, &printer, &printer, NULL,
	};

	return run_build_diagnosis(cmd, argc, argv, &how);
}
