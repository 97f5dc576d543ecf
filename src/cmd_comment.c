/* cmd_comment.c - `buildsleuth comment`: diagnose a build (from the Pipecat
 * Cloud API, a saved log or stdin) and keep one pull-request comment holding
 * the Markdown report up to date: edit our previous one when the report
 * changed, leave it when it did not, create it when there is none; once a
 * build succeeds, turn our failure comment into a resolved note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/comment.h"
#include "buildsleuth/fetch.h"
#include "buildsleuth/github.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/util.h"

/* With --collapse-previous, the new report is trimmed to make room for the
 * old one only while it keeps at least this much; below it the old one goes. */
#define COMMENT_REPORT_MIN 16384

/* Say what failed (the layer's own line, else its result in words: the
 * one message path, as curl's param2text) and map the result to an exit
 * code. */
static enum exit_code github_fail(enum github_result r, const struct strbuf *err)
{
	error_msg("%s", err->len ? err->buf : github_strerror(r));
	switch (r) {
	case GITHUB_OK: return EXIT_DONE;
	case GITHUB_CONFIG: return EXIT_USAGE;
	case GITHUB_BAD_EVENT: return EXIT_BAD_INPUT;
	case GITHUB_FORBIDDEN:
	case GITHUB_HTTP:
	case GITHUB_BAD_RESPONSE: return EXIT_API;
	}
	return EXIT_API;
}

/* The pull request: --pr, else the Actions event file. */
static enum exit_code find_pr(const struct options *opts, long *pr)
{
	const char *event = opts->env.github_event_path;
	struct strbuf err = STRBUF_INIT;
	enum github_result res;

	*pr = opts->pr;
	if (*pr)
		return EXIT_DONE;
	if (event && *event) {
		res = github_event_number(event, pr, &err);
		if (res) {
			enum exit_code rc = github_fail(res, &err);

			strbuf_release(&err);
			return rc;
		}
		strbuf_release(&err);
		if (*pr)
			return EXIT_DONE;
	}
	return usage_msg("comment", "no pull request: give --pr N, or run in a pull_request "
			 "workflow (GITHUB_EVENT_PATH with .pull_request.number)");
}

/* --latest without --status: the newest finished build, so that a green
 * build is the one a comment speaks of once it came */
static const enum build_status default_statuses[] = {
	BUILD_STATUS_SUCCESS, BUILD_STATUS_FAILED, BUILD_STATUS_TIMEOUT, BUILD_STATUS_NONE
};

struct comment_fetch {
	struct fetch_printer printer;
	bool nothing;   /* the build is still running: nothing to post */
};

/* A build that succeeded gets its record and no log (nothing to diagnose:
 * its comment is resolved); one still running stops the fetch. */
static bool note(void *ctx, enum fetch_note note, const char *id, const char *text,
		 const struct build *build)
{
	struct comment_fetch *c = ctx;

	if (note == FETCH_NOTE_RECORD && build_status_running(build->status)) {
		fprintf(stderr, "buildsleuth: build %s is still %s: nothing to diagnose yet "
			"(use --wait to wait for it to end); no comment posted\n", id, text);
		c->nothing = true;
		return false;
	}
	return print_fetch_note(&c->printer, note, id, text, build);
}

/* Fill src from the Pipecat Cloud API (the build choice names, or --latest
 * finds). *nothing is set when the build is still running. */
static enum exit_code fetch_source(const struct options *opts, const struct build_choice *choice,
				   struct source *src, bool *nothing)
{
	struct comment_fetch c = { { opts, false, false, EXIT_DONE }, false };
	struct fetch_request req;
	struct strbuf err = STRBUF_INIT;
	enum fetch_result fres;
	enum exit_code rc;

	fetch_request_from_options(&req, opts, choice);
	req.logs = FETCH_LOGS_FAILURE;
	req.note = note;
	req.ctx = &c;
	fres = fetch_build(&req, src, NULL, &err);
	*nothing = c.nothing;
	rc = exit_for_fetch(fres, &c.printer, &err);
	strbuf_release(&err);
	return rc;
}

