/* audit_templates.c - the audit's unknown and inferred builds grouped by the
 * template of their likeliest error line: lines collected as reports come,
 * clustered (cluster.c) once all are in, in creation order, so the groups
 * do not depend on the order reports arrive or shards merge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/audit_templates.h"
#include "buildsleuth/category.h"
#include "buildsleuth/cluster.h"
#include "buildsleuth/json.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/util.h"

struct audit_template_item {
	char *id;
	struct audit_time created;
	char *line;        /* as the report quotes it */
	char *category;
	bool inferred;
	size_t group;      /* after finish: its group in the clustering, or SIZE_MAX */
};

struct audit_templates *audit_templates_new(void)
{
	return xcalloc(1, sizeof(struct audit_templates));
}

void audit_templates_free(struct audit_templates *t)
{
	size_t i, k;

	if (!t)
		return;
	for (i = 0; i < t->items_nr; i++) {
		free(t->items[i].id);
		audit_time_release(&t->items[i].created);
		free(t->items[i].line);
		free(t->items[i].category);
	}
	free(t->items);
	for (i = 0; i < t->nr; i++) {
		struct audit_template *g = &t->groups[i];

		free(g->id);
		free(g->template);
		free(g->pattern);
		free(g->placeholders);
		string_list_release(&g->names);
		audit_time_release(&g->first);
		audit_time_release(&g->last);
		free(g->example);
		for (k = 0; k < g->lines_nr; k++)
			free(g->lines[k]);
	}
	free(t->groups);
	free(t);
}

void audit_templates_add(struct audit_templates *t, const char *id,
			 const struct audit_time *created, struct json_object *diag)
{
	struct json_object *evidence, *last, *inferred;
	struct audit_template_item *it;
	const char *line, *category;
	size_t n;

	if (t->finished)
		BUG("audit_templates_add after audit_templates_finish");
	if (!json_object_object_get_ex(diag, "evidence", &evidence) ||
	    !json_object_is_type(evidence, json_type_array) ||
	    !(n = json_object_array_length(evidence)))
		return;
	last = json_object_array_get_idx(evidence, n - 1);
	line = json_object_is_type(last, json_type_object) ? json_get_string(last, "text") : NULL;
	category = json_get_string(diag, "category");
	if (!line || !category)
		return;
	ALLOC_GROW(t->items, t->items_nr + 1, t->items_alloc);
	it = &t->items[t->items_nr++];
	memset(it, 0, sizeof(*it));
	it->id = xstrdup(id);
	audit_time_copy(&it->created, created);
	it->line = xstrdup(line);
	it->category = xstrdup(category);
	it->inferred = json_object_object_get_ex(diag, "inferred", &inferred) &&
		       json_object_get_boolean(inferred);
	it->group = SIZE_MAX;
}

/* Creation order: dated builds first, oldest first, then by ID. */
static int cmp_item(const void *pa, const void *pb)
{
	const struct audit_template_item *a = pa, *b = pb;
	int c = audit_time_cmp(&a->created, &b->created);

	return c ? c : strcmp(a->id, b->id);
}

/*
 * The text the template is made of: the quoted line normalised as rules see
 * it; a line the report cut (" [... N more bytes]", see display_line) loses
 * the note and the word it cut in half, so its pattern still matches the
 * whole line.
 */
static void clustered_text(const char *line, struct strbuf *out)
{
	const char *note = strstr(line, " [... ");
	size_t len = strlen(line);

	if (note && len > 12 && !strcmp(line + len - 12, " more bytes]")) {
		len = (size_t)(note - line);
		while (len && line[len - 1] != ' ' && line[len - 1] != '\t')
			len--;
	}
	normalize_line(line, len, out, NULL);
}

/* Whether b is newer than a: a date after a missing one, later, then by ID. */
static bool newer(const struct audit_template_item *a, const struct audit_template_item *b)
{
	if (a->created.set != b->created.set)
		return b->created.set;
	if (a->created.set && a->created.seconds != b->created.seconds)
		return b->created.seconds > a->created.seconds;
	return strcmp(b->id, a->id) > 0;
}

