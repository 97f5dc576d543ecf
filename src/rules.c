/* rules.c - the rule loader: reads rule files, checks every field, compiles
 * the patterns, and collects every problem before failing once. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildsleuth/builtin.h"
#include "buildsleuth/prefilter.h"
#include "buildsleuth/json.h"
#include "buildsleuth/inference.h"
#include "buildsleuth/rules.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"
#include "buildsleuth/walk.h"

/* Largest rule file read from disk. */
#define RULE_FILE_MAX (16 * 1024 * 1024)

void string_list_append(struct string_list *l, const char *s)
{
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr++] = xstrdup(s);
}

void string_list_release(struct string_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

void pcre2_error_text(int err, struct strbuf *out)
{
	PCRE2_UCHAR buf[256];

	if (pcre2_get_error_message(err, buf, sizeof(buf)) < 0)
		strbuf_addf(out, "PCRE2 error %d", err);
	else
		strbuf_addstr(out, (const char *)buf);
}

static bool jit_wanted = true;

void pcre2_jit_set(bool on)
{
	jit_wanted = on;
}

bool pcre2_jit_wanted(void)
{
	return jit_wanted;
}

void pcre2_jit_ensure(pcre2_code *code)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	size_t size = 0;

	if (!pcre2_jit_wanted())
		return;
	pthread_mutex_lock(&lock);
	pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size);
	if (!size)
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
	pthread_mutex_unlock(&lock);
}

void ruleset_init(struct ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->jit = pcre2_jit_wanted();
	rs->inference = inference_new();
	rs->digest = FNV1A_INIT;
}

void ruleset_digest(const struct ruleset *rs, char out[RULESET_DIGEST_LEN + 1])
{
	snprintf(out, RULESET_DIGEST_LEN + 1, "%016llx", (unsigned long long)rs->digest);
}

static void rule_free(struct rule *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->patterns_nr; i++)
		free(r->patterns[i]);
	free(r->patterns);
	for (i = 0; i < r->names_nr; i++)
		free(r->names[i]);
	free(r->names);
	pcre2_code_free(r->code);
	string_list_release(&r->match_examples);
	string_list_release(&r->nomatch_examples);
	string_list_release(&r->explains);
	free(r->explains_rules);
	if (r->location) {
		free(r->location->file);
		free(r->location->line);
		free(r->location);
	}
	free(r->id);
	free(r->title);
	free(r->summary);
	free(r->hint);
	free(r->docs);
	free(r->subject);
	free(r->origin);
	free(r);
}

void ruleset_release(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	rs->rules = NULL;
	rs->nr = rs->alloc = 0;
	inference_free(rs->inference);
	rs->inference = NULL;
	prefilter_free(rs->literals);
	rs->literals = NULL;
}

const struct rule *ruleset_find(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		if (!strcmp(rs->rules[i]->id, id))
			return rs->rules[i];
	return NULL;
}

/* Lowercase words of [a-z0-9-] joined by dots, at least two of them. */
static bool valid_id(const char *id)
{
	bool word = false;
	int dots = 0;
	const char *p;

	for (p = id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p == '-' && word)) {
			word = true;
		} else if (*p == '.' && word) {
			word = false;
			dots++;
		} else {
			return false;
		}
	}
	return word && dots > 0 && id[strlen(id) - 1] != '-';
}

/* The built-in rules' codes compiled at build time, while the built-in
 * rules load: each taken by the rule whose combined pattern it was compiled
 * from (in the order they were written, so the next is tried first). */
struct precompiled {
	pcre2_code **codes;   /* NULL once taken */
	size_t nr;
	const char *const *sources;
	size_t next;
	size_t taken;
};

/* Collects the problems of one rule, prefixed with where it is. */
struct rule_ctx {
	const char *origin;
	const char *id;   /* NULL until known */
	size_t index;     /* position in the file, 1-based */
	struct causes *causes;
	int errors;
	bool builtin;     /* compiled into the binary: its patterns are known to compile */
	struct precompiled *pre; /* or NULL */
};

