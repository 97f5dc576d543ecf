/* inference.c - loading and querying the inference tables (instruction,
 * tool, exit code, wording class -> category) that name a failure no rule
 * knows from what the failing step shows. The tables are data in rules/, so
 * a new tool or wording is an edit there, not a new branch in C. */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/inference.h"
#include "buildsleuth/rules.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

static const char *const table_names[INFER__COUNT] = {
	[INFER_INSTRUCTION] = "instructions",
	[INFER_TOOL] = "tools",
	[INFER_EXIT_CODE] = "exit_codes",
	[INFER_WORDING] = "wordings",
};

const char *inference_table_name(enum inference_table t)
{
	return t < INFER__COUNT ? table_names[t] : NULL;
}

struct inference *inference_new(void)
{
	return xcalloc(1, sizeof(struct inference));
}

static void entry_free(struct inference_entry *e)
{
	size_t i;

	if (!e)
		return;
	free(e->key);
	free(e->title);
	free(e->hint);
	free(e->origin);
	for (i = 0; i < e->patterns_nr; i++)
		free(e->patterns[i]);
	free(e->patterns);
	pcre2_code_free(e->code);
	free(e);
}

void inference_free(struct inference *inf)
{
	size_t t, i;

	if (!inf)
		return;
	for (t = 0; t < INFER__COUNT; t++) {
		for (i = 0; i < inf->nr[t]; i++)
			entry_free(inf->entries[t][i]);
		free(inf->entries[t]);
	}
	free(inf);
}

const struct inference_entry *inference_find(const struct inference *inf,
					     enum inference_table table, const char *key,
					     size_t key_len)
{
	size_t i;

	if (!inf)
		return NULL;
	for (i = 0; i < inf->nr[table]; i++) {
		const struct inference_entry *e = inf->entries[table][i];

		if (strlen(e->key) == key_len && !memcmp(e->key, key, key_len))
			return e;
	}
	return NULL;
}

