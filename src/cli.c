/* cli.c - the options every subcommand shares, parsed in one place with
 * getopt_long, plus loading rules and writing output the same way for all. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/baseline.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/location.h"
#include "buildsleuth/suggest.h"
#include "buildsleuth/util.h"

enum {
	OPT_RULES = 256, OPT_NO_BUILTIN, OPT_FORMAT, OPT_TOP, OPT_COLOR, OPT_API_URL,
	OPT_TOKEN_FILE, OPT_TOKEN, OPT_TIMEOUT, OPT_RETRIES, OPT_EXIT_CODE, OPT_WAIT,
	OPT_INTERVAL, OPT_PATTERNS, OPT_VERSION,
	OPT_PR, OPT_FROM, OPT_COLLAPSE_PREVIOUS, OPT_AUTHOR,
	OPT_IDS_FROM, OPT_STATUS, OPT_REGION, OPT_SINCE, OPT_UNTIL, OPT_MAX, OPT_LOGS_DIR,
	OPT_JOBS, OPT_SAVE_DIR, OPT_REFRESH, OPT_PER_BUILD, OPT_SHARD, OPT_FROM_REPORTS,
	OPT_CORPUS, OPT_MAX_LITERAL_SHARE, OPT_DB, OPT_OFFLINE, OPT_BY, OPT_EXPORT, OPT_IMPORT_DB,
	OPT_REANALYZE,
	OPT_LATEST, OPT_DOCKERFILE, OPT_SOURCE_DIR, OPT_BASELINE, OPT_CHANGES,
	OPT_SUGGEST_RULES,
};

static const struct option long_options[] = {
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-builtin-rules", no_argument, NULL, OPT_NO_BUILTIN },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "api-url", required_argument, NULL, OPT_API_URL },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "exit-code", no_argument, NULL, OPT_EXIT_CODE },
	{ "output", required_argument, NULL, 'o' },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "patterns", no_argument, NULL, OPT_PATTERNS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "pr", required_argument, NULL, OPT_PR },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "collapse-previous", no_argument, NULL, OPT_COLLAPSE_PREVIOUS },
	{ "author", required_argument, NULL, OPT_AUTHOR },
	{ "ids-from", required_argument, NULL, OPT_IDS_FROM },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "region", required_argument, NULL, OPT_REGION },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "max", required_argument, NULL, OPT_MAX },
	{ "logs-dir", required_argument, NULL, OPT_LOGS_DIR },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "save-dir", required_argument, NULL, OPT_SAVE_DIR },
	{ "refresh", no_argument, NULL, OPT_REFRESH },
	{ "per-build", required_argument, NULL, OPT_PER_BUILD },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "from-reports", no_argument, NULL, OPT_FROM_REPORTS },
	{ "db", required_argument, NULL, OPT_DB },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "by", required_argument, NULL, OPT_BY },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "import-db", no_argument, NULL, OPT_IMPORT_DB },
	{ "reanalyze", no_argument, NULL, OPT_REANALYZE },
	{ "corpus", required_argument, NULL, OPT_CORPUS },
	{ "max-literal-share", required_argument, NULL, OPT_MAX_LITERAL_SHARE },
	{ "latest", no_argument, NULL, OPT_LATEST },
	{ "dockerfile", required_argument, NULL, OPT_DOCKERFILE },
	{ "source-dir", required_argument, NULL, OPT_SOURCE_DIR },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "changes", no_argument, NULL, OPT_CHANGES },
	{ "suggest-rules", required_argument, NULL, OPT_SUGGEST_RULES },
	{ NULL, 0, NULL, 0 },
};

void error_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("buildsleuth: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void warning_msg(const struct options *opts, const char *fmt, ...)
{
	va_list ap;

	if (opts->quiet)
		return;
	fputs("buildsleuth: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

enum exit_code usage_msg(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "buildsleuth: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'buildsleuth %s --help')\n", name);
	return EXIT_USAGE;
}

/* A percentage: 0 to 100, decimals allowed, an optional trailing '%'. */
static bool percent_option(const struct command *cmd, const char *name, const char *arg,
			   double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (end == arg || *end || errno || !(v >= 0 && v <= 100)) {
		usage_msg(cmd->name, "--%s takes a percentage from 0 to 100, not '%s'", name, arg);
		return false;
	}
	*out = v;
	return true;
}

