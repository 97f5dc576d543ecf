/* harness.c - what the fuzz targets run and check: one input through the
 * library's real pipeline (source -> log -> matcher -> ranking -> reports),
 * then the output-safety properties the reports promise (DESIGN.md). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/json.h"
#include "buildsleuth/report.h"
#include "buildsleuth/rules.h"
#include "buildsleuth/source.h"
#include "buildsleuth/util.h"
#include "harness.h"

/* Rules that copy log text into a summary and a hint, so the Markdown
 * target sees arbitrary text in every place a capture can reach. */
static const char quoting_rules[] =
	"{\"rules\": ["
	"{\"id\": \"fuzz.quote\", \"title\": \"Quoted text\", \"category\": \"application\","
	" \"priority\": 95, \"patterns\": [\"QUOTE:(?<text>.*)\"],"
	" \"summary\": \"the log said {text}\", \"hint\": \"look at {text} and `{text}`\","
	" \"docs\": \"https://example.com/fuzz?q=1\","
	" \"examples\": {\"match\": [\"QUOTE:x\"]}},"
	"{\"id\": \"fuzz.code\", \"title\": \"Code span\", \"category\": \"network\","
	" \"priority\": 40, \"patterns\": [\"CODE:(?<text>.*)\"],"
	" \"summary\": \"`{text}`\", \"hint\": \"run `{text}` | {text}\","
	" \"examples\": {\"match\": [\"CODE:x\"]}},"
	"{\"id\": \"fuzz.fallback\", \"title\": \"Generic\", \"category\": \"unknown\","
	" \"priority\": 10, \"fallback\": true, \"patterns\": [\"FALLBACK:(?<text>.*)\"],"
	" \"summary\": \"{text}\", \"hint\": \"{text}\","
	" \"examples\": {\"match\": [\"FALLBACK:x\"]}}"
	"]}";

static struct ruleset builtin, quoting;
static bool builtin_loaded, quoting_loaded;

static char message[512];

static const char *broken(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *broken(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return message;
}

static void load_or_die(struct ruleset *rs, bool with_quoting)
{
	struct causes causes = CAUSES_INIT;

	ruleset_init(rs);
	if (ruleset_load_builtin(rs, &causes) ||
	    (with_quoting && ruleset_load_buffer(rs, "fuzz-rules.json", quoting_rules,
						 sizeof(quoting_rules) - 1, false, &causes))) {
		causes_print(&causes, stderr);
		abort();
	}
	causes_release(&causes);
}

static const struct ruleset *builtin_rules(void)
{
	if (!builtin_loaded) {
		load_or_die(&builtin, false);
		builtin_loaded = true;
	}
	return &builtin;
}

static const struct ruleset *quoting_ruleset(void)
{
	if (!quoting_loaded) {
		load_or_die(&quoting, true);
		quoting_loaded = true;
	}
	return &quoting;
}

void harness_release(void)
{
	if (builtin_loaded)
		ruleset_release(&builtin);
	if (quoting_loaded)
		ruleset_release(&quoting);
	builtin_loaded = quoting_loaded = false;
}

/* --- properties ------------------------------------------------------------- */

/* The code point at s[i] (valid UTF-8 of length k). */
static unsigned long code_point(const unsigned char *s, size_t k)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned long cp = s[0] & lead_mask[k];
	size_t j;

	for (j = 1; j < k; j++)
		cp = cp << 6 | (s[j] & 0x3f);
	return cp;
}

const char *check_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t k = utf8_valid_len(p + i, len - i);
		unsigned long cp;

		if (!k)
			return broken("invalid UTF-8 at byte %zu", i);
		cp = code_point(p + i, k);
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
			return broken("control character U+%04lX at byte %zu", cp, i);
		i += k;
	}
	return NULL;
}

/* Whether obj holds a number JSON cannot write (json-c reads NaN and
 * Infinity even in strict mode). */