const struct inference_entry *inference_wording(const struct inference *inf,
						const char *s, size_t len)
{
	pcre2_match_data *md;
	const struct inference_entry *hit = NULL;
	size_t i;

	if (!inf || !inf->nr[INFER_WORDING])
		return NULL;
	/* a tool's error line is short; a longer line is a progress bar or a
	 * dump, and its start is what a terminal shows (no need to run a
	 * dozen alternations over megabytes) */
	if (len > INFERENCE_LINE_MAX) {
		len = INFERENCE_LINE_MAX;
		while (len && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	md = pcre2_match_data_create(1, NULL);
	for (i = 0; i < inf->nr[INFER_WORDING] && !hit; i++) {
		const struct inference_entry *e = inf->entries[INFER_WORDING][i];

		pcre2_jit_ensure(e->code);
		if (pcre2_match(e->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) > 0)
			hit = e;
	}
	pcre2_match_data_free(md);
	return hit;
}

/* --- the command's tools ------------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The next word of [*p, end) (quotes dropped from its ends), or false. */
static bool next_word(const char **p, const char *end, const char **w, size_t *n)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	if (s >= end)
		return false;
	*w = s;
	while (s < end && !is_space(*s))
		s++;
	*n = (size_t)(s - *w);
	*p = s;
	while (*n && (**w == '"' || **w == '\'' || **w == '('))
		(*w)++, (*n)--;
	while (*n && ((*w)[*n - 1] == '"' || (*w)[*n - 1] == '\'' || (*w)[*n - 1] == ')'))
		(*n)--;
	return *n > 0;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/*
 * The entry of a program [base, base + n) whose arguments follow in
 * [args, end): "PROGRAM SUBCOMMAND" first ("npm run build" is the project's
 * build, "npm ci" its dependencies; "go build" compiles the project), the
 * subcommand being the first word that is not an option, else the program's
 * own entry.
 */
static const struct inference_entry *subcommand_tool(const struct inference *inf,
						     const char *base, size_t n,
						     const char *args, const char *end)
{
	const struct inference_entry *e = NULL;
	const char *w;
	size_t wn;
	bool found;

	while ((found = next_word(&args, end, &w, &wn)) && w[0] == '-')
		;
	if (found) {
		struct strbuf key = STRBUF_INIT;

		strbuf_add(&key, base, n);
		strbuf_addch(&key, ' ');
		strbuf_add(&key, w, wn);
		e = inference_find(inf, INFER_TOOL, key.buf, key.len);
		strbuf_release(&key);
	}
	return e ? e : inference_find(inf, INFER_TOOL, base, n);
}

/* The length of a program name without its version suffix ("pip3.11",
 * "python3.12", "gcc-12": the tool is the same), or n when it has none. */
static size_t unversioned(const char *name, size_t n)
{
	size_t k = n;

	while (k && ((name[k - 1] >= '0' && name[k - 1] <= '9') || name[k - 1] == '.'))
		k--;
	if (k < n && k && name[k - 1] == '-')
		k--;
	return k ? k : n;
}

/* Whether [w, w + n) is a shell that runs its `-c` string: "bash -c 'pip
 * install x'" runs pip. On return *p is past the `-c` option. */
static bool shell_command(const char *w, size_t n, const char **p, const char *end)
{
	const char *q = *p, *o;
	size_t on;

	if (!word_is(w, n, "sh") && !word_is(w, n, "bash") && !word_is(w, n, "dash") &&
	    !word_is(w, n, "ash") && !word_is(w, n, "zsh"))
		return false;
	while (next_word(&q, end, &o, &on) && (o[0] == '-' || o[0] == '+')) {
		if (o[0] == '-' && on > 1 && o[1] != '-' && memchr(o, 'c', on)) {
			*p = q;
			return true;
		}
		/* "-o pipefail": the option's value is not the program */
		if (on == 2 && o[1] == 'o' && !next_word(&q, end, &o, &on))
			break;
	}
	return false;
}

/* The known tool a simple command [s, end) runs, or NULL. */
static const struct inference_entry *command_tool(const struct inference *inf,
						  const char *s, const char *end)
{
	const char *w;
	size_t n;

	while (next_word(&s, end, &w, &n)) {
		const struct inference_entry *e;
		const char *base = w, *slash;
		size_t base_n = n;

		/* wrappers and assignments: the program comes after them */
		if (word_is(w, n, "sudo") || word_is(w, n, "env") || word_is(w, n, "exec") ||
		    word_is(w, n, "time") || word_is(w, n, "nice") || word_is(w, n, "then") ||
		    word_is(w, n, "do") || word_is(w, n, "else") || (memchr(w, '=', n) && w[0] != '-'))
			continue;
		if (w[0] == '-')
			continue; /* an option of a wrapper: "set -ex" is its own command */
		while ((slash = memchr(base, '/', base_n))) {
			base_n -= (size_t)(slash + 1 - base);
			base = slash + 1;
		}
		if (shell_command(base, base_n, &s, end))
			continue;
		/* "python3 -m pip install": the module is the tool */
		if (base_n >= 6 && !memcmp(base, "python", 6)) {
			const char *q = s, *m;
			size_t mn;

			if (next_word(&q, end, &m, &mn) && word_is(m, mn, "-m") &&
			    next_word(&q, end, &m, &mn) &&
			    (e = inference_find(inf, INFER_TOOL, m, mn)))
				return e;
		}
		e = subcommand_tool(inf, base, base_n, s, end);
		if (!e && unversioned(base, base_n) < base_n)
			e = subcommand_tool(inf, base, unversioned(base, base_n), s, end);
		return e;
	}
	return NULL;
}

size_t inference_tools(const struct inference *inf, const char *cmd,
		       const struct inference_entry **out, size_t max)
{
	const char *s = cmd, *p;
	size_t nr = 0;
	bool piped = false, producer = false;

	if (!inf || !cmd)
		return 0;
	for (p = cmd;; p++) {
		bool sep = !*p || *p == ';' || *p == '|' || *p == '\n' ||
			   (*p == '&' && p[1] == '&');
		const struct inference_entry *e;

		if (!sep)
			continue;
		/* a pipeline's status is its last command's ("curl URL | sh"
		 * fails when sh does): the tool feeding the pipe is not it */
		if (piped && producer)
			nr--;
		e = nr < max ? command_tool(inf, s, p) : NULL;
		if (e)
			out[nr++] = e;
		piped = *p == '|' && p[1] != '|';
		producer = e != NULL;
		if (!*p)
			break;
		if ((*p == '&' && p[1] == '&') || (*p == '|' && p[1] == '|'))
			p++;
		s = p + 1;
	}
	return nr;
}

/* --- loading ------------------------------------------------------------------ */

struct load_ctx {
	const char *origin;
	enum inference_table table;
	const char *key;
	size_t index;
	struct causes *causes;
	bool bad;
	bool builtin;   /* compiled into the binary: each pattern is known to compile */
};

static void load_error(struct load_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void load_error(struct load_ctx *ctx, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_addf(&sb, "%s: inference %s", ctx->origin, table_names[ctx->table]);
	if (ctx->key)
		strbuf_addf(&sb, " '%s': ", ctx->key);
	else
		strbuf_addf(&sb, " entry %zu: ", ctx->index);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	causes_add(ctx->causes, "%s", sb.buf);
	strbuf_release(&sb);
	ctx->bad = true;
}

static char *take(struct load_ctx *ctx, struct json_object *obj, const char *field)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, field, &v)) {
		load_error(ctx, "field '%s': missing", field);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string) || !*json_object_get_string(v)) {
		load_error(ctx, "field '%s': must be a non-empty string", field);
		return NULL;
	}
	return xstrdup(json_object_get_string(v));
}

