/* report_audit.c - the audit's four formats by name, and the dispatch to
 * them. Each format is a file of its own, over the aggregate's figures
 * (audit.c): report_audit_text.c, report_audit_markdown.c, report_audit_json.c,
 * report_audit_csv.c. Everything that came from a log or a build record is
 * untrusted, and each of them says how it keeps it text. */
#include <string.h>

#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

bool audit_format_from_name(const char *name, enum audit_format *out)
{
	static const struct { const char *name; enum audit_format f; } formats[] = {
		{ "text", AUDIT_FORMAT_TEXT }, { "markdown", AUDIT_FORMAT_MARKDOWN },
		{ "json", AUDIT_FORMAT_JSON }, { "csv", AUDIT_FORMAT_CSV },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(name, formats[i].name)) {
			*out = formats[i].f;
			return true;
		}
	return false;
}

void audit_report_write(const struct audit *a, enum audit_format f, struct strbuf *out)
{
	if (!a->finished)
		BUG("audit report before audit_finish");
	switch (f) {
	case AUDIT_FORMAT_TEXT: audit_report_text(a, out); break;
	case AUDIT_FORMAT_MARKDOWN: audit_report_markdown(a, out); break;
	case AUDIT_FORMAT_JSON: audit_report_json(a, out); break;
	case AUDIT_FORMAT_CSV: audit_report_csv(a, out); break;
	}
}

size_t audit_trend_count(const struct audit_trend *t, size_t p, size_t c, bool *has_previous,
			 size_t *previous)
{
	*has_previous = p > 0;
	*previous = p ? t->counts[(p - 1) * t->categories_nr + c] : 0;
	return t->counts[p * t->categories_nr + c];
}

void audit_trend_cell(const struct audit_trend *t, size_t p, size_t c, struct strbuf *out)
{
	size_t previous, count;
	bool has_previous;

	count = audit_trend_count(t, p, c, &has_previous, &previous);
	strbuf_addf(out, "%zu", count);
	if (!has_previous)
		return;
	if (count == previous)
		strbuf_addstr(out, " (\xc2\xb1" "0)");
	else if (count > previous)
		strbuf_addf(out, " (+%zu)", count - previous);
	else
		strbuf_addf(out, " (-%zu)", previous - count);
}

bool audit_failure_needs_id(const struct audit_failure *f, size_t max)
{
	size_t len = strlen(f->error);

	return !*f->id || !memmem(f->error, len < max ? len : max, f->id, strlen(f->id));
}
