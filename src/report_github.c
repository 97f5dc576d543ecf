/* report_github.c - GitHub Actions workflow commands: one ::error per
 * diagnosis (::notice for generic fallback findings), at most
 * GITHUB_ERRORS_MAX, placed on the file and line of the finding's location
 * so they show in the pull request's diff, and escaped so log text cannot
 * end the command or start another. */
#include <string.h>

#include "buildsleuth/normalize.h"
#include "buildsleuth/report.h"

/* Escape for a command's message (data) or, with property, a property. */
static void escape(struct strbuf *out, const char *s, bool property)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i;

	display_line(s, strlen(s), REPORT_LINE_MAX, &clean);
	for (i = 0; i < clean.len; i++) {
		char c = clean.buf[i];

		if (c == '%')
			strbuf_addstr(out, "%25");
		else if (c == '\r')
			strbuf_addstr(out, "%0D");
		else if (c == '\n')
			strbuf_addstr(out, "%0A");
		else if (property && c == ':')
			strbuf_addstr(out, "%3A");
		else if (property && c == ',')
			strbuf_addstr(out, "%2C");
		else
			strbuf_addch(out, c);
	}
	strbuf_release(&clean);
}

/*
 * Append the escaped message msg, cut to fewer than GITHUB_MESSAGE_MAX bytes
 * (so fewer characters too) when longer: at a UTF-8 character boundary,
 * never inside a %XX escape (escape() writes '%' only to start one), then an
 * ellipsis.
 */
static void add_message(struct strbuf *out, const struct strbuf *msg)
{
	static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
	size_t cut;

	if (msg->len < GITHUB_MESSAGE_MAX) {
		strbuf_add(out, msg->buf, msg->len);
		return;
	}
	cut = GITHUB_MESSAGE_MAX - 1 - (sizeof(ellipsis) - 1);
	if (cut >= 1 && msg->buf[cut - 1] == '%')
		cut -= 1;
	else if (cut >= 2 && msg->buf[cut - 2] == '%')
		cut -= 2;
	while (cut && ((unsigned char)msg->buf[cut] & 0xc0) == 0x80)
		cut--;
	strbuf_add(out, msg->buf, cut);
	strbuf_addstr(out, ellipsis);
}

/* "file=DIR/F,line=N," for d's resolved location, or nothing. */
static void add_location(struct strbuf *out, const struct report *r, const struct diagnosis *d)
{
	struct strbuf path = STRBUF_INIT;
	unsigned long line;

	if (report_location(r, d, &path, &line)) {
		strbuf_addstr(out, "file=");
		escape(out, path.buf, true);
		if (line)
			strbuf_addf(out, ",line=%lu", line);
		strbuf_addch(out, ',');
	}
	strbuf_release(&path);
}

static void build_notice(const struct report *r, const char *message, struct strbuf *out)
{
	const char *status = report_build(r)->status_name;
	const char *id = report_build_id(r);
	struct strbuf msg = STRBUF_INIT;

	strbuf_addstr(out, "::notice title=Pipecat Cloud build");
	if (id) {
		strbuf_addch(out, ' ');
		escape(out, id, true);
	}
	if (status) {
		strbuf_addch(out, ' ');
		escape(out, status, true);
	}
	strbuf_addstr(out, "::");
	escape(&msg, message, false);
	add_message(out, &msg);
	strbuf_addch(out, '\n');
	strbuf_release(&msg);
}

static void annotation(const struct report *r, const struct diagnosis *d, bool first,
		       struct strbuf *out)
{
	struct strbuf msg = STRBUF_INIT;

