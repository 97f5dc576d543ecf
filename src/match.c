/* match.c - the matcher: a literal prefilter finds, in one pass, the lines
 * each rule could match; the rule's combined pattern then runs on those lines
 * only (or, for a rule without a usable literal, in one pass over the whole
 * normalised buffer), with offsets mapped back to lines only for matches. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/match.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/prefilter.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

struct matcher {
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	pcre2_match_data *md;
	const pcre2_code *md_code; /* the pattern md was sized for */
};

/*
 * JIT-compile code unless done already. rules.c leaves this to the matcher
 * because compiling every rule costs more than most logs take to match:
 * only the rules a log gives work to are compiled, once. The lock orders
 * the compilation before every run of the code in any thread, since each
 * thread calls this before it runs a rule.
 */
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

/* Like run, but a match may start no later than offset limit. */
static int run_limited(struct matcher *m, const pcre2_code *code, const char *subject,
		       size_t len, size_t start, size_t limit)
{
	int rc;

	pcre2_set_offset_limit(m->mctx, limit);
	rc = run(m, code, subject, len, start);
	pcre2_set_offset_limit(m->mctx, PCRE2_UNSET);
	return rc;
}

/* Whether code was compiled to accept an offset limit (rules.c does). */
static bool can_limit(const pcre2_code *code)
{
	uint32_t options = 0;

	pcre2_pattern_info(code, PCRE2_INFO_ARGOPTIONS, &options);
	return options & PCRE2_USE_OFFSET_LIMIT;
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

/* Whether raw[0..len) may hold a character that normalisation drops but the
 * evidence shows as U+FFFD: a control character (C0 but tab, '\r' and ESC,
 * whose sequences both drop; DEL; C1) or an invisible one. */
static bool hides_characters(const char *raw, size_t len)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != 0x1b) || c == 0x7f ||
		    (c == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] < 0xa0) ||
		    utf8_invisible_len(s + i, len - i))
			return true;
	}
	return false;
}

/*
 * The capture norm[start..end) of a line as the evidence shows it: with
 * U+FFFD where normalisation dropped a NUL, another control character or an
 * invisible one, so that "a\0b" is not reported as "ab" (a different
 * package). The display form is the normalised text with those U+FFFD put
 * back and the CodeBuild/BuildKit prefixes in front: walking both from the
 * end maps the offsets. NULL when they do not line up (a '\r' overwrite
 * that moved a dropped character, a line cut for matching): then the
 * normalised value stands.
 */
static char *capture_as_shown(const struct log *log, size_t line, size_t start, size_t end)
{
	static const char shown[] = "\xef\xbf\xbd";
	const char *norm = log_line_norm(log, line);
	struct strbuf disp = STRBUF_INIT;
	size_t m = log->lines[line].norm_length, d, dstart = 0, dend = 0;
	char *value = NULL;

	display_line(log_line_text(log, line), log->lines[line].length, 0, &disp);
	d = disp.len;
	while (m > start) {
		if (d && norm[m - 1] == disp.buf[d - 1]) {
			if (m == end)
				dend = d;
			m--;
			d--;
			if (m == start)
				dstart = d;
		} else if (d >= 3 && !memcmp(disp.buf + d - 3, shown, 3)) {
			d -= 3;
		} else {
			goto out;
		}
	}
	if ((disp.buf[dstart] & 0xc0) == 0x80 || (dend < disp.len && (disp.buf[dend] & 0xc0) == 0x80))
		goto out;
	value = xstrndup(disp.buf + dstart, dend - dstart);
out:
	strbuf_release(&disp);
	return value;
}

/* Offsets of the capture named name in md (the first set group of that name,
 * as pcre2_substring_get_byname picks it); false when none is set. */
static bool capture_offsets(const pcre2_code *code, pcre2_match_data *md, const char *name,
			    size_t *start, size_t *end)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	uint32_t pairs = pcre2_get_ovector_count(md), entry_size = 0;
	PCRE2_SPTR first, last, e;

	if (pcre2_substring_nametable_scan(code, (PCRE2_SPTR)name, &first, &last) < 0)
		return false;
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
	for (e = first; e <= last; e += entry_size) {
		uint32_t n = (uint32_t)e[0] << 8 | e[1];

		if (n < pairs && ov[2 * n] != PCRE2_UNSET) {
			*start = ov[2 * n];
			*end = ov[2 * n + 1];
			return true;
		}
	}
	return false;
}

