/* json.h - json-c helpers shared by the log reader, the rule loader and the
 * API client: whole-buffer parsing with a located error and typed lookups.
 * Ownership: json_parse_buffer returns a new reference the caller puts with
 * json_object_put(); lookups return borrowed pointers. */
#ifndef BUILDSLEUTH_JSON_H
#define BUILDSLEUTH_JSON_H

#include <stddef.h>
#include <json-c/json.h>

#include "strbuf.h"

/*
 * Parse buf[0..len) as exactly one JSON value (trailing white space only).
 * On failure returns NULL and appends "line L, column C: <why>" to err.
 */
struct json_object *json_parse_buffer(const char *buf, size_t len, struct strbuf *err);

/* The string member key of obj, or NULL when absent or not a string. */
const char *json_get_string(struct json_object *obj, const char *key);

/* Writing JSON (json_add_string) is json_writer.h's, which needs no json-c. */
#include "json_writer.h"

#endif