static void rule_error(struct rule_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rule_error(struct rule_ctx *ctx, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (ctx->id)
		strbuf_addf(&sb, "%s: rule '%s': ", ctx->origin, ctx->id);
	else
		strbuf_addf(&sb, "%s: rule %zu: ", ctx->origin, ctx->index);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	causes_add(ctx->causes, "%s", sb.buf);
	strbuf_release(&sb);
	ctx->errors++;
}

/* A required non-empty string field, copied; NULL (and an error) if not. */
static char *take_string(struct rule_ctx *ctx, struct json_object *obj,
			 const char *key, bool required)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(obj, key, &v)) {
		if (required)
			rule_error(ctx, "field '%s': missing", key);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		rule_error(ctx, "field '%s': must be a string", key);
		return NULL;
	}
	s = json_object_get_string(v);
	if (!*s) {
		rule_error(ctx, "field '%s': must not be empty", key);
		return NULL;
	}
	return xstrdup(s);
}

static bool take_bool(struct rule_ctx *ctx, struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return false;
	if (!json_object_is_type(v, json_type_boolean)) {
		rule_error(ctx, "field '%s': must be true or false", key);
		return false;
	}
	return json_object_get_boolean(v);
}

/* An array of strings into list; every element must be a non-empty string. */
static void take_strings(struct rule_ctx *ctx, struct json_object *arr,
			 const char *what, struct string_list *list)
{
	size_t i, n;

	if (!json_object_is_type(arr, json_type_array)) {
		rule_error(ctx, "field '%s': must be an array of strings", what);
		return;
	}
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_string) ||
		    !*json_object_get_string(e)) {
			rule_error(ctx, "field '%s': item %zu must be a non-empty string",
				   what, i + 1);
			continue;
		}
		string_list_append(list, json_object_get_string(e));
	}
}

static pcre2_code *compile(const char *src, uint32_t extra, int *err, PCRE2_SIZE *off)
{
	return pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
			     RULE_PCRE2_FLAGS | extra, err, off, NULL);
}

/* Read the distinct group names of code into r->names. */
static void collect_names(struct rule *r)
{
	uint32_t count, entry, i;
	PCRE2_SPTR table;

	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		const char *name = (const char *)table + i * entry + 2;

		if (r->names_nr && !strcmp(r->names[r->names_nr - 1], name))
			continue; /* duplicate names sit next to each other */
		r->names = xreallocarray(r->names, r->names_nr + 1, sizeof(char *));
		r->names[r->names_nr++] = xstrdup(name);
	}
}

static bool has_name(const struct rule *r, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < r->names_nr; i++)
		if (strlen(r->names[i]) == len && !memcmp(r->names[i], name, len))
			return true;
	return false;
}

/* The placeholder a location template may use besides the named groups. */
#define LOCATION_DOCKERFILE "dockerfile"

/* Every {name} in text must be a named group of the rule (in a location
 * template, {dockerfile} too). */
static void check_placeholders(struct rule_ctx *ctx, const struct rule *r,
			       const char *field, const char *text)
{
	bool location = !strncmp(field, "location.", 9);

	const char *p = text;

	while ((p = strchr(p, '{'))) {
		const char *end = p + 1;

		while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
		       (*end >= '0' && *end <= '9') || *end == '_')
			end++;
		if (*end == '}' && end > p + 1 && !has_name(r, p + 1, (size_t)(end - p - 1)) &&
		    !(location && (size_t)(end - p - 1) == strlen(LOCATION_DOCKERFILE) &&
		      !memcmp(p + 1, LOCATION_DOCKERFILE, (size_t)(end - p - 1))))
			rule_error(ctx, "field '%s': placeholder {%.*s} is not a named group of any pattern",
				   field, (int)(end - p - 1), p + 1);
		p = end;
	}
}

pcre2_code *rule_pattern_compile(const struct rule *r, size_t k, int *err, PCRE2_SIZE *off)
{
	return compile(r->patterns[k], 0, err, off);
}

void rule_combined_pattern(const struct rule *r, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < r->patterns_nr; i++)
		strbuf_addf(out, "%s(?:%s)", i ? "|" : "", r->patterns[i]);
}

