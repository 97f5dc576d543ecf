/* source.h - where a log comes from: a saved file (plain text or API JSON,
 * auto-detected), stdin, or the API; fills a struct log and keeps the build
 * record when there is one.
 * Ownership: struct source owns its log, strings and the build record
 * (released by source_release); selected is borrowed. */
#ifndef BUILDSLEUTH_SOURCE_H
#define BUILDSLEUTH_SOURCE_H

#include <stdio.h>

#include "build.h"
#include "log.h"
#include "strbuf.h"

struct json_object;
struct latest_query;

/* Largest log read (original text). */
#define SOURCE_MAX_BYTES ((size_t)1 << 30)

enum source_kind {
	SOURCE_FILE,
	SOURCE_STDIN,
	SOURCE_API,
};

struct source {
	enum source_kind kind;
	char *path;                 /* SOURCE_FILE */
	char *build_id;             /* SOURCE_API */
	struct build *build;        /* the build record, or NULL */
	const struct latest_query *selected; /* SOURCE_API: chosen by --latest, or NULL */
	struct log log;
};

enum source_result {
	SOURCE_OK = 0,
	SOURCE_IO,      /* cannot open or read */
	SOURCE_BAD,     /* empty, malformed JSON, JSON of the wrong shape */
	SOURCE_TOOBIG,  /* larger than SOURCE_MAX_BYTES */
};

void source_init(struct source *src, enum source_kind kind);
void source_release(struct source *src);

/* Read path ("-" is stdin). On failure, err holds "<subject>: <why>". */
enum source_result source_read_path(struct source *src, const char *path,
				    struct strbuf *err);

/* Read path, a file name (never stdin), only when it is a regular file:
 * it is opened without blocking, and a FIFO or a device is refused
 * (SOURCE_IO, "cannot read '<path>': not a regular file") instead of read.
 * For folders of logs that may hold anything. */
enum source_result source_read_regular(struct source *src, const char *path,
				       struct strbuf *err);

/* Read everything from f (named name in messages). */
enum source_result source_read_stream(struct source *src, FILE *f, const char *name,
				      struct strbuf *err);

/* Take logs (and a build record) from parsed API JSON: {"logs": [...]} or
 * {"build": {...}, "logs": [...]}. Entries are strings or objects with
 * "message" or "log". Does not take ownership of root. */
enum source_result source_add_json(struct source *src, struct json_object *root,
				   struct strbuf *err);

/* Append every entry of the API's "logs" array, oldest first: a log whose
 * entries carry timestamps that run backwards (newest first) is read in
 * reverse. */
enum source_result source_add_entries(struct source *src, struct json_object *logs,
				      struct strbuf *err);

/* The text of an API log entry: a string, or an object's "message" (else
 * "log") string; false when the entry has neither. *text is borrowed from
 * entry. */
bool source_entry_text(struct json_object *entry, const char **text, size_t *len);

/* Append one API log entry (string or object) as log lines. */
enum source_result source_add_entry(struct source *src, struct json_object *entry,
				    size_t index, struct strbuf *err);

#endif
