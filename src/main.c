/* main.c - the buildsleuth command: picks the subcommand from the table,
 * runs it, and turns a failed write of stdout into an error exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buildsleuth/cli.h"
#include "buildsleuth/http.h"
#include "buildsleuth/secret.h"
#include "buildsleuth/suggest.h"
#include "buildsleuth/util.h"
#include "buildsleuth/version.h"

#define RULES_HELP \
	"  --rules DIR          add the rules in DIR (*.json, recursively); repeatable\n" \
	"  --no-builtin-rules   use only the --rules folders\n"

#define COMMON_HELP \
	"  -q, --quiet          no warnings\n" \
	"  -v, --verbose        say more on stderr\n" \
	"  -h, --help           this help\n"

#define SHARED_OPTIONS \
	"Shared options:\n" \
	RULES_HELP \
	"  --format FORMAT      text (default), markdown, json or github\n" \
	"  --top N              show at most N findings\n" \
	"  --color WHEN         auto (default), always or never; NO_COLOR is honoured\n" \
	"  --exit-code          exit 1 when a known (non-unknown) cause was diagnosed\n" \
	COMMON_HELP \
	"\n" \
	"Exit status: 0 report written, 1 cause found (with --exit-code), 2 usage error,\n" \
	"3 bad input or bad rules, 4 API or network failure, 5 partial audit.\n"

#define GITHUB_OPTIONS \
	"With --format github (GitHub Actions annotations) or markdown:\n" \
	"  --source-dir DIR     the build context's folder in the repository (default .),\n" \
	"                       put before each annotation's file so that it shows in\n" \
	"                       the pull request's diff, and before the files the\n" \
	"                       Markdown report names; no '..', not absolute\n" \
	"\n"

#define CHANGES_HELP \
	"What changed since it last worked (a failed build's report only; evidence\n" \
	"beside the diagnosis, never ranked):\n" \
	"  --changes            compare with the newest build that succeeded with the same\n" \
	"                       dockerfilePath and region, created before this one\n" \
	"  --baseline BUILD_ID|FILE\n" \
	"                       compare with that build (a UUID), or a saved log or\n" \
	"                       'fetch' file; the report lists package versions, base\n" \
	"                       images and digests, Dockerfile steps, and error and\n" \
	"                       warning lines only the failed log has, and notes a build\n" \
	"                       of the same source (contextHash) that succeeded: the\n" \
	"                       failure is then likely transient. No baseline found is a\n" \
	"                       line in the report; a failed look-up a warning\n" \
	"\n"

#define API_OPTIONS \
	"API options:\n" \
	"  --api-url URL        the API (default $PIPECAT_API_URL, else\n" \
	"                       https://api.pipecat.daily.co/v1); http:// only for loopback\n" \
	"  --token-file FILE    read the API key from FILE (default $PIPECAT_API_KEY,\n" \
	"                       else $PIPECAT_CLOUD_API_KEY); never on the command line\n" \
	"  --timeout SECONDS    connect and transfer timeout per request (default 30)\n" \
	"  --retries N          retries of 429, 5xx and dropped connections (default 4)\n" \
	"\n"

#define LATEST_OPTIONS(DEFAULT) \
	"Which build, without an ID (instead of BUILD_ID):\n" \
	"  --latest             the newest build of GET /builds that matches the filters\n" \
	"                       below (ties on createdAt go to the greater id); the build\n" \
	"                       chosen, and why, is said first; none is exit 3\n" \
	"  --status S           with status S; repeatable (default: " DEFAULT ")\n" \
	"  --region R           in region R (the API's filter)\n" \
	"  --dockerfile PATH    with dockerfilePath PATH\n" \
	"  --since T            created at or after T: ISO 8601 (2026-03-04,\n" \
	"                       2026-03-04T10:00:00Z; no zone is UTC) or a time ago\n" \
	"                       (30m, 2h, 7d)\n" \
	"\n"

/* The options of each command (DESIGN.md "Options, by command"), by group;
 * each command's --help describes exactly these. */
