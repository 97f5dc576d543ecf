/* json_writer.h - the one JSON writer of the reports (report_json.c) and the
 * audit (report_audit.c): written by hand, member by member, so the bytes are
 * stable (goldens, scripts). Pretty: a line per member, two spaces a level;
 * compact: no white space at all. Strings go through json_add_string().
 * Ownership: the writer borrows out and appends to it. */
#ifndef BUILDSLEUTH_JSON_WRITER_H
#define BUILDSLEUTH_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Append s[0..len) as a JSON string literal (quotes included): control
 * characters (C0, DEL, C1), U+2028/2029 and the invisible characters of
 * utf8_invisible_len escaped as \uXXXX, invalid UTF-8 as U+FFFD, "</"
 * written "<\/". */
void json_add_string(struct strbuf *out, const char *s, size_t len);
static inline void json_add_cstr(struct strbuf *out, const char *s)
{
	json_add_string(out, s, __builtin_strlen(s));
}

#define JW_DEPTH_MAX 32

struct jw {
	struct strbuf *out;
	bool pretty;
	int depth;
	bool members[JW_DEPTH_MAX]; /* the open container at each depth has members */
};

#define JW_INIT(out, pretty) { (out), (pretty), 0, { false } }

/* Open the top-level object or array (c is '{' or '['), with no line break
 * before it. */
void jw_begin(struct jw *w, char c);
/* Start a member: its comma, its line, its "key": (key NULL inside arrays).
 * The caller then appends the value itself. */
void jw_member(struct jw *w, const char *key);
/* Open (c '{' or '[') and close (c '}' or ']') a container member. */
void jw_open(struct jw *w, const char *key, char c);
void jw_close(struct jw *w, char c);
/* A string member (s NULL: null), a count, a boolean. */
void jw_string(struct jw *w, const char *key, const char *s);
void jw_number(struct jw *w, const char *key, size_t n);
void jw_bool(struct jw *w, const char *key, bool b);
/* A ratio with four decimals, or null when it is not valid (nothing to
 * divide by). */
void jw_ratio(struct jw *w, const char *key, double r, bool valid);

#endif