static void record(struct rule_hits *h, const struct log *log, size_t line,
		   pcre2_match_data *md)
{
	size_t i;
	int hidden = -1; /* whether the line hides characters: not known yet */

	if (h->lines_nr < MATCH_EVIDENCE_MAX)
		h->lines[h->lines_nr++] = line;
	if (log->phases.failed != PHASE_NONE &&
	    log->lines[line].phase == log->phases.failed)
		h->in_failed_phase = true;
	for (i = 0; i < h->captures_nr; i++) {
		struct capture *c = &h->captures[i];
		PCRE2_UCHAR *value;
		PCRE2_SIZE len;
		size_t k, start, end;
		char *shown = NULL;
		const char *v;

		if (c->values.nr >= MATCH_VALUES_MAX && c->first)
			continue;
		if (pcre2_substring_get_byname(md, (PCRE2_SPTR)c->name, &value, &len))
			continue; /* this alternative does not set the group */
		if (hidden < 0)
			hidden = hides_characters(log_line_text(log, line), log->lines[line].length);
		if (hidden && len && capture_offsets(h->rule->code, md, c->name, &start, &end) &&
		    start >= log->lines[line].norm_offset &&
		    end <= log->lines[line].norm_offset + log->lines[line].norm_length)
			shown = capture_as_shown(log, line, start - log->lines[line].norm_offset,
						 end - log->lines[line].norm_offset);
		v = shown ? shown : (const char *)value;
		if (!c->first && h->count == 0)
			c->first = xstrdup(v);
		for (k = 0; k < c->values.nr; k++)
			if (!strcmp(c->values.items[k], v))
				break;
		if (k == c->values.nr && c->values.nr < MATCH_VALUES_MAX)
			string_list_append(&c->values, v);
		free(shown);
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

/* A match of rule r was found starting on line (its text ends at line_end):
 * record the line when the match lies within it, or, when the match ran
 * into the next line (\s or a negated class can cross '\n'), when the rule
 * matches again within this line alone, as rules have per-line meaning.
 * False after a PCRE2 limit (warned about): the rule stops. */
static bool take_match(struct matcher *m, const struct rule *r, const struct log *log,
		       size_t line, size_t line_end, struct rule_hits *h,
		       struct causes *warnings)
{
	int rc = 1;

	if (pcre2_get_ovector_pointer(m->md)[1] > line_end) {
		rc = run(m, r->code, log->norm.buf, line_end, log->lines[line].norm_offset);
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			warn_limit(warnings, r, rc);
			return false;
		}
	}
	if (rc > 0)
		record(h, log, line, m->md);
	return true;
}

/* Scan the whole normalised buffer with one rule. */
static void match_rule(struct matcher *m, const struct rule *r, const struct log *log,
		       struct rule_hits *h, struct causes *warnings)
{
	const char *buf = log->norm.buf;
	size_t len = log->norm.len, start = 0;

	while (start < len) {
		size_t line, line_end;
		int rc = run(m, r->code, buf, len, start);

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			warn_limit(warnings, r, rc);
			break;
		}
		line = log_line_at(log, pcre2_get_ovector_pointer(m->md)[0]);
		line_end = log->lines[line].norm_offset + log->lines[line].norm_length;
		if (!take_match(m, r, log, line, line_end, h, warnings))
			break;
		start = line_end + 1;
	}
}

/*
 * The same as match_rule, visiting only the lines that hold one of the
 * rule's literals. It finds the same lines: a line is recorded when a match
 * starts on it and either ends on it or, retried within the line, matches
 * there; either way that match lies within the line, so the line holds a
 * literal. Whether a match starts on a line does not depend on where the
 * search began, so skipping the lines between candidates changes nothing.
 */
