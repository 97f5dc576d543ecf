/* cmd_watch.c - `buildsleuth watch BUILD_ID`: follow a running build like
 * `tail -f`, printing each log line once, then diagnose it if it failed. */
#include <stdio.h>

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
	struct watch w = { .shown = false };
	const struct build_diagnosis how = {
		default_statuses, FETCH_LOGS_FOLLOW, note, &w, &w.printer, &w.shown,
	};

	return run_build_diagnosis(cmd, argc, argv, &how);
}
