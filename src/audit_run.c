/* audit_run.c - the run of `buildsleuth audit`: builds chosen (arguments,
 * --ids-from, the --status listing, --logs-dir) and fetched many at once,
 * each analysed and released as soon as its log is complete, its report
 * line into --per-build and the aggregate; or the aggregate of
 * --from-reports; with a progress line and Ctrl-C stopping at the next
 * tick. cmd_audit.c holds the options and drives it. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/api.h"
#include "buildsleuth/audit_run.h"
#include "buildsleuth/audit_store.h"
#include "buildsleuth/json.h"
#include "buildsleuth/report.h"
#include "buildsleuth/util.h"

#define DEFAULT_JOBS 8
/* How often the loop looks at Ctrl-C and redraws the progress line. */
#define TICK_SECONDS 0.1

/* Set by the signal handler; the loop stops at its next tick. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int signo)
{
	stop_signal = signo;
}

int audit_run_stopped(void)
{
	return stop_signal;
}

/* --- stderr: messages and the progress line --------------------------------- */

void audit_run_progress_clear(struct audit_run *run)
{
	if (run->progress.shown) {
		fputs("\r\033[K", stderr);
		run->progress.shown = false;
	}
}

/* One line to stderr, the progress line cleared first (it comes back at
 * the next redraw). Also the HTTP client's hook. */
static void say(void *ctx, const char *line)
{
	audit_run_progress_clear(ctx);
	fprintf(stderr, "%s\n", line);
}

