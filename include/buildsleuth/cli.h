/* cli.h - what the subcommands share: exit codes, the common options and
 * their parser, rule loading and writing a report to stdout.
 * Ownership: struct options owns its lists (options_release); strings from
 * argv are borrowed. */
#ifndef BUILDSLEUTH_CLI_H
#define BUILDSLEUTH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "fetch.h"
#include "latest.h"
#include "rank.h"
#include "report.h"
#include "rules.h"
#include "strbuf.h"

/* Exit status (DESIGN.md "Command line"). */
enum exit_code {
	EXIT_DONE = 0,
	EXIT_FOUND = 1,      /* only with --exit-code */
	EXIT_USAGE = 2,
	EXIT_BAD_INPUT = 3,  /* bad input or bad rules */
	EXIT_API = 4,        /* API or network failure, after retries */
	EXIT_PARTIAL = 5,    /* partial audit */
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/*
 * What the process's environment says, read once by options_parse: the
 * library below the command line never calls getenv, it is given these.
 * Strings point into the environment (unset: NULL; empty counts as unset).
 */
struct environment {
	const char *api_url;           /* PIPECAT_API_URL */
	const char *api_key;           /* PIPECAT_API_KEY, else PIPECAT_CLOUD_API_KEY */
	const char *api_key_name;      /* the name of the one api_key came from */
	const char *github_token;      /* GITHUB_TOKEN */
	const char *github_repository; /* GITHUB_REPOSITORY */
	const char *github_api_url;    /* GITHUB_API_URL */
	const char *github_event_path; /* GITHUB_EVENT_PATH */
	const char *github_step_summary; /* GITHUB_STEP_SUMMARY */
	bool github_actions;           /* GITHUB_ACTIONS=true */
	bool no_color;                 /* NO_COLOR set and not empty */
	bool term_dumb;                /* TERM=dumb */
};

void environment_read(struct environment *env);

struct options {
	struct environment env; /* read by options_parse */
	const char **rules_dirs;
	size_t rules_dirs_nr, rules_dirs_alloc;
	bool no_builtin_rules;
	enum report_format format;
	bool format_set;
	size_t top;
	enum color_mode color;
	const char *api_url;
	const char *token_file;
	long timeout;        /* seconds */
	long retries;
	bool quiet;
	int verbose;
	bool exit_code;
	bool help;
	const char *output;  /* -o FILE */
	bool wait;
	long interval;       /* seconds */
	bool patterns;       /* rules list --patterns */
	const char **corpus_dirs; /* rules check --corpus DIR... */
	size_t corpus_dirs_nr, corpus_dirs_alloc;
	double max_literal_share; /* rules check --max-literal-share, percent (default 5) */
	bool max_literal_share_set;
	long pr;             /* comment --pr N, 0 when not given */
	const char *from;    /* comment --from FILE */
	bool collapse_previous;
	const char *author;  /* comment --author LOGIN */
	/* audit (cmd_audit.c checks and parses these further) */
	const char *format_name; /* --format as given: audit also takes csv */
	const char *ids_from, *status, *region, *since, *until, *logs_dir, *save_dir,
		   *per_build, *shard, *db, *by, *export_file;
	const char *suggest_rules; /* audit --suggest-rules DIR */
	long max, jobs;      /* 0 when not given */
	bool refresh, from_reports, reanalyze, offline, import_db;
	/* which build, without an ID (--status also sets status, the last one) */
	bool latest;
	const char **statuses;
	size_t statuses_nr, statuses_alloc;
	const char *dockerfile;
	char *source_dir;    /* --source-dir DIR made plain (owned), or NULL */
	const char *baseline; /* --baseline FILE (analyze), BUILD_ID|FILE (diagnose, comment) */
	bool changes;        /* --changes: find the build to compare with */
};

/*
 * A command and the options it takes (DESIGN.md "Options, by command"): the
 * one list options_parse, --help and completion follow. options names the
 * long options (as in "--rules", without the dashes), NULL-terminated;
 * -h/--help, -q/--quiet and -v/--verbose are every command's, and "output"
 * brings -o. Any other option is a usage error naming it and the command.
 * formats lists what --format takes, when options has "format".
 */
struct command {
	const char *name;
	enum exit_code (*run)(const struct command *cmd, int argc, char **argv);
	const char *const *options;
	const char *const *formats;
	const char *usage;   /* full --help text */
	const char *summary; /* one line for the overview */
	bool holds_secret;   /* reads the API key or a token: no core dumps */
};

/*
 * Parse the options of command cmd from argv (argv[0] is the command name).
 * On success returns EXIT_DONE and sets *first_arg to the index of the first
 * operand. --help prints cmd's usage to stdout and sets opts->help.
 * A bad option prints one line to stderr and returns EXIT_USAGE.
 */
enum exit_code options_parse(const struct command *cmd, int argc, char **argv,
			     struct options *opts, int *first_arg);
void options_release(struct options *opts);

/* Load the built-in rules (unless --no-builtin-rules) and every --rules
 * folder; on any problem print all of them and return EXIT_BAD_INPUT. */
enum exit_code load_rules(const struct options *opts, struct ruleset *rs);

/* Print warnings (unless -q) as "buildsleuth: warning: ...". */
void print_warnings(const struct options *opts, const struct causes *warnings);

/* Write buf to stdout; false (after a message) when writing failed. */
bool write_stdout(const struct strbuf *buf);

/*
 * Write the report of diags on src to stdout in opts' format (compact: one
 * JSON line; separate: a blank line before a text report that follows
 * another). False, after a message, when stdout failed.
 */
bool print_report(const struct options *opts, const struct source *src,
		  const struct diagnoses *diags, const struct changes *changes, bool compact,
		  bool separate);

/*
 * --changes or --baseline BUILD_ID|FILE of diagnose and comment (a UUID is a
 * build, anything else a saved log or `fetch` file): when diags is a
 * failure, fill c (changes_init'ed by the caller) with what changed since
 * the baseline (baseline_lookup finds and reads a build, and the build of
 * the same source that succeeded) and set *used: the report carries c. A
 * failed API request is a warning and c's note, never an error. Returns
 * EXIT_BAD_INPUT, after a message, only when a --baseline FILE cannot be
 * read.
 */
enum exit_code compare_with_baseline(const struct options *opts, const struct source *src,
				    const struct diagnoses *diags, struct changes *c, bool *used);

/* The pipeline on src (its warnings printed unless -q), then
 * compare_with_baseline(): what diagnose, watch and comment run on the
 * build they fetched. */
enum exit_code diagnose_source(const struct options *opts, const struct ruleset *rs,
			       const struct source *src, struct diagnoses *diags,
			       struct changes *changes, bool *compared);

/* Say what failed (err's line, else the result in words, api_strerror:
 * the one message path) and give the exit code for an API result. */
enum exit_code api_fail(enum api_result r, const struct strbuf *err);

/* The API settings the shared options hold. */
void api_config_from_options(struct api_config *cfg, const struct options *opts);

/*
 * Which build a command works on (DESIGN.md "Which build, without an ID"):
 * its one BUILD_ID operand (borrowed from argv), or --latest with --status
 * (repeatable; else the command's defaults), --region, --dockerfile and
 * --since, which fetch_build resolves.
 */
struct build_choice {
	const char *id;
	bool latest;
	struct latest_query query;
};

/*
 * Check the operands and which-build options of cmd right after parsing:
 * one BUILD_ID, or --latest (defaults: default_statuses, ended by
 * BUILD_STATUS_NONE),
 * never both; the filter options only with --latest; a known --status and a
 * readable --since (relative to now). A usage error (EXIT_USAGE) names the
 * options at fault.
 */
enum exit_code build_choice_parse(const struct command *cmd, const struct options *opts,
				  int argc, char **argv, int first,
				  const enum build_status *default_statuses, double now,
				  struct build_choice *choice);

/* A fetch of the build choice names, with the API and waiting options of
 * opts; the caller sets logs, note and ctx. req borrows choice. */
void fetch_request_from_options(struct fetch_request *req, const struct options *opts,
				const struct build_choice *choice);

/* How the commands print what fetch_build says. */
struct fetch_printer {
	const struct options *opts;
	bool chosen_on_stdout;    /* --latest's choice on stdout: a text report follows */
	bool diagnose_unknown;    /* warn that an unknown status is diagnosed anyway */
	enum exit_code rc;        /* why a note stopped the fetch */
};

/*
 * Print a note as every command does: the choice of --latest (on stdout,
 * or on stderr unless -q), warnings, an unknown status (with
 * diagnose_unknown); nothing for the others. False, p->rc set, when stdout
 * failed.
 */
bool print_fetch_note(struct fetch_printer *p, enum fetch_note note, const char *id,
		      const char *text, const struct build *build);

/*
 * diagnose's and watch's run: the options, which build (statuses: --latest's
 * default), the rules, the fetch (its logs, its notes to note(ctx); the
 * printer, inside ctx, is set up here once the options are read), the
 * analysis, what changed (--changes, --baseline), the report and
 * --exit-code. *shown: the log lines were printed as they came (watch).
 */
struct build_diagnosis {
	const enum build_status *statuses;
	enum fetch_logs logs;
	bool (*note)(void *ctx, enum fetch_note note, const char *id, const char *text,
		     const struct build *build);
	void *ctx;
	struct fetch_printer *printer;
	const bool *shown;
};
enum exit_code run_build_diagnosis(const struct command *cmd, int argc, char **argv,
				   const struct build_diagnosis *how);

/* The exit code of fetch_build's result r, after printing err when it
 * failed (FETCH_STOPPED: the printer's p->rc, already said). */
enum exit_code exit_for_fetch(enum fetch_result r, const struct fetch_printer *p,
			      const struct strbuf *err);

/* Whether text output gets colour (--color, NO_COLOR, a terminal). */
bool use_color(const struct options *opts);
/* Columns for text reports: COLUMNS, else the terminal's, else 80. */
size_t terminal_width(void);

/* A usage error of command name: "buildsleuth: <name>: <fmt> (see
 * 'buildsleuth <name> --help')" on stderr. Returns EXIT_USAGE. */
enum exit_code usage_msg(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "buildsleuth: <fmt>\n" on stderr. */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning_msg(const struct options *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The subcommands (one file each). */
enum exit_code cmd_analyze(const struct command *cmd, int argc, char **argv);
enum exit_code cmd_diagnose(const struct command *cmd, int argc, char **argv);
enum exit_code cmd_fetch(const struct command *cmd, int argc, char **argv);
enum exit_code cmd_watch(const struct command *cmd, int argc, char **argv);
enum exit_code cmd_rules(const struct command *cmd, int argc, char **argv);
enum exit_code cmd_comment(const struct command *cmd, int argc, char **argv);
enum exit_code cmd_audit(const struct command *cmd, int argc, char **argv);


#endif