#define RULES_OPTIONS "rules", "no-builtin-rules"
#define REPORT_OPTIONS "format", "top", "color", "exit-code"
#define API_OPTION_NAMES "api-url", "token-file", "timeout", "retries"
#define LATEST_OPTION_NAMES "latest", "status", "region", "dockerfile", "since"
#define WAITING_OPTIONS "wait", "interval"
#define CHANGES_OPTIONS "changes", "baseline"

static const char *const diagnose_options[] = {
	RULES_OPTIONS, REPORT_OPTIONS, "source-dir", API_OPTION_NAMES, LATEST_OPTION_NAMES,
	WAITING_OPTIONS, CHANGES_OPTIONS, NULL
};
static const char *const analyze_options[] = {
	RULES_OPTIONS, REPORT_OPTIONS, "source-dir", "baseline", NULL
};
static const char *const fetch_options[] = {
	"output", API_OPTION_NAMES, LATEST_OPTION_NAMES, WAITING_OPTIONS, NULL
};
static const char *const watch_options[] = {
	RULES_OPTIONS, REPORT_OPTIONS, "source-dir", API_OPTION_NAMES, LATEST_OPTION_NAMES,
	"interval", NULL
};
static const char *const comment_options[] = {
	RULES_OPTIONS, API_OPTION_NAMES, LATEST_OPTION_NAMES, WAITING_OPTIONS, CHANGES_OPTIONS,
	"from", "pr", "top", "collapse-previous", "author", "source-dir", NULL
};
static const char *const audit_options[] = {
	RULES_OPTIONS, API_OPTION_NAMES,
	"ids-from", "status", "region", "since", "until", "max", "shard", "logs-dir", "from-reports",
	"jobs", "save-dir", "refresh", "per-build", "format", "db", "offline", "import-db",
	"reanalyze", "by", "export", "suggest-rules", NULL
};
static const char *const rules_options[] = {
	RULES_OPTIONS, "format", "patterns", "corpus", "max-literal-share", NULL
};
static const char *const help_options[] = { NULL };

static const char *const report_formats[] = { "text", "markdown", "json", "github", NULL };
static const char *const audit_formats[] = { "text", "markdown", "json", "csv", NULL };
static const char *const rules_formats[] = { "text", "json", NULL };

static enum exit_code cmd_help(const struct command *cmd, int argc, char **argv);

