/* cmd_audit.c - `buildsleuth audit`: its options and what goes together,
 * the outputs (--per-build, --save-dir, --db, --export), one of the runs
 * (audit_run.c), the aggregate printed and the exit code. Resumable through
 * --db (audit_db.c) or --save-dir (audit_store.c), shardable with --shard,
 * stoppable with Ctrl-C. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buildsleuth/audit_db.h"
#include "buildsleuth/audit_run.h"
#include "buildsleuth/audit_store.h"
#include "buildsleuth/audit_suggest.h"
#include "buildsleuth/util.h"

/* --since and --until into the run. */
static enum exit_code parse_times(struct audit_run *run)
{
	struct options *o = run->opts;

	if (o->since && !audit_parse_time(o->since, &run->since))
		return usage_msg("audit", "--since takes an ISO 8601 date or time (2026-02-01, "
			     "2026-02-01T10:00:00Z), not '%s'", o->since);
	if (o->until && !audit_parse_time(o->until, &run->until))
		return usage_msg("audit", "--until takes an ISO 8601 date or time (2026-02-01, "
			     "2026-02-01T10:00:00Z), not '%s'", o->until);
	run->since_set = o->since != NULL;
	run->until_set = o->until != NULL;
	return EXIT_DONE;
}

/* Reject what does not go together, right after parsing. */
static enum exit_code check_options(struct audit_run *run, int operands)
{
	struct options *o = run->opts;
	bool api_input = operands || o->ids_from || o->status;
	int fd;

	/* options_parse took only audit's options and formats */
	if (o->format_name && !audit_format_from_name(o->format_name, &run->format))
		BUG("audit format '%s' not in its table", o->format_name);
	if (o->from_reports) {
		if (!operands)
			return usage_msg("audit", "--from-reports needs the FILEs written by --per-build");
		if (o->ids_from || o->status || o->logs_dir || o->save_dir || o->per_build ||
		    o->shard || o->max || o->jobs || o->refresh || o->db)
			return usage_msg("audit", "--from-reports only aggregates: it takes no build selection, "
				     "--save-dir, --per-build, --db or --jobs");
		return EXIT_DONE;
	}
	if (!o->db && (o->offline || o->import_db || o->reanalyze || o->export_file))
		return usage_msg("audit", "--%s goes with --db FILE", o->offline ? "offline" :
				 o->import_db ? "import-db" : o->reanalyze ? "reanalyze" : "export");
	if (o->import_db && !operands)
		return usage_msg("audit", "--import-db needs the database FILEs to merge into --db");
	if (o->per_build && outfile_descriptor(o->per_build, &fd) && fd == STDOUT_FILENO)
		return usage_msg("audit", "--per-build needs a file: stdout holds the aggregate report");
	if (o->export_file && outfile_descriptor(o->export_file, &fd) && fd == STDOUT_FILENO)
		return usage_msg("audit", "--export needs a file: stdout holds the aggregate report");
	if (o->offline || o->import_db) {
		if ((operands && !o->import_db) || o->ids_from || o->status || o->logs_dir ||
		    o->save_dir || o->shard || o->max || o->jobs || o->refresh || o->reanalyze)
			return usage_msg("audit", "--%s reports from the database: it takes no build "
					 "selection but --since and --until, and no --save-dir, "
					 "--refresh, --reanalyze or --jobs",
					 o->import_db ? "import-db" : "offline");
		return parse_times(run);
	}
	if (o->logs_dir && api_input)
		return usage_msg("audit", "--logs-dir reads saved files: it takes no BUILD_ID, --ids-from or "
			     "--status");
	if (o->logs_dir && (o->save_dir || o->refresh || o->reanalyze || o->jobs))
		return usage_msg("audit", "--save-dir, --refresh, --reanalyze and --jobs are for fetching, "
				 "not --logs-dir");
	if (!o->logs_dir && !api_input)
		return usage_msg("audit", "nothing to audit: give BUILD_IDs, --ids-from FILE, --status failed "
			     "or --logs-dir DIR%s", o->db ? " (or --offline to report the database)" : "");
	if (o->status && !build_status_failed(build_status_from_name(o->status)))
		return usage_msg("audit", "--status takes failed or timeout, not '%s'", o->status);
	if ((o->region || o->since || o->until) && !o->status)
		return usage_msg("audit", "--region, --since and --until filter the --status listing "
				 "(or, with --offline, the database)");
	if (parse_times(run))
		return EXIT_USAGE;
	if (o->refresh && !o->save_dir && !o->db)
		return usage_msg("audit", "--refresh goes with --save-dir or --db");
	if (o->shard && !audit_parse_shard(o->shard, &run->shard_k, &run->shard_n))
		return usage_msg("audit", "--shard takes K/N with 0 <= K < N (e.g. 0/4), not '%s'", o->shard);
	return EXIT_DONE;
}

