/* cmd_fetch.c - `buildsleuth fetch BUILD_ID [-o FILE]`: save the build record
 * and every log page as one JSON document that `analyze` reads back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildsleuth/api.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/util.h"

/* Write data to path through path.tmp and a rename, so a reader never sees
 * half a file and a failed fetch leaves an older file alone. */
static bool write_file(const char *path, const struct strbuf *data)
{
	char *tmp = xstrfmt("%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	bool ok = false;

	if (!f) {
		error_msg("cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (fwrite(data->buf, 1, data->len, f) != data->len || fflush(f) ||
	    fsync(fileno(f))) {
		error_msg("cannot write '%s': %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f)) {
		error_msg("cannot write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path)) {
		error_msg("cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	ok = true;
out:
	free(tmp);
	return ok;
}

enum exit_code cmd_fetch(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct api api;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct json_object *build = NULL, *logs = NULL, *root = NULL;
	enum api_result ares;
	enum exit_code rc;
	const char *id, *status;
	int first;

	memset(&api, 0, sizeof(api));
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	rc = build_id_operand(cmd, argc, argv, first, &id);
	if (rc)
		goto out;
	ares = open_api(opts, &api, &err);
	if (ares)
		goto api_failed;
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
	root = json_object_new_object();
	json_object_object_add(root, "build", json_object_get(build));
	json_object_object_add(root, "logs", json_object_get(logs));
	strbuf_addstr(&out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_addch(&out, '\n');
	if (opts->output && strcmp(opts->output, "-")) {
		if (!write_file(opts->output, &out))
			rc = EXIT_BAD_INPUT;
	} else if (!write_stdout(&out)) {
		rc = EXIT_BAD_INPUT;
	}
	goto out;
api_failed:
	error_msg("%s", err.buf);
	rc = exit_for_api(ares);
out:
	json_object_put(root);
	json_object_put(build);
	json_object_put(logs);
	api_release(&api);
	causes_release(&warnings);
	strbuf_release(&err);
	strbuf_release(&out);
	options_release(opts);
	return rc;
}