static void compile_wording(struct load_ctx *ctx, struct inference_entry *e,
			    struct json_object *arr)
{
	struct strbuf all = STRBUF_INIT;
	size_t i, n;
	int err;
	PCRE2_SIZE off;

	if (!arr || !json_object_is_type(arr, json_type_array) ||
	    !(n = json_object_array_length(arr))) {
		load_error(ctx, "field 'patterns': must be a non-empty array of strings");
		return;
	}
	e->patterns = xcalloc(n, sizeof(*e->patterns));
	for (i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(arr, i);
		pcre2_code *one;

		if (!json_object_is_type(p, json_type_string) || !*json_object_get_string(p)) {
			load_error(ctx, "field 'patterns': element %zu must be a non-empty string", i + 1);
			continue;
		}
		e->patterns[e->patterns_nr++] = xstrdup(json_object_get_string(p));
		/* compiled alone only to place an error in a file of the user's */
		one = ctx->builtin ? NULL : pcre2_compile((PCRE2_SPTR)json_object_get_string(p), PCRE2_ZERO_TERMINATED,
				    RULE_PCRE2_FLAGS, &err, &off, NULL);
		if (!ctx->builtin && !one) {
			struct strbuf msg = STRBUF_INIT;

			pcre2_error_text(err, &msg);
			load_error(ctx, "pattern %zu: %s at offset %zu", i + 1, msg.buf, (size_t)off);
			strbuf_release(&msg);
			continue;
		}
		pcre2_code_free(one);
		strbuf_addf(&all, "%s(?:%s)", all.len ? "|" : "", json_object_get_string(p));
	}
	if (!ctx->bad) {
		e->code = pcre2_compile((PCRE2_SPTR)all.buf, all.len,
					RULE_PCRE2_FLAGS | PCRE2_DUPNAMES, &err, &off, NULL);
		if (!e->code)
			load_error(ctx, "patterns do not compile together");
		/* JIT-compiled when a log first needs it (inference_wording) */
	}
	strbuf_release(&all);
}

static void add_entry(struct inference *inf, struct inference_entry *e, bool override,
		      struct load_ctx *ctx)
{
	enum inference_table t = e->table;
	size_t i;