/* Open --db, --per-build and make --save-dir. */
static enum exit_code open_outputs(struct audit_run *run)
{
	struct options *o = run->opts;
	struct strbuf err = STRBUF_INIT;

	/* --offline only reads; everything else may write */
	if (o->db && audit_db_open(o->db, !o->offline, &run->db, &err)) {
		error_msg("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	if (o->save_dir && !audit_store_open(o->save_dir, &err)) {
		error_msg("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	if (o->per_build && !outfile_open(&run->per_build, o->per_build, &err)) {
		error_msg("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	/* opened now so that a refused path stops the audit before any request */
	if (o->export_file && !outfile_open(&run->export_file, o->export_file, &err)) {
		error_msg("%s", err.buf);
		strbuf_release(&err);
		return EXIT_BAD_INPUT;
	}
	return EXIT_DONE;
}

/* --suggest-rules DIR: the drafts, after the report. */
static bool write_drafts(const struct audit_run *run)
{
	struct strbuf err = STRBUF_INIT;
	size_t written;
	bool ok = audit_suggest_write(&run->agg, run->opts->suggest_rules, &written, &err);

	if (!ok)
		error_msg("%s", err.buf);
	else if (!run->opts->quiet)
		fprintf(stderr, "buildsleuth: %zu draft rule%s written to '%s' (each marks with TODO "
			"what to write before it is kept)\n", written, written == 1 ? "" : "s",
			run->opts->suggest_rules);
	strbuf_release(&err);
	return ok;
}

struct export_ctx {
	struct outfile *out;
	struct strbuf line;
	bool csv, failed;
	struct strbuf *err;
};

static bool export_row(void *ctx, const struct audit_db_row *row)
{
	struct export_ctx *x = ctx;

	strbuf_reset(&x->line);
	audit_db_export_row(row, x->csv, &x->line);
	if (!outfile_write(x->out, x->line.buf, x->line.len, x->err))
		x->failed = true;
	return !x->failed;
}

/* --export: the database's builds (within --since/--until), after this
 * run's were stored, as tidy rows: CSV when the file's name ends in .csv,
 * else JSON Lines. The file is replaced only when all was written. */
static enum exit_code export_builds(struct audit_run *run)
{
	const char *path = run->opts->export_file;
	size_t len = strlen(path);
	struct audit_db_filter filter = { run->since_set, run->until_set, run->since, run->until };
	struct strbuf err = STRBUF_INIT;
	struct export_ctx x = { &run->export_file, STRBUF_INIT,
				len >= 4 && !strcmp(path + len - 4, ".csv"), false, &err };
	enum exit_code rc = EXIT_DONE;

	if (x.csv) {
		strbuf_addstr(&x.line, AUDIT_DB_EXPORT_COLUMNS "\r\n");
		x.failed = !outfile_write(x.out, x.line.buf, x.line.len, &err);
	}
	if (!x.failed && audit_db_each(run->db, &filter, export_row, &x, &err))
		x.failed = true;
	if (!x.failed && !outfile_commit(x.out, &err))
		x.failed = true;
	if (x.failed) {
		error_msg("%s", err.buf);
		rc = EXIT_BAD_INPUT;
	}
	strbuf_release(&x.line);
	strbuf_release(&err);
	return rc;
}

/* What the run comes to (DESIGN.md: 0 all processed, 5 some not fetched,
 * 4 none could be). */
static enum exit_code outcome(const struct audit_run *run)
{
	const struct audit *a = &run->agg;

	if (audit_run_stopped())
		return (enum exit_code)(128 + audit_run_stopped());
	if (run->per_build_failed || run->db_failed)
		return EXIT_BAD_INPUT;
	if (run->fatal)
		return EXIT_API;
	if (!a->failures_nr)
		return EXIT_DONE;
	return a->analysed + a->nodiag_nr ? EXIT_PARTIAL : EXIT_API;
}

enum exit_code cmd_audit(const struct command *cmd, int argc, char **argv)
{
	struct options options;
	struct audit_run run;
	struct strbuf out = STRBUF_INIT;
	enum exit_code rc;
	int first;

	memset(&run, 0, sizeof(run));
	run.per_build = (struct outfile)OUTFILE_INIT;
	run.export_file = (struct outfile)OUTFILE_INIT;
	run.opts = &options;
	run.format = AUDIT_FORMAT_TEXT;
	ruleset_init(&run.rs);
	audit_init(&run.agg);
	run.chosen = audit_set_new();
	rc = options_parse(cmd, argc, argv, &options, &first);
	if (rc || options.help)
		goto out;
	rc = check_options(&run, argc - first);
	if (rc)
		goto out;
	if (options.by) {
		enum audit_by by;

		if (audit_by_from_name(options.by, &by))
			BUG("--by '%s' passed the option parser", options.by);
		audit_set_by(&run.agg, by);
	}
	run.progress.on = !options.quiet && isatty(STDERR_FILENO);
	run.progress.start = monotonic_seconds();
	if (options.from_reports) {
		rc = audit_run_from_reports(&run, argc - first, argv + first);
		if (rc)
			goto out;
	} else {
		rc = load_rules(&options, &run.rs);
		if (!rc)
			rc = open_outputs(&run);
		if (rc)
			goto out;
		ruleset_digest(&run.rs, run.digest);
		audit_run_signals();
		if (options.import_db)
			rc = audit_run_import_db(&run, argc - first, argv + first);
		else if (options.offline)
			rc = audit_run_offline(&run);
		else if (options.logs_dir)
			rc = audit_run_logs_dir(&run);
		else
			rc = audit_run_api(&run, argc - first, argv + first);
		audit_fetch_free(run.fetch);
		run.fetch = NULL;
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (rc)
			goto out;
		/* in flight when interrupted: neither reported nor failed */
		run.agg.pending = run.selected - run.done;
	}
	audit_run_progress_clear(&run);
	if (audit_run_stopped())
		fprintf(stderr, "buildsleuth: interrupted: %zu of %zu builds not processed; the "
			"report covers the rest\n", run.agg.pending, run.selected);
	if (options.export_file) {
		rc = export_builds(&run);
		if (rc)
			goto out;
	}
	audit_finish(&run.agg);
	audit_report_write(&run.agg, run.format, &out);
	if (!write_stdout(&out)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	rc = outcome(&run);
	if (options.suggest_rules && !write_drafts(&run) && !rc)
		rc = EXIT_BAD_INPUT;
	if (run.agg.failures_nr && !options.quiet && !run.fatal)
		fprintf(stderr, "buildsleuth: %zu of %zu builds could not be %s (listed in the "
			"report)\n", run.agg.failures_nr, audit_total(&run.agg),
			options.logs_dir ? "read" : "fetched");
out:
	audit_run_progress_clear(&run);
	/* what was written stays, even from an interrupted or partial audit;
	 * after a failed write the old file does */
	if (run.per_build.fd >= 0 && !run.per_build_failed) {
		struct strbuf err = STRBUF_INIT;

		if (!outfile_commit(&run.per_build, &err)) {
			error_msg("%s", err.buf);
			if (!rc)
				rc = EXIT_BAD_INPUT;
		}
		strbuf_release(&err);
	}
	outfile_release(&run.per_build);
	outfile_release(&run.export_file);
	audit_db_close(run.db);
	audit_fetch_free(run.fetch);
	if (run.have_api)
		api_release(&run.api);
	audit_set_free(run.chosen);
	audit_release(&run.agg);
	ruleset_release(&run.rs);
	strbuf_release(&out);
	options_release(&options);
	return rc;
}
