/* audit_store.h - the audit's --save-dir: one `fetch` document per build,
 * DIR/<id>.json (the same document `buildsleuth fetch` writes).
 * Ownership: paths are the caller's to free; a loaded document is the
 * caller's to put, and the logs array is borrowed from it. */
#ifndef BUILDSLEUTH_AUDIT_STORE_H
#define BUILDSLEUTH_AUDIT_STORE_H

#include <stdbool.h>
struct json_object; /* json-c's: the .c files that use it include it */

#include "build.h"
#include "strbuf.h"

/* Make dir when missing and check that a file can be created in it, before
 * the first request: a read-only folder, or a file in its place, would
 * otherwise cost a warning per build and save nothing. False with err
 * ("cannot write to save directory ..."). */
bool audit_store_open(const char *dir, struct strbuf *err);

/* DIR/<id>.json, newly allocated. */
char *audit_store_path(const char *dir, const char *id);

/* Save a fetched build (its record as received and its log entries; logs
 * NULL: none), through a temporary file in the same folder and a rename:
 * an interrupted audit leaves a whole file or none. False with err. */
bool audit_store_save(const char *dir, const char *id, struct json_object *build,
		      struct json_object *logs, struct strbuf *err);

/* Read a saved build back: *doc the document, *build its record (new, the
 * caller's), *logs its log entries (borrowed from *doc; NULL when the build
 * was still running, so its log is not read). False with err saying why it
 * cannot be used (the caller then fetches the build again). */
bool audit_store_load(const char *path, struct json_object **doc, struct build **build,
		      struct json_object **logs, struct strbuf *err);

#endif
