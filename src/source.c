/* source.c - reading saved logs: plain text or the API's JSON shapes, told
 * apart by content, never by file name. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildsleuth/json.h"
#include "buildsleuth/source.h"
#include "buildsleuth/util.h"

void source_init(struct source *src, enum source_kind kind)
{
	memset(src, 0, sizeof(*src));
	src->kind = kind;
	log_init(&src->log, SOURCE_MAX_BYTES);
}

void source_release(struct source *src)
{
	free(src->path);
	free(src->build_id);
	build_free(src->build);
	log_release(&src->log);
	src->path = src->build_id = NULL;
	src->build = NULL;
}

static enum source_result too_big(struct strbuf *err)
{
	strbuf_addf(err, "log larger than %zu MiB", SOURCE_MAX_BYTES >> 20);
	return SOURCE_TOOBIG;
}

bool source_entry_text(struct json_object *entry, const char **text, size_t *len)
{
	const char *s = NULL;

	if (json_object_is_type(entry, json_type_string)) {
		*text = json_object_get_string(entry);
		*len = (size_t)json_object_get_string_len(entry);
		return true;
	}
	if (json_object_is_type(entry, json_type_object)) {
		s = json_get_string(entry, "message");
		if (!s)
			s = json_get_string(entry, "log");
	}
	*text = s;
	*len = s ? strlen(s) : 0;
	return s != NULL;
}

enum source_result source_add_entry(struct source *src, struct json_object *entry,
				    size_t index, struct strbuf *err)
{
	const char *s;
	size_t len;

	if (!source_entry_text(entry, &s, &len)) {
		strbuf_addf(err, "log entry %zu: expected a string or an object with \"message\" or \"log\"",
			    index + 1);
		return SOURCE_BAD;
	}
	if (!*s) {
		if (log_add_line(&src->log, "", 0))
			return too_big(err);
		return SOURCE_OK;
	}
	if (log_add_text(&src->log, s, len))
		return too_big(err);
	return SOURCE_OK;
}

/* An entry's timestamp, when it is an object with a string "timestamp". */
static const char *entry_time(struct json_object *entry)
{
	return json_object_is_type(entry, json_type_object) ?
		json_get_string(entry, "timestamp") : NULL;
}

/* Whether the entries are newest first: both ends carry ISO 8601 timestamps
 * (which sort as strings) and the first is later than the last. */
static bool newest_first(struct json_object *logs)
{
	size_t n = json_object_array_length(logs);
	const char *first, *last;

	if (n < 2)
		return false;
	first = entry_time(json_object_array_get_idx(logs, 0));
	last = entry_time(json_object_array_get_idx(logs, n - 1));
	return first && last && strlen(first) == strlen(last) && strcmp(first, last) > 0;
}

enum source_result source_add_entries(struct source *src, struct json_object *logs,
				      struct strbuf *err)
{
	size_t i, n = json_object_array_length(logs);
	bool reverse = newest_first(logs);

	for (i = 0; i < n; i++) {
		size_t k = reverse ? n - 1 - i : i;
		enum source_result r = source_add_entry(src, json_object_array_get_idx(logs, k),
							k, err);
		if (r)
			return r;
	}
	return SOURCE_OK;
}

enum source_result source_add_json(struct source *src, struct json_object *root,
				   struct strbuf *err)
{
	struct json_object *logs, *build;

	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "logs", &logs) ||
	    !json_object_is_type(logs, json_type_array)) {
		strbuf_addstr(err, "JSON of the wrong shape: expected {\"logs\": [...]} "
			      "or {\"build\": {...}, \"logs\": [...]}");
		return SOURCE_BAD;
	}
	if (json_object_object_get_ex(root, "build", &build) &&
	    !json_object_is_type(build, json_type_null)) {
		if (!json_object_is_type(build, json_type_object)) {
			strbuf_addstr(err, "JSON of the wrong shape: \"build\" is not an object");
			return SOURCE_BAD;
		}
		build_free(src->build);
		src->build = build_parse(build);
	}
	return source_add_entries(src, logs, err);
}