static int cmp_string(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The commonest category of the inferred builds members[0..nr) (ties: by
 * name), else AUDIT_TEMPLATE_GUESS. */
static const char *group_category(const struct audit_templates *t, const size_t *members,
				  size_t nr)
{
	const char **names = xcalloc(nr ? nr : 1, sizeof(*names)), *best = AUDIT_TEMPLATE_GUESS;
	size_t n = 0, i, run, best_run = 0;

	/* a category outside the vocabulary (a hand-made --from-reports line)
	 * would make a draft that does not load */
	for (i = 0; i < nr; i++) {
		const struct audit_template_item *it = &t->items[members[i]];
		enum category c;

		if (it->inferred && category_from_name(it->category, &c) && c != CATEGORY_UNKNOWN)
			names[n++] = it->category;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_string);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && !strcmp(names[i], names[i + run]); run++)
			;
		if (run > best_run) {
			best = names[i];
			best_run = run;
		}
	}
	free(names);
	return best;
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct audit_template *a = pa, *b = pb;

	if (a->builds != b->builds)
		return a->builds > b->builds ? -1 : 1;
	if (a->first_index != b->first_index)
		return a->first_index < b->first_index ? -1 : 1;
	return strcmp(a->template, b->template);
}

void audit_templates_finish(struct audit_templates *t)
{
	struct cluster c;
	struct strbuf text = STRBUF_INIT;
	size_t i, k, *at, *members;

	if (t->finished)
		return;
	t->finished = true;
	if (t->items_nr)
		qsort(t->items, t->items_nr, sizeof(*t->items), cmp_item);
	cluster_init(&c);
	for (i = 0; i < t->items_nr; i++) {
		strbuf_reset(&text);
		clustered_text(t->items[i].line, &text);
		t->items[i].group = cluster_add(&c, text.buf, text.len);
	}
	/* each group's builds, in creation order: a counting sort by group */
	at = xcalloc(c.nr + 1, sizeof(*at));
	members = xcalloc(t->items_nr ? t->items_nr : 1, sizeof(*members));
	for (i = 0; i < t->items_nr; i++)
		if (t->items[i].group != SIZE_MAX)
			at[t->items[i].group + 1]++;
	for (k = 0; k < c.nr; k++)
		at[k + 1] += at[k];
	for (i = 0; i < t->items_nr; i++)
		if (t->items[i].group != SIZE_MAX)
			members[at[t->items[i].group]++] = i;
	t->nr = c.nr;
	t->groups = xcalloc(c.nr ? c.nr : 1, sizeof(*t->groups));
	for (k = 0, i = 0; k < c.nr; k++) {
		struct audit_template *g = &t->groups[k];
		const struct audit_template_item *example = NULL;
		size_t first = i, m;

		strbuf_reset(&text);
		cluster_template(&c.groups[k], &text);
		g->template = xstrdup(text.buf);
		g->id = xstrfmt(AUDIT_TEMPLATE_ID_PREFIX "%016llx",
				(unsigned long long)audit_fnv1a(text.buf, text.len));
		if (cluster_has_word(&c.groups[k])) {
			strbuf_reset(&text);
			cluster_pattern(&c.groups[k], &text, &g->names);
			g->pattern = xstrdup(text.buf);
			strbuf_reset(&text);
			cluster_placeholders(&c.groups[k], &text);
			g->placeholders = xstrdup(text.buf);
		}
		g->first_index = c.groups[k].first;
		/* at[k] is now the end of group k's members */
		for (; i < at[k]; i++) {
			const struct audit_template_item *it = &t->items[members[i]];
			size_t l;

			g->builds++;
			g->inferred += it->inferred;
			if (it->created.text && it->created.set) {
				if (!g->first.text)
					audit_time_copy(&g->first, &it->created);
				audit_time_copy(&g->last, &it->created);
			}
			if (!example || newer(example, it))
				example = it;
			for (l = 0; l < g->lines_nr && strcmp(g->lines[l], it->line); l++)
				;
			if (l == g->lines_nr && l < AUDIT_TEMPLATE_LINES)
				g->lines[g->lines_nr++] = xstrdup(it->line);
		}
		m = i - first;
		g->category = group_category(t, members + first, m);
		g->unknown = g->builds - g->inferred;
		g->example = xstrdup(example->id);
		t->grouped += g->builds;
	}
	free(members);
	free(at);
	if (c.nr)
		qsort(t->groups, c.nr, sizeof(*t->groups), cmp_group);
	cluster_release(&c);
	strbuf_release(&text);
}