	for (i = 0; i < inf->nr[t]; i++) {
		if (strcmp(inf->entries[t][i]->key, e->key))
			continue;
		if (!override) {
			load_error(ctx, "duplicate key (first defined in %s); set \"override\": true to replace it on purpose",
				   inf->entries[t][i]->origin);
			entry_free(e);
			return;
		}
		entry_free(inf->entries[t][i]);
		inf->entries[t][i] = e;
		return;
	}
	ALLOC_GROW(inf->entries[t], inf->nr[t] + 1, inf->alloc[t]);
	inf->entries[t][inf->nr[t]++] = e;
}

static const char *const entry_fields[] = {
	"key", "category", "title", "hint", "patterns", "override", "comment",
};

static void load_entry(struct inference *inf, struct load_ctx *ctx, struct json_object *obj)
{
	struct inference_entry *e;
	struct json_object *v;
	char *category;
	bool override = false;
	size_t k;

	if (!json_object_is_type(obj, json_type_object)) {
		load_error(ctx, "must be an object");
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->table = ctx->table;
	e->origin = xstrdup(ctx->origin);
	e->key = take(ctx, obj, "key");
	ctx->key = e->key;
	json_object_object_foreach(obj, field, val) {
		(void)val;
		for (k = 0; k < ARRAY_SIZE(entry_fields); k++)
			if (!strcmp(field, entry_fields[k]))
				break;
		if (k == ARRAY_SIZE(entry_fields))
			load_error(ctx, "unknown field '%s'", field);
	}
	category = take(ctx, obj, "category");
	if (category && !category_from_name(category, &e->category)) {
		struct strbuf names = STRBUF_INIT;

		category_list(&names);
		load_error(ctx, "field 'category': '%s' is not a category (%s)", category, names.buf);
		strbuf_release(&names);
	}
	free(category);
	e->title = take(ctx, obj, "title");
	e->hint = take(ctx, obj, "hint");
	if (json_object_object_get_ex(obj, "override", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			load_error(ctx, "field 'override': must be true or false");
		else
			override = json_object_get_boolean(v);
	}
	if (e->key && ctx->table == INFER_EXIT_CODE) {
		long code;

		if (!parse_long(e->key, 0, 255, &code))
			load_error(ctx, "field 'key': an exit code is a number from 0 to 255");
	}
	if (ctx->table == INFER_WORDING) {
		compile_wording(ctx, e, json_object_object_get_ex(obj, "patterns", &v) ? v : NULL);
	} else if (json_object_object_get_ex(obj, "patterns", &v)) {
		load_error(ctx, "field 'patterns': only wording classes have patterns");
	}
	if (ctx->bad) {
		entry_free(e);
		return;
	}
	add_entry(inf, e, override, ctx);
}

bool inference_load(struct inference *inf, const char *origin, struct json_object *obj,
		    bool builtin, struct causes *causes)
{
	size_t before = causes->nr;
	enum inference_table t;

	if (!json_object_is_type(obj, json_type_object)) {
		causes_add(causes, "%s: field 'inference': must be an object", origin);
		return false;
	}
	json_object_object_foreach(obj, name, val) {
		(void)val;
		for (t = 0; t < INFER__COUNT; t++)
			if (!strcmp(name, table_names[t]))
				break;
		if (t == INFER__COUNT && strcmp(name, "description"))
			causes_add(causes, "%s: inference: unknown table '%s' (instructions, tools, exit_codes, wordings)",
				   origin, name);
	}
	for (t = 0; t < INFER__COUNT; t++) {
		struct json_object *arr;
		size_t i, n;

		if (!json_object_object_get_ex(obj, table_names[t], &arr))
			continue;
		if (!json_object_is_type(arr, json_type_array)) {
			causes_add(causes, "%s: inference %s: must be an array", origin, table_names[t]);
			continue;
		}
		n = json_object_array_length(arr);
		for (i = 0; i < n; i++) {
			struct load_ctx ctx = { origin, t, NULL, i + 1, causes, false, builtin };

			load_entry(inf, &ctx, json_object_array_get_idx(arr, i));
		}
	}
	return causes->nr == before;
}
