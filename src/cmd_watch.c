/* cmd_watch.c - `buildsleuth watch BUILD_ID`: follow a running build like
 * `tail -f`, printing each log line once, then diagnose it if it failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/api.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/json.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/util.h"

/* Append an entry's text as lines cleaned for a terminal (escapes dropped,
 * '\r' redraws collapsed), split on '\n' as the log reader splits it. */
static void add_entry_lines(struct strbuf *out, struct json_object *entry)
{
	const char *s, *end, *nl;

	if (json_object_is_type(entry, json_type_string)) {
		s = json_object_get_string(entry);
		end = s + json_object_get_string_len(entry);
	} else {
		s = json_get_string(entry, "message");
		if (!s)
			s = json_get_string(entry, "log");
		end = s + strlen(s);
	}
	do {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		display_line(s, (size_t)(nl - s), 0, out);
		strbuf_addch(out, '\n');
		s = nl + 1;
	} while (nl < end && s < end);
}

struct seen {
	char **keys;
	size_t nr, alloc;
};

static void seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free(s->keys[i]);
	free(s->keys);
	s->keys = NULL;
	s->nr = s->alloc = 0;
}

/* Print the entries of batch not shown yet; add them to all. */
static bool show_new(const struct options *opts, const char *id, struct json_object *batch,
		     struct seen *seen, struct json_object *all)
{
	size_t n = json_object_array_length(batch), i, k;
	char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	struct strbuf out = STRBUF_INIT;
	bool ok = true;

	for (i = 0; i < n; i++)
		keys[i] = api_entry_key(json_object_array_get_idx(batch, i));
	k = api_log_overlap((const char *const *)seen->keys, seen->nr,
			    (const char *const *)keys, n);
	if (!k && seen->nr && n)
		warning_msg(opts, "build %s: the latest log lines do not overlap the ones shown "
			    "before: some lines may have been missed", id);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(batch, i);

		if (i < k) {
			free(keys[i]);
			continue;
		}
		add_entry_lines(&out, e);
		ALLOC_GROW(seen->keys, seen->nr + 1, seen->alloc);
		seen->keys[seen->nr++] = keys[i];
		json_object_array_add(all, json_object_get(e));
	}
	free(keys);
	/* text reports share stdout with the lines; other formats keep stdout
	 * for the report alone */
	if (out.len) {
		if (opts->format == FORMAT_TEXT)
			ok = write_stdout(&out);
		else
			fputs(out.buf, stderr);
	}
	strbuf_release(&out);
	return ok;
}

/* --latest without --status: the builds still running */
static const char *const default_statuses[] = { "pending", "building", NULL };

enum exit_code cmd_watch(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct api api;
	struct ruleset rs;
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct json_object *build = NULL, *batch = NULL, *all = NULL;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct seen seen = { NULL, 0, 0 };
	struct source src;
	struct build_choice choice;
	enum api_result ares = API_OK;
	enum exit_code rc;
	const char *id, *status = NULL;
	char *said = NULL;
	int first;

	source_init(&src, SOURCE_API);
	memset(&api, 0, sizeof(api));
	ruleset_init(&rs);
	memset(&choice, 0, sizeof(choice));
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
	ares = open_api(opts, &api, &err);
	if (ares)
		goto api_failed;
	rc = build_choice_resolve(opts, &api, &choice, opts->format == FORMAT_TEXT);
	if (rc)
		goto out;
	id = choice.id;
	all = json_object_new_array();
	for (;;) {
		bool running;

		json_object_put(build);
		ares = api_get_build(&api, id, &build, &err);
		if (ares)
			goto api_failed;
		status = api_build_status(build);
		running = api_status_running(status);
		if (!opts->quiet && (!said || strcmp(said, status))) {
			fprintf(stderr, "buildsleuth: build %s: %s\n", id, status);
			free(said);
			said = xstrdup(status);
		}
		json_object_put(batch);
		/* every page there is: the latest lines of a running build (the
		 * endpoint's sliding tail), or its whole log; show_new stitches
		 * either to what was shown */
		ares = api_get_logs(&api, id, &batch, &warnings, &err);
		print_warnings(opts, &warnings);
		causes_release(&warnings);
		if (ares)
			goto api_failed;
		if (!show_new(opts, id, batch, &seen, all)) {
			rc = EXIT_BAD_INPUT;
			goto out;
		}
		if (!running)
			break;
		api.http.clock.sleep(api.http.clock.ctx, (double)opts->interval);
	}
	/* a build that succeeded gets its report too: no diagnoses, outcome
	 * success (a JSON consumer always gets a document) */
	if (strcmp(status, "success") && strcmp(status, "failed") && strcmp(status, "timeout"))
		warning_msg(opts, "build %s has the unknown status '%s'; diagnosing its log anyway",
			    id, status);
	if (api_source_fill(&src, id, build, all, &err)) {
		error_msg("build %s: %s", id, err.buf);
		rc = EXIT_API;
		goto out;
	}
	src.selected = choice.latest ? &choice.query : NULL;
	analysis_run(&rs, &src, &diags, &warnings);
	print_warnings(opts, &warnings);
	if (!print_report(opts, &src, &diags, false, seen.nr > 0)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (opts->exit_code && diagnoses_known_cause(&diags))
		rc = EXIT_FOUND;
	goto out;
api_failed:
	error_msg("%s", err.buf);
	rc = exit_for_api(ares);
out:
	free(said);
	seen_release(&seen);
	diagnoses_release(&diags);
	source_release(&src);
	json_object_put(build);
	json_object_put(batch);
	json_object_put(all);
	api_release(&api);
	ruleset_release(&rs);
	causes_release(&warnings);
	strbuf_release(&err);
	build_choice_release(&choice);
	options_release(opts);
	return rc;
}