static bool number_option(const struct command *cmd, const char *name, const char *arg,
			  long min, long max, long *out)
{
	if (parse_long(arg, min, max, out))
		return true;
	usage_msg(cmd->name, "--%s takes a whole number from %ld to %ld, not '%s'", name, min,
		    max, arg);
	return false;
}

static bool name_listed(const char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (!strcmp(*names, name))
			return true;
	return false;
}

/* Whether cmd takes long option o: its table names o, or an option o is
 * another spelling of (--colour). --help, -q, -v are everyone's; --version
 * and --token (beside --token-file) stay to say what to do instead. */
static bool command_takes(const struct command *cmd, const struct option *o)
{
	const char *const *name;
	size_t i;

	switch (o->val) {
	case 'h': case 'q': case 'v': case OPT_VERSION:
		return true;
	case OPT_TOKEN:
		return name_listed(cmd->options, "token-file");
	}
	for (name = cmd->options; *name; name++) {
		for (i = 0; long_options[i].name; i++)
			if (!strcmp(long_options[i].name, *name))
				break;
		if (!long_options[i].name)
			BUG("command %s lists the unknown option '--%s'", cmd->name, *name);
		if (long_options[i].val == o->val)
			return true;
	}
	return false;
}

/* "a, b or c" */
static void join_names(const char *const *names, struct strbuf *out)
{
	size_t nr = 0;

	while (names[nr])
		nr++;
	strbuf_add_list(out, names, nr);
}

static bool is_taken_val(const struct option *taken, int val)
{
	for (; taken->name; taken++)
		if (taken->val == val)
			return true;
	return false;
}

static bool is_taken_name(const struct option *taken, const char *name)
{
	for (; taken->name; taken++)
		if (!strcmp(taken->name, name))
			return true;
	return false;
}

/* The usage error of an unknown long option, name (len bytes, without the
 * dashes), then the options of cmd closest to it ("did you mean"). */
static enum exit_code unknown_long_option(const struct command *cmd, const char *name, size_t len)
{
	const char *names[ARRAY_SIZE(long_options) + 3];
	char *word = xstrndup(name, len);
	size_t nr = 0, i;

	usage_msg(cmd->name, "unknown option '--%s'", word);
	for (i = 0; cmd->options[i] && nr + 4 < ARRAY_SIZE(names); i++)
		names[nr++] = cmd->options[i];
	names[nr++] = "help";
	names[nr++] = "quiet";
	names[nr++] = "verbose";
	names[nr] = NULL;
	suggest_print(stderr, word, names, "option", "--");
	free(word);
	return EXIT_USAGE;
}

/* The usage error of a bad option. optopt is 0 for an unknown long option
 * (arg, argv[optind - 1]), the value of a long option given a value it does
 * not take (arg is "--name=..."), or a short option cmd does not take (arg
 * may then be any word). */
static enum exit_code bad_option(const struct command *cmd, const struct option *taken,
				 const char *arg)
{
	bool is_long = !strncmp(arg, "--", 2);
	size_t len = is_long ? strcspn(arg + 2, "=") : 0, i;

	if (optopt && is_long && arg[2 + len])
		for (i = 0; taken[i].name; i++)
			if (taken[i].val == optopt && strlen(taken[i].name) == len &&
			    !strncmp(taken[i].name, arg + 2, len))
				return usage_msg(cmd->name, "option '--%s' takes no value",
						 taken[i].name);
	if (optopt > 0 && optopt < 256 && !is_taken_val(taken, optopt))
		return usage_msg(cmd->name, "unknown option '-%c'", optopt);
	if (is_long)
		return unknown_long_option(cmd, arg + 2, len);
	return usage_msg(cmd->name, "unknown option '%s'", arg);
}

/* getopt_long takes an unambiguous prefix (--from for audit's
 * --from-reports): an option not spelled out is not the command's. word is
 * where long option idx was given. */