/* "what URL" on stdout, the URL (from the server) cleaned for a terminal. */
static bool say(const char *what, const struct github_comment *c)
{
	struct strbuf line = STRBUF_INIT;
	bool ok;

	strbuf_addstr(&line, what);
	if (c->html_url && *c->html_url) {
		strbuf_addch(&line, ' ');
		display_line(c->html_url, strlen(c->html_url), 500, &line);
	} else {
		strbuf_addf(&line, " comment %lld", c->id);
	}
	strbuf_addch(&line, '\n');
	ok = write_stdout(&line);
	strbuf_release(&line);
	return ok;
}

/* The new body: report, and with collapse the old analysis (or a note). */
static void compose(const struct report *r, const struct github_comment *old,
		    bool collapse, struct strbuf *body)
{
	size_t need;

	report_markdown(r, body);
	/* a resolved note is no analysis to keep */
	if (!collapse || !old || !comment_is_failure(old->body))
		return;
	need = comment_superseded_size(old->body, old->updated_at);
	if (!need)
		return;
	if (body->len + need <= MARKDOWN_MAX_BYTES) {
		comment_add_superseded(body, old->body, old->updated_at);
		return;
	}
	if (need + COMMENT_REPORT_MIN <= MARKDOWN_MAX_BYTES) {
		strbuf_reset(body);
		if (report_markdown_capped(r, MARKDOWN_MAX_BYTES - need, body)) {
			comment_add_superseded(body, old->body, old->updated_at);
			return;
		}
		strbuf_reset(body);
		report_markdown(r, body);
	}
	comment_add_superseded_note(body);
}

/*
 * The build succeeded: turn our failure comment old (NULL: none) into the
 * resolved note; leave a comment that is no failure report alone.
 */
static enum exit_code resolve(struct github *gh, long pr, const struct report *r,
			      const struct github_comment *old)
{
	struct github_comment posted;
	struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
	enum github_result gres;
	enum exit_code rc = EXIT_DONE;
	char *replaced;

	if (!old) {
		/* nothing failed here before: a green build posts nothing */
		fprintf(stderr, "buildsleuth: %s%s succeeded: no failure comment on %s#%ld to "
			"resolve; no comment posted\n", r->source->build_id ? "build " : "the build",
			r->source->build_id ? r->source->build_id : "", gh->repo, pr);
		return EXIT_DONE;
	}
	if (!comment_is_failure(old->body))
		return say("unchanged", old) ? EXIT_DONE : EXIT_BAD_INPUT;
	memset(&posted, 0, sizeof(posted));
	replaced = comment_failure_headline(old->body);
	report_markdown_resolved(r, replaced, &body);
	gres = github_update_comment(gh, pr, old->id, body.buf, &posted, &err);
	if (gres) {
		rc = github_fail(gres, &err);
	} else if (!say("resolved", &posted)) {
		rc = EXIT_BAD_INPUT;
	}
	free(replaced);
	github_comment_release(&posted);
	strbuf_release(&body);
	strbuf_release(&err);
	return rc;
}

