/* cmd_fetch.c - `buildsleuth fetch BUILD_ID [-o FILE]`: save the build record
 * and every log page as one JSON document that `analyze` reads back. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/cli.h"
#include "buildsleuth/fetch.h"
#include "buildsleuth/util.h"

/* --latest without --status: the builds one fetches to look into a failure */
static const enum build_status default_statuses[] = {
	BUILD_STATUS_FAILED, BUILD_STATUS_TIMEOUT, BUILD_STATUS_NONE
};

static bool note(void *ctx, enum fetch_note note, const char *id, const char *text,
		 const struct build *build)
{
	struct fetch_printer *p = ctx;

	if (note == FETCH_NOTE_RECORD && build_status_running(build->status))
		warning_msg(p->opts, "build %s is still %s: saving the log as it is now (use --wait "
			    "to wait for the end)", id, text);
	return print_fetch_note(p, note, id, text, build);
}

enum exit_code cmd_fetch(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct build_choice choice;
	struct fetch_request req;
	struct fetch_printer printer;
	enum fetch_result fres;
	enum exit_code rc;
	int first;

	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	rc = build_choice_parse(cmd, opts, argc, argv, first, default_statuses,
				(double)time(NULL), &choice);
	if (rc)
		goto out;
	/* stdout may be the document: the choice is said on stderr */
	printer = (struct fetch_printer){ opts, false, false, EXIT_DONE };
	fetch_request_from_options(&req, opts, &choice);
	req.logs = FETCH_LOGS_ALWAYS;
	req.note = note;
	req.ctx = &printer;
	fres = fetch_build(&req, NULL, &out, &err);
	rc = exit_for_fetch(fres, &printer, &err);
	if (fres)
		goto out;
	/* a path, /dev/stdout or /dev/fd/N goes by the rules of files we write */
	if (opts->output && strcmp(opts->output, "-")) {
		if (!write_file_atomic(opts->output, out.buf, out.len, &err)) {
			error_msg("%s", err.buf);
			rc = EXIT_BAD_INPUT;
		}
	} else if (!write_stdout(&out)) {
		rc = EXIT_BAD_INPUT;
	}
out:
	strbuf_release(&err);
	strbuf_release(&out);
	options_release(opts);
	return rc;
}