static bool spelled_out(const struct option *o, const char *word)
{
	size_t len = strlen(o->name);

	return !strncmp(word, "--", 2) && !strncmp(word + 2, o->name, len) &&
	       (!word[2 + len] || word[2 + len] == '=');
}

enum exit_code options_parse(const struct command *cmd, int argc, char **argv,
			     struct options *opts, int *first_arg)
{
	struct option taken[ARRAY_SIZE(long_options)];
	const char *shortopts;
	size_t i, nr = 0;
	int c, idx = -1;
	long n;

	memset(opts, 0, sizeof(*opts));
	environment_read(&opts->env);
	opts->timeout = 30;
	opts->retries = 4;
	opts->interval = 5;
	opts->max_literal_share = 5;
	/* getopt_long sees only cmd's options: any other is unknown */
	for (i = 0; long_options[i].name; i++)
		if (command_takes(cmd, &long_options[i]))
			taken[nr++] = long_options[i];
	memset(&taken[nr], 0, sizeof(taken[nr]));
	shortopts = name_listed(cmd->options, "output") ? ":o:qvh" : ":qvh";
	optind = 1;
	opterr = 0;
	/* "+": stop at the first operand only with POSIXLY_CORRECT; options
	 * may follow operands like git's */
	while ((c = getopt_long(argc, argv, shortopts, taken, &idx)) != -1) {
		if (idx >= 0 && c != '?' && c != ':') {
			/* the option's word: before its value when that is a word */
			const char *word = argv[optind - 1];

			if (optarg == word && optind >= 2)
				word = argv[optind - 2];
			if (!spelled_out(&taken[idx], word))
				return unknown_long_option(cmd, word + 2, strcspn(word + 2, "="));
		}
		idx = -1;
		switch (c) {
		case OPT_RULES:
			ALLOC_GROW(opts->rules_dirs, opts->rules_dirs_nr + 1, opts->rules_dirs_alloc);
			opts->rules_dirs[opts->rules_dirs_nr++] = optarg;
			break;
		case OPT_NO_BUILTIN:
			opts->no_builtin_rules = true;
			break;
		case OPT_FORMAT:
			if (!name_listed(cmd->formats, optarg)) {
				struct strbuf names = STRBUF_INIT;

				join_names(cmd->formats, &names);
				usage_msg(cmd->name, "unknown format '%s' (%s)", optarg, names.buf);
				strbuf_release(&names);
				return EXIT_USAGE;
			}
			/* audit's csv is no report format: audit reads format_name */
			opts->format_name = optarg;
			report_format_from_name(optarg, &opts->format);
			opts->format_set = true;
			break;
		case OPT_TOP:
			if (!number_option(cmd, "top", optarg, 1, 1000000, &n))
				return EXIT_USAGE;
			opts->top = (size_t)n;
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				opts->color = COLOR_AUTO;
			else if (!strcmp(optarg, "always"))
				opts->color = COLOR_ALWAYS;
			else if (!strcmp(optarg, "never"))
				opts->color = COLOR_NEVER;
			else
				return usage_msg(cmd->name, "--color takes auto, always or never, not '%s'",
						   optarg);
			break;
		case OPT_API_URL:
			opts->api_url = optarg;
			break;
		case OPT_TOKEN_FILE:
			opts->token_file = optarg;
			break;
		case OPT_TOKEN:
			/* never echo optarg: it is a secret */
			return usage_msg(cmd->name, "--token is not accepted: a key on the command line is visible to "
					   "other users; set PIPECAT_API_KEY or use --token-file FILE");
		case OPT_TIMEOUT:
			if (!number_option(cmd, "timeout", optarg, 1, 86400, &opts->timeout))
				return EXIT_USAGE;
			break;
		case OPT_RETRIES:
			if (!number_option(cmd, "retries", optarg, 0, 100, &opts->retries))
				return EXIT_USAGE;
			break;
		case OPT_EXIT_CODE:
			opts->exit_code = true;
			break;
		case 'o':
			opts->output = optarg;
			break;
		case OPT_WAIT:
			opts->wait = true;
			break;
		case OPT_INTERVAL:
			if (!number_option(cmd, "interval", optarg, 1, 3600, &opts->interval))
				return EXIT_USAGE;
			break;
		case OPT_PATTERNS:
			opts->patterns = true;
			break;
		case OPT_PR:
			if (!number_option(cmd, "pr", optarg, 1, 2147483647L, &opts->pr))
				return EXIT_USAGE;
			break;
		case OPT_FROM:
			opts->from = optarg;
			break;
		case OPT_COLLAPSE_PREVIOUS:
			opts->collapse_previous = true;
			break;
		case OPT_AUTHOR:
			opts->author = optarg;
			break;
		case OPT_IDS_FROM:
			opts->ids_from = optarg;
			break;
		case OPT_STATUS:
			opts->status = optarg;
			ALLOC_GROW(opts->statuses, opts->statuses_nr + 1, opts->statuses_alloc);
			opts->statuses[opts->statuses_nr++] = optarg;
			break;
		case OPT_REGION:
			opts->region = optarg;
			break;
		case OPT_SINCE:
			opts->since = optarg;
			break;
		case OPT_UNTIL:
			opts->until = optarg;
			break;
		case OPT_MAX:
			if (!number_option(cmd, "max", optarg, 1, 1000000000L, &opts->max))
				return EXIT_USAGE;
			break;
		case OPT_LOGS_DIR:
			opts->logs_dir = optarg;
			break;
		case OPT_JOBS:
			if (!number_option(cmd, "jobs", optarg, 1, 256, &opts->jobs))
				return EXIT_USAGE;
			break;
		case OPT_SAVE_DIR:
			opts->save_dir = optarg;
			break;
		case OPT_REFRESH:
			opts->refresh = true;
			break;
		case OPT_PER_BUILD:
			opts->per_build = optarg;
			break;
		case OPT_SHARD:
			opts->shard = optarg;
			break;
		case OPT_FROM_REPORTS:
			opts->from_reports = true;
			break;
		case OPT_SUGGEST_RULES:
			opts->suggest_rules = optarg;
			break;
		case OPT_DB:
			opts->db = optarg;
			break;
		case OPT_OFFLINE:
			opts->offline = true;
			break;
		case OPT_BY:
			if (strcmp(optarg, "day") && strcmp(optarg, "week") && strcmp(optarg, "month"))
				return usage_msg(cmd->name, "--by takes day, week or month, not '%s'",
						 optarg);
			opts->by = optarg;
			break;
		case OPT_EXPORT:
			opts->export_file = optarg;
			break;
		case OPT_IMPORT_DB:
			opts->import_db = true;
			break;
		case OPT_REANALYZE:
			opts->reanalyze = true;
			break;
		case OPT_CORPUS:
			ALLOC_GROW(opts->corpus_dirs, opts->corpus_dirs_nr + 1, opts->corpus_dirs_alloc);
			opts->corpus_dirs[opts->corpus_dirs_nr++] = optarg;
			break;
		case OPT_MAX_LITERAL_SHARE:
			if (!percent_option(cmd, "max-literal-share", optarg, &opts->max_literal_share))
				return EXIT_USAGE;
			opts->max_literal_share_set = true;
			break;
		case OPT_LATEST:
			opts->latest = true;
			break;
		case OPT_DOCKERFILE:
			opts->dockerfile = optarg;
			break;
		case OPT_BASELINE:
			opts->baseline = optarg;
			break;
		case OPT_CHANGES:
			opts->changes = true;
			break;
		case OPT_SOURCE_DIR:
			free(opts->source_dir);
			if (!location_normalize_dir(optarg, &opts->source_dir))
				return usage_msg(cmd->name, "--source-dir takes the build context's folder "
						 "relative to the repository's root, without '..' and "
						 "not absolute, not '%s'", optarg);
			break;
		case 'q':
			opts->quiet = true;
			break;
		case 'v':
			opts->verbose++;
			break;
		case 'h':
			fputs(cmd->usage, stdout);
			opts->help = true;
			return EXIT_DONE;
		case OPT_VERSION:
			return usage_msg(cmd->name, "--version goes before the command: 'buildsleuth --version'");
		case ':':
			/* an abbreviation (--s for --source-dir) is no option of cmd */
			if (!strncmp(argv[optind - 1], "--", 2) &&
			    !is_taken_name(taken, argv[optind - 1] + 2))
				return unknown_long_option(cmd, argv[optind - 1] + 2,
							   strlen(argv[optind - 1] + 2));
			return usage_msg(cmd->name, "option '%s' needs a value", argv[optind - 1]);
		default:
			return bad_option(cmd, taken, argv[optind - 1]);
		}
	}
	if (opts->changes && opts->baseline)
		return usage_msg(cmd->name, "--changes finds the build to compare with and "
				 "--baseline names it: give one");
	*first_arg = optind;
	return EXIT_DONE;
}

