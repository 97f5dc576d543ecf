/* log.c - the in-memory build log: original lines kept for quoting, the
 * normalised text the matcher scans in one buffer, and each line's phase. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildsleuth/log.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/util.h"

void log_init(struct log *log, size_t max_bytes)
{
	memset(log, 0, sizeof(*log));
	log->fd = -1;
	strbuf_init(&log->text, max_bytes && max_bytes < LOG_MAX_BYTES ? max_bytes : LOG_MAX_BYTES);
	strbuf_init(&log->quoted, 0);
	strbuf_init(&log->norm, 0);
	phase_tracker_init(&log->phases);
	step_tracker_init(&log->steps);
}

void log_release(struct log *log)
{
	strbuf_release(&log->text);
	strbuf_release(&log->quoted);
	if (log->fd >= 0)
		close(log->fd);
	log->fd = -1;
	strbuf_release(&log->norm);
	step_tracker_release(&log->steps);
	free(log->lines);
	log->lines = NULL;
	log->nr = log->alloc = 0;
}

/* Add the line raw[0..len) (no '\n', no trailing '\r'), whose original is
 * at offset of log->text or of the file: normalise it, track its phase and
 * step. */
static void index_line(struct log *log, const char *raw, size_t len, size_t offset)
{
	struct log_line *line;
	struct normalized_line info;
	struct step_line step;

	ALLOC_GROW(log->lines, log->nr + 1, log->alloc);
	line = &log->lines[log->nr];
	line->offset = (uint32_t)offset;
	line->length = (uint32_t)len;
	line->norm_offset = (uint32_t)log->norm.len;
	normalize_line(raw, len, &log->norm, &info);
	line->norm_length = (uint32_t)(log->norm.len - line->norm_offset);
	strbuf_addch(&log->norm, '\n');
	line->phase = (unsigned char)phase_tracker_feed(&log->phases, log_line_norm(log, log->nr),
							line->norm_length, log->nr);
	step = step_tracker_feed(&log->steps, log_line_norm(log, log->nr), line->norm_length,
				 info.codebuild, info.buildkit ? info.step : 0, log->nr);
	line->step = (uint32_t)step.step;
	line->kind = (unsigned char)step.kind;
	log->nr++;
}

enum log_result log_add_line(struct log *log, const char *raw, size_t len)
{
	if (len && raw[len - 1] == '\r')
		len--;
	if (strbuf_add(&log->text, raw, len) || strbuf_addch(&log->text, '\n'))
		return LOG_TOOBIG;
	index_line(log, log->text.buf + log->text.len - len - 1, len, log->text.len - len - 1);
	return LOG_OK;
}

enum log_result log_add_text(struct log *log, const char *buf, size_t len)
{
	size_t start = 0;

	while (start < len) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;

		if (log_add_line(log, buf + start, end - start))
			return LOG_TOOBIG;
		start = end + 1;
	}
	return LOG_OK;
}

/* A guess at the bytes of a line, to size the line table up front. */
#define TYPICAL_LINE_BYTES 96

/* Size the normalised text and the line table for a log of size bytes up
 * front: the normalised text is rarely longer than the original, and
 * untouched room costs no memory. */
static void reserve(struct log *log, size_t size)
{
	strbuf_grow(&log->norm, size + 1);
	advise_large_buffer(log->norm.buf, log->norm.alloc);
	ALLOC_GROW(log->lines, size / TYPICAL_LINE_BYTES + 1, log->alloc);
	advise_large_buffer(log->lines, log->alloc * sizeof(*log->lines));
}

enum log_result log_adopt_text(struct log *log, struct strbuf *buf)
{
	size_t start = 0, len = buf->len, cap = log->text.max;
	enum log_result res = LOG_OK;

