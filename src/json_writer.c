/* json_writer.c - the one hand-written JSON writer (json_writer.h). */
#include "buildsleuth/json_writer.h"
#include "buildsleuth/util.h"

void json_add_string(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	strbuf_addch(out, '"');
	while (i < len) {
		unsigned char c = p[i];
		size_t k;

		switch (c) {
		case '"': strbuf_add(out, "\\\"", 2); i++; continue;
		case '\\': strbuf_add(out, "\\\\", 2); i++; continue;
		case '\n': strbuf_add(out, "\\n", 2); i++; continue;
		case '\r': strbuf_add(out, "\\r", 2); i++; continue;
		case '\t': strbuf_add(out, "\\t", 2); i++; continue;
		case '/':
			/* keep "</script>" from ending an HTML script block */
			if (i > 0 && p[i - 1] == '<')
				strbuf_add(out, "\\/", 2);
			else
				strbuf_addch(out, '/');
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\u%04x", c);
			i++;
			continue;
		}
		k = utf8_valid_len(p + i, len - i);
		if (!k) {
			strbuf_add(out, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		/* written as escapes, so the JSON text shows them: C1 controls
		 * (terminals honour some), U+2028/2029 (they break JavaScript
		 * string literals) and the bidirectional and zero-width
		 * characters (they reorder or hide what a reader sees) */
		if ((k == 2 && c == 0xc2 && p[i + 1] < 0xa0) ||
		    (k == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
		     (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) ||
		    utf8_invisible_len(p + i, len - i)) {
			unsigned cp = k == 2 ? (c & 0x1fu) << 6 | (p[i + 1] & 0x3fu) :
				  (c & 0x0fu) << 12 | (p[i + 1] & 0x3fu) << 6 | (p[i + 2] & 0x3fu);

			strbuf_addf(out, "\\u%04x", cp);
			i += k;
			continue;
		}
		strbuf_add(out, s + i, k);
		i += k;
	}
	strbuf_addch(out, '"');
}

static void jw_indent(struct jw *w)
{
	int i;

	if (!w->pretty)
		return;
	strbuf_addch(w->out, '\n');
	for (i = 0; i < w->depth; i++)
		strbuf_add(w->out, "  ", 2);
}

static void jw_enter(struct jw *w)
{
	if (w->depth + 1 >= JW_DEPTH_MAX)
		BUG("JSON nested deeper than %d levels", JW_DEPTH_MAX);
	w->depth++;
	w->members[w->depth] = false;
}

void jw_begin(struct jw *w, char c)
{
	strbuf_addch(w->out, c);
	jw_enter(w);
}

void jw_member(struct jw *w, const char *key)
{
	if (w->members[w->depth])
		strbuf_addch(w->out, ',');
	w->members[w->depth] = true;
	jw_indent(w);
	if (key) {
		json_add_cstr(w->out, key);
		strbuf_addstr(w->out, w->pretty ? ": " : ":");
	}
}

void jw_open(struct jw *w, const char *key, char c)
{
	jw_member(w, key);
	strbuf_addch(w->out, c);
	jw_enter(w);
}

void jw_close(struct jw *w, char c)
{
	bool had = w->members[w->depth];

	w->depth--;
	if (had)
		jw_indent(w);
	strbuf_addch(w->out, c);
}

void jw_string(struct jw *w, const char *key, const char *s)
{
	jw_member(w, key);
	if (s)
		json_add_cstr(w->out, s);
	else
		strbuf_addstr(w->out, "null");
}

void jw_number(struct jw *w, const char *key, size_t n)
{
	jw_member(w, key);
	strbuf_addf(w->out, "%zu", n);
}

void jw_bool(struct jw *w, const char *key, bool b)
{
	jw_member(w, key);
	strbuf_addstr(w->out, b ? "true" : "false");
}

void jw_ratio(struct jw *w, const char *key, double r, bool valid)
{
	jw_member(w, key);
	if (valid)
		strbuf_addf(w->out, "%.4f", r);
	else
		strbuf_addstr(w->out, "null");
}