void options_release(struct options *opts)
{
	free(opts->rules_dirs);
	opts->rules_dirs = NULL;
	opts->rules_dirs_nr = opts->rules_dirs_alloc = 0;
	free(opts->corpus_dirs);
	opts->corpus_dirs = NULL;
	opts->corpus_dirs_nr = opts->corpus_dirs_alloc = 0;
	free(opts->statuses);
	opts->statuses = NULL;
	free(opts->source_dir);
	opts->source_dir = NULL;
	opts->statuses_nr = opts->statuses_alloc = 0;
}

enum exit_code load_rules(const struct options *opts, struct ruleset *rs)
{
	struct causes causes = CAUSES_INIT;
	size_t i;

	if (!opts->no_builtin_rules)
		ruleset_load_builtin(rs, &causes);
	for (i = 0; i < opts->rules_dirs_nr; i++)
		ruleset_load_dir(rs, opts->rules_dirs[i], &causes);
	/* explains names rules of the final set: resolvable only now */
	ruleset_link(rs, &causes);
	if (causes.nr) {
		causes_print(&causes, stderr);
		error_msg("%zu problem%s in the rules; nothing was analysed", causes.nr,
			  causes.nr == 1 ? "" : "s");
		causes_release(&causes);
		return EXIT_BAD_INPUT;
	}
	return EXIT_DONE;
}