static const struct command commands[] = {
	{ "diagnose", cmd_diagnose, diagnose_options, report_formats,
	  "usage: buildsleuth diagnose [options] BUILD_ID\n"
	  "       buildsleuth diagnose [options] --latest [--status S]... [--region R]\n"
	  "                            [--dockerfile PATH] [--since T]\n"
	  "\n"
	  "Fetch a Pipecat Cloud build and all of its log pages and diagnose it: the report\n"
	  "of 'analyze' plus the build record (status, errorMessage). A successful build has\n"
	  "nothing to diagnose; a pending or building one is reported as such unless --wait.\n"
	  "\n"
	  "  --wait               wait for a pending or building build to end, then diagnose\n"
	  "  --interval SECONDS   how often --wait checks the build (default 5)\n"
	  "\n" LATEST_OPTIONS("failed, timeout") CHANGES_HELP GITHUB_OPTIONS API_OPTIONS
	  SHARED_OPTIONS,
	  "fetch a build and all its logs, diagnose", true },
	{ "analyze", cmd_analyze, analyze_options, report_formats,
	  "usage: buildsleuth analyze [options] [FILE...|-]\n"
	  "\n"
	  "Diagnose saved build logs: plain text (CodeBuild, docker build, BuildKit output)\n"
	  "or the Pipecat Cloud API's JSON ({\"logs\": [...]}, or a 'fetch' file). With no\n"
	  "FILE, or with '-', reads stdin. Several files give one report each (JSON Lines\n"
	  "with --format json).\n"
	  "\n"
	  "  --baseline FILE      the log of a build that worked: a failed build's report\n"
	  "                       adds what changed since (package versions, base images\n"
	  "                       and digests, Dockerfile steps, error and warning lines\n"
	  "                       only the failed log has)\n"
	  "\n" GITHUB_OPTIONS SHARED_OPTIONS,
	  "diagnose saved logs: plain text, or API JSON", false },
	{ "fetch", cmd_fetch, fetch_options, NULL,
	  "usage: buildsleuth fetch [options] BUILD_ID\n"
	  "       buildsleuth fetch [options] --latest [--status S]... [--region R]\n"
	  "                         [--dockerfile PATH] [--since T]\n"
	  "\n"
	  "Save a Pipecat Cloud build record and all of its log pages as one JSON document,\n"
	  "{\"build\": {...}, \"logs\": [...]}, which 'buildsleuth analyze FILE' reads back.\n"
	  "\n"
	  "  -o, --output FILE    write to FILE instead of stdout: a file is replaced through a\n"
	  "                       temporary file and a rename; a device or FIFO is written\n"
	  "                       through; - and /dev/stdout (/dev/fd/N) are that descriptor;\n"
	  "                       a symbolic link is refused\n"
	  "  --wait               wait for a pending or building build to end first\n"
	  "  --interval SECONDS   how often --wait checks the build (default 5)\n"
	  "\n" LATEST_OPTIONS("failed, timeout") API_OPTIONS
	  "  -q, --quiet          no warnings\n"
	  "  -v, --verbose        log each request (method, URL, status, size, time) to stderr\n"
	  "  -h, --help           this help\n"
	  "\n"
	  "Exit status: 0 saved, 2 usage error, 3 bad build ID, no build matches --latest\n"
	  "or cannot write FILE, 4 API or network failure.\n",
	  "save the build record and all log pages as one JSON", true },
	{ "watch", cmd_watch, watch_options, report_formats,
	  "usage: buildsleuth watch [options] BUILD_ID\n"
	  "       buildsleuth watch [options] --latest [--status S]... [--region R]\n"
	  "                         [--dockerfile PATH] [--since T]\n"
	  "\n"
	  "Follow a running Pipecat Cloud build as tail follows a file: print each new log\n"
	  "line once, checking the build and its latest logs every --interval seconds until\n"
	  "it ends, then print the diagnosis if it failed. With --format other than text\n"
	  "the log lines go to stderr and stdout holds only the report.\n"
	  "\n"
	  "  --interval SECONDS   how often to check (default 5)\n"
	  "\n" LATEST_OPTIONS("pending, building") GITHUB_OPTIONS API_OPTIONS SHARED_OPTIONS,
	  "follow a running build's new lines, diagnose at the end", true },
	{ "comment", cmd_comment, comment_options, NULL,
	  "usage: buildsleuth comment [options] BUILD_ID\n"
	  "       buildsleuth comment [options] --latest [--status S]... [--region R]\n"
	  "                           [--dockerfile PATH] [--since T]\n"
	  "       buildsleuth comment [options] --from FILE|-\n"
	  "\n"
	  "Diagnose a build and post the Markdown report as a comment on a GitHub pull\n"
	  "request, keeping one comment up to date: the previous report (found by its\n"
	  "<!-- buildsleuth:report --> marker and by the token's own user) is edited when\n"
	  "the report changed and left alone when it did not; otherwise a comment is\n"
	  "created. Prints 'created URL', 'updated URL' or 'unchanged URL'. A build that\n"
	  "succeeded turns our failure comment into a 'Build failure resolved' note\n"
	  "('resolved URL'; nothing is posted when there is none). The build is fetched\n"
	  "from Pipecat Cloud like 'diagnose' (nothing is posted for a build still\n"
	  "running), or read from a saved log or 'fetch' file.\n"
	  "\n"
	  "  --from FILE          diagnose FILE (a log or a 'fetch' file; '-' is stdin)\n"
	  "                       instead of fetching a build\n"
	  "  --pr N               the pull request (default: the GitHub Actions event in\n"
	  "                       $GITHUB_EVENT_PATH, .pull_request.number or .issue.number)\n"
	  "  --collapse-previous  keep the analysis being replaced in a collapsed\n"
	  "                       \"Superseded analysis\" block of the new comment\n"
	  "  --source-dir DIR     the build context's folder in the repository (default .),\n"
	  "                       put before the files the comment names\n"
	  "  --author LOGIN       the login the token posts as, when GET /user cannot tell\n"
	  "                       (GitHub App tokens; in GitHub Actions the default is\n"
	  "                       github-actions[bot])\n"
	  "  --wait               wait for a pending or building build to end first\n"
	  "  --interval SECONDS   how often --wait checks the build (default 5)\n"
	  "\n"
	  "Environment: GITHUB_TOKEN (required; never printed), GITHUB_REPOSITORY\n"
	  "(owner/name, required), GITHUB_API_URL (default https://api.github.com; http://\n"
	  "only for loopback), GITHUB_EVENT_PATH, GITHUB_ACTIONS.\n"
	  "\n" LATEST_OPTIONS("success, failed,\n"
	  "                       timeout: the newest finished build, a green one too")
	  CHANGES_HELP
	  API_OPTIONS
	  RULES_HELP
	  "  --top N              show at most N findings\n"
	  COMMON_HELP
	  "\n"
	  "Exit status: 0 posted (or nothing to post), 2 usage error, 3 bad input or bad\n"
	  "rules, 4 API or network failure.\n",
	  "post the report on a GitHub pull request, one comment kept up to date", true },
	{ "audit", cmd_audit, audit_options, audit_formats,
	  "usage: buildsleuth audit [options] [BUILD_ID...]\n"
	  "       buildsleuth audit [options] --status failed|timeout [--region R]\n"
	  "       buildsleuth audit [options] --logs-dir DIR\n"
	  "       buildsleuth audit [options] --from-reports FILE...\n"
	  "       buildsleuth audit [options] --db FILE --offline\n"
	  "       buildsleuth audit [options] --db FILE --import-db SHARD_DB...\n"
	  "\n"
	  "Diagnose many builds and aggregate: builds per root-cause category and rule,\n"
	  "share, first and last seen, examples, the most common subjects, the\n"
	  "classification rate, the unknown and inferred builds grouped by the template\n"
	  "of their likeliest error line (numbers, hashes, versions, paths, URLs and\n"
	  "quoted strings masked; largest group first), every unknown build with its best\n"
	  "excerpt and every build that could not be fetched. Duplicate IDs are processed\n"
	  "once.\n"
	  "\n"
	  "Which builds (API inputs may be combined):\n"
	  "  BUILD_ID...          these builds\n"
	  "  --ids-from FILE|-    IDs one per line ('#' starts a comment)\n"
	  "  --status S           every build with status failed or timeout (GET /builds)\n"
	  "  --region R           with --status: only region R\n"
	  "  --since T, --until T with --status or --offline: createdAt >= T and < T\n"
	  "                       (ISO 8601: 2026-02-01 or 2026-02-01T10:00:00Z)\n"
	  "  --max N              at most N builds\n"
	  "  --shard K/N          only builds whose ID hashes to shard K of 0..N-1\n"
	  "  --logs-dir DIR       offline: every saved log or 'fetch' file in DIR\n"
	  "  --from-reports       aggregate the FILEs written by --per-build (of one run or\n"
	  "                       of many shards; '-' is stdin) as one run would\n"
	  "  --offline            with --db: report the builds stored in the database\n"
	  "                       (--since/--until filter their createdAt); no request\n"
	  "  --import-db          with --db: merge the shard databases given as operands\n"
	  "                       into it, then report it as --offline does\n"
	  "\n"
	  "How:\n"
	  "  --jobs N             builds fetched at once (default 8; one connection each)\n"
	  "  --db FILE            keep the audit in a SQLite database (created if missing;\n"
	  "                       exit 3 when it cannot be written): each build in a final\n"
	  "                       state is stored with its report, and a build stored is\n"
	  "                       not fetched or diagnosed again\n"
	  "  --reanalyze          with --db: diagnose again the stored builds analysed\n"
	  "                       with other rules (their log is fetched again, or read\n"
	  "                       from --save-dir)\n"
	  "  --save-dir DIR       save each build's raw log as DIR/<id>.json ('fetch'\n"
	  "                       format); a re-run diagnoses saved builds instead of\n"
	  "                       fetching them; DIR is created if missing and must be\n"
	  "                       writable (exit 3)\n"
	  "  --refresh            with --save-dir or --db: fetch every build again\n"
	  "  --per-build FILE     also write each build's JSON report to FILE (JSON Lines)\n"
	  "  --suggest-rules DIR  write a draft rule per group of unknown and inferred\n"
	  "                       builds to DIR/suggested.<hash>.json (DIR created if\n"
	  "                       missing): review the TODOs, then keep it under --rules\n"
	  "  --export FILE        with --db: write one row per stored build (id, created_at,\n"
	  "                       region, outcome, top_rule, top_category, top_subject,\n"
	  "                       inferred): CSV when FILE ends in .csv, else JSON Lines\n"
	  "  --by day|week|month  add the trend: builds per category per period (UTC; ISO\n"
	  "                       weeks 2026-W10, months 2026-03) and the change against\n"
	  "                       the previous period; with csv, the trend table alone\n"
	  "  --format FORMAT      text (default), markdown, json or csv\n"
	  "\n"
	  "Progress goes to stderr when it is a terminal (not with -q). Ctrl-C stops,\n"
	  "keeps what was saved and prints the report so far (exit 130).\n"
	  "\n" API_OPTIONS
	  "  --rules DIR          add the rules in DIR (*.json, recursively); repeatable\n"
	  "  --no-builtin-rules   use only the --rules folders\n"
	  "  -q, --quiet          no warnings, no progress\n"
	  "  -v, --verbose        log each request to stderr\n"
	  "  -h, --help           this help\n"
	  "\n"
	  "Exit status: 0 every build processed, 2 usage error, 3 bad input or bad rules,\n"
	  "4 no build could be fetched, 5 some could not (the report lists them),\n"
	  "130 interrupted.\n",
	  "diagnose many builds and aggregate the causes", true },
	{ "rules", cmd_rules, rules_options, rules_formats,
	  "usage: buildsleuth rules [options] list|check|test\n"
	  "\n"
	  "  list     every rule: id, category, priority (f: fallback) and where it came from\n"
	  "           (--format json for JSON, --patterns for the bare patterns, one a line)\n"
	  "  check    load and lint the rules: placeholders each pattern sets, unused named\n"
	  "           groups, patterns matching the empty string, repeated patterns, examples\n"
	  "  test     run every rule's match/nomatch examples\n"
	  "\n"
	  "  --format FORMAT      list: text (default) or json\n"
	  "  --patterns           list: the bare patterns, one a line\n"
	  "  --corpus DIR         check: also match every *.log, *.txt and *.json below DIR\n"
	  "                       (plain or API JSON, as 'analyze' reads them) and warn\n"
	  "                       about rules that match no log there; repeatable\n"
	  "  --max-literal-share PERCENT\n"
	  "                       with --corpus: warn about rules whose prefilter literal\n"
	  "                       is on more than PERCENT of the corpus lines (default 5)\n"
	  "\n" RULES_HELP COMMON_HELP
	  "\n"
	  "Exit status: 0 done, 2 usage error, 3 load or lint problems, or a failed rule\n"
	  "example (corpus warnings never change it).\n",
	  "inspect and self-test the rule set", false },
	{ "help", cmd_help, help_options, NULL,
	  "usage: buildsleuth help [COMMAND]\n"
	  "\n"
	  "Describe COMMAND and the options it takes, as 'buildsleuth COMMAND --help'\n"
	  "does; with no COMMAND, list the commands, as 'buildsleuth --help' does.\n"
	  "\n" COMMON_HELP
	  "\n"
	  "Exit status: 0 done, 2 usage error (not a command).\n",
	  "describe a command and its options", false },
};

