/* main.c - the buildsleuth command: picks the subcommand from the table,
 * runs it, and turns a failed write of stdout into an error exit. */
#include <stdio.h>
#include <string.h>

#include "buildsleuth/cli.h"
#include "buildsleuth/version.h"

#define SHARED_OPTIONS \
	"Shared options:\n" \
	"  --rules DIR          add the rules in DIR (*.json, recursively); repeatable\n" \
	"  --no-builtin-rules   use only the --rules folders\n" \
	"  --format FORMAT      text (default), markdown, json or github\n" \
	"  --top N              show at most N findings\n" \
	"  --color WHEN         auto (default), always or never; NO_COLOR is honoured\n" \
	"  --exit-code          exit 1 when a known (non-unknown) cause was diagnosed\n" \
	"  -q, --quiet          no warnings\n" \
	"  -v, --verbose        say more on stderr\n" \
	"  -h, --help           this help\n" \
	"\n" \
	"Exit status: 0 report written, 1 cause found (with --exit-code), 2 usage error,\n" \
	"3 bad input or bad rules, 4 API or network failure, 5 partial audit.\n"

#define API_OPTIONS \
	"API options:\n" \
	"  --api-url URL        the API (default $PIPECAT_API_URL, else\n" \
	"                       https://api.pipecat.daily.co/v1); http:// only for loopback\n" \
	"  --token-file FILE    read the API key from FILE (default $PIPECAT_API_KEY,\n" \
	"                       else $PIPECAT_CLOUD_API_KEY); never on the command line\n" \
	"  --timeout SECONDS    connect and transfer timeout per request (default 30)\n" \
	"  --retries N          retries of 429, 5xx and dropped connections (default 4)\n" \
	"\n"

static const struct command commands[] = {
	{ "diagnose", cmd_diagnose,
	  "usage: buildsleuth diagnose [options] BUILD_ID\n"
	  "\n"
	  "Fetch a Pipecat Cloud build and all of its log pages and diagnose it: the report\n"
	  "of 'analyze' plus the build record (status, errorMessage). A successful build has\n"
	  "nothing to diagnose; a pending or building one is reported as such unless --wait.\n"
	  "\n"
	  "  --wait               wait for a pending or building build to end, then diagnose\n"
	  "  --interval SECONDS   how often --wait checks the build (default 5)\n"
	  "\n" API_OPTIONS SHARED_OPTIONS,
	  "fetch a build and all its logs, diagnose" },
	{ "analyze", cmd_analyze,
	  "usage: buildsleuth analyze [options] [FILE...|-]\n"
	  "\n"
	  "Diagnose saved build logs: plain text (CodeBuild, docker build, BuildKit output)\n"
	  "or the Pipecat Cloud API's JSON ({\"logs\": [...]}, or a 'fetch' file). With no\n"
	  "FILE, or with '-', reads stdin. Several files give one report each (JSON Lines\n"
	  "with --format json).\n"
	  "\n" SHARED_OPTIONS,
	  "diagnose saved logs: plain text, or API JSON" },
	{ "fetch", cmd_fetch,
	  "usage: buildsleuth fetch [options] BUILD_ID\n"
	  "\n"
	  "Save a Pipecat Cloud build record and all of its log pages as one JSON document,\n"
	  "{\"build\": {...}, \"logs\": [...]}, which 'buildsleuth analyze FILE' reads back.\n"
	  "\n"
	  "  -o, --output FILE    write to FILE (through FILE.tmp and a rename) instead of stdout\n"
	  "  --wait               wait for a pending or building build to end first\n"
	  "  --interval SECONDS   how often --wait checks the build (default 5)\n"
	  "\n" API_OPTIONS
	  "  -q, --quiet          no warnings\n"
	  "  -v, --verbose        log each request (method, URL, status, size, time) to stderr\n"
	  "  -h, --help           this help\n"
	  "\n"
	  "Exit status: 0 saved, 2 usage error, 3 bad build ID or cannot write FILE,\n"
	  "4 API or network failure.\n",
	  "save the build record and all log pages as one JSON" },
	{ "watch", cmd_watch,
	  "usage: buildsleuth watch [options] BUILD_ID\n"
	  "\n"
	  "Follow a running Pipecat Cloud build like 'tail -f': print each new log line once,\n"
	  "checking the build and its latest logs every --interval seconds until it ends,\n"
	  "then print the diagnosis if it failed. With --format other than text the log\n"
	  "lines go to stderr and stdout holds only the report.\n"
	  "\n"
	  "  --interval SECONDS   how often to check (default 5)\n"
	  "\n" API_OPTIONS SHARED_OPTIONS,
	  "follow a running build's new lines, diagnose at the end" },
	{ "rules", cmd_rules,
	  "usage: buildsleuth rules [options] list|check|test\n"
	  "\n"
	  "  list     every rule: id, category, priority (f: fallback) and where it came from\n"
	  "           (--format json for JSON, --patterns for the bare patterns, one a line)\n"
	  "  check    load and lint the rules: placeholders each pattern sets, unused named\n"
	  "           groups, patterns matching the empty string, repeated patterns, examples\n"
	  "  test     run every rule's match/nomatch examples\n"
	  "\n" SHARED_OPTIONS,
	  "inspect and self-test the rule set" },
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
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'buildsleuth COMMAND --help' describes a command; 'buildsleuth --version'\n"
	      "prints the version.\n", out);
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	if (argc < 2) {
		overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		overview(stdout);
		return fclose(stdout) ? EXIT_BAD_INPUT : EXIT_DONE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("buildsleuth %s\n", BUILDSLEUTH_VERSION);
		return fclose(stdout) ? EXIT_BAD_INPUT : EXIT_DONE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		rc = commands[i].run(&commands[i], argc - 1, argv + 1);
		/* a full disk or a closed pipe is an error, not a success */
		if ((ferror(stdout) || fclose(stdout)) && rc == EXIT_DONE) {
			fputs("buildsleuth: cannot write to standard output\n", stderr);
			rc = EXIT_BAD_INPUT;
		}
		return rc;
	}
	fprintf(stderr, "buildsleuth: '%s' is not a command (see 'buildsleuth --help')\n", argv[1]);
	return EXIT_USAGE;
}