void print_warnings(const struct options *opts, const struct causes *warnings)
{
	size_t i;

	for (i = 0; i < warnings->nr; i++)
		warning_msg(opts, "%s", warnings->items[i]);
}

enum exit_code compare_with_baseline(const struct options *opts, const struct source *src,
				    const struct diagnoses *diags, struct changes *c, bool *used)
{
	struct api_config cfg;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct source baseline;
	bool by_id = opts->baseline && api_valid_build_id(opts->baseline);
	enum exit_code rc = EXIT_DONE;

	*used = false;
	/* what changed since a build that worked explains a failure only */
	if ((!opts->changes && !opts->baseline) || diags->outcome != OUTCOME_FAILED)
		return EXIT_DONE;
	source_init(&baseline, SOURCE_FILE);
	if (opts->baseline && !by_id) {
		if (source_read_path(&baseline, opts->baseline, &err)) {
			error_msg("baseline: %s", err.buf);
			rc = EXIT_BAD_INPUT;
			goto out;
		}
		c->baseline_path = xstrdup(opts->baseline);
	}
	api_config_from_options(&cfg, opts);
	/* the diagnosis is what the user came for: a failed look-up is said,
	 * in a warning and in the report, and the report goes out */
	if (!baseline_lookup(&cfg, src->build, !c->baseline_path, by_id ? opts->baseline : NULL,
			     &baseline, c, &warnings, &err)) {
		causes_add(&warnings, "cannot compare with an earlier build: %s", err.buf);
		if (!c->baseline_id && !c->baseline_path) {
			free(c->note);
			c->note = xstrfmt("Cannot compare with an earlier build: %s", err.buf);
		}
	}
	print_warnings(opts, &warnings);
	if (c->baseline_id || c->baseline_path)
		changes_compute(&src->log, &baseline.log, c);
	*used = true;
out:
	source_release(&baseline);
	causes_release(&warnings);
	strbuf_release(&err);
	return rc;
}

enum exit_code diagnose_source(const struct options *opts, const struct ruleset *rs,
			       const struct source *src, struct diagnoses *diags,
			       struct changes *changes, bool *compared)
{
	struct causes warnings = CAUSES_INIT;

	analysis_run(rs, src, diags, &warnings);
	print_warnings(opts, &warnings);
	causes_release(&warnings);
	return compare_with_baseline(opts, src, diags, changes, compared);
}