static void overview(FILE *out)
{
	size_t i;

	fputs("usage: buildsleuth COMMAND [options] [ARGS]\n"
	      "\n"
	      "Tells why a container build failed: matches the log against known failure\n"
	      "signatures and prints the ranked causes with evidence and a fix.\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'buildsleuth COMMAND --help' (or 'buildsleuth help COMMAND') describes a\n"
	      "command and the options it takes; 'buildsleuth --version' (-V) prints the\n"
	      "version.\n",
	      out);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* The names of the commands into names, NULL-terminated. */
static void command_names(const char *names[ARRAY_SIZE(commands) + 1])
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[i] = NULL;
}

/* After a word that is no command: the commands closest to it, if any. */
static void suggest_command(const char *word)
{
	const char *names[ARRAY_SIZE(commands) + 1];

	command_names(names);
	suggest_print(stderr, word, names, "command", "");
}

/* `buildsleuth help [COMMAND]`: what `buildsleuth [COMMAND] --help` prints. */
static enum exit_code cmd_help(const struct command *cmd, int argc, char **argv)
{
	const char *names[ARRAY_SIZE(commands) + 1];
	const struct command *found = NULL;
	struct strbuf list = STRBUF_INIT;
	struct options opts;
	enum exit_code rc;
	int first;

