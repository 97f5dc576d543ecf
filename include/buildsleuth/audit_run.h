/* audit_run.h - the run of `buildsleuth audit` (audit_run.c), as its
 * command (cmd_audit.c) drives it: the state of one run and its three ways
 * to go (the API, --logs-dir, --from-reports).
 * Ownership: the run owns its rule set, API client, fetcher, aggregate and
 * chosen set; cmd_audit.c sets it up and releases it. */
#ifndef BUILDSLEUTH_AUDIT_RUN_H
#define BUILDSLEUTH_AUDIT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "audit.h"
#include "audit_db.h"
#include "audit_fetch.h"
#include "cli.h"
#include "outfile.h"
#include "report_audit.h"
#include "rules.h"

struct progress {
	bool on;                  /* stderr is a terminal and not -q */
	bool shown;               /* a line is on the screen */
	double start, drawn;
};

struct audit_run {
	struct options *opts;
	enum audit_format format;
	struct ruleset rs;
	struct api api;
	bool have_api;
	struct audit_fetch *fetch;
	struct audit agg;
	struct audit_set *chosen;
	struct outfile per_build; /* fd -1 without --per-build */
	bool per_build_failed;
	struct audit_db *db;      /* --db, or NULL */
	struct outfile export_file; /* --export (fd -1 without), written at the end */
	char digest[RULESET_DIGEST_LEN + 1]; /* of rs, kept with each stored build */
	bool db_failed;           /* a write failed: said once, nothing more stored */
	unsigned long shard_k, shard_n;
	double since, until;
	bool since_set, until_set;
	size_t selected, done, failed;
	bool fatal;               /* 401: every other request would fail too */
	struct progress progress;
};

/* Catch SIGINT and SIGTERM: the run stops at its next tick. */
void audit_run_signals(void);
/* The signal that stopped the run, or 0. */
int audit_run_stopped(void);

/* Builds from the arguments, --ids-from or the --status listing, fetched
 * through the API. */
enum exit_code audit_run_api(struct audit_run *run, int argc, char **argv);
/* Builds from the saved files of --logs-dir. */
enum exit_code audit_run_logs_dir(struct audit_run *run);
/* The aggregate of --per-build files. */
enum exit_code audit_run_from_reports(struct audit_run *run, int argc, char **argv);
/* The aggregate of the builds stored in --db (--offline), within
 * --since/--until. */
enum exit_code audit_run_offline(struct audit_run *run);
/* Merge the shard databases named by argv into --db (--import-db). */
enum exit_code audit_run_import_db(struct audit_run *run, int argc, char **argv);

/* Take the progress line off the screen, before other output. */
void audit_run_progress_clear(struct audit_run *run);

#endif
