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

/* Fill *line for raw[0..len) (no '\n', no trailing '\r'), whose original
 * is at offset of log->text or of the file, its normalised text appended to
 * norm (each line followed by '\n'); all but its phase and step. */
static void normalise_line(struct log_line *line, struct strbuf *norm, const char *raw,
			   size_t len, size_t offset, struct normalized_line *info)
{
	line->offset = (uint32_t)offset;
	line->length = (uint32_t)len;
	line->norm_offset = (uint32_t)norm->len;
	normalize_line(raw, len, norm, info);
	line->norm_length = (uint32_t)(norm->len - line->norm_offset);
	strbuf_addch(norm, '\n');
}

/* The phase and step of line nr, the next the trackers see. */
static void track_line(struct log *log, size_t nr, bool codebuild, unsigned step_nr)
{
	struct log_line *line = &log->lines[nr];
	struct step_line step;

	line->phase = (unsigned char)phase_tracker_feed(&log->phases, log_line_norm(log, nr),
							line->norm_length, nr);
	step = step_tracker_feed(&log->steps, log_line_norm(log, nr), line->norm_length,
				 codebuild, step_nr, nr);
	line->step = (uint32_t)step.step;
	line->kind = (unsigned char)step.kind;
}

/* Add the line raw[0..len): normalise it, track its phase and step. */
static void index_line(struct log *log, const char *raw, size_t len, size_t offset)
{
	struct normalized_line info;

	ALLOC_GROW(log->lines, log->nr + 1, log->alloc);
	normalise_line(&log->lines[log->nr], &log->norm, raw, len, offset, &info);
	track_line(log, log->nr, info.codebuild, info.buildkit ? info.step : 0);
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

/* Size the line table for a log of size bytes up front (untouched room
 * costs no memory). */
static void reserve_lines(struct log *log, size_t size)
{
	ALLOC_GROW(log->lines, size / TYPICAL_LINE_BYTES + 1, log->alloc);
	advise_large_buffer(log->lines, log->alloc * sizeof(*log->lines));
}

/* Bytes read from a file at a time (a longer line grows the buffer). */
#define FILE_CHUNK (1024 * 1024)
/* The most bytes a line of len bytes takes in the normalised text: each
 * byte at most 3 (an invalid one becomes U+FFFD), and its '\n'. */
#define NORM_WORST(len) (3 * (size_t)(len) + 1)

/*
 * A part of a file, [start, end) (end SIZE_MAX: to its end), read a chunk
 * at a time and normalised (or of a text in memory, taken as it is). Part
 * 0 is the log's own: its lines go into the log, tracked as they come. A
 * later part runs in a thread of its own: its normalised text goes into
 * view, a view of the room of the log's normalised text its part will
 * about take, and its lines into lines, relative to it, their phase and
 * step left to the merge (kind holds whether the line had a CodeBuild
 * prefix, step its BuildKit step). A part stops (full) at the first line
 * that might not fit its room, which the merge then reads on its own.
 */
struct file_part {
	struct log *log;           /* part 0; NULL for a later one */
	int fd;
	char *mem;                 /* the text in memory (log_adopt_text), else NULL */
	size_t start, end, cap;
	struct strbuf view;        /* a later part's normalised text */
	size_t room;               /* the bytes its text (the log's, or view) may hold */
	struct log_line *lines;
	size_t nr, alloc;
	struct strbuf head;        /* what was read of the part already */
	enum log_result res;
	int error;                 /* errno of a LOG_IO */
	bool full;
	size_t stop;               /* full: the file offset of the line not read */
};

/* Take the line raw[0..n) at file offset at into part p; false when it
 * might not fit p's room (p is full). */
static bool part_line(struct file_part *p, const char *raw, size_t n, size_t at)
{
	struct normalized_line info;
	struct log_line *line;
	const struct strbuf *norm = p->log ? &p->log->norm : &p->view;

	if (p->room - norm->len < NORM_WORST(n)) {
		p->full = true;
		p->stop = at;
		return false;
	}
	if (p->log) {
		index_line(p->log, raw, n, at);
		return true;
	}
	ALLOC_GROW(p->lines, p->nr + 1, p->alloc);
	line = &p->lines[p->nr++];
	normalise_line(line, &p->view, raw, n, at, &info);
	line->kind = info.codebuild;
	line->step = info.buildkit ? info.step : 0;
	return true;
}

/* Take the complete lines of buf[0..*len) (those ending in '\n', or all of
 * it at the end of the part), the first at file offset at; move what is
 * left to the front. Returns the file offset of the new buf[0]. */
static size_t part_chunk(struct file_part *p, char *buf, size_t *len, size_t at, bool end)
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
		if (!part_line(p, buf + start, n, at + start))
			return at + start;
		start = stop + 1;
	}
	if (start > *len)
		start = *len;
	memmove(buf, buf + start, *len - start);
	*len -= start;
	return at + start;
}