/* The code compiled at build time from the combined pattern src, or NULL. */
static pcre2_code *take_precompiled(struct precompiled *pre, const char *src)
{
	size_t i;

	if (!pre)
		return NULL;
	for (i = pre->next; i < pre->nr; i++)
		if (pre->codes[i] && !strcmp(pre->sources[i], src)) {
			pcre2_code *code = pre->codes[i];

			pre->codes[i] = NULL;
			pre->next = i + 1;
			pre->taken++;
			return code;
		}
	return NULL;
}

/* Compile each pattern alone (to report errors precisely) for a rule from
 * a file, then all of them as one alternation that the matcher runs in a
 * single pass. A built-in rule's patterns are compiled only together, or
 * not at all when the build compiled them: `rules check` and the tests
 * compile them alone. */
static void compile_patterns(struct rule_ctx *ctx, struct rule *r)
{
	struct strbuf all = STRBUF_INIT;
	size_t i;
	int err;
	PCRE2_SIZE off;

	for (i = 0; i < r->patterns_nr; i++) {
		pcre2_code *one = ctx->builtin ? NULL : rule_pattern_compile(r, i, &err, &off);

		if (!ctx->builtin && !one) {
			struct strbuf msg = STRBUF_INIT;

			pcre2_error_text(err, &msg);
			rule_error(ctx, "pattern %zu: %s at offset %zu", i + 1, msg.buf,
				   (size_t)off);
			strbuf_release(&msg);
			continue;
		}
		pcre2_code_free(one);
	}
	if (ctx->errors)
		goto out;
	rule_combined_pattern(r, &all);
	/* PCRE2_USE_OFFSET_LIMIT lets the matcher try only the lines its
	 * literal prefilter picked (see match.c); src/gen/serialize.c
	 * compiles the built-in rules' codes here too, at build time */
	r->code = take_precompiled(ctx->pre, all.buf);
	if (!r->code)
		r->code = compile(all.buf, PCRE2_DUPNAMES | PCRE2_USE_OFFSET_LIMIT, &err, &off);
	if (!r->code) {
		struct strbuf msg = STRBUF_INIT;

		pcre2_error_text(err, &msg);
		rule_error(ctx, "patterns: cannot be combined into one expression (%s); "
			   "start-of-pattern items such as (*UTF) are not supported", msg.buf);
		strbuf_release(&msg);
		goto out;
	}
	/* JIT compilation (when rs->jit) is left to the matcher, which does it
	 * only for the rules a log gives work to: see pcre2_jit_ensure() */
	collect_names(r);
out:
	strbuf_release(&all);
}

static const char *const known_fields[] = {
	"id", "title", "category", "priority", "patterns", "summary", "hint",
	"docs", "fallback", "override", "examples", "explains", "location", "subject",
};

/* "explains": an array of rule ids, other than the rule's own, each once.
 * Whether they name rules is known only when loading is done:
 * ruleset_link(). */
static void parse_explains(struct rule_ctx *ctx, struct rule *r, struct json_object *v)
{
	size_t i, k;

	take_strings(ctx, v, "explains", &r->explains);
	for (i = 0; i < r->explains.nr; i++) {
		const char *id = r->explains.items[i];

		if (r->id && !strcmp(id, r->id))
			rule_error(ctx, "field 'explains': a rule cannot explain itself");
		for (k = 0; k < i; k++)
			if (!strcmp(r->explains.items[k], id))
				break;
		if (k < i)
			rule_error(ctx, "field 'explains': '%s' is listed twice", id);
	}
}

/* A string field of the location object: non-empty, copied. */
static char *take_location_string(struct rule_ctx *ctx, struct json_object *obj,
				  const char *key, bool required)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v)) {
		if (required)
			rule_error(ctx, "field 'location.%s': missing", key);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string) || !*json_object_get_string(v)) {
		rule_error(ctx, "field 'location.%s': must be a non-empty string", key);
		return NULL;
	}
	return xstrdup(json_object_get_string(v));
}