enum exit_code cmd_comment(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct github_config gcfg;
	struct github gh;
	struct ruleset rs;
	struct strbuf err = STRBUF_INIT, body = STRBUF_INIT, report_only = STRBUF_INIT;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct github_comments comments = { NULL, 0, 0 };
	struct github_comment posted;
	struct source src;
	struct report report;
	struct changes changes;
	struct build_choice choice;
	enum github_result gres;
	enum exit_code rc;
	char *login = NULL;
	long pr = 0, found;
	size_t mine = 0;
	bool nothing = false, compared = false;
	int first;

	memset(&gh, 0, sizeof(gh));
	memset(&posted, 0, sizeof(posted));
	source_init(&src, SOURCE_FILE);
	ruleset_init(&rs);
	changes_init(&changes);
	memset(&choice, 0, sizeof(choice));
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	if (opts->from && opts->latest) {
		rc = usage_msg(cmd->name, "--latest and --from FILE both say which build: give one");
		goto out;
	}
	if (opts->from && argc - first != 0) {
		rc = usage_msg(cmd->name, "expected no BUILD_ID with --from FILE");
		goto out;
	}
	/* with --from, only to refuse the filters of --latest */
	if (!opts->from || opts->statuses_nr || opts->region || opts->dockerfile || opts->since) {
		rc = build_choice_parse(cmd, opts, argc, argv, first, default_statuses,
					(double)time(NULL), &choice);
		if (rc)
			goto out;
	}
	/* GitHub settings first: no point diagnosing what cannot be posted */
	gcfg.timeout = opts->timeout;
	gcfg.retries = opts->retries;
	gcfg.verbose = opts->verbose;
	gcfg.quiet = opts->quiet;
	gcfg.token = opts->env.github_token;
	gcfg.repo = opts->env.github_repository;
	gcfg.api_url = opts->env.github_api_url;
	gcfg.in_actions = opts->env.github_actions;
	gres = github_init(&gh, &gcfg, &err);
	if (gres) {
		rc = github_fail(gres, &err);
		goto out;
	}
	rc = find_pr(opts, &pr);
	if (rc)
		goto out;
	rc = load_rules(opts, &rs);
	if (rc)
		goto out;
	if (opts->from) {
		if (source_read_path(&src, opts->from, &err)) {
			error_msg("%s", err.buf);
			rc = EXIT_BAD_INPUT;
			goto out;
		}
	} else {
		source_release(&src);
		source_init(&src, SOURCE_API);
		rc = fetch_source(opts, &choice, &src, &nothing);
		if (rc || nothing)
			goto out;
	}
	rc = diagnose_source(opts, &rs, &src, &diags, &changes, &compared);
	if (rc)
		goto out;
	memset(&report, 0, sizeof(report));
	report.source = &src;
	report.diagnoses = &diags;
	report.changes = compared ? &changes : NULL;
	report.top = opts->top;
	report.source_dir = opts->source_dir;
	report_markdown(&report, &report_only);

	if (opts->author) {
		login = xstrdup(opts->author);
	} else {
		gres = github_login(&gh, &login, &err);
		if (gres) {
			rc = github_fail(gres, &err);
			goto out;
		}
	}
	gres = github_list_comments(&gh, pr, &comments, &err);
	if (gres) {
		rc = github_fail(gres, &err);
		goto out;
	}
	found = comment_find(&comments, login, &mine);
	if (opts->verbose)
		fprintf(stderr, "buildsleuth: %zu comments on %s#%ld, %zu of them ours (%s)\n",
			comments.nr, gh.repo, pr, mine, login);
	if (diags.outcome == OUTCOME_SUCCESS) {
		rc = resolve(&gh, pr, &report, found >= 0 ? &comments.items[found] : NULL);
		goto out;
	}
	if (found >= 0 && comment_same_report(comments.items[found].body, report_only.buf)) {
		if (!say("unchanged", &comments.items[found]))
			rc = EXIT_BAD_INPUT;
		goto out;
	}
	compose(&report, found >= 0 ? &comments.items[found] : NULL, opts->collapse_previous,
		&body);
	if (found >= 0) {
		gres = github_update_comment(&gh, pr, comments.items[found].id, body.buf, &posted,
					     &err);
		if (gres) {
			rc = github_fail(gres, &err);
			goto out;
		}
		if (!say("updated", &posted))
			rc = EXIT_BAD_INPUT;
	} else {
		gres = github_create_comment(&gh, pr, body.buf, &posted, &err);
		if (gres) {
			rc = github_fail(gres, &err);
			goto out;
		}
		if (!say("created", &posted))
			rc = EXIT_BAD_INPUT;
	}
out:
	changes_release(&changes);
	free(login);
	github_comment_release(&posted);
	github_comments_release(&comments);
	diagnoses_release(&diags);
	source_release(&src);
	github_release(&gh);
	ruleset_release(&rs);
	strbuf_release(&err);
	strbuf_release(&body);
	strbuf_release(&report_only);
	options_release(opts);
	return rc;
}