/* The first byte that is not white space or a UTF-8 byte order mark. */
static size_t skip_blank(const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && strchr(" \t\r\n", buf[i]) && buf[i])
		i++;
	return i;
}

/* Read data, a whole saved log; plain text is taken (data left empty) as
 * the log's original text, not copied. */
static enum source_result parse_buffer(struct source *src, struct strbuf *data,
				       struct strbuf *err)
{
	const char *buf = data->buf;
	size_t len = data->len, start = skip_blank(buf, len);
	enum source_result res;

	if (start == len) {
		strbuf_addstr(err, "empty log");
		return SOURCE_BAD;
	}
	if (buf[start] == '{') {
		struct strbuf why = STRBUF_INIT;
		struct json_object *root = json_parse_buffer(buf + start, len - start, &why);

		if (!root) {
			/* A text log whose lines are JSON objects is still a
			 * text log: its first line parses on its own. */
			const char *nl = memchr(buf + start, '\n', len - start);
			struct strbuf ignored = STRBUF_INIT;
			struct json_object *first = nl ?
				json_parse_buffer(buf + start, (size_t)(nl - buf - start), &ignored) : NULL;

			strbuf_release(&ignored);
			if (!first) {
				strbuf_addf(err, "malformed JSON at %s", why.buf);
				strbuf_release(&why);
				return SOURCE_BAD;
			}
			json_object_put(first);
			strbuf_release(&why);
		} else {
			strbuf_release(&why);
			res = source_add_json(src, root, err);
			json_object_put(root);
			if (!res && !src->log.nr) {
				strbuf_addstr(err, "empty log (the JSON holds no log entries)");
				res = SOURCE_BAD;
			}
			return res;
		}
	}
	if (log_adopt_text(&src->log, data))
		return too_big(err);
	return SOURCE_OK;
}

/* source_read_stream after head (taken), what was read of f already. */
static enum source_result read_stream(struct source *src, FILE *f, const char *name,
				      struct strbuf *head, struct strbuf *err)
{
	struct strbuf data = *head;
	enum source_result res = SOURCE_OK;
	struct stat st;

	strbuf_init(head, 0);
	data.max = SOURCE_MAX_BYTES;
	/* a file's size is known: read it into a buffer of that size, which
	 * then holds the log (see parse_buffer) */
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && (uint64_t)st.st_size > data.len &&
	    (uint64_t)st.st_size <= SOURCE_MAX_BYTES)
		strbuf_grow(&data, (size_t)st.st_size - data.len);
	switch (strbuf_read_file(&data, f)) {
	case STRBUF_OK:
		break;
	case STRBUF_TOOBIG:
		strbuf_addf(err, "%s: ", name);
		res = too_big(err);
		goto out;
	case STRBUF_IO:
		strbuf_addf(err, "cannot read '%s': %s", name, strerror(errno));
		res = SOURCE_IO;
		goto out;
	}
	{
		struct strbuf why = STRBUF_INIT;

		res = parse_buffer(src, &data, &why);
		if (res)
			strbuf_addf(err, "%s: %s", name, why.buf);
		strbuf_release(&why);
	}
out:
	strbuf_release(&data);
	return res;
}

enum source_result source_read_stream(struct source *src, FILE *f, const char *name,
				      struct strbuf *err)
{
	struct strbuf head = STRBUF_INIT;

	return read_stream(src, f, name, &head, err);
}

/* Bytes of a regular file read to tell plain text from JSON. */
#define SNIFF_BYTES 65536

/*
 * A regular file of plain text is read a chunk at a time into the log
 * (log_add_file), which reads the lines it quotes back from the file:
 * the original text is not held in memory. *taken: fd now belongs to the
 * log. Anything else (JSON, a blank start) is read whole into memory and
 * parsed as source_read_stream does, through f.
 */