/* "location": {"file": template, "line": template}, line optional. */
static void parse_location(struct rule_ctx *ctx, struct rule *r, struct json_object *v)
{
	struct rule_location loc;

	if (!json_object_is_type(v, json_type_object)) {
		rule_error(ctx, "field 'location': must be an object {\"file\": ..., \"line\": ...}");
		return;
	}
	json_object_object_foreach(v, key, val) {
		(void)val;
		if (strcmp(key, "file") && strcmp(key, "line"))
			rule_error(ctx, "field 'location': unknown key '%s'", key);
	}
	loc.file = take_location_string(ctx, v, "file", true);
	loc.line = take_location_string(ctx, v, "line", false);
	if (!loc.file) {
		free(loc.line);
		return;
	}
	r->location = xmalloc(sizeof(*r->location));
	*r->location = loc;
}

static struct rule *parse_rule(struct rule_ctx *ctx, struct json_object *obj)
{
	struct rule *r = xcalloc(1, sizeof(*r));
	struct json_object *v;
	const char *cat;

	if (!json_object_is_type(obj, json_type_object)) {
		rule_error(ctx, "must be an object");
		goto fail;
	}
	r->id = take_string(ctx, obj, "id", true);
	if (r->id) {
		ctx->id = r->id;
		if (!valid_id(r->id))
			rule_error(ctx, "field 'id': must be lowercase words joined by dots, like 'pip.no-matching-distribution'");
	}
	json_object_object_foreach(obj, key, val) {
		size_t i;

		(void)val;
		for (i = 0; i < ARRAY_SIZE(known_fields); i++)
			if (!strcmp(key, known_fields[i]))
				break;
		if (i == ARRAY_SIZE(known_fields))
			rule_error(ctx, "field '%s': unknown field", key);
	}
	r->title = take_string(ctx, obj, "title", true);
	r->summary = take_string(ctx, obj, "summary", true);
	r->hint = take_string(ctx, obj, "hint", true);
	r->docs = take_string(ctx, obj, "docs", false);
	r->subject = take_string(ctx, obj, "subject", false);
	if (r->docs && strncmp(r->docs, "https://", 8) && strncmp(r->docs, "http://", 7))
		rule_error(ctx, "field 'docs': must be an http(s) URL");
	r->fallback = take_bool(ctx, obj, "fallback");
	r->override = take_bool(ctx, obj, "override");

	cat = NULL;
	if (!json_object_object_get_ex(obj, "category", &v))
		rule_error(ctx, "field 'category': missing");
	else if (!json_object_is_type(v, json_type_string) ||
		 !category_from_name((cat = json_object_get_string(v)), &r->category)) {
		struct strbuf names = STRBUF_INIT;

		category_list(&names);
		rule_error(ctx, "field 'category': '%s' is not a category (%s)",
			   cat ? cat : "(not a string)", names.buf);
		strbuf_release(&names);
	}

	if (!json_object_object_get_ex(obj, "priority", &v))
		rule_error(ctx, "field 'priority': missing");
	else if (!json_object_is_type(v, json_type_int) ||
		 json_object_get_int64(v) < 0 || json_object_get_int64(v) > 100)
		rule_error(ctx, "field 'priority': must be a whole number from 0 to 100");
	else
		r->priority = (int)json_object_get_int64(v);

	if (!json_object_object_get_ex(obj, "patterns", &v)) {
		rule_error(ctx, "field 'patterns': missing");
	} else {
		struct string_list pats = { 0 };

		take_strings(ctx, v, "patterns", &pats);
		if (json_object_is_type(v, json_type_array) && !pats.nr &&
		    !json_object_array_length(v))
			rule_error(ctx, "field 'patterns': must hold at least one pattern");
		r->patterns = pats.items;
		r->patterns_nr = pats.nr;
	}