	strbuf_addstr(out, d->fallback ? "::notice " : "::error ");
	add_location(out, r, d);
	strbuf_addstr(out, "title=");
	escape(out, d->title, true);
	strbuf_addf(out, " (%s)::", category_name(d->category));
	escape(&msg, d->summary, false);
	if (d->hits.lines_nr) {
		strbuf_addf(&msg, " (build log line %zu", d->first_line + 1);
		if (phase_name(d->phase))
			strbuf_addf(&msg, ", phase %s", phase_name(d->phase));
		strbuf_addch(&msg, ')');
	}
	if (first && report_failed_step(r)) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "The build ");
		report_step_sentence(report_failed_step(r), &sb);
		strbuf_addstr(&msg, "%0A");
		escape(&msg, sb.buf, false);
		strbuf_release(&sb);
	}
	strbuf_addstr(&msg, "%0AFix: ");
	escape(&msg, d->hint, false);
	add_message(out, &msg);
	strbuf_addch(out, '\n');
	strbuf_release(&msg);
}

/* One notice with what changed since the baseline (the job summary and
 * the comment have the full list). */
static void changes_notice(const struct report *r, struct strbuf *out)
{
	const struct changes *c = r->changes;
	struct strbuf msg = STRBUF_INIT;
	size_t i;

	for (i = 0; i < c->packages_nr; i++)
		strbuf_addf(&msg, "%s%s %s \u2192 %s", msg.len ? ", " : "", c->packages[i].name,
			    c->packages[i].before ? c->packages[i].before : "(none)",
			    c->packages[i].after ? c->packages[i].after : "(none)");
	for (i = 0; i < c->images_nr; i++)
		strbuf_addf(&msg, "%sbase image %s %s", msg.len ? ", " : "", c->images[i].ref,
			    !strcmp(c->images[i].change, "digest") ? "has a new digest" :
			    !strcmp(c->images[i].change, "added") ? "is new" : "is no longer used");
	if (c->steps_added_nr || c->steps_removed_nr)
		strbuf_addf(&msg, "%s%zu step(s) added, %zu removed", msg.len ? ", " : "",
			    c->steps_added_nr, c->steps_removed_nr);
	if (c->new_lines_total)
		strbuf_addf(&msg, "%s%zu new error or warning line(s)", msg.len ? ", " : "",
			    c->new_lines_total);
	if (c->same_context_id)
		strbuf_addf(&msg, "%sthe same source built fine in build %s (likely transient)",
			    msg.len ? "; " : "", c->same_context_id);
	if (!msg.len)
		strbuf_addstr(&msg, c->note ? c->note : "nothing that buildsleuth compares");
	if (msg.len > GITHUB_MESSAGE_MAX - 100)
		strbuf_setlen(&msg, GITHUB_MESSAGE_MAX - 100);
	/* the build compared with, as the other formats name it: found by
	 * --changes or given by --baseline BUILD_ID (not always a success) */
	strbuf_addstr(out, "::notice title=");
	if (c->baseline_id) {
		struct strbuf title = STRBUF_INIT;

		strbuf_addf(&title, "Changed since build %s", c->baseline_id);
		escape(out, title.buf, true);
		strbuf_release(&title);
	} else {
		escape(out, "Changed since the baseline", true);
	}
	strbuf_addstr(out, "::");
	escape(out, msg.buf, false);
	strbuf_addch(out, '\n');
	strbuf_release(&msg);
}

void report_github(const struct report *r, struct strbuf *out)
{
	const char *message = report_build(r)->error_message;
	size_t i, n = report_count(r), errors = 0, left_out = 0;

	/* what Pipecat Cloud itself said about the build comes first */
	if (message)
		build_notice(r, message, out);
	for (i = 0; i < n; i++) {
		const struct diagnosis *d = &r->diagnoses->items[i];

		/* GitHub shows at most GITHUB_ERRORS_MAX errors of a step */
		if (!d->fallback && errors == GITHUB_ERRORS_MAX) {
			left_out++;
			continue;
		}
		if (!d->fallback)
			errors++;
		annotation(r, d, i == 0, out);
	}
	if (left_out)
		strbuf_addf(out, "::notice title=buildsleuth::%zu more finding%s not annotated "
			    "(GitHub shows %d errors per step): see the job summary or run "
			    "buildsleuth for the full report\n", left_out, left_out == 1 ? "" : "s",
			    GITHUB_ERRORS_MAX);
	if (r->changes)
		changes_notice(r, out);
}
