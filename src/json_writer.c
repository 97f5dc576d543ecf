/* json_writer.c - the one hand-written JSON writer (json_writer.h). */
#include "buildsleuth/json.h"
#include "buildsleuth/json_writer.h"
#include "buildsleuth/util.h"

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