	if (!json_object_object_get_ex(obj, "examples", &v)) {
		rule_error(ctx, "field 'examples': missing");
	} else if (!json_object_is_type(v, json_type_object)) {
		rule_error(ctx, "field 'examples': must be an object with 'match' and 'nomatch'");
	} else {
		struct json_object *m = NULL;

		json_object_object_foreach(v, key, val) {
			(void)val;
			if (strcmp(key, "match") && strcmp(key, "nomatch"))
				rule_error(ctx, "field 'examples': unknown key '%s'", key);
		}
		if (!json_object_object_get_ex(v, "match", &m))
			rule_error(ctx, "field 'examples.match': missing");
		else
			take_strings(ctx, m, "examples.match", &r->match_examples);
		if (!r->match_examples.nr && m && json_object_is_type(m, json_type_array))
			rule_error(ctx, "field 'examples.match': must hold at least one line");
		if (json_object_object_get_ex(v, "nomatch", &m))
			take_strings(ctx, m, "examples.nomatch", &r->nomatch_examples);
	}

	if (json_object_object_get_ex(obj, "explains", &v))
		parse_explains(ctx, r, v);
	if (json_object_object_get_ex(obj, "location", &v))
		parse_location(ctx, r, v);

	if (r->patterns_nr && !ctx->errors)
		compile_patterns(ctx, r);
	if (r->code) {
		if (r->summary)
			check_placeholders(ctx, r, "summary", r->summary);
		if (r->hint)
			check_placeholders(ctx, r, "hint", r->hint);
		if (r->subject && !has_name(r, r->subject, strlen(r->subject)))
			rule_error(ctx, "field 'subject': '%s' is not a named group of any pattern",
				   r->subject);
		if (r->location) {
			check_placeholders(ctx, r, "location.file", r->location->file);
			if (r->location->line)
				check_placeholders(ctx, r, "location.line", r->location->line);
		}
	}
	if (ctx->errors)
		goto fail;
	return r;
fail:
	rule_free(r);
	return NULL;
}

/* Add r, replacing a rule of the same id only when r says override. */
static void add_rule(struct ruleset *rs, struct rule *r, struct rule_ctx *ctx)
{
	size_t i;

	/* the literals are read again by the next ruleset_link() */
	prefilter_free(rs->literals);
	rs->literals = NULL;
	for (i = 0; i < rs->nr; i++) {
		if (strcmp(rs->rules[i]->id, r->id))
			continue;
		if (!r->override) {
			rule_error(ctx, "duplicate id (first defined in %s); set \"override\": true to replace it on purpose",
				   rs->rules[i]->origin);
			rule_free(r);
			return;
		}
		r->index = i;
		rule_free(rs->rules[i]);
		rs->rules[i] = r;
		return;
	}
	ALLOC_GROW(rs->rules, rs->nr + 1, rs->alloc);
	r->index = rs->nr;
	rs->rules[rs->nr++] = r;
}

/* Colours of the depth-first search for cycles of explanations. */
enum link_mark { LINK_NEW, LINK_ON_PATH, LINK_DONE };

/* Report the cycle that closes at rule t: path[first..depth] lead to it. */
static void report_cycle(const struct ruleset *rs, const struct rule *t,
			 const size_t *path, size_t first, size_t depth,
			 struct causes *causes)
{
	struct strbuf cycle = STRBUF_INIT;
	struct rule_ctx ctx = { t->origin, t->id, 0, causes, 0, t->builtin, NULL };
	size_t m;

	for (m = first; m <= depth; m++)
		strbuf_addf(&cycle, "%s -> ", rs->rules[path[m]]->id);
	strbuf_addstr(&cycle, t->id);
	rule_error(&ctx, "field 'explains': cycle %s", cycle.buf);
	strbuf_release(&cycle);
}

/* Follow the explanations from rule start, depth first, without recursion
 * (a rule file may chain thousands of rules): path holds the rules on the
 * way, next[] how many of each one's explains were followed. Each cycle is
 * reported once, at the rule where the search entered it. */