/* Read part p of its file: p->head (taken) and the rest of [start, end);
 * or of the text in memory, [start, end), as it is. */
static void read_part(struct file_part *p)
{
	size_t alloc = p->head.len + FILE_CHUNK, len = p->head.len, at = p->start;
	char *buf;

	if (p->mem) {
		len = p->end - p->start;
		part_chunk(p, p->mem + p->start, &len, p->start, true);
		return;
	}
	buf = xmalloc(alloc);

	memcpy(buf, p->head.buf, p->head.len);
	strbuf_release(&p->head);
	for (;;) {
		size_t want;
		ssize_t r;

		at = part_chunk(p, buf, &len, at, false);
		if (p->full)
			break;
		if (len + FILE_CHUNK / 2 > alloc) {
			alloc = 2 * alloc;
			buf = xrealloc(buf, alloc);
		}
		want = alloc - len;
		if (p->end != SIZE_MAX && want > p->end - (at + len))
			want = p->end - (at + len);
		r = want ? pread(p->fd, buf + len, want, (off_t)(at + len)) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			p->res = LOG_IO;
			p->error = errno;
			break;
		}
		if (!r) {
			part_chunk(p, buf, &len, at, true);
			break;
		}
		len += (size_t)r;
		if (p->cap && at + len > p->cap) {
			p->res = LOG_TOOBIG;
			break;
		}
	}
	free(buf);
}

static void read_part_thread(void *arg)
{
	read_part(arg);
}

/* Where the line after offset at of the file (or of the text mem[0..size))
 * starts (past its '\n'), looked for in the next FILE_CHUNK bytes; 0 when
 * there is none there. */
static size_t line_after(int fd, const char *mem, size_t size, size_t at)
{
	char *buf;
	ssize_t r;
	const char *nl;
	size_t next = 0;

	if (mem) {
		nl = memchr(mem + at, '\n', size - at < FILE_CHUNK ? size - at : FILE_CHUNK);
		return nl ? (size_t)(nl - mem) + 1 : 0;
	}
	buf = xmalloc(FILE_CHUNK);
	do
		r = pread(fd, buf, FILE_CHUNK, (off_t)at);
	while (r < 0 && errno == EINTR);
	if (r > 0 && (nl = memchr(buf, '\n', (size_t)r)))
		next = at + (size_t)(nl - buf) + 1;
	free(buf);
	return next;
}

/* Room for the normalised text of a part beyond its original size, so that
 * a part whose text hardly shrinks (a log without prefixes) still fits. */
#define PART_SLACK(bytes) ((size_t)(1 << 20) + (bytes) / 64)

/*
 * Cut the file (fd, or the text mem) of size bytes (head of them read
 * already) into up to n parts at line starts (fewer when a line is longer
 * than FILE_CHUNK) and give each its region of the normalised text, in
 * order: its original size and some slack. Returns how many parts there
 * are.
 */
static size_t plan_parts(struct log *log, int fd, char *mem, size_t size, size_t head,
			 size_t cap, struct file_part *parts, size_t n)
{
	size_t k, nr = 1, slack, region_start = 0, region_end = 0;

	for (k = 1; k < n; k++) {
		size_t at = line_after(fd, mem, size, size / n * k);

		if (at && at > parts[nr - 1].start && at > head && at < size)
			parts[nr++].start = at;
	}
	slack = PART_SLACK(size / nr);
	strbuf_grow(&log->norm, size + nr * slack + 1);
	advise_large_buffer(log->norm.buf, log->norm.alloc);
	for (k = 0; k < nr; k++) {
		struct file_part *p = &parts[k];
		size_t next = k + 1 < nr ? parts[k + 1].start : size;

		p->fd = fd;
		p->mem = mem;
		p->cap = cap;
		p->end = k + 1 < nr || mem ? next : SIZE_MAX;
		strbuf_init(&p->head, 0);
		region_end += next - p->start + slack;
		/* the last byte of a region is left for the '\0' a strbuf puts
		 * after its text, which must not land in the next region */
		if (!k) {
			/* alone, it may grow the log's text as it needs */
			p->log = log;
			p->room = nr > 1 ? region_end - 1 : SIZE_MAX;
		} else {
			/* a view of the log's room, never grown: part_line keeps
			 * within it (and max would refuse rather than realloc) */
			p->view.buf = log->norm.buf + region_start;
			p->view.len = 0;
			p->view.max = region_end - region_start - 1;
			p->view.alloc = p->view.max + 1;
			p->view.buf[0] = '\0';
			p->room = p->view.max;
		}
		region_start = region_end;
	}
	return nr;
}