	if (log->nr || log->text.len) {
		res = log_add_text(log, buf->buf, buf->len);
		strbuf_release(buf);
		return res;
	}
	if (cap && len > cap) {
		strbuf_release(buf);
		return LOG_TOOBIG;
	}
	strbuf_release(&log->text);
	log->text = *buf;
	log->text.max = cap;
	strbuf_init(buf, 0);
	reserve(log, len);
	while (start < len) {
		const char *nl = memchr(log->text.buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - log->text.buf) : len, n = end - start;

		if (n && log->text.buf[end - 1] == '\r')
			n--;
		index_line(log, log->text.buf + start, n, start);
		start = end + 1;
	}
	return LOG_OK;
}

/* Bytes read from a file at a time (a longer line grows the buffer). */
#define FILE_CHUNK (1024 * 1024)

/* Index the complete lines of buf[0..*len) (those ending in '\n', or all
 * of it at the end of the file), the first at file offset at; move what is
 * left to the front. Returns the file offset of the new buf[0]. */
static size_t index_chunk(struct log *log, char *buf, size_t *len, size_t at, bool end)
{
	size_t start = 0;

	while (start < *len) {
		const char *nl = memchr(buf + start, '\n', *len - start);
		size_t stop, n;

		if (!nl && !end)
			break;
		stop = nl ? (size_t)(nl - buf) : *len;
		n = stop - start;
		if (n && buf[stop - 1] == '\r')
			n--;
		index_line(log, buf + start, n, at + start);
		start = stop + 1;
	}
	if (start > *len)
		start = *len;
	memmove(buf, buf + start, *len - start);
	*len -= start;
	return at + start;
}

enum log_result log_add_file(struct log *log, int fd, struct strbuf *head, size_t size)
{
	size_t alloc = head->len + FILE_CHUNK, len = head->len, at = 0, cap = log->text.max;
	char *buf;
	enum log_result res = LOG_OK;

	if (log->nr || log->text.len || log->fd >= 0)
		BUG("log_add_file on a log that has lines");
	if (cap && head->len > cap) {
		close(fd);
		return LOG_TOOBIG;
	}
	buf = xmalloc(alloc);
	memcpy(buf, head->buf, head->len);
	strbuf_release(head);
	reserve(log, size);
	for (;;) {
		ssize_t r;

		at = index_chunk(log, buf, &len, at, false);
		if (len + FILE_CHUNK / 2 > alloc) {
			alloc = 2 * alloc;
			buf = xrealloc(buf, alloc);
		}
		r = read(fd, buf + len, alloc - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			res = LOG_IO;
			break;
		}
		if (!r) {
			index_chunk(log, buf, &len, at, true);
			break;
		}
		len += (size_t)r;
		if (cap && at + len > cap) {
			res = LOG_TOOBIG;
			break;
		}
	}
	free(buf);
	if (res) {
		close(fd);
		return res;
	}
	log->fd = fd;
	return LOG_OK;
}

const char *log_line_text(const struct log *log, size_t i)
{
	struct strbuf *q = (struct strbuf *)&log->quoted;
	size_t len = log->lines[i].length, got = 0;

	if (log->fd < 0)
		return log->text.buf + log->lines[i].offset;
	/* read back from the file: a file changed since shows as blanks */
	strbuf_reset(q);
	strbuf_grow(q, len);
	while (got < len) {
		ssize_t r = pread(log->fd, q->buf + got, len - got,
				  (off_t)(log->lines[i].offset + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	memset(q->buf + got, ' ', len - got);
	q->buf[len] = '\0';
	q->len = len;
	return q->buf;
}

size_t log_line_at(const struct log *log, size_t off)
{
	size_t lo = 0, hi = log->nr;

	/* the last line whose norm_offset <= off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (log->lines[mid].norm_offset <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t log_failed_step_nr(const struct log *log)
{
	const struct build_step *st = log_failed_step(log);

	return st ? (size_t)(st - log->steps.steps) + 1 : 0;
}

enum outcome log_outcome(const struct log *log)
{
	if (log->phases.failed != PHASE_NONE)
		return OUTCOME_FAILED;
	if (log->phases.build_succeeded || step_tracker_succeeded(&log->steps))
		return OUTCOME_SUCCESS;
	return OUTCOME_FAILED;
}