static void find_cycles(const struct ruleset *rs, size_t start, unsigned char *mark,
			size_t *path, size_t *next, struct causes *causes)
{
	size_t depth = 0;

	mark[start] = LINK_ON_PATH;
	path[0] = start;
	next[0] = 0;
	for (;;) {
		const struct rule *r = rs->rules[path[depth]];
		const struct rule *t;

		if (next[depth] == r->explains.nr) {
			mark[path[depth]] = LINK_DONE;
			if (!depth)
				return;
			depth--;
			continue;
		}
		t = r->explains_rules[next[depth]++];
		if (!t || t == r) /* unknown id, self: reported already */
			continue;
		if (mark[t->index] == LINK_NEW) {
			mark[t->index] = LINK_ON_PATH;
			path[++depth] = t->index;
			next[depth] = 0;
		} else if (mark[t->index] == LINK_ON_PATH) {
			size_t first = depth;

			while (path[first] != t->index)
				first--;
			report_cycle(rs, t, path, first, depth, causes);
		}
	}
}

enum rules_result ruleset_link(struct ruleset *rs, struct causes *causes)
{
	size_t before = causes->nr, i, k;
	unsigned char *mark;
	size_t *path, *next;

	for (i = 0; i < rs->nr; i++) {
		struct rule *r = rs->rules[i];
		struct rule_ctx ctx = { r->origin, r->id, 0, causes, 0, r->builtin, NULL };

		free(r->explains_rules);
		r->explains_rules = NULL;
		if (!r->explains.nr)
			continue;
		r->explains_rules = xcalloc(r->explains.nr, sizeof(*r->explains_rules));
		for (k = 0; k < r->explains.nr; k++) {
			r->explains_rules[k] = ruleset_find(rs, r->explains.items[k]);
			if (!r->explains_rules[k])
				rule_error(&ctx, "field 'explains': unknown rule '%s'",
					   r->explains.items[k]);
		}
	}
	mark = xcalloc(rs->nr ? rs->nr : 1, sizeof(*mark));
	path = xcalloc(rs->nr ? rs->nr : 1, sizeof(*path));
	next = xcalloc(rs->nr ? rs->nr : 1, sizeof(*next));
	for (i = 0; i < rs->nr; i++)
		if (mark[i] == LINK_NEW)
			find_cycles(rs, i, mark, path, next, causes);
	free(mark);
	free(path);
	free(next);
	prefilter_free(rs->literals);
	rs->literals = prefilter_new(rs);
	return causes->nr > before ? RULES_INVALID : RULES_OK;
}

static enum rules_result load_buffer(struct ruleset *rs, const char *origin,
				     const char *data, size_t len, bool builtin,
				     struct precompiled *pre, struct causes *causes)
{
	struct strbuf err = STRBUF_INIT;
	struct json_object *root, *arr = NULL, *inf = NULL;
	size_t before = causes->nr, i, n;
	uint64_t size = len;

	/* the length after each file: "ab" + "c" is not "a" + "bc" */
	rs->digest = fnv1a_add(fnv1a_add(rs->digest, data, len), &size, sizeof(size));
	root = json_parse_buffer(data, len, &err);
	if (!root) {
		causes_add(causes, "%s: invalid JSON at %s", origin, err.buf);
		strbuf_release(&err);
		return RULES_INVALID;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    (!json_object_object_get_ex(root, "rules", &arr) &&
	     !json_object_object_get_ex(root, "inference", &inf)) ||
	    (arr && !json_object_is_type(arr, json_type_array))) {
		causes_add(causes, "%s: expected an object {\"rules\": [...]} or {\"inference\": {...}}", origin);
		goto out;
	}
	json_object_object_foreach(root, key, val) {
		(void)val;
		if (strcmp(key, "rules") && strcmp(key, "inference") && strcmp(key, "$schema") &&
		    strcmp(key, "description"))
			causes_add(causes, "%s: unknown top-level field '%s'", origin, key);
	}
	if (json_object_object_get_ex(root, "inference", &inf))
		inference_load(rs->inference, origin, inf, builtin, causes);
	n = arr ? json_object_array_length(arr) : 0;
	for (i = 0; i < n; i++) {
		struct rule_ctx ctx = { origin, NULL, i + 1, causes, 0, builtin, pre };
		struct rule *r = parse_rule(&ctx, json_object_array_get_idx(arr, i));

		if (!r)
			continue;
		r->origin = xstrdup(origin);
		r->builtin = builtin;
		add_rule(rs, r, &ctx);
	}
out:
	json_object_put(root);
	strbuf_release(&err);
	return causes->nr > before ? RULES_INVALID : RULES_OK;
}

