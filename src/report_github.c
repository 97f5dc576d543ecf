/* report_github.c - GitHub Actions workflow commands: one ::error per
 * diagnosis (::notice for generic fallback findings), escaped so log text
 * cannot end the command or start another. */
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

void report_github(const struct report *r, struct strbuf *out)
{
	const char *message = report_build_field(r, "errorMessage");
	size_t i, n = report_count(r);

	/* what Pipecat Cloud itself said about the build comes first */
	if (message) {
		const char *status = report_build_field(r, "status");
		const char *id = r->source->build_id ? r->source->build_id :
				 report_build_field(r, "id");

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
		escape(out, message, false);
		strbuf_addch(out, '\n');
	}
	for (i = 0; i < n; i++) {
		const struct diagnosis *d = &r->diagnoses->items[i];

		strbuf_addstr(out, d->fallback ? "::notice title=" : "::error title=");
		escape(out, d->title, true);
		strbuf_addf(out, " (%s)::", category_name(d->category));
		escape(out, d->summary, false);
		if (d->hits.lines_nr) {
			strbuf_addf(out, " (build log line %zu", d->first_line + 1);
			if (phase_name(d->phase))
				strbuf_addf(out, ", phase %s", phase_name(d->phase));
			strbuf_addch(out, ')');
		}
		if (i == 0 && report_failed_step(r)) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addstr(&sb, "The build ");
			report_step_sentence(report_failed_step(r), &sb);
			strbuf_addstr(out, "%0A");
			escape(out, sb.buf, false);
			strbuf_release(&sb);
		}
		strbuf_addstr(out, "%0AFix: ");
		escape(out, d->hint, false);
		strbuf_addch(out, '\n');
	}
}
