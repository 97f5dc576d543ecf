/* strbuf.h - the one growable byte buffer (git's strbuf, curl's dynbuf cap).
 * Invariants: buf is never NULL and always NUL-terminated (buf[len] == 0);
 * strbuf_init cannot fail; growth past max (when max > 0) fails with
 * STRBUF_TOOBIG and leaves the buffer unchanged. Ownership: the strbuf owns
 * buf until strbuf_detach(); strbuf_release() frees it and re-inits. */
#ifndef BUILDSLEUTH_STRBUF_H
#define BUILDSLEUTH_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max; /* 0 = no cap */
};

enum strbuf_result {
	STRBUF_OK = 0,
	STRBUF_TOOBIG,
	STRBUF_IO, /* only the readers below: errno says why */
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_release(struct strbuf *sb);
/* Empty the buffer, keeping its allocation. */
void strbuf_reset(struct strbuf *sb);
/* Take ownership of the data (never NULL); the strbuf is re-initialised. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Make room for extra more bytes (a size known up front): STRBUF_TOOBIG
 * past the cap. */
enum strbuf_result strbuf_grow(struct strbuf *sb, size_t extra);
enum strbuf_result strbuf_add(struct strbuf *sb, const void *data, size_t len);
enum strbuf_result strbuf_addstr(struct strbuf *sb, const char *s);
enum strbuf_result strbuf_addch(struct strbuf *sb, int c);
enum strbuf_result strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum strbuf_result strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Append the nr words as a message lists them: "a", "a or b", "a, b or c". */
enum strbuf_result strbuf_add_list(struct strbuf *sb, const char *const *words, size_t nr);
/* Shorten to len bytes (len <= sb->len). */
void strbuf_setlen(struct strbuf *sb, size_t len);

/* Append everything left in the open file f (the one slurp loop; the caller
 * opens and closes f, so its messages name the file as it likes):
 * STRBUF_TOOBIG when the text passes the cap (what fit is kept, the rest
 * unread), STRBUF_IO on a read error (errno set). */
enum strbuf_result strbuf_read_file(struct strbuf *sb, FILE *f);

/* Append s[0..n) with invalid UTF-8 replaced by U+FFFD. */
enum strbuf_result strbuf_add_utf8_clean(struct strbuf *sb, const char *s, size_t n);

#endif
