/* audit.c - folds per-build reports into the audit's summary: builds per
 * root-cause category and rule, when they were seen, examples, the most
 * common subjects, the unknown builds and the failures. Order-independent
 * by construction (counts, minima, maxima, then one deterministic sort), so
 * merged shards equal a single run byte for byte. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/audit.h"
#include "buildsleuth/audit_templates.h"
#include "buildsleuth/json.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/report.h"
#include "buildsleuth/util.h"

const char *audit_strerror(enum audit_result r)
{
	switch (r) {
	case AUDIT_OK: return "no error";
	case AUDIT_BAD_LINE: return "not a per-build report";
	case AUDIT_DUPLICATE: return "build already seen";
	}
	return "unknown audit result";
}

/* --- a string -> number map (open addressing, FNV-1a) --------------------- */

struct map_entry {
	char *key;     /* NULL: empty slot */
	size_t len;
	size_t value;
};

struct audit_map {
	struct map_entry *slots;
	size_t nr, cap;  /* cap: a power of two */
};

uint64_t audit_fnv1a(const char *s, size_t len)
{
	return fnv1a_add(FNV1A_INIT, s, len);
}

static struct audit_map *map_new(void)
{
	struct audit_map *m = xcalloc(1, sizeof(*m));

	m->cap = 16;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

static void map_free(struct audit_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct map_entry *map_slot(struct map_entry *slots, size_t cap, const char *key,
				  size_t len)
{
	size_t i = (size_t)audit_fnv1a(key, len) & (cap - 1);

	while (slots[i].key && (slots[i].len != len || memcmp(slots[i].key, key, len)))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The value of key; a new key gets value 0 and *created (may be NULL). */
static size_t *map_get(struct audit_map *m, const char *key, size_t len, bool *created)
{
	struct map_entry *e;

	if ((m->nr + 1) * 4 > m->cap * 3) {
		struct map_entry *old = m->slots;
		size_t i, old_cap = m->cap;

		m->cap *= 2;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		for (i = 0; i < old_cap; i++)
			if (old[i].key)
				*map_slot(m->slots, m->cap, old[i].key, old[i].len) = old[i];
		free(old);
	}
	e = map_slot(m->slots, m->cap, key, len);
	if (created)
		*created = !e->key;
	if (!e->key) {
		e->key = xstrndup(key, len);
		e->len = len;
		e->value = 0;
		m->nr++;
	}
	return &e->value;
}

/* A set is a map whose values are unused. */
struct audit_set {
	struct audit_map *map;
};

struct audit_set *audit_set_new(void)
{
	struct audit_set *s = xmalloc(sizeof(*s));

	s->map = map_new();
	return s;
}

void audit_set_free(struct audit_set *s)
{
	if (!s)
		return;
	map_free(s->map);
	free(s);
}

bool audit_set_add(struct audit_set *s, const char *key)
{
	bool created;

	map_get(s->map, key, strlen(key), &created);
	return created;
}

/* --- the aggregate -------------------------------------------------------- */

void audit_init(struct audit *a)
{
	memset(a, 0, sizeof(*a));
	a->seen = map_new();
	a->templates = audit_templates_new();
}

void audit_set_by(struct audit *a, enum audit_by by)
{
	if (a->seen->nr)
		BUG("audit_set_by after audit_add");
	a->trend.by = by;
	if (by && !a->trend_cells)
		a->trend_cells = map_new();
}

static void trend_release(struct audit_trend *t)
{
	size_t i;

	for (i = 0; i < t->categories_nr; i++)
		free(t->categories[i]);
	free(t->categories);
	free(t->periods);
	free(t->counts);
	free(t->totals);
	memset(t, 0, sizeof(*t));
}

static void time_release(struct audit_time *t)
{
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static void time_set(struct audit_time *t, const char *text)
{
	time_release(t);
	if (!text)
		return;
	t->text = xstrdup(text);
	t->set = audit_parse_time(text, &t->seconds);
}

static void time_copy(struct audit_time *dst, const struct audit_time *src)
{
	time_release(dst);
	*dst = *src;
	dst->text = src->text ? xstrdup(src->text) : NULL;
}

/* <0 when a is earlier than b. Times that are not set come after every set
 * one; equal instants are told apart by their text, so the order is total. */
static int time_cmp(const struct audit_time *a, const struct audit_time *b)
{
	if (a->set != b->set)
		return a->set ? -1 : 1;
	if (a->set && a->seconds != b->seconds)
		return a->seconds < b->seconds ? -1 : 1;
	if (!a->text || !b->text)
		return !a->text - !b->text;
	return strcmp(a->text, b->text);
}

int audit_time_cmp(const struct audit_time *a, const struct audit_time *b)
{
	return time_cmp(a, b);
}

void audit_time_copy(struct audit_time *dst, const struct audit_time *src)
{
	time_copy(dst, src);
}

void audit_time_release(struct audit_time *t)
{
	time_release(t);
}

/* The order of examples and unknown builds: newest first, then by ID. */
static int newest_first(const struct audit_time *ta, const char *ida,
			const struct audit_time *tb, const char *idb)
{
	if (ta->set && tb->set && ta->seconds != tb->seconds)
		return ta->seconds > tb->seconds ? -1 : 1;
	if (ta->set != tb->set)
		return ta->set ? -1 : 1;
	return strcmp(ida, idb);
}

static void group_release(struct audit_group *g)
{
	size_t i;

	free(g->key);
	free(g->title);
	free(g->category);
	time_release(&g->first);
	time_release(&g->last);
	for (i = 0; i < g->examples_nr; i++) {
		free(g->examples[i].id);
		time_release(&g->examples[i].created);
	}
	for (i = 0; i < g->subjects_nr; i++) {
		free(g->subjects[i].name);
		free(g->subjects[i].value);
	}
	free(g->subjects);
	map_free(g->subject_index);
}

void audit_release(struct audit *a)
{
	size_t i, k;

	for (i = 0; i < a->categories_nr; i++)
		group_release(&a->categories[i]);
	for (i = 0; i < a->rules_nr; i++)
		group_release(&a->rules[i]);
	free(a->categories);
	free(a->rules);
	for (i = 0; i < a->unknown_nr; i++) {
		struct audit_unknown *u = &a->unknown[i];

		free(u->id);
		free(u->status);
		free(u->error_message);
		time_release(&u->created);
		for (k = 0; k < u->excerpt_nr; k++)
			free(u->excerpt[k].text);
	}
	free(a->unknown);
	for (i = 0; i < a->failures_nr; i++) {
		free(a->failures[i].id);
		free(a->failures[i].error);
	}
	free(a->failures);
	for (i = 0; i < a->nodiag_nr; i++) {
		free(a->nodiag[i].id);
		free(a->nodiag[i].status);
	}
	free(a->nodiag);
	time_release(&a->first);
	time_release(&a->last);
	map_free(a->seen);
	audit_templates_free(a->templates);
	trend_release(&a->trend);
	map_free(a->trend_cells);
	memset(a, 0, sizeof(*a));
}

size_t audit_total(const struct audit *a)
{
	return a->analysed + a->nodiag_nr + a->failures_nr + a->pending;
}

/* The group with key in (*groups, *nr), added when missing. */
double audit_share(const struct audit *a, size_t builds)
{
	return a->analysed ? (double)builds / (double)a->analysed : 0;
}

void audit_add_date(struct strbuf *out, const struct audit_time *t, const char *none)
{
	const char *s = t->text;

	if (!s) {
		strbuf_addstr(out, none);
		return;
	}
	if (t->set && strlen(s) >= 10 && s[4] == '-' && s[7] == '-')
		strbuf_add(out, s, 10);
	else
		display_line(s, strlen(s), 40, out);
}

static struct audit_group *group_get(struct audit_group **groups, size_t *nr, size_t *alloc,
				     const char *key)
{
	size_t i;
	struct audit_group *g;

	/* a few dozen categories and rules: a scan is fine */
	for (i = 0; i < *nr; i++)
		if (!strcmp((*groups)[i].key, key))
			return &(*groups)[i];
	ALLOC_GROW(*groups, *nr + 1, *alloc);
	g = &(*groups)[(*nr)++];
	memset(g, 0, sizeof(*g));
	g->key = xstrdup(key);
	return g;
}

/* Keep the smallest of the strings seen, so the pick does not depend on order. */
static void keep_smallest(char **slot, const char *s)
{
	if (!s)
		return;
	if (!*slot || strcmp(s, *slot) < 0) {
		free(*slot);
		*slot = xstrdup(s);
	}
}

static void group_add_example(struct audit_group *g, const char *id,
			      const struct audit_time *created)
{
	size_t at = g->examples_nr, i;

	while (at > 0 && newest_first(created, id, &g->examples[at - 1].created,
				      g->examples[at - 1].id) < 0)
		at--;
	if (at >= AUDIT_EXAMPLES)
		return;
	if (g->examples_nr == AUDIT_EXAMPLES) {
		free(g->examples[AUDIT_EXAMPLES - 1].id);
		time_release(&g->examples[AUDIT_EXAMPLES - 1].created);
		g->examples_nr--;
	}
	for (i = g->examples_nr; i > at; i--)
		g->examples[i] = g->examples[i - 1];
	g->examples[at].id = xstrdup(id);
	memset(&g->examples[at].created, 0, sizeof(g->examples[at].created));
	time_copy(&g->examples[at].created, created);
	g->examples_nr++;
}

static void group_add_subject(struct audit_group *g, const char *name, const char *value)
{
	struct strbuf key = STRBUF_INIT;
	size_t *index;
	bool created;

	if (!g->subject_index)
		g->subject_index = map_new();
	/* a capture name holds no NUL: name\0value is unambiguous */
	strbuf_addstr(&key, name);
	strbuf_addch(&key, '\0');
	strbuf_addstr(&key, value);
	index = map_get(g->subject_index, key.buf, key.len, &created);
	if (created) {
		ALLOC_GROW(g->subjects, g->subjects_nr + 1, g->subjects_alloc);
		g->subjects[g->subjects_nr].name = xstrdup(name);
		g->subjects[g->subjects_nr].value = xstrdup(value);
		g->subjects[g->subjects_nr].builds = 0;
		*index = g->subjects_nr++;
	}
	g->subjects[*index].builds++;
	strbuf_release(&key);
}

/*
 * The subjects of a diagnosis: each distinct (capture name, value) once,
 * from "capture_values" (every distinct value), else "captures" (the first
 * occurrence's).
 */
static void group_add_subjects(struct audit_group *g, struct json_object *diag)
{
	struct json_object *values, *first;

	if (json_object_object_get_ex(diag, "capture_values", &values) &&
	    json_object_is_type(values, json_type_object)) {
		json_object_object_foreach(values, name, list) {
			size_t i, n;

			if (!json_object_is_type(list, json_type_array))
				continue;
			n = json_object_array_length(list);
			for (i = 0; i < n; i++) {
				struct json_object *v = json_object_array_get_idx(list, i);
				size_t k;
				bool repeat = false;

				if (!json_object_is_type(v, json_type_string))
					continue;
				for (k = 0; k < i && !repeat; k++)
					repeat = json_object_equal(v, json_object_array_get_idx(list, k));
				if (!repeat)
					group_add_subject(g, name, json_object_get_string(v));
			}
		}
		return;
	}
	if (json_object_object_get_ex(diag, "captures", &first) &&
	    json_object_is_type(first, json_type_object)) {
		json_object_object_foreach(first, name, v)
			if (json_object_is_type(v, json_type_string))
				group_add_subject(g, name, json_object_get_string(v));
	}
}

static void group_add_build(struct audit_group *g, const char *id,
			    const struct audit_time *created, struct json_object *diag)
{
	g->builds++;
	if (created->text && (!g->first.text || time_cmp(created, &g->first) < 0))
		time_copy(&g->first, created);
	if (created->text && (!g->last.text || time_cmp(created, &g->last) > 0))
		time_copy(&g->last, created);
	group_add_example(g, id, created);
	group_add_subjects(g, diag);
}

/* Count an analysed build in its period: key "<period>\0<category>". */
static void trend_add(struct audit *a, const struct audit_time *created, const char *category)
{
	struct strbuf key = STRBUF_INIT;

	if (!a->trend.by)
		return;
	if (!created->set) {
		a->trend.undated++;
		return;
	}
	strbuf_addf(&key, "%lld", audit_period_of(created->seconds, a->trend.by));
	strbuf_addch(&key, '\0');
	strbuf_addstr(&key, category);
	(*map_get(a->trend_cells, key.buf, key.len, NULL))++;
	strbuf_release(&key);
}

/* Claim id; false when it was added before. */
static bool claim(struct audit *a, const char *id)
{
	bool created;

	if (a->finished)
		BUG("audit_add after audit_finish");
	map_get(a->seen, id, strlen(id), &created);
	return created;
}

static char *cut_copy(const char *s, size_t max)
{
	size_t len = strlen(s), cut;
	struct strbuf sb = STRBUF_INIT;

	if (len <= max)
		return xstrdup(s);
	cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	strbuf_add(&sb, s, cut);
	strbuf_addstr(&sb, "...");
	return strbuf_detach(&sb, NULL);
}

static const char *string_member(struct json_object *obj, const char *key)
{
	return obj && json_object_is_type(obj, json_type_object) ? json_get_string(obj, key) : NULL;
}

static size_t line_number(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0)
		return 0;
	return (size_t)json_object_get_int64(v);
}

static void excerpt_add(struct audit_unknown *u, size_t line, const char *text, bool evidence)
{
	struct audit_excerpt_line *e = &u->excerpt[u->excerpt_nr++];

	e->line = line;
	e->text = cut_copy(text, AUDIT_EXCERPT_MAX);
	e->evidence = evidence;
}

/*
 * The best excerpt of an unknown build: the unknown diagnosis picked its
 * evidence (the likeliest error lines), but the cause often shows in the
 * lines just before the first of them (a script's own message above
 * "Command did not exit successfully"): up to AUDIT_EXCERPT_BEFORE
 * non-blank lines of the context leading up to it, then the evidence.
 */
static void add_excerpt(struct audit_unknown *u, struct json_object *diag)
{
	struct json_object *evidence, *context = NULL, *lines;
	size_t first = 0, i, n = 0;

	if (json_object_object_get_ex(diag, "evidence", &evidence) &&
	    json_object_is_type(evidence, json_type_array))
		n = json_object_array_length(evidence);
	if (n)
		first = line_number(json_object_array_get_idx(evidence, 0), "line");
	json_object_object_get_ex(diag, "context", &context);
	if (first && context && json_object_object_get_ex(context, "lines", &lines) &&
	    json_object_is_type(lines, json_type_array)) {
		size_t start = line_number(context, "first_line"), nr = json_object_array_length(lines);
		size_t take[AUDIT_EXCERPT_BEFORE], taken = 0, k;

		/* walk back from the line above the evidence */
		for (k = first; k > start && taken < AUDIT_EXCERPT_BEFORE; k--) {
			size_t at = k - 1 - start; /* index of line k - 1 */
			const char *text = at < nr ? json_object_get_string(
				json_object_array_get_idx(lines, at)) : NULL;

			if (k - 1 < start || !text)
				break;
			if (*text)
				take[taken++] = k - 1;
		}
		while (taken--) {
			size_t line = take[taken];

			excerpt_add(u, line, json_object_get_string(
				json_object_array_get_idx(lines, line - start)), false);
		}
	}
	for (i = 0; i < n && u->excerpt_nr < AUDIT_EXCERPT_LINES; i++) {
		struct json_object *e = json_object_array_get_idx(evidence, i);
		const char *text = string_member(e, "text");

		if (text)
			excerpt_add(u, line_number(e, "line"), text, true);
	}
}

static void add_unknown(struct audit *a, const char *id, const struct audit_time *created,
			const struct build *build, struct json_object *diag)
{
	struct audit_unknown *u;

	ALLOC_GROW(a->unknown, a->unknown_nr + 1, a->unknown_alloc);
	u = &a->unknown[a->unknown_nr++];
	memset(u, 0, sizeof(*u));
	u->id = xstrdup(id);
	time_copy(&u->created, created);
	if (build && build->status_name)
		u->status = xstrdup(build->status_name);
	if (build && build->error_message)
		u->error_message = cut_copy(build->error_message, AUDIT_EXCERPT_MAX);
	add_excerpt(u, diag);
}

static enum audit_result bad(struct strbuf *err, const char *id, const char *what)
{
	if (id)
		strbuf_addf(err, "report for '%s': %s", id, what);
	else
		strbuf_addstr(err, what);
	return AUDIT_BAD_LINE;
}

enum audit_result audit_add_report(struct audit *a, struct json_object *report,
				   struct strbuf *err)
{
	struct json_object *record = NULL, *source = NULL, *diags, *top;
	struct audit_time created = { NULL, 0, false };
	struct audit_group *g;
	struct build *build = NULL;
	const char *id, *schema = string_member(report, "schema"), *rule, *category;
	enum audit_result res = AUDIT_OK;
	size_t i, n;

	if (!schema || strcmp(schema, REPORT_SCHEMA))
		return bad(err, NULL, "not a " REPORT_SCHEMA " report");
	/* the report's "build" is the record as the API gave it */
	json_object_object_get_ex(report, "build", &record);
	json_object_object_get_ex(report, "source", &source);
	if (record && json_object_is_type(record, json_type_object))
		build = build_parse(record);
	id = build ? build->id : NULL;
	if (!id)
		id = string_member(source, "build_id");
	if (!id)
		id = string_member(source, "path");
	if (!id) {
		res = bad(err, NULL, "a report without a build ID or path");
		goto out;
	}
	if (!json_object_object_get_ex(report, "diagnoses", &diags) ||
	    !json_object_is_type(diags, json_type_array)) {
		res = bad(err, id, "\"diagnoses\" is missing or not an array");
		goto out;
	}
	n = json_object_array_length(diags);
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(diags, i);

		if (!string_member(d, "rule") || !string_member(d, "category")) {
			res = bad(err, id, "a diagnosis without a \"rule\" or \"category\" string");
			goto out;
		}
	}
	if (!claim(a, id)) {
		res = AUDIT_DUPLICATE;
		goto out;
	}
	if (!n) {
		const char *status = build ? build->status_name : NULL;

		ALLOC_GROW(a->nodiag, a->nodiag_nr + 1, a->nodiag_alloc);
		a->nodiag[a->nodiag_nr].id = xstrdup(id);
		a->nodiag[a->nodiag_nr++].status = status ? xstrdup(status) : NULL;
		goto out;
	}
	time_set(&created, build ? build->created_at : NULL);
	a->analysed++;
	if (created.text && (!a->first.text || time_cmp(&created, &a->first) < 0))
		time_copy(&a->first, &created);
	if (created.text && (!a->last.text || time_cmp(&created, &a->last) > 0))
		time_copy(&a->last, &created);
	top = json_object_array_get_idx(diags, 0);
	rule = string_member(top, "rule");
	category = string_member(top, "category");
	trend_add(a, &created, category);
	g = group_get(&a->categories, &a->categories_nr, &a->categories_alloc, category);
	group_add_build(g, id, &created, top);
	if (!strcmp(category, "unknown")) {
		add_unknown(a, id, &created, build, top);
		audit_templates_add(a->templates, id, &created, top);
	} else {
		struct json_object *inferred;

		if (json_object_object_get_ex(top, "inferred", &inferred) &&
		    json_object_get_boolean(inferred))
			audit_templates_add(a->templates, id, &created, top);
		a->classified++;
		g = group_get(&a->rules, &a->rules_nr, &a->rules_alloc, rule);
		group_add_build(g, id, &created, top);
	}
	/* every rule that matched, once per build */
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(diags, i);
		size_t k;
		bool repeat = false;

		rule = string_member(d, "rule");
		if (!strcmp(string_member(d, "category"), "unknown"))
			continue;
		for (k = 0; k < i && !repeat; k++)
			repeat = !strcmp(rule, string_member(json_object_array_get_idx(diags, k),
							     "rule"));
		if (repeat)
			continue;
		g = group_get(&a->rules, &a->rules_nr, &a->rules_alloc, rule);
		g->matched++;
		keep_smallest(&g->title, string_member(d, "title"));
		keep_smallest(&g->category, string_member(d, "category"));
	}
	time_release(&created);
out:
	build_free(build);
	return res;
}

enum audit_result audit_add_failure(struct audit *a, const char *id, const char *why)
{
	if (!claim(a, id))
		return AUDIT_DUPLICATE;
	ALLOC_GROW(a->failures, a->failures_nr + 1, a->failures_alloc);
	a->failures[a->failures_nr].id = xstrdup(id);
	a->failures[a->failures_nr++].error = xstrdup(why);
	return AUDIT_OK;
}

void audit_fetch_error_line(struct strbuf *out, const char *id, const char *why)
{
	strbuf_addstr(out, "{\"schema\":\"" AUDIT_FETCH_ERROR_SCHEMA "\",\"build_id\":");
	json_add_cstr(out, id);
	strbuf_addstr(out, ",\"error\":");
	json_add_cstr(out, why);
	strbuf_addstr(out, "}\n");
}

enum audit_result audit_add_line(struct audit *a, const char *line, size_t len,
				 struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	struct json_object *root = json_parse_buffer(line, len, &why);
	const char *schema;
	enum audit_result res;

	if (!root) {
		strbuf_addf(err, "not JSON (%s)", why.buf);
		strbuf_release(&why);
		return AUDIT_BAD_LINE;
	}
	strbuf_release(&why);
	schema = string_member(root, "schema");
	if (schema && !strcmp(schema, AUDIT_FETCH_ERROR_SCHEMA)) {
		const char *id = json_get_string(root, "build_id"),
			   *error = json_get_string(root, "error");

		if (id && error)
			res = audit_add_failure(a, id, error);
		else
			res = bad(err, NULL, "a " AUDIT_FETCH_ERROR_SCHEMA " line without a "
				  "\"build_id\" or \"error\" string");
	} else if (schema && !strcmp(schema, REPORT_SCHEMA)) {
		res = audit_add_report(a, root, err);
	} else {
		res = bad(err, NULL, "neither a " REPORT_SCHEMA " report nor a "
			  AUDIT_FETCH_ERROR_SCHEMA " line");
	}
	json_object_put(root);
	return res;
}

/* --- sorting ---------------------------------------------------------------- */

static int cmp_category(const void *pa, const void *pb)
{
	const struct audit_group *a = pa, *b = pb;

	if (a->builds != b->builds)
		return a->builds > b->builds ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int cmp_rule(const void *pa, const void *pb)
{
	const struct audit_group *a = pa, *b = pb;

	if (a->builds != b->builds)
		return a->builds > b->builds ? -1 : 1;
	if (a->matched != b->matched)
		return a->matched > b->matched ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int cmp_subject(const void *pa, const void *pb)
{
	const struct audit_subject *a = pa, *b = pb;
	int c;

	if (a->builds != b->builds)
		return a->builds > b->builds ? -1 : 1;
	c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->value, b->value);
}

static int cmp_unknown(const void *pa, const void *pb)
{
	const struct audit_unknown *a = pa, *b = pb;

	return newest_first(&a->created, a->id, &b->created, b->id);
}

static int cmp_failure(const void *pa, const void *pb)
{
	return strcmp(((const struct audit_failure *)pa)->id,
		      ((const struct audit_failure *)pb)->id);
}

static int cmp_nodiag(const void *pa, const void *pb)
{
	return strcmp(((const struct audit_nodiag *)pa)->id,
		      ((const struct audit_nodiag *)pb)->id);
}

static void sort_groups(struct audit_group *groups, size_t nr,
			int (*cmp)(const void *, const void *))
{
	size_t i;

	if (nr)
		qsort(groups, nr, sizeof(*groups), cmp);
	for (i = 0; i < nr; i++) {
		struct audit_group *g = &groups[i];

		if (g->subjects_nr)
			qsort(g->subjects, g->subjects_nr, sizeof(*g->subjects), cmp_subject);
		/* the index points into the old order: drop it */
		map_free(g->subject_index);
		g->subject_index = NULL;
	}
}

/* The cells counted by trend_add into the period x category table, after
 * the categories were sorted: the trend's are theirs, in their order. */
static void trend_finish(struct audit *a)
{
	struct audit_trend *t = &a->trend;
	struct audit_map *m = a->trend_cells, *dated = map_new();
	size_t cats_nr, i, k;
	long long first = 0, last = 0, key;
	bool any = false;

	if (!m) {
		map_free(dated);
		return;
	}
	/* the range of periods, and the categories with a dated build */
	for (i = 0; i < m->cap; i++) {
		const struct map_entry *e = &m->slots[i];
		const char *name;

		if (!e->key)
			continue;
		key = strtoll(e->key, NULL, 10);
		name = e->key + strlen(e->key) + 1;
		if (!any || key < first)
			first = key;
		if (!any || key > last)
			last = key;
		any = true;
		map_get(dated, name, strlen(name), NULL);
	}
	/* (+ 1: never a calloc of 0) */
	t->categories = xcalloc(a->categories_nr + 1, sizeof(*t->categories));
	for (k = 0; k < a->categories_nr; k++) {
		const char *name = a->categories[k].key;
		bool created;

		map_get(dated, name, strlen(name), &created);
		if (!created)
			t->categories[t->categories_nr++] = xstrdup(name);
	}
	cats_nr = t->categories_nr;
	map_free(dated);
	for (key = first; any && key <= last; key = audit_period_next(key, t->by))
		t->periods_nr++;
	t->periods = xcalloc(t->periods_nr + 1, sizeof(*t->periods));
	t->totals = xcalloc(t->periods_nr + 1, sizeof(*t->totals));
	t->counts = xcalloc(t->periods_nr * cats_nr + 1, sizeof(*t->counts));
	for (i = 0, key = first; i < t->periods_nr; i++, key = audit_period_next(key, t->by))
		t->periods[i] = key;
	for (i = 0; i < m->cap; i++) {
		const struct map_entry *e = &m->slots[i];
		size_t p;

		if (!e->key)
			continue;
		key = strtoll(e->key, NULL, 10);
		/* the keys step evenly from first */
		p = (size_t)((key - first) / (audit_period_next(0, t->by)));
		for (k = 0; strcmp(t->categories[k], e->key + strlen(e->key) + 1); k++)
			;
		t->counts[p * cats_nr + k] = e->value;
		t->totals[p] += e->value;
	}
	map_free(m);
	a->trend_cells = NULL;
}

void audit_finish(struct audit *a)
{
	if (a->finished)
		return;
	a->finished = true;
	sort_groups(a->categories, a->categories_nr, cmp_category);
	trend_finish(a);
	sort_groups(a->rules, a->rules_nr, cmp_rule);
	if (a->unknown_nr)
		qsort(a->unknown, a->unknown_nr, sizeof(*a->unknown), cmp_unknown);
	if (a->failures_nr)
		qsort(a->failures, a->failures_nr, sizeof(*a->failures), cmp_failure);
	if (a->nodiag_nr)
		qsort(a->nodiag, a->nodiag_nr, sizeof(*a->nodiag), cmp_nodiag);
	audit_templates_finish(a->templates);
}

/* --- helpers ---------------------------------------------------------------- */

unsigned long audit_shard_of(const char *id, unsigned long n)
{
	struct strbuf lower = STRBUF_INIT;
	unsigned long shard;
	size_t i;

	for (i = 0; id[i]; i++)
		strbuf_addch(&lower, tolower((unsigned char)id[i]));
	shard = (unsigned long)(audit_fnv1a(lower.buf, lower.len) % n);
	strbuf_release(&lower);
	return shard;
}

bool audit_parse_shard(const char *s, unsigned long *k, unsigned long *n)
{
	const char *slash = strchr(s, '/');
	char *left;
	long kk, nn;
	bool ok;

	if (!slash)
		return false;
	left = xstrndup(s, (size_t)(slash - s));
	ok = parse_long(left, 0, 999999, &kk) && parse_long(slash + 1, 1, 1000000, &nn) &&
	     kk < nn;
	free(left);
	if (ok) {
		*k = (unsigned long)kk;
		*n = (unsigned long)nn;
	}
	return ok;
}

/* Whether s[0..len) is a UUID (api_valid_build_id, on a slice). */
static bool uuid_slice(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

enum audit_result audit_parse_ids(const char *text, size_t len, const char *origin,
				  struct string_list *ids, struct causes *errors)
{
	enum audit_result res = AUDIT_OK;
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, start = 0, end;
		const char *hash = memchr(line, '#', n);

		pos += n + (nl ? 1 : 0);
		lineno++;
		end = hash ? (size_t)(hash - line) : n;
		while (start < end && isspace((unsigned char)line[start]))
			start++;
		while (end > start && isspace((unsigned char)line[end - 1]))
			end--;
		if (start == end)
			continue;
		if (!uuid_slice(line + start, end - start)) {
			struct strbuf shown = STRBUF_INIT;
			size_t shown_len = end - start > 64 ? 64 : end - start, i;

			strbuf_add_utf8_clean(&shown, line + start, shown_len);
			for (i = 0; i < shown.len; i++)
				if ((unsigned char)shown.buf[i] < 0x20 || shown.buf[i] == 0x7f)
					shown.buf[i] = '?';
			causes_add(errors, "%s:%zu: not a build ID: '%s%s' (expected a UUID such as "
				   "123e4567-e89b-12d3-a456-426614174000)", origin, lineno, shown.buf,
				   end - start > 64 ? "..." : "");
			strbuf_release(&shown);
			res = AUDIT_BAD_LINE;
			continue;
		}
		{
			char id[37];
			size_t i;

			for (i = 0; i < 36; i++)
				id[i] = (char)tolower((unsigned char)line[start + i]);
			id[36] = '\0';
			string_list_append(ids, id);
		}
	}
	return res;
}

/* n decimal digits at *p into *out; advances *p. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

bool audit_parse_time(const char *s, double *seconds)
{
	struct tm tm;
	int year, mon, day, hour = 0, min = 0, sec = 0, zh = 0, zm = 0, sign = 0;
	double frac = 0;
	const char *p = s;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &mon) || *p++ != '-' ||
	    !digits(&p, 2, &day))
		return false;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &hour) || *p++ != ':' || !digits(&p, 2, &min))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				return false;
			if (*p == '.' || *p == ',') {
				double scale = 0.1;

				p++;
				if (!isdigit((unsigned char)*p))
					return false;
				for (; isdigit((unsigned char)*p); p++, scale /= 10)
					frac += (*p - '0') * scale;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (!digits(&p, 2, &zh))
				return false;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && !digits(&p, 2, &zm))
				return false;
		}
	}
	if (*p || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 ||
	    sec > 60 || zh > 23 || zm > 59)
		return false;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1 && !(year == 1969 && mon == 12 && day == 31))
		return false;
	*seconds = (double)t + frac - sign * (zh * 3600.0 + zm * 60.0);
	return true;
}

/* --- periods ------------------------------------------------------------------ */

const char *audit_by_name(enum audit_by by)
{
	switch (by) {
	case AUDIT_BY_NONE: return "none";
	case AUDIT_BY_DAY: return "day";
	case AUDIT_BY_WEEK: return "week";
	case AUDIT_BY_MONTH: return "month";
	}
	return "none";
}

int audit_by_from_name(const char *name, enum audit_by *out)
{
	enum audit_by by;

	for (by = AUDIT_BY_DAY; by <= AUDIT_BY_MONTH; by++) {
		if (!strcmp(name, audit_by_name(by))) {
			*out = by;
			return 0;
		}
	}
	return -1;
}

/* floor(a / b) for b > 0 */
static long long floor_div(long long a, long long b)
{
	return a / b - (a % b < 0);
}

/* The UTC calendar date of day (days since 1970-01-01). */
static void civil_of(long long day, struct tm *tm)
{
	time_t t = (time_t)(day * 86400);

	if (!gmtime_r(&t, tm))
		BUG("day %lld has no date", day);
}

long long audit_period_of(double t, enum audit_by by)
{
	long long s = (long long)t, day;
	struct tm tm;

	if ((double)s > t)
		s--; /* the floor, before 1970 too */
	day = floor_div(s, 86400);
	switch (by) {
	case AUDIT_BY_WEEK:
		/* 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays */
		return day - (day + 3 - floor_div(day + 3, 7) * 7);
	case AUDIT_BY_MONTH:
		civil_of(day, &tm);
		return (long long)(tm.tm_year + 1900) * 12 + tm.tm_mon;
	case AUDIT_BY_DAY:
	case AUDIT_BY_NONE:
		break;
	}
	return day;
}

long long audit_period_next(long long key, enum audit_by by)
{
	return key + (by == AUDIT_BY_WEEK ? 7 : 1);
}

void audit_period_label(long long key, enum audit_by by, char out[AUDIT_PERIOD_LABEL_MAX])
{
	struct tm tm;

	switch (by) {
	case AUDIT_BY_MONTH:
		snprintf(out, AUDIT_PERIOD_LABEL_MAX, "%04lld-%02lld", floor_div(key, 12),
			 key - floor_div(key, 12) * 12 + 1);
		return;
	case AUDIT_BY_WEEK:
		/* the ISO year is its Thursday's; week 1 holds the year's first
		 * Thursday, so the week is that Thursday's day of the year / 7 */
		civil_of(key + 3, &tm);
		snprintf(out, AUDIT_PERIOD_LABEL_MAX, "%04d-W%02d", tm.tm_year + 1900,
			 tm.tm_yday / 7 + 1);
		return;
	case AUDIT_BY_DAY:
	case AUDIT_BY_NONE:
		break;
	}
	civil_of(key, &tm);
	snprintf(out, AUDIT_PERIOD_LABEL_MAX, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
}
