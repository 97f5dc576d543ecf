/* cmd_diagnose.c - `buildsleuth diagnose BUILD_ID`: fetch a build record and
 * all its log pages from the Pipecat Cloud API, then the analyze pipeline. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/api.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/json.h"
#include "buildsleuth/util.h"

/* --latest without --status: the builds there is a failure to diagnose in */
static const char *const default_statuses[] = { "failed", "timeout", NULL };

enum exit_code cmd_diagnose(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct api api;
	struct ruleset rs;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct json_object *build = NULL, *logs = NULL;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct source src;
	struct build_choice choice;
	enum api_result ares;
	enum exit_code rc;
	const char *id, *status;
	int first;

	source_init(&src, SOURCE_API);
	memset(&api, 0, sizeof(api));
	ruleset_init(&rs);
	memset(&choice, 0, sizeof(choice));
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
	ares = open_api(opts, &api, &err);
	if (ares)
		goto api_failed;
	rc = build_choice_resolve(opts, &api, &choice, opts->format == FORMAT_TEXT);
	if (rc)
		goto out;
	id = choice.id;
	ares = get_build_record(opts, &api, id, &build, &err);
	if (ares)
		goto api_failed;
	status = api_build_status(build);
	if (api_status_running(status) || !strcmp(status, "success")) {
		/* nothing to diagnose, but a report all the same: a JSON
		 * consumer always gets a document (outcome success or running) */
		if (api_status_running(status))
			fprintf(stderr, "buildsleuth: build %s is still %s: nothing to diagnose yet (use "
				"--wait to wait for it to end)\n", id, status);
		logs = json_object_new_array();
	} else {
		if (strcmp(status, "failed") && strcmp(status, "timeout"))
			warning_msg(opts, "build %s has the unknown status '%s'; diagnosing its log anyway",
				    id, status);
		ares = api_get_logs(&api, id, &logs, &warnings, &err);
		print_warnings(opts, &warnings);
		if (ares)
			goto api_failed;
	}
	if (api_source_fill(&src, id, build, logs, &err)) {
		error_msg("build %s: %s", id, err.buf);
		rc = EXIT_API;
		goto out;
	}
	src.selected = choice.latest ? &choice.query : NULL;
	causes_release(&warnings);
	analysis_run(&rs, &src, &diags, &warnings);
	print_warnings(opts, &warnings);
	if (!print_report(opts, &src, &diags, false, false)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (opts->exit_code && diagnoses_known_cause(&diags))
		rc = EXIT_FOUND;
	goto out;
api_failed:
	error_msg("%s", err.buf);
	rc = exit_for_api(ares);
out:
	diagnoses_release(&diags);
	source_release(&src);
	json_object_put(build);
	json_object_put(logs);
	api_release(&api);
	ruleset_release(&rs);
	causes_release(&warnings);
	strbuf_release(&err);
	build_choice_release(&choice);
	options_release(opts);
	return rc;
}
