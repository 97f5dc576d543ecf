/* json.c - json-c glue: parse whole buffers with a useful error position, and
 * emit JSON strings byte-exactly (our reports do not depend on json-c's
 * formatting, so goldens stay stable across json-c versions). */
#include <string.h>

#include "buildsleuth/json.h"
#include "buildsleuth/util.h"

struct json_object *json_parse_buffer(const char *buf, size_t len, struct strbuf *err)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t end, i, line = 1, col = 1;

	if (len > INT32_MAX) {
		strbuf_addstr(err, "document too large");
		return NULL;
	}
	tok = json_tokener_new();
	if (!tok) {
		strbuf_addstr(err, "cannot allocate a JSON parser");
		return NULL;
	}
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!obj && jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	if (obj) {
		/* only white space may follow the value */
		for (i = end; i < len; i++)
			if (!strchr(" \t\r\n", buf[i]))
				break;
		if (i < len) {
			json_object_put(obj);
			obj = NULL;
			end = i;
			jerr = json_tokener_error_parse_unexpected;
		}
	}
	if (!obj) {
		for (i = 0; i < end && i < len; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		strbuf_addf(err, "line %zu, column %zu: %s", line, col,
			    i < len || jerr != json_tokener_error_parse_eof ?
			    json_tokener_error_desc(jerr) : "unexpected end of input");
	}
	json_tokener_free(tok);
	return obj;
}

const char *json_get_string(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}
