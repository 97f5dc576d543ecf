/* report.c - what every report format shares: picking the format, how many
 * findings to show, the context window, the build record's fields. */
#include <string.h>

#include "buildsleuth/json.h"
#include "buildsleuth/report.h"

int report_format_from_name(const char *name, enum report_format *out)
{
	static const struct { const char *name; enum report_format f; } formats[] = {
		{ "text", FORMAT_TEXT }, { "markdown", FORMAT_MARKDOWN },
		{ "json", FORMAT_JSON }, { "github", FORMAT_GITHUB },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(name, formats[i].name)) {
			*out = formats[i].f;
			return 0;
		}
	return -1;
}

void report_write(const struct report *r, enum report_format f, struct strbuf *out)
{
	switch (f) {
	case FORMAT_TEXT: report_text(r, out); break;
	case FORMAT_MARKDOWN: report_markdown(r, out); break;
	case FORMAT_JSON: report_json(r, out); break;
	case FORMAT_GITHUB: report_github(r, out); break;
	}
}

size_t report_count(const struct report *r)
{
	size_t n = r->diagnoses->nr;

	return r->top && r->top < n ? r->top : n;
}

void report_context(const struct report *r, const struct diagnosis *d,
		    size_t *first, size_t *last)
{
	size_t nr = r->source->log.nr, at = d->first_line;

	*first = at > CONTEXT_BEFORE ? at - CONTEXT_BEFORE : 0;
	*last = at + CONTEXT_AFTER < nr ? at + CONTEXT_AFTER : (nr ? nr - 1 : 0);
	if (d->hits.lines_nr) {
		/* stretch to cover the last evidence line close by */
		size_t end = d->hits.lines[d->hits.lines_nr - 1];

		if (end > *last && end - at <= 2 * CONTEXT_BEFORE)
			*last = end + CONTEXT_AFTER < nr ? end + CONTEXT_AFTER : nr - 1;
	}
}

const char *report_build_field(const struct report *r, const char *key)
{
	return r->source->build ? json_get_string(r->source->build, key) : NULL;
}