/* Line records merged at a time, after which their pages in the part's
 * own table are given back. */
#define MERGE_BATCH 65536

/* Append part p's lines, read in a thread, to the log: their normalised
 * text moved down to follow the log's, then tracked in order. */
static void merge_part(struct log *log, struct file_part *p)
{
	size_t base = log->norm.len, i;

	memmove(log->norm.buf + base, p->view.buf, p->view.len);
	log->norm.len += p->view.len;
	log->norm.buf[log->norm.len] = '\0';
	ALLOC_GROW(log->lines, log->nr + p->nr, log->alloc);
	for (i = 0; i < p->nr; i++) {
		struct log_line *line = &log->lines[log->nr];

		*line = p->lines[i];
		line->norm_offset += (uint32_t)base;
		track_line(log, log->nr++, p->lines[i].kind, p->lines[i].step);
		if ((i + 1) % MERGE_BATCH == 0)
			discard_consumed(p->lines, (i + 1) * sizeof(*p->lines));
	}
}

/*
 * The lines of the file fd (head: what was read of it already, taken) or
 * of the text mem[0..size), in parts as parallel_parts() says, each in a
 * thread of its own, then joined in order: the first failure, or the first
 * part that was full, ends what the parts read, and the rest is read on
 * here. *error: errno of a LOG_IO.
 */
static enum log_result read_in_parts(struct log *log, int fd, char *mem, size_t size,
				     struct strbuf *head, int *error)
{
	struct file_part parts[PARALLEL_MAX_PARTS];
	size_t n, k, resume = SIZE_MAX;
	enum log_result res = LOG_OK;

	memset(parts, 0, sizeof(parts));
	n = plan_parts(log, fd, mem, size, head->len, mem ? 0 : log->text.max, parts,
		       parallel_parts(size));
	reserve_lines(log, size);
	parts[0].head = *head;
	strbuf_init(head, 0);
	parallel_run(read_part_thread, parts, sizeof(*parts), n);
	for (k = 0; k < n; k++) {
		struct file_part *p = &parts[k];

		if (!res && resume == SIZE_MAX) {
			if (k)
				merge_part(log, p);
			if (p->res) {
				res = p->res;
				*error = p->error;
			} else if (p->full) {
				resume = p->stop;
			}
		}
		free(p->lines);
	}
	if (!res && resume != SIZE_MAX) {
		struct file_part rest;

		memset(&rest, 0, sizeof(rest));
		rest.log = log;
		rest.fd = fd;
		rest.mem = mem;
		rest.start = resume;
		rest.end = mem ? size : SIZE_MAX;
		rest.cap = mem ? 0 : log->text.max;
		rest.room = SIZE_MAX;
		strbuf_init(&rest.head, 0);
		read_part(&rest);
		res = rest.res;
		*error = rest.error;
	}
	return res;
}

enum log_result log_adopt_text(struct log *log, struct strbuf *buf)
{
	size_t len = buf->len, cap = log->text.max;
	struct strbuf none = STRBUF_INIT;
	int error = 0;

	if (log->nr || log->text.len) {
		enum log_result res = log_add_text(log, buf->buf, buf->len);

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
	return read_in_parts(log, -1, log->text.buf, len, &none, &error);
}

enum log_result log_add_file(struct log *log, int fd, struct strbuf *head, size_t size)
{
	enum log_result res;
	int error = 0;

	if (log->nr || log->text.len || log->fd >= 0)
		BUG("log_add_file on a log that has lines");
	if (log->text.max && head->len > log->text.max) {
		close(fd);
		return LOG_TOOBIG;
	}
	res = read_in_parts(log, fd, NULL, size, head, &error);
	if (res) {
		close(fd);
		errno = error;
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