static void run_warning(struct audit_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void run_warning(struct audit_run *run, const char *fmt, ...)
{
	struct strbuf line = STRBUF_INIT;
	va_list ap;

	if (run->opts->quiet)
		return;
	strbuf_addstr(&line, "buildsleuth: warning: ");
	va_start(ap, fmt);
	strbuf_vaddf(&line, fmt, ap);
	va_end(ap);
	say(run, line.buf);
	strbuf_release(&line);
}

/* The total for the progress line: exact once the listing is over, else
 * an estimate from the share of listed builds selected so far. */
static size_t progress_total(const struct audit_run *run, bool *estimate)
{
	size_t seen = 0, total = 0;

	*estimate = run->fetch && audit_fetch_listing(run->fetch, &seen, &total);
	if (!*estimate || !seen || total <= seen)
		return run->selected;
	return run->selected + (size_t)((double)(total - seen) * (double)run->selected /
					(double)seen + 0.5);
}

static void progress_draw(struct audit_run *run, bool force)
{
	struct progress *p = &run->progress;
	double now = monotonic_seconds(), elapsed = now - p->start, rate;
	size_t total;
	bool estimate;
	char eta[32] = "-";

	if (!p->on || (!force && now - p->drawn < TICK_SECONDS))
		return;
	p->drawn = now;
	total = progress_total(run, &estimate);
	rate = elapsed > 0 ? (double)run->done / elapsed : 0;
	if (rate > 0 && total >= run->done) {
		long left = (long)((double)(total - run->done) / rate + 0.5);

		snprintf(eta, sizeof(eta), "%ld:%02ld", left / 60, left % 60);
	}
	fprintf(stderr, "\r\033[Kbuildsleuth audit: %zu/%s%zu builds, %zu failed, %.1f/s, ETA %s",
		run->done, estimate ? "~" : "", total, run->failed, rate, eta);
	fflush(stderr);
	p->shown = true;
}

/* --- one build --------------------------------------------------------------- */

/* A report made by this run (line, parsed: report) into --db, in one
 * transaction, unless a write failed before. */
static void store_report(struct audit_run *run, struct json_object *report,
			 const struct strbuf *line)
{
	struct strbuf err = STRBUF_INIT;
	size_t len = line->len;
	bool stored;

	while (len && line->buf[len - 1] == '\n')
		len--;
	if (audit_db_store(run->db, report, line->buf, len, run->digest, NULL, &stored, &err)) {
		audit_run_progress_clear(run);
		error_msg("%s", err.buf);
		run->db_failed = true;
	}
	strbuf_release(&err);
}

/* A per-build line: to --per-build, then into the aggregate and, when
 * store (a report made by this run, not one read from the database), into
 * --db, parsed once for both. */
static void take_line(struct audit_run *run, const struct strbuf *line, bool store)
{
	struct strbuf err = STRBUF_INIT;
	struct json_object *report = NULL;
	enum audit_result res;

	if (run->per_build.fd >= 0 && !run->per_build_failed &&
	    !outfile_write(&run->per_build, line->buf, line->len, &err)) {
		error_msg("%s", err.buf);
		strbuf_reset(&err);
		run->per_build_failed = true;
	}
	store = store && run->db && !run->db_failed;
	if (store)
		report = json_parse_buffer(line->buf, line->len, &err);
	if (store && !report)
		BUG("a report of our own is not JSON: %s", err.buf);
	res = report ? audit_add_report(&run->agg, report, &err)
		     : audit_add_line(&run->agg, line->buf, line->len, &err);
	if (res == AUDIT_BAD_LINE)
		BUG("a per-build line of our own does not read back: %s", err.buf);
	if (report)
		store_report(run, report, line);
	json_object_put(report);
	strbuf_release(&err);
	run->done++;
}

static void take_failure(struct audit_run *run, const char *id, const char *why)
{
	struct strbuf line = STRBUF_INIT;

	audit_fetch_error_line(&line, id, why);
	run->failed++;
	/* not stored: the next run tries it again */
	take_line(run, &line, false);
	strbuf_release(&line);
}

static void print_build_warnings(struct audit_run *run, const char *id,
				 const struct causes *warnings)
{
	size_t i;

	for (i = 0; i < warnings->nr; i++)
		run_warning(run, "build %s: %s", id, warnings->items[i]);
}

/* Diagnose a source and take its report. */
static void take_source(struct audit_run *run, const char *id, struct source *src,
			bool diagnose)
{
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct causes warnings = CAUSES_INIT;
	struct strbuf line = STRBUF_INIT;
	struct report report;

	if (diagnose)
		analysis_run(&run->rs, src, &diags, &warnings);
	print_build_warnings(run, id, &warnings);
	memset(&report, 0, sizeof(report));
	report.source = src;
	report.diagnoses = &diags;
	report.compact = true;
	report_json(&report, &line);
	take_line(run, &line, true);
	strbuf_release(&line);
	diagnoses_release(&diags);
	causes_release(&warnings);
}

/* A build with its record (taken) and (when it failed) every log entry:
 * analysed, reported and released. */
static void take_build(struct audit_run *run, const char *id, struct build *build,
		       struct json_object *logs)
{
	struct source src;
	struct strbuf err = STRBUF_INIT;
	struct json_object *none = logs ? NULL : json_object_new_array();

	source_init(&src, SOURCE_API);
	if (api_source_fill(&src, id, build, logs ? logs : none, &err))
		take_failure(run, id, err.buf);
	else
		take_source(run, id, &src, logs != NULL);
	source_release(&src);
	json_object_put(none);
	strbuf_release(&err);
}

/* Take a saved build. False (with a warning) when it cannot be read back,
 * so the build is fetched again. */
static bool take_saved(struct audit_run *run, const char *id, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct json_object *doc = NULL, *logs;
	struct build *record;
	bool ok = audit_store_load(path, &doc, &record, &logs, &err);

	if (ok)
		take_build(run, id, record, logs);
	else
		run_warning(run, "%s; fetching it again", err.buf);
	json_object_put(doc);
	strbuf_release(&err);
	return ok;
}

/* A build the fetcher is done with. */
static void take_fetched(struct audit_run *run, struct audit_fetched *b)
{
	print_build_warnings(run, b->id, &b->warnings);
	if (b->result) {
		if (b->http_status == 401 && !run->fatal) {
			/* the key is wrong: every other request would fail too */
			audit_run_progress_clear(run);
			error_msg("%s", b->err.buf);
			run->fatal = true;
		}
		take_failure(run, b->id, b->err.buf);
		return;
	}
	if (run->opts->save_dir && !build_status_running(b->build->status)) {
		struct strbuf err = STRBUF_INIT;

		if (!audit_store_save(run->opts->save_dir, b->id, b->record, b->logs, &err))
			run_warning(run, "cannot save build %s: %s", b->id, err.buf);
		strbuf_release(&err);
	}
	take_build(run, b->id, b->build, b->logs);
	b->build = NULL; /* taken */
}

/* Take build id from --db when it is stored (and, with --reanalyze, was
 * analysed with these rules). False when it must be fetched. */
static bool take_stored(struct audit_run *run, const char *id)
{
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	enum audit_db_state state;
	bool taken = false;

	if (audit_db_lookup(run->db, id, run->opts->reanalyze ? run->digest : NULL, &state,
			    &report, &err)) {
		run_warning(run, "%s; fetching build %s", err.buf, id);
	} else if (state == AUDIT_DB_FRESH) {
		strbuf_addch(&report, '\n');
		take_line(run, &report, false);
		taken = true;
	}
	strbuf_release(&report);
	strbuf_release(&err);
	return taken;
}

/* --- choosing builds ----------------------------------------------------------- */

/* Whether build id (a lowercase UUID) is one to audit: not seen, in our
 * shard, within --max. A build saved already is taken from its file here. */
static enum audit_admit choose(struct audit_run *run, const char *id)
{
	if (run->opts->max && run->selected >= (size_t)run->opts->max)
		return AUDIT_ADMIT_STOP;
	if (run->shard_n && audit_shard_of(id, run->shard_n) != run->shard_k)
		return AUDIT_ADMIT_SKIP;
	if (!audit_set_add(run->chosen, id))
		return AUDIT_ADMIT_SKIP;
	run->selected++;
	if (run->db && !run->opts->refresh && take_stored(run, id))
		return AUDIT_ADMIT_SKIP;
	if (run->opts->save_dir && !run->opts->refresh) {
		char *path = audit_store_path(run->opts->save_dir, id);
		bool taken = !access(path, F_OK) && take_saved(run, id, path);

		free(path);
		if (taken)
			return AUDIT_ADMIT_SKIP;
	}
	return AUDIT_ADMIT_FETCH;
}

/* The --status listing offers each build here. */
static enum audit_admit admit_listed(void *ctx, const char *id, const struct build *build)
{
	struct audit_run *run = ctx;

	if (!api_valid_build_id(id)) {
		run_warning(run, "the list of builds named a build whose ID is not a UUID; skipped");
		return AUDIT_ADMIT_SKIP;
	}
	if (run->since_set || run->until_set) {
		const char *created = build->created_at;
		double t;

		if (!created || !audit_parse_time(created, &t))
			return AUDIT_ADMIT_SKIP;
		if ((run->since_set && t < run->since) || (run->until_set && t >= run->until))
			return AUDIT_ADMIT_SKIP;
	}
	return choose(run, id);
}

/* Print causes, any that would show the key replaced by a note. */
static void print_causes_safe(const struct audit_run *run, const struct causes *c)
{
	const char *key = run->have_api ? run->api.http.key : NULL;
	size_t i;

	for (i = 0; i < c->nr; i++) {
		if (key && strstr(c->items[i], key))
			error_msg("a build ID was not shown: it holds the API key");
		else
			error_msg("%s", c->items[i]);
	}
}

static bool read_all(const char *path, struct strbuf *out, struct strbuf *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	bool ok = true;

	if (!f) {
		strbuf_addf(err, "cannot open '%s': %s", path, strerror(errno));
		return false;
	}
	if (strbuf_read_file(out, f)) {
		strbuf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		ok = false;
	}
	if (f != stdin)
		fclose(f);
	return ok;
}

/* The IDs from the arguments and --ids-from, checked before any request.
 * EXIT_BAD_INPUT after printing every bad one. */
static enum exit_code gather_ids(struct audit_run *run, int argc, char **argv,
				 struct string_list *ids)
{
	struct causes errors = CAUSES_INIT;
	enum exit_code rc = EXIT_DONE;
	int i;

	for (i = 0; i < argc; i++) {
		struct strbuf shown = STRBUF_INIT;
		size_t len = strlen(argv[i]), k;

		if (api_valid_build_id(argv[i])) {
			char *id = xstrdup(argv[i]);

			for (k = 0; id[k]; k++)
				id[k] = (char)(id[k] >= 'A' && id[k] <= 'F' ? id[k] - 'A' + 'a' : id[k]);
			string_list_append(ids, id);
			free(id);
			continue;
		}
		/* quoted (cut, one line) so an empty "$BUILD_ID" is obvious */
		strbuf_add_utf8_clean(&shown, argv[i], len > 64 ? 64 : len);
		for (k = 0; k < shown.len; k++)
			if ((unsigned char)shown.buf[k] < 0x20 || shown.buf[k] == 0x7f)
				shown.buf[k] = '?';
		causes_add(&errors, "invalid build ID '%s%s': expected a UUID such as "
			   "123e4567-e89b-12d3-a456-426614174000", shown.buf, len > 64 ? "..." : "");
		strbuf_release(&shown);
	}
	if (run->opts->ids_from) {
		struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
		const char *name = strcmp(run->opts->ids_from, "-") ? run->opts->ids_from : "stdin";

		if (!read_all(run->opts->ids_from, &text, &err))
			causes_add(&errors, "%s", err.buf);
		else
			audit_parse_ids(text.buf, text.len, name, ids, &errors);
		strbuf_release(&text);
		strbuf_release(&err);
	}
	if (errors.nr) {
		print_causes_safe(run, &errors);
		error_msg("%zu bad build ID%s; nothing was fetched", errors.nr,
			  errors.nr == 1 ? "" : "s");
		rc = EXIT_BAD_INPUT;
	}
	causes_release(&errors);
	return rc;
}

/* --- the three ways to run ------------------------------------------------------ */

void audit_run_signals(void)
{
	struct sigaction sa;

	stop_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* a second Ctrl-C kills at once */
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

enum exit_code audit_run_api(struct audit_run *run, int argc, char **argv)
{
	struct options *opts = run->opts;
	struct api_config cfg;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct string_list ids = { NULL, 0, 0 };
	enum api_result ares;
	enum exit_code rc;
	size_t i;

	api_config_from_options(&cfg, opts);
	ares = api_init(&run->api, &cfg, &warnings, &err);
	run->have_api = true;
	print_warnings(opts, &warnings);
	causes_release(&warnings);
	if (ares) {
		rc = api_fail(ares, &err);
		goto out;
	}
	run->api.http.message = say;
	run->api.http.message_ctx = run;
	rc = gather_ids(run, argc, argv, &ids);
	if (rc)
		goto out;
	if (audit_fetch_new(&run->api, (size_t)(opts->jobs ? opts->jobs : DEFAULT_JOBS),
			    &run->fetch, &err)) {
		error_msg("%s", err.buf);
		rc = EXIT_API;
		goto out;
	}
	for (i = 0; i < ids.nr && !stop_signal; i++) {
		enum audit_admit a = choose(run, ids.items[i]);

		if (a == AUDIT_ADMIT_STOP)
			break;
		if (a == AUDIT_ADMIT_FETCH)
			audit_fetch_add(run->fetch, ids.items[i], NULL);
		progress_draw(run, false);
	}
	if (opts->status)
		audit_fetch_list(run->fetch, opts->status, opts->region, admit_listed, run);
	while (!stop_signal && !run->fatal) {
		struct audit_fetched b;
		enum audit_fetch_result r;

		memset(&b, 0, sizeof(b));
		r = audit_fetch_next(run->fetch, TICK_SECONDS, &b, &err);
		if (r == AUDIT_FETCH_DONE) {
			take_fetched(run, &b);
			audit_fetched_release(&b);
		} else if (r == AUDIT_FETCH_END) {
			break;
		} else if (r == AUDIT_FETCH_LIST_FAILED) {
			audit_run_progress_clear(run);
			error_msg("%s", err.len ? err.buf : audit_fetch_strerror(r));
			run->fatal = true;
		}
		progress_draw(run, false);
	}
	if (opts->verbose) {
		struct http_pool_stats st;

		audit_fetch_stats(run->fetch, &st);
		audit_run_progress_clear(run);
		fprintf(stderr, "buildsleuth: audit: %zu requests, up to %zu at once, %zu answered "
			"429 (%zu pauses)\n", st.attempts, st.max_running, st.throttled, st.pauses);
	}
out:
	string_list_release(&ids);
	strbuf_release(&err);
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The key a --logs-dir file is chosen by: its UUID when the name is
 * <uuid>.<ext>, else the whole name. */
static char *file_key(const char *name)
{
	const char *dot = strchr(name, '.');
	char *key = xstrndup(name, dot ? (size_t)(dot - name) : strlen(name));
	size_t i;

	if (!api_valid_build_id(key)) {
		free(key);
		return xstrdup(name);
	}
	for (i = 0; key[i]; i++)
		key[i] = (char)(key[i] >= 'A' && key[i] <= 'F' ? key[i] - 'A' + 'a' : key[i]);
	return key;
}

enum exit_code audit_run_logs_dir(struct audit_run *run)
{
	const char *dir = run->opts->logs_dir;
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nr = 0, alloc = 0, i;

	if (!d) {
		error_msg("cannot open '%s': %s", dir, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		/* dot files include --save-dir's temporary files */
		if (e->d_name[0] == '.' || (len > 4 && !strcmp(e->d_name + len - 4, ".tmp")))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), compare_names);
	for (i = 0; i < nr && !stop_signal; i++) {
		char *path = xstrfmt("%s/%s", dir, names[i]), *key = file_key(names[i]);
		struct stat st;
		struct source src;
		struct strbuf err = STRBUF_INIT;

		if (stat(path, &st) || !S_ISREG(st.st_mode))
			goto next;
		if (run->opts->max && run->selected >= (size_t)run->opts->max)
			i = nr;
		else if ((!run->shard_n || audit_shard_of(key, run->shard_n) == run->shard_k) &&
			 audit_set_add(run->chosen, key)) {
			run->selected++;
			source_init(&src, SOURCE_FILE);
			if (source_read_path(&src, path, &err))
				take_failure(run, path, err.buf);
			else
				take_source(run, path, &src, true);
			source_release(&src);
			progress_draw(run, false);
		}
next:
		strbuf_release(&err);
		free(path);
		free(key);
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return EXIT_DONE;
}

enum exit_code audit_run_from_reports(struct audit_run *run, int argc, char **argv)
{
	struct causes errors = CAUSES_INIT;
	enum exit_code rc = EXIT_DONE;
	int i;

	for (i = 0; i < argc; i++) {
		const char *path = argv[i], *name = strcmp(path, "-") ? path : "stdin";
		FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
		char *line = NULL;
		size_t cap = 0, lineno = 0;
		ssize_t len;

		if (!f) {
			causes_add(&errors, "cannot open '%s': %s", path, strerror(errno));
			continue;
		}
		while ((len = getline(&line, &cap, f)) >= 0) {
			struct strbuf err = STRBUF_INIT;
			enum audit_result res;
			ssize_t k = 0;

			lineno++;
			while (k < len && strchr(" \t\r\n", line[k]))
				k++;
			if (k == len)
				continue;
			res = audit_add_line(&run->agg, line, (size_t)len, &err);
			if (res == AUDIT_BAD_LINE)
				causes_add(&errors, "%s:%zu: %s", name, lineno,
					   err.len ? err.buf : audit_strerror(res));
			else if (res == AUDIT_DUPLICATE)
				run_warning(run, "%s:%zu: %s; the first report of it is kept", name,
					    lineno, audit_strerror(res));
			strbuf_release(&err);
		}
		if (ferror(f))
			causes_add(&errors, "cannot read '%s': %s", path, strerror(errno));
		free(line);
		if (f != stdin)
			fclose(f);
	}
	if (errors.nr) {
		causes_print(&errors, stderr);
		error_msg("%zu problem%s in the reports; nothing was aggregated", errors.nr,
			  errors.nr == 1 ? "" : "s");
		rc = EXIT_BAD_INPUT;
	}
	causes_release(&errors);
	return rc;
}

/* A stored build into the aggregate (and --per-build). */
static bool take_row(void *ctx, const struct audit_db_row *row)
{
	struct audit_run *run = ctx;
	struct strbuf line = STRBUF_INIT;

	if (stop_signal)
		return false;
	run->selected++;
	strbuf_add(&line, row->report, row->report_len);
	strbuf_addch(&line, '\n');
	take_line(run, &line, false);
	strbuf_release(&line);
	progress_draw(run, false);
	return true;
}

enum exit_code audit_run_offline(struct audit_run *run)
{
	struct audit_db_filter filter = { run->since_set, run->until_set, run->since, run->until };
	struct strbuf err = STRBUF_INIT;
	enum exit_code rc = EXIT_DONE;

	if (audit_db_each(run->db, &filter, take_row, run, &err)) {
		audit_run_progress_clear(run);
		error_msg("%s", err.buf);
		rc = EXIT_BAD_INPUT;
	}
	strbuf_release(&err);
	return rc;
}

enum exit_code audit_run_import_db(struct audit_run *run, int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	int i;

	for (i = 0; i < argc && !stop_signal; i++) {
		size_t imported;

		if (audit_db_import(run->db, argv[i], &imported, &err)) {
			audit_run_progress_clear(run);
			error_msg("%s", err.buf);
			strbuf_release(&err);
			return EXIT_BAD_INPUT;
		}
		if (run->opts->verbose)
			fprintf(stderr, "buildsleuth: audit: %zu builds imported from '%s'\n", imported,
				argv[i]);
	}
	strbuf_release(&err);
	return audit_run_offline(run);
}
