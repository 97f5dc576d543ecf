/* cmd_watch.c - `buildsleuth watch BUILD_ID`: follow a running build like
 * `tail -f`, printing each log line once, then diagnose it if it failed. */
#include <stdio.h>
#include <time.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/fetch.h"

/* --latest without --status: the builds still running */
static const enum build_status default_statuses[] = {
	BUILD_STATUS_PENDING, BUILD_STATUS_BUILDING, BUILD_STATUS_NONE
};

struct watch {
	struct fetch_printer printer;
	bool shown;   /* some log lines were printed */
};

static bool note(void *ctx, enum fetch_note note, const char *id, const char *text,
		 const struct build *build)
{
	struct watch *w = ctx;
	const struct options *opts = w->printer.opts;
	struct strbuf lines = STRBUF_INIT;
	bool ok = true;

	switch (note) {
	case FETCH_NOTE_STATUS:
		if (!opts->quiet)
			fprintf(stderr, "buildsleuth: build %s: %s\n", id, text);
		break;
	case FETCH_NOTE_LINES:
		w->shown = true;
		/* text reports share stdout with the lines; other formats keep
		 * stdout for the report alone */
		if (opts->format == FORMAT_TEXT) {
			strbuf_addstr(&lines, text);
			ok = write_stdout(&lines);
			if (!ok)
				w->printer.rc = EXIT_BAD_INPUT;
		} else {
			fputs(text, stderr);
		}
		break;
	default:
		ok = print_fetch_note(&w->printer, note, id, text, build);
		break;
	}
	strbuf_release(&lines);
	return ok;
}

enum exit_code cmd_watch(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct ruleset rs;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct source src;
	struct build_choice choice;
	struct fetch_request req;
	struct watch w;
	enum fetch_result fres;
	enum exit_code rc;
	int first;

	source_init(&src, SOURCE_API);
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
	w.printer = (struct fetch_printer){ opts, opts->format == FORMAT_TEXT, true, EXIT_DONE };
	w.shown = false;
	fetch_request_from_options(&req, opts, &choice);
	req.logs = FETCH_LOGS_FOLLOW;
	req.note = note;
	req.ctx = &w;
	fres = fetch_build(&req, &src, NULL, &err);
	rc = exit_for_fetch(fres, &w.printer, &err);
	if (fres)
		goto out;
	/* a build that succeeded gets its report too: no diagnoses, outcome
	 * success (a JSON consumer always gets a document) */
	analysis_run(&rs, &src, &diags, &warnings);
	print_warnings(opts, &warnings);
	if (!print_report(opts, &src, &diags, NULL, false, w.shown)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (opts->exit_code && diagnoses_known_cause(&diags))
		rc = EXIT_FOUND;
out:
	diagnoses_release(&diags);
	source_release(&src);
	ruleset_release(&rs);
	causes_release(&warnings);
	strbuf_release(&err);
	options_release(opts);
	return rc;
}
