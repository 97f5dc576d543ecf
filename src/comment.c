/* comment.c - the policy of the one upserted pull-request comment: find our
 * own (marker and author, since other bots copy markers), tell whether it
 * already holds this report, and fold the analysis it replaces into a
 * collapsed "superseded" block of the new body. */
#include <string.h>
#include <strings.h>

#include "buildsleuth/comment.h"
#include "buildsleuth/report.h"
#include "buildsleuth/util.h"

/* Longest date shown in the superseded block's summary. */
#define WHEN_MAX 40

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

static bool starts_with_marker(const char *body)
{
	return !strncmp(skip_space(body), REPORT_MARKER, strlen(REPORT_MARKER));
}

long comment_find(const struct github_comments *comments, const char *login, size_t *mine)
{
	long found = -1;
	size_t i, n = 0;

	for (i = 0; i < comments->nr; i++) {
		const struct github_comment *c = &comments->items[i];

		if (!starts_with_marker(c->body) || strcasecmp(c->login, login))
			continue;
		if (found < 0)
			found = (long)i;
		n++;
	}
	if (mine)
		*mine = n;
	return found;
}

/* The length of body's report part: up to the superseded marker's line. */
static size_t report_part(const char *body)
{
	const char *p = body;

	while ((p = strstr(p, COMMENT_SUPERSEDED_MARKER))) {
		if (p == body || p[-1] == '\n')
			return (size_t)(p - body);
		p++;
	}
	return strlen(body);
}

/* Append s[0..len) with CRLF as LF and trailing white space dropped. */
static void add_normalised(struct strbuf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			strbuf_addch(out, s[i]);
	while (out->len && (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == ' ' ||
			    out->buf[out->len - 1] == '\t' || out->buf[out->len - 1] == '\r'))
		strbuf_setlen(out, out->len - 1);
}

bool comment_same_report(const char *body, const char *report)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	bool same;

	add_normalised(&a, body, report_part(body));
	add_normalised(&b, report, strlen(report));
	same = a.len == b.len && !memcmp(a.buf, b.buf, a.len);
	strbuf_release(&a);
	strbuf_release(&b);
	return same;
}

/* The old analysis: the report part without its marker line. */
static void old_analysis(struct strbuf *out, const char *old_body)
{
	const char *start = skip_space(old_body);
	size_t len = report_part(old_body) - (size_t)(start - old_body);

	if (!strncmp(start, REPORT_MARKER, strlen(REPORT_MARKER))) {
		const char *eol = memchr(start, '\n', len);

		if (!eol)
			return;
		len -= (size_t)(eol + 1 - start);
		start = eol + 1;
	}
	add_normalised(out, start, len);
}

/* The date, only if it looks like one: it is put into HTML as it is. */
static void add_when(struct strbuf *out, const char *when)
{
	size_t i, len = when ? strlen(when) : 0;

	if (!len || len > WHEN_MAX)
		return;
	for (i = 0; i < len; i++) {
		char c = when[i];

		if (!((c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' || c == '+' ||
		      c == 'T' || c == 'Z'))
			return;
	}
	strbuf_addf(out, " (posted %s)", when);
}

void comment_add_superseded(struct strbuf *out, const char *old_body, const char *when)
{
	struct strbuf old = STRBUF_INIT;

	old_analysis(&old, old_body);
	if (old.len) {
		strbuf_addstr(out, "\n" COMMENT_SUPERSEDED_MARKER "\n<details>\n"
			      "<summary>Superseded analysis");
		add_when(out, when);
		strbuf_addstr(out, "</summary>\n\n");
		strbuf_add(out, old.buf, old.len);
		strbuf_addstr(out, "\n\n</details>\n");
	}
	strbuf_release(&old);
}

size_t comment_superseded_size(const char *old_body, const char *when)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t n;

	comment_add_superseded(&tmp, old_body, when);
	n = tmp.len;
	strbuf_release(&tmp);
	return n;
}

void comment_add_superseded_note(struct strbuf *out)
{
	strbuf_addstr(out, "\n" COMMENT_SUPERSEDED_MARKER "\n"
		      "_The previous analysis was replaced: it did not fit GitHub's comment size "
		      "limit next to this one._\n");
}

/* The headline of a report body: the line after the marker line, without
 * "### ", as [*start, *start + *len); false when body has no such line. */
static bool headline(const char *body, const char **start, size_t *len)
{
	const char *p = skip_space(body), *eol;

	if (strncmp(p, REPORT_MARKER, strlen(REPORT_MARKER)))
		return false;
	p += strlen(REPORT_MARKER);
	if (*p == '\r')
		p++;
	if (*p++ != '\n' || strncmp(p, "### ", 4))
		return false;
	p += 4;
	eol = p + strcspn(p, "\r\n");
	*start = p;
	*len = (size_t)(eol - p);
	return true;
}

bool comment_is_failure(const char *body)
{
	const char *h;
	size_t len;

	return headline(body, &h, &len) && len >= strlen(COMMENT_FAILURE_HEADLINE) &&
	       !strncmp(h, COMMENT_FAILURE_HEADLINE, strlen(COMMENT_FAILURE_HEADLINE));
}

char *comment_failure_headline(const char *body)
{
	const char *h;
	size_t len, i;

	if (!comment_is_failure(body) || !headline(body, &h, &len) ||
	    len > COMMENT_HEADLINE_MAX)
		return NULL;
	/* what report_markdown writes never holds these raw: an edited
	 * comment might, and the note must not bring in HTML, links or
	 * mentions */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c < ' ' || c == 0x7f || c == '<' || c == '>' || c == '@' || c == '|')
			return NULL;
		if (c == ']' && i + 1 < len && h[i + 1] == '(')
			return NULL;
	}
	return xstrndup(h, len);
}