	rc = options_parse(cmd, argc, argv, &opts, &first);
	if (rc || opts.help)
		goto out;
	if (first == argc) {
		overview(stdout);
		goto out;
	}
	if (argc - first == 1 && (found = find_command(argv[first]))) {
		fputs(found->usage, stdout);
		goto out;
	}
	command_names(names);
	strbuf_add_list(&list, names, ARRAY_SIZE(commands));
	if (argc - first == 1)
		fprintf(stderr, "buildsleuth: help: '%s' is not a command: %s (see 'buildsleuth --help')\n",
			argv[first], list.buf);
	else
		fprintf(stderr, "buildsleuth: help: say one command: %s (see 'buildsleuth --help')\n",
			list.buf);
	if (argc - first == 1)
		suggest_command(argv[first]);
	rc = EXIT_USAGE;
out:
	strbuf_release(&list);
	options_release(&opts);
	return rc;
}

/* Started with descriptor 0, 1 or 2 closed (`>&-`, `2>&-`), the first file
 * the tool opens would get it, and the report or the warnings would land in
 * --per-build or a saved build. Put /dev/null there first (git's
 * sanitize_stdfds): output to a closed stdout then vanishes, as it would
 * have, and nothing else is overwritten. */
static bool sanitize_std_descriptors(void)
{
	for (;;) {
		int fd = open("/dev/null", O_RDWR);

		if (fd < 0)
			return false;
		if (fd > STDERR_FILENO) {
			close(fd);
			return true;
		}
	}
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int rc;

	if (!sanitize_std_descriptors()) {
		/* stderr may be one of the closed ones: then this goes nowhere */
		fprintf(stderr, "buildsleuth: cannot open /dev/null: %s\n", strerror(errno));
		return EXIT_BAD_INPUT;
	}
	if (argc < 2) {
		overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		overview(stdout);
		return fclose(stdout) ? EXIT_BAD_INPUT : EXIT_DONE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("buildsleuth %s\n", BUILDSLEUTH_VERSION);
		return fclose(stdout) ? EXIT_BAD_INPUT : EXIT_DONE;
	}
	cmd = find_command(argv[1]);
	if (cmd) {
		const char *no_jit = getenv("BUILDSLEUTH_NO_JIT");

		pcre2_jit_set(!no_jit || !*no_jit || !strcmp(no_jit, "0"));
		if (cmd->holds_secret) {
			const char *why;

			secret_protect_process(); /* before the key is read */
			/* the commands that talk to an API: libcurl (opened
			 * now) and its global state, once, before any thread
			 * (audit's pool) */
			if (!http_global_init(&why)) {
				fprintf(stderr, "buildsleuth: cannot load libcurl, which this "
					"command needs: %s\n", why);
				return EXIT_API;
			}
		}
		rc = cmd->run(cmd, argc - 1, argv + 1);
		if (cmd->holds_secret)
			http_global_cleanup();
		/* a full disk or a closed pipe is an error, not a success */
		if ((ferror(stdout) || fclose(stdout)) && rc == EXIT_DONE) {
			fputs("buildsleuth: cannot write to standard output\n", stderr);
			rc = EXIT_BAD_INPUT;
		}
		return rc;
	}
	if (argv[1][0] == '-') {
		static const char *const top_options[] = { "help", "version", NULL };
		const char *name = argv[1] + 1 + (argv[1][1] == '-');

		fprintf(stderr, "buildsleuth: unknown option '%s' (see 'buildsleuth --help')\n",
			argv[1]);
		suggest_print(stderr, name, top_options, "option", "--");
		return EXIT_USAGE;
	}
	fprintf(stderr, "buildsleuth: '%s' is not a command (see 'buildsleuth --help')\n", argv[1]);
	suggest_command(argv[1]);
	return EXIT_USAGE;
}
