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

void json_add_string(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	strbuf_addch(out, '"');
	while (i < len) {
		unsigned char c = p[i];
		size_t k;

		switch (c) {
		case '"': strbuf_add(out, "\\\"", 2); i++; continue;
		case '\\': strbuf_add(out, "\\\\", 2); i++; continue;
		case '\n': strbuf_add(out, "\\n", 2); i++; continue;
		case '\r': strbuf_add(out, "\\r", 2); i++; continue;
		case '\t': strbuf_add(out, "\\t", 2); i++; continue;
		case '/':
			/* keep "</script>" from ending an HTML script block */
			if (i > 0 && p[i - 1] == '<')
				strbuf_add(out, "\\/", 2);
			else
				strbuf_addch(out, '/');
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\u%04x", c);
			i++;
			continue;
		}
		k = utf8_valid_len(p + i, len - i);
		if (!k) {
			strbuf_add(out, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		/* written as escapes, so the JSON text shows them: C1 controls
		 * (terminals honour some), U+2028/2029 (they break JavaScript
		 * string literals) and the bidirectional and zero-width
		 * characters (they reorder or hide what a reader sees) */
		if ((k == 2 && c == 0xc2 && p[i + 1] < 0xa0) ||
		    (k == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
		     (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) ||
		    utf8_invisible_len(p + i, len - i)) {
			unsigned cp = k == 2 ? (c & 0x1fu) << 6 | (p[i + 1] & 0x3fu) :
				  (c & 0x0fu) << 12 | (p[i + 1] & 0x3fu) << 6 | (p[i + 2] & 0x3fu);

			strbuf_addf(out, "\\u%04x", cp);
			i += k;
			continue;
		}
		strbuf_add(out, s + i, k);
		i += k;
	}
	strbuf_addch(out, '"');
}