static void match_rule_lines(struct matcher *m, const struct rule *r, const struct log *log,
			     const struct prefilter_rule *pr, struct rule_hits *h,
			     struct causes *warnings)
{
	const char *buf = log->norm.buf;
	size_t len = log->norm.len, start = 0, i;

	for (i = 0; i < pr->starts_nr; i++) {
		size_t line, line_start, line_end;
		int rc;

		if (pr->starts[i] < start)
			continue; /* another literal on a line already done */
		line = log_line_at(log, pr->starts[i]);
		line_start = log->lines[line].norm_offset;
		line_end = line_start + log->lines[line].norm_length;
		start = line_end + 1;
		rc = run_limited(m, r->code, buf, len, line_start, line_end);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0) {
			warn_limit(warnings, r, rc);
			break;
		}
		if (!take_match(m, r, log, line, line_end, h, warnings))
			break;
	}
}

static void match_all(const struct ruleset *rs, const struct log *log, bool filter,
		      struct match_result *out, struct causes *warnings)
{
	struct matcher m;
	struct prefilter pf;
	size_t i, k;

	matcher_init(&m);
	prefilter_init(&pf, rs);
	if (filter)
		prefilter_scan(&pf, log->norm.buf, log->norm.len);
	else
		for (i = 0; i < pf.nr; i++)
			pf.rules[i].filtered = false;
	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];
		const struct prefilter_rule *pr = &pf.rules[i];
		struct rule_hits h;

		if (pr->filtered && !pr->starts_nr)
			continue; /* none of its literals occurs: it cannot match */
		if (rs->jit)
			pcre2_jit_ensure(r->code);
		memset(&h, 0, sizeof(h));
		h.rule = r;
		h.captures_nr = r->names_nr;
		h.captures = xcalloc(r->names_nr ? r->names_nr : 1, sizeof(*h.captures));
		for (k = 0; k < r->names_nr; k++)
			h.captures[k].name = r->names[k];
		if (pr->filtered && can_limit(r->code))
			match_rule_lines(&m, r, log, pr, &h, warnings);
		else
			match_rule(&m, r, log, &h, warnings);
		if (!h.count) {
			rule_hits_release(&h);
			continue;
		}
		ALLOC_GROW(out->hits, out->nr + 1, out->alloc);
		out->hits[out->nr++] = h;
	}
	prefilter_release(&pf);
	matcher_release(&m);
}

void match_log(const struct ruleset *rs, const struct log *log,
	       struct match_result *out, struct causes *warnings)
{
	match_all(rs, log, true, out, warnings);
}

void match_log_scan_all(const struct ruleset *rs, const struct log *log,
			struct match_result *out, struct causes *warnings)
{
	match_all(rs, log, false, out, warnings);
}

bool rule_matches_line(const struct rule *r, const char *text, int *err)
{
	struct strbuf norm = STRBUF_INIT;
	struct matcher m;
	const char *nl = strchr(text, '\n');
	size_t first_len;
	int rc;

	/* An example is one line; lines after a '\n' are only the context a
	 * lookahead may read (dpkg names its failed packages below its error
	 * line), normalised one by one as log lines are. */
	pcre2_jit_ensure(r->code);
	matcher_init(&m);
	normalize_line(text, nl ? (size_t)(nl - text) : strlen(text), &norm, NULL);
	first_len = norm.len;
	while (nl) {
		const char *line = nl + 1;

		nl = strchr(line, '\n');
		strbuf_addch(&norm, '\n');
		{
			struct strbuf one = STRBUF_INIT;

			normalize_line(line, nl ? (size_t)(nl - line) : strlen(line), &one, NULL);
			strbuf_add(&norm, one.buf, one.len);
			strbuf_release(&one);
		}
	}
	rc = run_limited(&m, r->code, norm.buf, norm.len, 0, first_len);
	if (rc > 0 && pcre2_get_ovector_pointer(m.md)[1] > first_len)
		rc = run(&m, r->code, norm.buf, first_len, 0); /* as in match_rule */
	*err = rc < 0 && rc != PCRE2_ERROR_NOMATCH ? rc : 0;
	matcher_release(&m);
	strbuf_release(&norm);
	return rc > 0;
}