static bool holds_non_finite(struct json_object *obj)
{
	size_t i, n;

	switch (json_object_get_type(obj)) {
	case json_type_double:
		return !isfinite(json_object_get_double(obj));
	case json_type_array:
		n = json_object_array_length(obj);
		for (i = 0; i < n; i++)
			if (holds_non_finite(json_object_array_get_idx(obj, i)))
				return true;
		return false;
	case json_type_object: {
		json_object_object_foreach(obj, key, val) {
			(void)key;
			if (holds_non_finite(val))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}

static const char *check_one_json(const char *s, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	const char *why = NULL;
	size_t end;

	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, s, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!obj) {
		why = broken("invalid JSON at byte %zu: %s", end,
			   json_tokener_error_desc(json_tokener_get_error(tok)));
	} else {
		while (end < len && strchr(" \t\r\n", s[end]))
			end++;
		if (end < len)
			why = broken("JSON followed by more text at byte %zu", end);
		else if (holds_non_finite(obj))
			why = broken("NaN or Infinity in JSON");
	}
	json_object_put(obj);
	json_tokener_free(tok);
	return why;
}

const char *check_json(const char *s, size_t len, int lines)
{
	size_t start = 0;

	if (!lines)
		return check_one_json(s, len);
	while (start < len) {
		const char *nl = memchr(s + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - s) : len;
		const char *why;

		if (!nl)
			return broken("JSON Lines: last line not terminated");
		why = check_one_json(s + start, end - start);
		if (why)
			return why;
		start = end + 1;
	}
	return NULL;
}

/* GitHub workflow commands: one "::error|notice file=...,line=...,title=...::
 * message" per line (file and line optional), no ':' or ',' inside a
 * property (they would end it early), a message under 4,096 bytes. */
static const char *check_github(const char *s, size_t len)
{
	static const char *const keys[] = { "file=", "line=", "title=" };
	const char *why = check_text(s, len);
	size_t start = 0;

	if (why)
		return why;
	while (start < len) {
		const char *nl = memchr(s + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - s) : len, i, props, k;

		if (!strncmp(s + start, "::error ", 8))
			props = start + 8;
		else if (!strncmp(s + start, "::notice ", 9))
			props = start + 9;
		else
			return broken("github: line at byte %zu is not a workflow command", start);
		for (i = props; i + 1 < end && !(s[i] == ':' && s[i + 1] == ':'); i++) {
			if (i == props || s[i - 1] == ',') {
				for (k = 0; k < 3; k++)
					if (!strncmp(s + i, keys[k], strlen(keys[k])))
						break;
				if (k == 3)
					return broken("github: unknown property at byte %zu", i);
			}
			if (s[i] == ':')
				return broken("github: ':' in the properties at byte %zu", i);
		}
		if (i + 1 >= end)
			return broken("github: no '::' after the properties at byte %zu", start);
		if (end - (i + 2) >= 4096)
			return broken("github: a message of %zu bytes at byte %zu", end - (i + 2), start);
		start = end + 1;
	}
	return NULL;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

/* The length of the run of c at s[0..n). */
static size_t run_of(const char *s, size_t n, char c)
{
	size_t k = 0;

	while (k < n && s[k] == c)
		k++;
	return k;
}

/* A quoted log line inside a fence: "[> ] <number> | text". */
static bool quote_shaped(const char *s, size_t n)
{
	size_t i = 1, digits;

	if (!n || (s[0] != '>' && s[0] != ' '))
		return false;
	while (i < n && s[i] == ' ')
		i++;
	for (digits = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	return digits && starts(s + i, n - i, " | ");
}

/* The HTML we write ourselves; any other '<' outside code came from input. */
static size_t own_tag(const char *s, size_t n)
{
	static const char *const tags[] = {
		REPORT_MARKER, "<details>", "</details>", "<summary>", "</summary>",
		"<sub>", "</sub>",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tags); i++)
		if (starts(s, n, tags[i]))
			return strlen(tags[i]);
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The length of the HTML entity at s ("&amp;", "&#64;"), or 0. */
static size_t entity_length(const char *s, size_t n)
{
	size_t k = 1;

	if (k < n && s[k] == '#')
		k++;
	while (k < n && is_alnum(s[k]))
		k++;
	return k > 1 && k < n && s[k] == ';' && !(k == 2 && s[1] == '#') ? k + 1 : 0;
}

/* The length of the link destination "<...>)" at s (s[0] is the '<'), as
 * CommonMark reads one: it ends at the first '>' not escaped by a
 * backslash and holds no '<' and no line end; 0 when it is not closed by
 * ">)" on this line. *pipes gets the unescaped '|' in it. */
static size_t destination_length(const char *s, size_t n, size_t *pipes)
{
	size_t j = 1;

	while (j < n) {
		if (s[j] == '\\' && j + 1 < n && ispunct((unsigned char)s[j + 1])) {
			j += 2;
			continue;
		}
		if (s[j] == '<')
			return 0;
		if (s[j] == '>')
			return j + 1 < n && s[j + 1] == ')' ? j + 2 : 0;
		if (s[j] == '|')
			(*pipes)++;
		j++;
	}
	return 0;
}

/* One line outside fences: code spans balanced, no foreign HTML, no
 * mentions, and a table row has exactly its five pipes. */
static const char *check_md_line(const char *s, size_t n, size_t at, bool *in_table)
{
	size_t i = 0, pipes = 0;
	bool row = n && s[0] == '|';

	if (row && !*in_table && !starts(s, n, "| # | Category | Finding | Where |"))
		return broken("markdown: table row without our header at byte %zu", at);
	*in_table = row;
	while (i < n) {
		char c = s[i];

		if (c == '`') {
			/* a code span closes on a run of exactly as many backticks */
			size_t open = run_of(s + i, n - i, '`'), j = i + open;
			bool closed = false;

			while (j < n) {
				size_t r = run_of(s + j, n - j, '`');

				if (r == open) {
					closed = true;
					break;
				}
				j += r ? r : 1;
			}
			if (!closed)
				return broken("markdown: unclosed backtick run at byte %zu", at + i);
			/* inside a table a '|' splits the cell even in code unless escaped */
			for (i += open; i < j; i++)
				if (row && s[i] == '|' && s[i - 1] != '\\')
					pipes++;
			i = j + open;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			if (s[i + 1] == '#' && i + 2 < n && s[i + 2] >= '0' && s[i + 2] <= '9')
				return broken("markdown: issue reference at byte %zu: %.40s", at + i, s + i);
			i += 2;
			continue;
		}
		if (c == '<') {
			size_t k = own_tag(s + i, n - i);

			if (!k && i >= 2 && s[i - 2] == ']' && s[i - 1] == '(' &&
			    (starts(s + i, n - i, "<https://") || starts(s + i, n - i, "<http://"))) {
				/* a rule's docs link, <...> so it cannot break out;
				 * GitHub renders the URL only as an href, so a
				 * "#1-install" fragment in it is no issue reference */
				size_t in_dest = 0;

				k = destination_length(s + i, n - i, &in_dest);
				if (!k)
					return broken("markdown: link destination not closed by '>)' at byte %zu: %.40s",
						      at + i, s + i);
				if (row)
					pipes += in_dest;
			}
			if (!k)
				return broken("markdown: raw '<' at byte %zu: %.40s", at + i, s + i);
			i += k;
			continue;
		}
		/* GitHub looks for @mentions and #123 references after decoding
		 * entities and escapes */
		if (c == '@' && i + 1 < n && is_alnum(s[i + 1]))
			return broken("markdown: mention at byte %zu: %.40s", at + i, s + i);
		if (c == '&' && entity_length(s + i, n - i)) {
			size_t k = entity_length(s + i, n - i);

			if (starts(s + i, n - i, "&#64;") && i + k < n && is_alnum(s[i + k]))
				return broken("markdown: mention at byte %zu: %.40s", at + i, s + i);
			i += k;
			continue;
		}
		if (c == '#' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
			return broken("markdown: issue reference at byte %zu: %.40s", at + i, s + i);
		if (c == '|')
			pipes++;
		i++;
	}
	if (row && pipes != 5)
		return broken("markdown: table row with %zu pipes at byte %zu", pipes, at);
	return NULL;
}

const char *check_markdown(const char *md, size_t len)
{
	size_t start = 0, fence = 0, details = 0;
	size_t last_start = 0, last_end = 0;
	bool in_table = false;
	const char *why;

	if (len > MARKDOWN_MAX_BYTES)
		return broken("markdown: %zu bytes, more than %d", len, MARKDOWN_MAX_BYTES);
	if (!starts(md, len, REPORT_MARKER "\n"))
		return broken("markdown: does not start with the marker");
	why = check_text(md, len);
	if (why)
		return why;
	if (!len || md[len - 1] != '\n')
		return broken("markdown: does not end with a newline");
	while (start < len) {
		const char *s = md + start, *nl = memchr(s, '\n', len - start);
		size_t n = (size_t)(nl - s), indent = run_of(s, n < 4 ? n : 4, ' ');

		last_start = start;
		last_end = start + n;
		if (fence) {
			size_t ticks = run_of(s + indent, n - indent, '`');

			if (indent <= 3 && ticks >= fence) {
				/* a closer: it must be ours, exactly the opener's length */
				if (indent || ticks != fence || n != fence)
					return broken("markdown: a line of %zu backticks closes the %zu-backtick fence at byte %zu",
						    ticks, fence, start);
				fence = 0;
			} else if (!quote_shaped(s, n)) {
				return broken("markdown: fence line at byte %zu is not a quoted log line: %.40s",
					    start, s);
			}
		} else if (indent <= 3 && (run_of(s + indent, n - indent, '`') >= 3 ||
					   run_of(s + indent, n - indent, '~') >= 3)) {
			fence = run_of(s + indent, n - indent, '`');
			if (indent || fence < 3 || strncmp(s + fence, "text", 4) || n != fence + 4)
				return broken("markdown: a fence opened by input at byte %zu: %.40s",
					    start, s);
		} else {
			if (starts(s, n, "<details>"))
				details++;
			if (starts(s, n, "</details>")) {
				if (!details)
					return broken("markdown: </details> without <details>");
				details--;
			}
			if (start && starts(s, n, "<!--"))
				return broken("markdown: HTML comment at byte %zu", start);
			why = check_md_line(s, n, start, &in_table);
			if (why)
				return why;
		}
		start += n + 1;
	}
	if (fence)
		return broken("markdown: fence left open");
	if (details)
		return broken("markdown: <details> left open");
	if (!starts(md + last_start, last_end - last_start, "<sub>buildsleuth ") ||
	    strncmp(md + last_end - 6, "</sub>", 6))
		return broken("markdown: the footer is not the last line");
	return NULL;
}

/* --- the pipeline ------------------------------------------------------------- */

/* Prefix the broken property with the report that broke it. */
static const char *in_report(const char *report, const char *why)
{
	char inner[sizeof(message)];

	if (!why)
		return NULL;
	snprintf(inner, sizeof(inner), "%s", why);
	return broken("%s report: %s", report, inner);
}

/* Every report of src, each checked; top as --top. */
static const char *check_reports(const struct source *src, const struct diagnoses *d,
				 size_t top)
{
	struct report r = {
		.source = src, .diagnoses = d, .top = top, .color = false, .width = 0,
		.compact = false, .source_dir = "app",
	};
	struct strbuf out = STRBUF_INIT;
	const char *why;

	report_text(&r, &out);
	why = in_report("text", check_text(out.buf, out.len));
	if (why)
		goto out;
	strbuf_reset(&out);
	report_json(&r, &out);
	why = in_report("json", check_json(out.buf, out.len, 0));
	if (why)
		goto out;
	strbuf_reset(&out);
	r.compact = true;
	report_json(&r, &out);
	why = in_report("json lines", check_json(out.buf, out.len, 1));
	if (!why && (!out.len || memchr(out.buf, '\n', out.len) != out.buf + out.len - 1))
		why = broken("compact JSON is not one line");
	if (why)
		goto out;
	strbuf_reset(&out);
	report_github(&r, &out);
	why = in_report("github", check_github(out.buf, out.len));
	if (why)
		goto out;
	strbuf_reset(&out);
	report_markdown(&r, &out);
	why = in_report("markdown", check_markdown(out.buf, out.len));
out:
	strbuf_release(&out);
	return why;
}

static const char *analyse(const struct ruleset *rs, const struct source *src, size_t top)
{
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct causes warnings = CAUSES_INIT;
	const char *why;

	analysis_run(rs, src, &diags, &warnings);
	why = check_reports(src, &diags, top);
	diagnoses_release(&diags);
	causes_release(&warnings);
	return why;
}

const char *harness_log(const uint8_t *data, size_t size)
{
	struct source src;
	struct strbuf err = STRBUF_INIT;
	const char *why = NULL;
	char *copy;
	FILE *f;

	if (!size)
		return NULL; /* fmemopen refuses an empty buffer */
	copy = xmalloc(size);
	memcpy(copy, data, size);
	f = fmemopen(copy, size, "rb");
	if (!f)
		abort();
	source_init(&src, SOURCE_FILE);
	src.path = xstrdup("fuzz.log");
	if (source_read_stream(&src, f, "fuzz.log", &err)) {
		if (!err.len)
			why = broken("reading failed without a message");
		else
			why = check_text(err.buf, err.len);
	} else {
		why = analyse(builtin_rules(), &src, 0);
	}
	fclose(f);
	free(copy);
	source_release(&src);
	strbuf_release(&err);
	return why;
}

const char *harness_json(const uint8_t *data, size_t size)
{
	struct source src;
	struct strbuf err = STRBUF_INIT;
	struct json_object *root;
	enum source_result res = SOURCE_OK;
	const char *why = NULL;

	root = json_parse_buffer((const char *)data, size, &err);
	if (!root) {
		why = err.len ? NULL : broken("malformed JSON without a message");
		strbuf_release(&err);
		return why;
	}
	source_init(&src, SOURCE_API);
	src.build_id = xstrdup("123e4567-e89b-12d3-a456-426614174000");
	if (json_object_is_type(root, json_type_array)) {
		/* the "logs" array of a page, as the API client adds it */
		res = source_add_entries(&src, root, &err);
	} else {
		res = source_add_json(&src, root, &err);
	}
	json_object_put(root);
	if (res)
		why = err.len ? NULL : broken("a bad shape without a message");
	else if (src.log.nr)
		why = analyse(builtin_rules(), &src, 0);
	source_release(&src);
	strbuf_release(&err);
	return why;
}

static void add_cstr(struct log *log, const char *line)
{
	log_add_line(log, line, strlen(line));
}

const char *harness_rules(const uint8_t *data, size_t size)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	struct source src;
	const char *why = NULL;
	size_t i, k;

	ruleset_init(&rs);
	if (ruleset_load_buffer(&rs, "fuzz.json", (const char *)data, size, false, &causes) ||
	    ruleset_link(&rs, &causes)) {
		if (!causes.nr)
			why = broken("rules refused without a cause");
		for (i = 0; i < causes.nr && !why; i++)
			if (!*causes.items[i])
				why = broken("an empty cause");
		goto out;
	}
	/* what `rules test` does, then a log made of the examples */
	source_init(&src, SOURCE_FILE);
	src.path = xstrdup("fuzz.log");
	add_cstr(&src.log, "[Container] 2026/01/28 20:46:51 Entering phase BUILD");
	for (i = 0; i < rs.nr; i++) {
		const struct rule *r = rs.rules[i];

		for (k = 0; k < r->match_examples.nr + r->nomatch_examples.nr; k++) {
			const char *line = k < r->match_examples.nr ? r->match_examples.items[k] :
				r->nomatch_examples.items[k - r->match_examples.nr];
			int err;

			rule_matches_line(r, line, &err);
			log_add_text(&src.log, line, strlen(line));
		}
	}
	add_cstr(&src.log, "[Container] 2026/01/28 20:46:52 Phase complete: BUILD State: FAILED");
	why = analyse(&rs, &src, 0);
	source_release(&src);
out:
	causes_release(&causes);
	ruleset_release(&rs);
	return why;
}

const char *harness_markdown(const uint8_t *data, size_t size)
{
	struct source src;
	struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
	struct causes warnings = CAUSES_INIT;
	struct report r;
	struct strbuf out = STRBUF_INIT;
	const char *text, *why;
	size_t len;
	unsigned flags;

	if (!size)
		return NULL;
	flags = data[0];
	text = (const char *)data + 1;
	len = size - 1;
	source_init(&src, SOURCE_FILE);
	src.path = xstrdup("fuzz.log");
	if (flags & 1) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;

		struct json_object *record = json_object_new_object();

		json_object_object_add(record, "status", json_object_new_string("failed"));
		json_object_object_add(record, "errorMessage",
				       json_object_new_string_len(text, (int)n));
		src.build = build_parse(record);
		json_object_put(record);
		text += nl ? n + 1 : n;
		len -= nl ? n + 1 : n;
	}
	log_add_text(&src.log, text, len);
	analysis_run(quoting_ruleset(), &src, &diags, &warnings);
	memset(&r, 0, sizeof(r));
	r.source = &src;
	r.diagnoses = &diags;
	r.top = (flags >> 1) & 7;
	r.color = false;
	r.compact = false;
	r.width = 0;
	r.source_dir = NULL; /* report_location reads it */
	report_markdown(&r, &out);
	why = check_markdown(out.buf, out.len);
	strbuf_release(&out);
	diagnoses_release(&diags);
	causes_release(&warnings);
	source_release(&src);
	return why;
}