bool write_stdout(const struct strbuf *buf)
{
	if (fwrite(buf->buf, 1, buf->len, stdout) != buf->len || fflush(stdout)) {
		error_msg("cannot write the report: %s", strerror(errno));
		return false;
	}
	return true;
}

/* GitHub Actions shows what a step appends to $GITHUB_STEP_SUMMARY on the
 * run's page: with --format github, the Markdown report goes there too. A
 * file that cannot be written costs a warning, not the annotations. */
static void append_step_summary(const struct options *opts, const struct report *r)
{
	const char *path = opts->env.github_step_summary;
	struct strbuf md = STRBUF_INIT;
	FILE *f;

	if (opts->format != FORMAT_GITHUB || !path)
		return;
	report_markdown(r, &md);
	strbuf_addch(&md, '\n');
	f = fopen(path, "a");
	if (f) {
		long size = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
		bool written;

		/* GitHub drops a summary over 1 MiB whole: keep what is there */
		if (size >= 0 && (size_t)size + md.len > GITHUB_SUMMARY_MAX) {
			fclose(f);
			warning_msg(opts, "not appending the job summary to '%s' (GITHUB_STEP_SUMMARY): "
				    "it would pass GitHub's 1 MiB limit (%ld + %zu bytes)", path, size,
				    md.len);
			goto out;
		}
		written = fwrite(md.buf, 1, md.len, f) == md.len;
		if (fclose(f) || !written)
			f = NULL;
	}
	if (!f)
		warning_msg(opts, "cannot append the job summary to '%s' (GITHUB_STEP_SUMMARY): %s",
			    path, strerror(errno));
out:
	strbuf_release(&md);
}

bool print_report(const struct options *opts, const struct source *src,
		  const struct diagnoses *diags, const struct changes *changes, bool compact,
		  bool separate)
{
	struct strbuf out = STRBUF_INIT;
	struct report report;
	bool ok;

	memset(&report, 0, sizeof(report));
	report.source = src;
	report.diagnoses = diags;
	report.top = opts->top;
	report.color = use_color(opts);
	report.width = terminal_width();
	report.compact = compact;
	report.source_dir = opts->source_dir;
	report.changes = changes;
	if (separate && opts->format == FORMAT_TEXT)
		strbuf_addch(&out, '\n');
	report_write(&report, opts->format, &out);
	ok = write_stdout(&out);
	strbuf_release(&out);
	append_step_summary(opts, &report);
	return ok;
}

enum exit_code api_fail(enum api_result r, const struct strbuf *err)
{
	error_msg("%s", err->len ? err->buf : api_strerror(r));
	switch (r) {
	case API_OK: return EXIT_DONE;
	case API_CONFIG: return EXIT_USAGE;
	case API_BAD_ID: return EXIT_BAD_INPUT;
	case API_HTTP:
	case API_BAD_RESPONSE: return EXIT_API;
	}
	return EXIT_API;
}

/* getenv's answer, with an empty value counted as unset */
static const char *env_value(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

void environment_read(struct environment *env)
{
	const char *actions = env_value("GITHUB_ACTIONS"), *term = env_value("TERM");

	memset(env, 0, sizeof(*env));
	env->api_url = env_value("PIPECAT_API_URL");
	env->api_key_name = "PIPECAT_API_KEY";
	env->api_key = env_value(env->api_key_name);
	if (!env->api_key) {
		env->api_key_name = "PIPECAT_CLOUD_API_KEY";
		env->api_key = env_value(env->api_key_name);
	}
	env->github_token = env_value("GITHUB_TOKEN");
	env->github_repository = env_value("GITHUB_REPOSITORY");
	env->github_api_url = env_value("GITHUB_API_URL");
	env->github_event_path = env_value("GITHUB_EVENT_PATH");
	env->github_step_summary = env_value("GITHUB_STEP_SUMMARY");
	env->github_actions = actions && !strcmp(actions, "true");
	env->no_color = env_value("NO_COLOR") != NULL;
	env->term_dumb = term && !strcmp(term, "dumb");
}

void api_config_from_options(struct api_config *cfg, const struct options *opts)
{
	cfg->api_url = opts->api_url;
	cfg->env_url = opts->env.api_url;
	cfg->env_key = opts->env.api_key;
	cfg->env_key_name = opts->env.api_key_name;
	cfg->token_file = opts->token_file;
	cfg->timeout = opts->timeout;
	cfg->retries = opts->retries;
	cfg->verbose = opts->verbose;
	cfg->quiet = opts->quiet;
}

/* The options that filter --latest, as given, joined for a message. */
static void filter_options(const struct options *opts, struct strbuf *out)
{
	const char *given[4];
	size_t n = 0, i;

	if (opts->statuses_nr)
		given[n++] = "--status";
	if (opts->region)
		given[n++] = "--region";
	if (opts->dockerfile)
		given[n++] = "--dockerfile";
	if (opts->since)
		given[n++] = "--since";
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(out, i + 1 == n ? " and " : ", ");
		strbuf_addstr(out, given[i]);
	}
}

