/* match.c - the matcher: one pass of each rule's combined pattern over the
 * whole normalised buffer (much faster than rule x line), with offsets mapped
 * back to lines only for matches. */
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/match.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

struct matcher {
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	pcre2_match_data *md;
	const pcre2_code *md_code; /* the pattern md was sized for */
};

static void matcher_init(struct matcher *m)
{
	m->mctx = pcre2_match_context_create(NULL);
	m->stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!m->mctx || !m->stack)
		BUG("cannot allocate PCRE2 match context");
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, MATCH_DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, MATCH_HEAP_LIMIT_KIB);
	pcre2_jit_stack_assign(m->mctx, NULL, m->stack);
	m->md = NULL;
	m->md_code = NULL;
}

static void matcher_release(struct matcher *m)
{
	pcre2_match_data_free(m->md);
	pcre2_jit_stack_free(m->stack);
	pcre2_match_context_free(m->mctx);
}

static int run(struct matcher *m, const pcre2_code *code, const char *subject,
	       size_t len, size_t start)
{
	if (m->md_code != code) {
		pcre2_match_data_free(m->md);
		m->md = pcre2_match_data_create_from_pattern(code, NULL);
		if (!m->md)
			BUG("cannot allocate PCRE2 match data");
		m->md_code = code;
	}
	return pcre2_match(code, (PCRE2_SPTR)subject, len, start,
			   PCRE2_NO_UTF_CHECK, m->md, m->mctx);
}

void rule_hits_release(struct rule_hits *h)
{
	size_t i;

	for (i = 0; i < h->captures_nr; i++) {
		free(h->captures[i].first);
		string_list_release(&h->captures[i].values);
	}
	free(h->captures);
	h->captures = NULL;
	h->captures_nr = 0;
}

void match_result_release(struct match_result *res)
{
	size_t i;

	for (i = 0; i < res->nr; i++)
		rule_hits_release(&res->hits[i]);
	free(res->hits);
	res->hits = NULL;
	res->nr = res->alloc = 0;
}

static void record(struct rule_hits *h, const struct log *log, size_t line,
		   pcre2_match_data *md)
{
	size_t i;

	if (h->lines_nr < MATCH_EVIDENCE_MAX)
		h->lines[h->lines_nr++] = line;
	if (log->phases.failed != PHASE_NONE &&
	    log->lines[line].phase == log->phases.failed)
		h->in_failed_phase = true;
	for (i = 0; i < h->captures_nr; i++) {
		struct capture *c = &h->captures[i];
		PCRE2_UCHAR *value;
		PCRE2_SIZE len;
		size_t k;

		if (c->values.nr >= MATCH_VALUES_MAX && c->first)
			continue;
		if (pcre2_substring_get_byname(md, (PCRE2_SPTR)c->name, &value, &len))
			continue; /* this alternative does not set the group */
		if (!c->first && h->count == 0)
			c->first = xstrndup((const char *)value, len);
		for (k = 0; k < c->values.nr; k++)
			if (!strcmp(c->values.items[k], (const char *)value))
				break;
		if (k == c->values.nr && c->values.nr < MATCH_VALUES_MAX)
			string_list_append(&c->values, (const char *)value);
		pcre2_substring_free(value);
	}
	h->count++;
}

static void warn_limit(struct causes *warnings, const struct rule *r, int rc)
{
	struct strbuf msg = STRBUF_INIT;

	pcre2_error_text(rc, &msg);
	causes_add(warnings, "rule '%s': matching stopped early (%s); its findings may be incomplete",
		   r->id, msg.buf);
	strbuf_release(&msg);
}

/* Scan the whole normalised buffer with one rule. */
static void match_rule(struct matcher *m, const struct rule *r, const struct log *log,
		       struct rule_hits *h, struct causes *warnings)
{
	const char *buf = log->norm.buf;
	size_t len = log->norm.len, start = 0;

	while (start < len) {
		size_t line, line_start, line_end;
		PCRE2_SIZE *ov;
		int rc = run(m, r->code, buf, len, start);

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			warn_limit(warnings, r, rc);
			break;
		}
		ov = pcre2_get_ovector_pointer(m->md);
		line = log_line_at(log, ov[0]);
		line_start = log->lines[line].norm_offset;
		line_end = line_start + log->lines[line].norm_length;
		if (ov[1] > line_end) {
			/* The match ran into the next line (\s or a negated
			 * class can cross '\n'): rules have per-line meaning,
			 * so try again within this line alone. */
			rc = run(m, r->code, buf, line_end, line_start);
			if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
				warn_limit(warnings, r, rc);
				break;
			}
		}
		if (rc > 0)
			record(h, log, line, m->md);
		start = line_end + 1;
	}
}

void match_log(const struct ruleset *rs, const struct log *log,
	       struct match_result *out, struct causes *warnings)
{
	struct matcher m;
	size_t i, k;

	matcher_init(&m);
	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];
		struct rule_hits h;

		memset(&h, 0, sizeof(h));
		h.rule = r;
		h.captures_nr = r->names_nr;
		h.captures = xcalloc(r->names_nr ? r->names_nr : 1, sizeof(*h.captures));
		for (k = 0; k < r->names_nr; k++)
			h.captures[k].name = r->names[k];
		match_rule(&m, r, log, &h, warnings);
		if (!h.count) {
			rule_hits_release(&h);
			continue;
		}
		ALLOC_GROW(out->hits, out->nr + 1, out->alloc);
		out->hits[out->nr++] = h;
	}
	matcher_release(&m);
}

bool rule_matches_line(const struct rule *r, const char *text, int *err)
{
	struct strbuf norm = STRBUF_INIT;
	struct matcher m;
	int rc;

	matcher_init(&m);
	normalize_line(text, strlen(text), &norm, NULL);
	rc = run(&m, r->code, norm.buf, norm.len, 0);
	*err = rc < 0 && rc != PCRE2_ERROR_NOMATCH ? rc : 0;
	matcher_release(&m);
	strbuf_release(&norm);
	return rc > 0;
}
