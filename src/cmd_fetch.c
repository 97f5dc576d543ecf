/* cmd_fetch.c - `buildsleuth fetch BUILD_ID [-o FILE]`: save the build record
 * and every log page as one JSON document that `analyze` reads back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buildsleuth/api.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/util.h"

/* --latest without --status: the builds one fetches to look into a failure */
static const char *const default_statuses[] = { "failed", "timeout", NULL };

enum exit_code cmd_fetch(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct api api;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct json_object *build = NULL, *logs = NULL;
	struct build_choice choice;
	enum api_result ares;
	enum exit_code rc;
	const char *id, *status;
	int first;

	memset(&api, 0, sizeof(api));
	memset(&choice, 0, sizeof(choice));
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	rc = build_choice_parse(cmd, opts, argc, argv, first, default_statuses,
				(double)time(NULL), &choice);
	if (rc)
		goto out;
	ares = open_api(opts, &api, &err);
	if (ares)
		goto api_failed;
	/* stdout may be the document: the choice is said on stderr */
	rc = build_choice_resolve(opts, &api, &choice, false);
	if (rc)
		goto out;
	id = choice.id;
	ares = get_build_record(opts, &api, id, &build, &err);
	if (ares)
		goto api_failed;
	status = api_build_status(build);
	if (api_status_running(status))
		warning_msg(opts, "build %s is still %s: saving the log as it is now (use --wait "
			    "to wait for the end)", id, status);
	ares = api_get_logs(&api, id, &logs, &warnings, &err);
	print_warnings(opts, &warnings);
	if (ares)
		goto api_failed;
	api_fetch_document(build, logs, &out);
	/* a path, /dev/stdout or /dev/fd/N goes by the rules of files we write */
	if (opts->output && strcmp(opts->output, "-")) {
		if (!write_file_atomic(opts->output, out.buf, out.len, &err)) {
			error_msg("%s", err.buf);
			rc = EXIT_BAD_INPUT;
		}
	} else if (!write_stdout(&out)) {
		rc = EXIT_BAD_INPUT;
	}
	goto out;
api_failed:
	error_msg("%s", err.buf);
	rc = exit_for_api(ares);
out:
	json_object_put(build);
	json_object_put(logs);
	api_release(&api);
	causes_release(&warnings);
	strbuf_release(&err);
	strbuf_release(&out);
	build_choice_release(&choice);
	options_release(opts);
	return rc;
}
