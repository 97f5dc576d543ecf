/* strbuf.c - the growable, capped byte buffer every module builds text in:
 * HTTP bodies, log text, report output. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = strbuf_slopbuf;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, sb->max);
}

void strbuf_reset(struct strbuf *sb)
{
	if (sb->alloc) {
		sb->len = 0;
		sb->buf[0] = '\0';
	}
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (len)
		*len = sb->len;
	p = sb->alloc ? sb->buf : xstrdup("");
	strbuf_init(sb, sb->max);
	return p;
}

static enum strbuf_result grow(struct strbuf *sb, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - sb->len - 1)
		return STRBUF_TOOBIG;
	want = sb->len + extra + 1;
	if (sb->max && want - 1 > sb->max)
		return STRBUF_TOOBIG;
	if (want <= sb->alloc)
		return STRBUF_OK;
	{
		size_t alloc = sb->alloc ? sb->alloc : 64;
		char *old = sb->alloc ? sb->buf : NULL;

		while (alloc < want)
			alloc = alloc > SIZE_MAX / 2 ? want : alloc * 2;
		sb->buf = xrealloc(old, alloc);
		if (!old)
			sb->buf[0] = '\0';
		sb->alloc = alloc;
	}
	return STRBUF_OK;
}

enum strbuf_result strbuf_grow(struct strbuf *sb, size_t extra)
{
	return grow(sb, extra);
}

enum strbuf_result strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (grow(sb, len))
		return STRBUF_TOOBIG;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
	return STRBUF_OK;
}

enum strbuf_result strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

enum strbuf_result strbuf_add_list(struct strbuf *sb, const char *const *words, size_t nr)
{
	enum strbuf_result r = STRBUF_OK;
	size_t i;

	for (i = 0; i < nr && !r; i++) {
		if (i)
			r = strbuf_addstr(sb, i + 1 < nr ? ", " : " or ");
		if (!r)
			r = strbuf_addstr(sb, words[i]);
	}
	return r;
}

enum strbuf_result strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	return strbuf_add(sb, &ch, 1);
}

enum strbuf_result strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed for '%s'", fmt);
	if (grow(sb, (size_t)n))
		return STRBUF_TOOBIG;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return STRBUF_OK;
}

enum strbuf_result strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	enum strbuf_result r;

	va_start(ap, fmt);
	r = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (len > sb->len)
		BUG("strbuf_setlen beyond end (%zu > %zu)", len, sb->len);
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

enum strbuf_result strbuf_add_utf8_clean(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	while (i < n) {
		size_t k = utf8_valid_len(p + i, n - i);

		if (k) {
			i += k;
			continue;
		}
		if (strbuf_add(sb, s + run, i - run) ||
		    strbuf_add(sb, "\xef\xbf\xbd", 3))
			return STRBUF_TOOBIG;
		i++;
		run = i;
	}
	return strbuf_add(sb, s + run, i - run);
}

enum strbuf_result strbuf_read_file(struct strbuf *sb, FILE *f)
{
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (strbuf_add(sb, buf, n))
			return STRBUF_TOOBIG;
	if (ferror(f)) {
		if (!errno)
			errno = EIO;
		return STRBUF_IO;
	}
	return STRBUF_OK;
}