enum rules_result ruleset_load_buffer(struct ruleset *rs, const char *origin,
				      const char *data, size_t len, bool builtin,
				      struct causes *causes)
{
	return load_buffer(rs, origin, data, len, builtin, NULL, causes);
}

/* The size of pcre2_serialize_encode's header (magic, version, config, the
 * number of codes), which pcre2_serialize_get_number_of_codes reads. */
#define SERIALIZED_HEADER_BYTES 16

enum rules_result ruleset_load_builtin_codes(struct ruleset *rs, const unsigned char *codes,
					     size_t len, struct causes *causes)
{
	struct precompiled pre = { NULL, 0, builtin_code_sources, 0, 0 };
	size_t i;
	enum rules_result res = RULES_OK;
	int32_t n = len >= SERIALIZED_HEADER_BYTES ? pcre2_serialize_get_number_of_codes(codes) : -1;

	/* a library of another version or build refuses the codes (an error
	 * below 0): they are compiled then, as for --rules */
	if (n > 0 && (size_t)n == builtin_code_sources_nr) {
		pre.codes = xcalloc((size_t)n, sizeof(*pre.codes));
		if (pcre2_serialize_decode(pre.codes, n, codes, NULL) == n)
			pre.nr = (size_t)n;
	}
	for (i = 0; i < builtin_rule_files_nr; i++) {
		const struct builtin_file *f = &builtin_rule_files[i];

		if (load_buffer(rs, f->path, (const char *)f->data, f->len, true,
				pre.nr ? &pre : NULL, causes))
			res = RULES_INVALID;
	}
	for (i = 0; i < pre.nr; i++)
		pcre2_code_free(pre.codes[i]);
	free(pre.codes);
	rs->precompiled += pre.taken;
	return res;
}

enum rules_result ruleset_load_builtin(struct ruleset *rs, struct causes *causes)
{
	return ruleset_load_builtin_codes(rs, builtin_codes, builtin_codes_len, causes);
}

/* A rule file: *.json, but not the JSON Schema that lives beside them. */
static bool is_rule_file(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json") && strcmp(name, "schema.json");
}

/* Load one rule file: opened without blocking (a FIFO would wait for a
 * writer forever) and read only when it is a regular file. */
static void read_rule_file(struct ruleset *rs, const char *path, struct causes *causes)
{
	struct strbuf data = STRBUF_INIT;
	struct stat st;
	FILE *f;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		causes_add(causes, "cannot open '%s': %s", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st)) {
		causes_add(causes, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		causes_add(causes, "cannot read '%s': not a regular file", path);
		goto out;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		causes_add(causes, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1; /* the stream owns it now */
	data.max = RULE_FILE_MAX;
	switch (strbuf_read_file(&data, f)) {
	case STRBUF_OK:
		ruleset_load_buffer(rs, path, data.buf, data.len, false, causes);
		break;
	case STRBUF_TOOBIG:
		causes_add(causes, "%s: larger than %d bytes", path, RULE_FILE_MAX);
		break;
	case STRBUF_IO:
		causes_add(causes, "cannot read '%s': %s", path, strerror(errno));
		break;
	}
	fclose(f);
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&data);
}

enum rules_result ruleset_load_dir(struct ruleset *rs, const char *dir,
				   struct causes *causes)
{
	struct string_list files = { 0 };
	size_t before = causes->nr, i;

	/* a FIFO or device named *.json is listed, and refused by read_rule_file */
	if (walk_files(dir, "rules folder", is_rule_file, &files, causes) == WALK_NO_FOLDER)
		return RULES_INVALID;
	for (i = 0; i < files.nr; i++)
		read_rule_file(rs, files.items[i], causes);
	string_list_release(&files);
	return causes->nr > before ? RULES_INVALID : RULES_OK;
}