enum exit_code build_choice_parse(const struct command *cmd, const struct options *opts,
				  int argc, char **argv, int first,
				  const enum build_status *default_statuses, double now,
				  struct build_choice *choice)
{
	struct latest_query *q = &choice->query;
	struct strbuf given = STRBUF_INIT;
	enum exit_code rc;
	size_t i;

	memset(choice, 0, sizeof(*choice));
	filter_options(opts, &given);
	if (!opts->latest) {
		if (given.len) {
			rc = usage_msg(cmd->name, "%s only appl%s with --latest", given.buf,
				       strchr(given.buf, ' ') ? "y" : "ies");
		} else if (argc - first != 1) {
			rc = usage_msg(cmd->name, "expected one BUILD_ID or --latest, got %d arguments",
				       argc - first);
		} else {
			choice->id = argv[first];
			rc = EXIT_DONE;
		}
		goto out;
	}
	if (argc - first) {
		rc = usage_msg(cmd->name, "--latest takes the place of a BUILD_ID: give one or the "
			       "other, not both ('%s')", argv[first]);
		goto out;
	}
	choice->latest = true;
	for (i = 0; i < opts->statuses_nr; i++) {
		if (!latest_add_status(q, build_status_from_name(opts->statuses[i]))) {
			rc = usage_msg(cmd->name, "--status takes pending, building, success, failed "
				       "or timeout, not '%s'", opts->statuses[i]);
			goto out;
		}
	}
	for (i = 0; !opts->statuses_nr && default_statuses[i]; i++)
		if (!latest_add_status(q, default_statuses[i]))
			BUG("unknown default status %d", (int)default_statuses[i]);
	q->region = opts->region;
	q->dockerfile = opts->dockerfile;
	if (opts->since && !latest_parse_since(opts->since, now, &q->since_seconds,
					       &q->since_relative)) {
		rc = usage_msg(cmd->name, "--since takes an ISO 8601 date or time (2026-03-04, "
			       "2026-03-04T10:00:00Z) or a time ago (30m, 2h, 7d), not '%s'",
			       opts->since);
		goto out;
	}
	q->since = opts->since;
	rc = EXIT_DONE;
out:
	strbuf_release(&given);
	return rc;
}

