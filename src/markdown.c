/* markdown.c - the one Markdown escaper (markdown.h): untrusted text into
 * GitHub-flavoured Markdown that stays text. */
#include <string.h>
#include <strings.h>

#include "buildsleuth/markdown.h"
#include "buildsleuth/normalize.h"

/*
 * U+2060 WORD JOINER, invisible. GitHub finds @mentions, #123 references and
 * e-mail autolinks in the rendered text, after entities are decoded (and
 * cmark-gfm's autolink extension links "a@b.c" even when the '@' is written
 * &#64;), so escaping the character is not enough: a joiner right after it
 * breaks the name, number or domain that would have to follow.
 */
#define WORD_JOINER_ENTITY "&#8288;"
/* The same character as itself, where the text around it is all entities
 * (md_entities(): the audit's bytes, kept as they were). */
#define WORD_JOINER_UTF8 "\xe2\x81\xa0"

/* Append one character of untrusted text so that it stays text. */
static void md_char(struct strbuf *out, const char *s, size_t i, size_t len)
{
	char c = s[i];

	switch (c) {
	case '&': strbuf_addstr(out, "&amp;"); break;
	case '<': strbuf_addstr(out, "&lt;"); break;
	case '>': strbuf_addstr(out, "&gt;"); break;
	case '|': strbuf_addstr(out, "&#124;"); break;
	case '@': strbuf_addstr(out, "&#64;" WORD_JOINER_ENTITY); break;
	case '`': strbuf_addstr(out, "&#96;"); break;
	case '\\': strbuf_addstr(out, "&#92;"); break;
	case '#':
		strbuf_addstr(out, "\\#");
		if (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
			strbuf_addstr(out, WORD_JOINER_ENTITY);
		break;
	case '*': case '_': case '[': case ']': case '~': case '!':
	case '(': case ')': case '$':
		strbuf_addch(out, '\\');
		strbuf_addch(out, c);
		break;
	case ':':
		/* no autolinked URLs from the log */
		strbuf_addstr(out, i + 1 < len && s[i + 1] == '/' ? "&#58;" : ":");
		break;
	case '.':
		strbuf_addstr(out, i >= 3 && !strncasecmp(s + i - 3, "www", 3) ? "&#46;" : ".");
		break;
	default:
		strbuf_addch(out, c);
	}
}

/* The length of the run of backticks at s[i] (s[i] is one). */
static size_t backtick_run(const char *s, size_t i, size_t len)
{
	size_t n = 0;

	while (i + n < len && s[i + n] == '`')
		n++;
	return n;
}

/* Where the code span opened by the run of n backticks at s[i] closes: the
 * next run of exactly n (CommonMark), or 0 when there is none. */
static size_t code_span_close(const char *s, size_t i, size_t n, size_t len)
{
	size_t j = i + n;

	while (j < len) {
		size_t run;

		if (s[j] != '`') {
			j++;
			continue;
		}
		run = backtick_run(s, j, len);
		if (run == n)
			return j;
		j += run;
	}
	return 0;
}

/*
 * Append text for a paragraph or (in_table) a table cell. `code` spans stay
 * code spans, paired as CommonMark pairs them (a run of n backticks closes
 * at the next run of exactly n): inside one nothing is interpreted, so only
 * a table's '|' needs its backslash. Everything else is escaped so that log
 * text cannot open HTML, links, emphasis, table cells or mentions.
 */
void md_text(struct strbuf *out, const char *s, size_t len, size_t max, bool in_table)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i = 0, k;

	display_line(s, len, max, &clean);
	while (i < clean.len) {
		size_t n, close;

		if (clean.buf[i] != '`') {
			md_char(out, clean.buf, i, clean.len);
			i++;
			continue;
		}
		n = backtick_run(clean.buf, i, clean.len);
		close = code_span_close(clean.buf, i, n, clean.len);
		if (!close) {
			for (k = 0; k < n; k++)
				strbuf_addstr(out, "&#96;");
			i += n;
			continue;
		}
		strbuf_add(out, clean.buf + i, n);
		for (k = i + n; k < close; k++) {
			if (clean.buf[k] == '|' && in_table)
				strbuf_addch(out, '\\');
			strbuf_addch(out, clean.buf[k]);
		}
		strbuf_add(out, clean.buf + close, n);
		i = close + n;
	}
	strbuf_release(&clean);
}

/* The longest run of backticks in text[0..len). */
static size_t longest_backtick_run(const char *text, size_t len)
{
	size_t longest = 0, run = 0, i;

	for (i = 0; i < len; i++) {
		run = text[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

size_t md_fence_length(const char *text, size_t len)
{
	size_t longest = longest_backtick_run(text, len);

	return longest >= 3 ? longest + 1 : 3;
}

/*
 * Untrusted text as a code span: nothing inside one is interpreted, so it
 * cannot open HTML, links or mentions. The fence is one backtick longer
 * than any run inside; a table cell needs its '|' escaped even there (GFM).
 */
void md_code_span(struct strbuf *out, const char *s, size_t max, bool in_table)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i, fence;
	bool pad;

	display_line(s, strlen(s), max, &clean);
	if (!clean.len) {
		strbuf_release(&clean);
		return;
	}
	fence = longest_backtick_run(clean.buf, clean.len) + 1;
	pad = clean.buf[0] == '`' || clean.buf[clean.len - 1] == '`' || clean.buf[0] == ' ' ||
	      clean.buf[clean.len - 1] == ' ';
	for (i = 0; i < fence; i++)
		strbuf_addch(out, '`');
	if (pad)
		strbuf_addch(out, ' ');
	for (i = 0; i < clean.len; i++) {
		if (clean.buf[i] == '|' && in_table)
			strbuf_addch(out, '\\');
		strbuf_addch(out, clean.buf[i]);
	}
	if (pad)
		strbuf_addch(out, ' ');
	for (i = 0; i < fence; i++)
		strbuf_addch(out, '`');
	strbuf_release(&clean);
}


/* Prose that is not ours (a rule title): every ASCII character but letters,
 * digits, space, ',' and '-' as a numeric entity, so nothing is markup, and
 * a word joiner after '@' and after '#' before a digit. */
void md_entities(struct strbuf *out, const char *s, size_t max)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i;

	display_line(s, strlen(s), max, &clean);
	for (i = 0; i < clean.len; i++) {
		unsigned char c = (unsigned char)clean.buf[i];

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == ' ' || c == ',' || c == '-')
			strbuf_addch(out, (char)c);
		else
			strbuf_addf(out, "&#%u;", c);
		if (c == '@' || (c == '#' && i + 1 < clean.len && clean.buf[i + 1] >= '0' &&
				 clean.buf[i + 1] <= '9'))
			strbuf_addstr(out, WORD_JOINER_UTF8);
	}
	strbuf_release(&clean);
}

void md_link_destination(struct strbuf *out, const char *url)
{
	size_t i;

	for (i = 0; url[i]; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c == '<' || c == '>' || c == '`' || c == '@' || c <= ' ' || c >= 0x7f)
			strbuf_addf(out, "%%%02X", c);
		else
			strbuf_addch(out, c);
	}
}
