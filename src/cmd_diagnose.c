/* cmd_diagnose.c - `buildsleuth diagnose BUILD_ID`: fetch a build record and
 * all its log pages from the Pipecat Cloud API, then the analyze pipeline. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/analysis.h"
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
	struct options options, *opts = &options;
	struct ruleset rs;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct source src;
	struct changes changes;
	struct build_choice choice;
	struct fetch_request req;
	struct fetch_printer printer;
	enum fetch_result fres;
	enum exit_code rc;
	bool compared = false;
	int first;

	source_init(&src, SOURCE_API);
	changes_init(&changes);
	ruleset_init(&rs);
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	rc = build_choice_parse(cmd, opts, argc, argv, first, default_statuses,
				(double)time(NULL), &choice);
	if (rc)
		goto out;
	rc = load_rules(opts, &rs);
	if (rc)
		goto out;
	printer = (struct fetch_printer){ opts, opts->format == FORMAT_TEXT, true, EXIT_DONE };
	fetch_request_from_options(&req, opts, &choice);
	req.logs = FETCH_LOGS_FAILURE;
	req.note = note;
	req.ctx = &printer;
	fres = fetch_build(&req, &src, NULL, &err);
	rc = exit_for_fetch(fres, &printer, &err);
	if (fres)
		goto out;
	analysis_run(&rs, &src, &diags, &warnings);
	print_warnings(opts, &warnings);
	rc = compare_with_baseline(opts, &src, &diags, &changes, &compared);
	if (rc)
		goto out;
	if (!print_report(opts, &src, &diags, compared ? &changes : NULL, false, false)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (opts->exit_code && diagnoses_known_cause(&diags))
		rc = EXIT_FOUND;
out:
	changes_release(&changes);
	diagnoses_release(&diags);
	source_release(&src);
	ruleset_release(&rs);
	causes_release(&warnings);
	strbuf_release(&err);
	options_release(opts);
	return rc;
}