static enum source_result read_regular(struct source *src, int fd, const struct stat *st,
				       const char *path, struct strbuf *err, bool *taken)
{
	struct strbuf head = STRBUF_INIT;
	size_t start = 0;
	enum source_result res;
	FILE *f;

	*taken = false;
	if ((uint64_t)st->st_size > SOURCE_MAX_BYTES) {
		strbuf_addf(err, "%s: ", path);
		return too_big(err);
	}
	/* enough to see the first byte that is not blank */
	for (;;) {
		ssize_t r;

		strbuf_grow(&head, SNIFF_BYTES);
		r = read(fd, head.buf + head.len, SNIFF_BYTES);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			strbuf_addf(err, "cannot read '%s': %s", path, strerror(errno));
			strbuf_release(&head);
			return SOURCE_IO;
		}
		head.len += (size_t)r;
		head.buf[head.len] = '\0';
		start = skip_blank(head.buf, head.len);
		if (!r || start < head.len || head.len > SOURCE_MAX_BYTES)
			break;
	}
	if (start < head.len && head.buf[start] != '{') {
		enum log_result lr;

		*taken = true;
		lr = log_add_file(&src->log, fd, &head, (size_t)st->st_size);
		if (lr == LOG_TOOBIG) {
			strbuf_addf(err, "%s: ", path);
			return too_big(err);
		}
		if (lr == LOG_IO) {
			strbuf_addf(err, "cannot read '%s': %s", path, strerror(errno));
			return SOURCE_IO;
		}
		return SOURCE_OK;
	}
	/* JSON, or blank: the whole of it, from what was read on */
	if (!(f = fdopen(fd, "rb"))) {
		strbuf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		strbuf_release(&head);
		return SOURCE_IO;
	}
	*taken = true;
	res = read_stream(src, f, path, &head, err);
	fclose(f);
	return res;
}

/* Read the file path names; regular_only: open it without blocking and
 * read it only when it is a regular file. */
static enum source_result read_file(struct source *src, const char *path, bool regular_only,
				    struct strbuf *err)
{
	FILE *f = NULL;
	struct stat st;
	enum source_result res;
	bool taken = false;
	int fd;

	src->kind = SOURCE_FILE;
	free(src->path);
	src->path = xstrdup(path);
	/* O_NONBLOCK: a FIFO would wait for a writer in open() */
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0));
	if (fd < 0) {
		strbuf_addf(err, "cannot open '%s': %s", path, strerror(errno));
		return SOURCE_IO;
	}
	if (fstat(fd, &st)) {
		strbuf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		res = SOURCE_IO;
	} else if (S_ISDIR(st.st_mode)) {
		strbuf_addf(err, "cannot read '%s': %s", path, strerror(EISDIR));
		res = SOURCE_IO;
	} else if (regular_only && !S_ISREG(st.st_mode)) {
		strbuf_addf(err, "cannot read '%s': not a regular file", path);
		res = SOURCE_IO;
	} else if (S_ISREG(st.st_mode)) {
		res = read_regular(src, fd, &st, path, err, &taken);
	} else if (!(f = fdopen(fd, "rb"))) {
		strbuf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		res = SOURCE_IO;
	} else {
		res = source_read_stream(src, f, path, err);
	}
	if (f)
		fclose(f);
	else if (!taken)
		close(fd);
	return res;
}

enum source_result source_read_path(struct source *src, const char *path,
				    struct strbuf *err)
{
	if (!strcmp(path, "-")) {
		src->kind = SOURCE_STDIN;
		return source_read_stream(src, stdin, "stdin", err);
	}
	return read_file(src, path, false, err);
}

enum source_result source_read_regular(struct source *src, const char *path,
				       struct strbuf *err)
{
	return read_file(src, path, true, err);
}