enum exit_code run_build_diagnosis(const struct command *cmd, int argc, char **argv,
				   const struct build_diagnosis *how)
{
	struct options options, *opts = &options;
	struct ruleset rs;
	struct strbuf err = STRBUF_INIT;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct source src;
	struct changes changes;
	struct build_choice choice;
	struct fetch_request req;
	enum fetch_result fres;
	enum exit_code rc;
	bool compared = false;
	int first;

	source_init(&src, SOURCE_API);
	changes_init(&changes);
	ruleset_init(&rs);
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	rc = build_choice_parse(cmd, opts, argc, argv, first, how->statuses,
				(double)time(NULL), &choice);
	if (rc)
		goto out;
	rc = load_rules(opts, &rs);
	if (rc)
		goto out;
	*how->printer = (struct fetch_printer){ opts, opts->format == FORMAT_TEXT, true, EXIT_DONE };
	fetch_request_from_options(&req, opts, &choice);
	req.logs = how->logs;
	req.note = how->note;
	req.ctx = how->ctx;
	fres = fetch_build(&req, &src, NULL, &err);
	rc = exit_for_fetch(fres, how->printer, &err);
	if (fres)
		goto out;
	/* a build that succeeded gets its report too: no diagnoses, outcome
	 * success (a JSON consumer always gets a document) */
	rc = diagnose_source(opts, &rs, &src, &diags, &changes, &compared);
	if (rc)
		goto out;
	if (!print_report(opts, &src, &diags, compared ? &changes : NULL, false,
			  how->shown && *how->shown)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (opts->exit_code && diagnoses_known_cause(&diags))
		rc = EXIT_FOUND;
out:
	changes_release(&changes);
	diagnoses_release(&diags);
	source_release(&src);
	ruleset_release(&rs);
	strbuf_release(&err);
	options_release(opts);
	return rc;
}

enum exit_code exit_for_fetch(enum fetch_result r, const struct fetch_printer *p,
			      const struct strbuf *err)
{
	if (r && r != FETCH_STOPPED)
		error_msg("%s", err->buf);
	switch (r) {
	case FETCH_OK: return EXIT_DONE;
	case FETCH_STOPPED: return p->rc;
	case FETCH_CONFIG: return EXIT_USAGE;
	case FETCH_BAD_ID:
	case FETCH_NO_MATCH: return EXIT_BAD_INPUT;
	case FETCH_API:
	case FETCH_BAD_LOG: break;
	}
	return EXIT_API;
}

void fetch_request_from_options(struct fetch_request *req, const struct options *opts,
				const struct build_choice *choice)
{
	memset(req, 0, sizeof(*req));
	api_config_from_options(&req->api, opts);
	req->id = choice->latest ? NULL : choice->id;
	req->latest = choice->latest ? &choice->query : NULL;
	req->wait = opts->wait;
	req->interval = opts->interval;
}

bool print_fetch_note(struct fetch_printer *p, enum fetch_note note, const char *id,
		      const char *text, const struct build *build)
{
	struct strbuf line = STRBUF_INIT;
	bool ok = true;

	switch (note) {
	case FETCH_NOTE_CHOSEN:
		/* a text report follows the line on stdout; else stdout may
		 * be the document or JSON: stderr */
		if (p->chosen_on_stdout) {
			strbuf_addf(&line, "%s\n", text);
			ok = write_stdout(&line);
			if (!ok)
				p->rc = EXIT_BAD_INPUT;
		} else if (!p->opts->quiet) {
			fprintf(stderr, "buildsleuth: %s\n", text);
		}
		break;
	case FETCH_NOTE_WARNING:
		warning_msg(p->opts, "%s", text);
		break;
	case FETCH_NOTE_RECORD:
		if (p->diagnose_unknown && build->status == BUILD_STATUS_OTHER)
			warning_msg(p->opts, "build %s has the unknown status '%s'; diagnosing its "
				    "log anyway", id, text);
		break;
	case FETCH_NOTE_STATUS:
	case FETCH_NOTE_LINES:
		break;
	}
	strbuf_release(&line);
	return ok;
}

/*
 * The width text reports wrap to, as git's term_columns() finds it: COLUMNS
 * when it holds a number, else the terminal's when stdout is one, else 80.
 * Clamped to REPORT_WIDTH_MIN so the evidence keeps room beside its gutter.
 */
size_t terminal_width(void)
{
	const char *columns = getenv("COLUMNS");
	size_t width = 80;
	struct winsize ws;
	char *end;

	if (columns && *columns) {
		long v;

		errno = 0;
		v = strtol(columns, &end, 10);
		if (!errno && !*end && v > 0)
			width = (size_t)v;
	} else if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
		   ws.ws_col) {
		width = ws.ws_col;
	}
	return width < REPORT_WIDTH_MIN ? REPORT_WIDTH_MIN : width;
}

bool use_color(const struct options *opts)
{
	if (opts->color != COLOR_AUTO)
		return opts->color == COLOR_ALWAYS;
	if (opts->env.no_color || opts->env.term_dumb)
		return false;
	return isatty(STDOUT_FILENO);
}
