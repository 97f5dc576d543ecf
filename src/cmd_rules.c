/* cmd_rules.c - `buildsleuth rules list|check|test`: show the rule set, lint
 * it (and, with --corpus, measure it on real logs), and run every rule's own
 * examples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/json_writer.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/match.h"
#include "buildsleuth/prefilter.h"
#include "buildsleuth/regex_syntax.h"
#include "buildsleuth/source.h"
#include "buildsleuth/util.h"
#include "buildsleuth/walk.h"

static void list_text(const struct ruleset *rs, struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, "%-44s %-22s %4s  %s\n", "ID", "CATEGORY", "PRIO", "FROM");
	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];

		strbuf_addf(out, "%-44s %-22s %4d%s %s%s\n", r->id, category_name(r->category),
			    r->priority, r->fallback ? "f" : " ",
			    r->builtin ? "built-in:" : "", r->origin);
	}
	strbuf_addf(out, "%zu rules\n", rs->nr);
}

static void list_json(const struct ruleset *rs, struct strbuf *out)
{
	size_t i, k;

	strbuf_addstr(out, "[");
	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];

		strbuf_addstr(out, i ? ",\n  {" : "\n  {");
		strbuf_addstr(out, "\"id\": ");
		json_add_cstr(out, r->id);
		strbuf_addstr(out, ", \"title\": ");
		json_add_cstr(out, r->title);
		strbuf_addf(out, ", \"category\": \"%s\", \"priority\": %d, \"fallback\": %s, "
			    "\"builtin\": %s, \"origin\": ", category_name(r->category),
			    r->priority, r->fallback ? "true" : "false", r->builtin ? "true" : "false");
		json_add_cstr(out, r->origin);
		strbuf_addstr(out, ", \"explains\": [");
		for (k = 0; k < r->explains.nr; k++) {
			strbuf_addstr(out, k ? ", " : "");
			json_add_cstr(out, r->explains.items[k]);
		}
		strbuf_addstr(out, "], \"location\": ");
		if (!r->location) {
			strbuf_addstr(out, "null");
		} else {
			strbuf_addstr(out, "{\"file\": ");
			json_add_cstr(out, r->location->file);
			strbuf_addstr(out, ", \"line\": ");
			if (r->location->line)
				json_add_cstr(out, r->location->line);
			else
				strbuf_addstr(out, "null");
			strbuf_addstr(out, "}");
		}
		strbuf_addstr(out, "}");
	}
	strbuf_addstr(out, "\n]\n");
}

static void list_patterns(const struct ruleset *rs, struct strbuf *out)
{
	size_t i, k;

	for (i = 0; i < rs->nr; i++)
		for (k = 0; k < rs->rules[i]->patterns_nr; k++)
			strbuf_addf(out, "%s\n", rs->rules[i]->patterns[k]);
}

/* Run each rule's examples; report failures to causes. */
static size_t test_examples(const struct ruleset *rs, struct causes *failures)
{
	size_t i, k, passed = 0;

	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];

		for (k = 0; k < r->match_examples.nr + r->nomatch_examples.nr; k++) {
			bool want = k < r->match_examples.nr;
			const char *line = want ? r->match_examples.items[k] :
				r->nomatch_examples.items[k - r->match_examples.nr];
			int err;
			bool got = rule_matches_line(r, line, &err);

			if (err) {
				struct strbuf msg = STRBUF_INIT;

				pcre2_error_text(err, &msg);
				causes_add(failures, "%s: rule '%s': example '%s': matching failed: %s",
					   r->origin, r->id, line, msg.buf);
				strbuf_release(&msg);
			} else if (got != want) {
				causes_add(failures, "%s: rule '%s': %s example does %s: %s", r->origin,
					   r->id, want ? "match" : "nomatch",
					   want ? "not match" : "match", line);
			} else {
				passed++;
			}
		}
	}
	return passed;
}

/* Whether the pattern (alone) defines a group called name. */
static bool pattern_has_name(const pcre2_code *code, const char *name, size_t len)
{
	uint32_t count, entry, i;
	PCRE2_SPTR table;

	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		const char *n = (const char *)table + i * entry + 2;

		if (strlen(n) == len && !memcmp(n, name, len))
			return true;
	}
	return false;
}

/* each[k]: pattern k of r compiled alone, NULL when it does not compile. */
static void lint_placeholders(const struct rule *r, pcre2_code *const *each, const char *field,
			      const char *text, struct causes *problems)
{
	const char *p = text;
	size_t k;

	while ((p = strchr(p, '{'))) {
		const char *end = p + 1;

		while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
		       (*end >= '0' && *end <= '9') || *end == '_')
			end++;
		/* {dockerfile} in a location is the build's, not a capture */
		if (*end == '}' && end > p + 1 &&
		    !(!strncmp(field, "location", 8) && end - p - 1 == 10 &&
		      !memcmp(p + 1, "dockerfile", 10)))
			for (k = 0; k < r->patterns_nr; k++)
				if (each[k] && !pattern_has_name(each[k], p + 1, (size_t)(end - p - 1)))
					causes_add(problems, "%s: rule '%s': %s placeholder {%.*s} is not set by pattern %zu",
						   r->origin, r->id, field, (int)(end - p - 1), p + 1, k + 1);
		p = end;
	}
}

static bool mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while ((p = strchr(p, '{'))) {
		if (!strncmp(p + 1, name, n) && p[n + 1] == '}')
			return true;
		p++;
	}
	return false;
}

/* --- nested unbounded quantifiers ------------------------------------------- */

/* Deepest group nesting followed; a deeper pattern is not checked. */
#define NEST_MAX 64
/* A repeated group, not a single-character item, among the repeats. */
#define NEST_GROUP_REPEAT SIZE_MAX

/* An unbounded repeat that can give back what it took: p[start..end) is the
 * repeated item (or start == NEST_GROUP_REPEAT). */
struct nest_repeat {
	size_t start, end;
};

struct nest_group {
	size_t first_repeat; /* its repeats are repeats[first_repeat..] */
	bool atomic;         /* (?>...) or a lookaround: never gives back */
	bool alternation;    /* a '|' directly inside */
	bool at_start;       /* no item of the body seen yet */
	int lead;            /* the literal byte the body must start with, or -1 */
	int trail;           /* the literal byte it must end with, or -1 */
};

/* Whether the item p[start..end) can match the byte c (when unsure: yes). */
static bool item_can_match(const char *p, size_t start, size_t end, int c)
{
	char *src = xstrfmt("(?:%.*s)", (int)(end - start), p + start);
	char subject[1] = { (char)c };
	pcre2_code *code;
	pcre2_match_data *md;
	int err;
	PCRE2_SIZE off;
	bool can = true;

	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
			     RULE_PCRE2_FLAGS | PCRE2_CASELESS, &err, &off, NULL);
	if (code) {
		md = pcre2_match_data_create_from_pattern(code, NULL);
		can = pcre2_match(code, (PCRE2_SPTR)subject, 1, 0, PCRE2_ANCHORED, md, NULL) >= 0;
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	free(src);
	return can;
}

/* Whether none of repeats[first..nr) can match the byte c. */
static bool none_match(const char *p, const struct nest_repeat *repeats, size_t first,
		       size_t nr, int c)
{
	size_t k;

	if (c < 0)
		return false;
	for (k = first; k < nr; k++)
		if (repeats[k].start == NEST_GROUP_REPEAT ||
		    item_can_match(p, repeats[k].start, repeats[k].end, c))
			return false;
	return true;
}

/*
 * Whether the repeats of group g (repeats[g->first_repeat..nr)) cannot share
 * one subject between iterations in two ways: the body (no alternation)
 * starts or ends with a literal none of them can match, as in (?:,[^,]*)+ or
 * (?:[a-z]+\.)+, so every iteration begins or ends exactly at that literal.
 */
static bool separated(const char *p, const struct nest_group *g,
		      const struct nest_repeat *repeats, size_t nr)
{
	return !g->alternation && (none_match(p, repeats, g->first_repeat, nr, g->lead) ||
				   none_match(p, repeats, g->first_repeat, nr, g->trail));
}

/* What the '(' at p[i] starts. */
enum paren {
	PAREN_GROUP, /* a group, with a body */
	PAREN_ITEM,  /* one item: a subroutine call, a back reference, a callout */
	PAREN_NONE,  /* nothing to match: a verb, a comment, an option setting */
};

static enum paren paren_kind(const char *p, size_t i)
{
	static const char option_letters[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-";

	if (p[i + 1] == '*')
		return PAREN_NONE; /* (*UTF) */
	if (p[i + 1] != '?')
		return PAREN_GROUP;
	if (p[i + 2] == '#' || p[i + 2 + strspn(p + i + 2, option_letters)] == ')')
		return PAREN_NONE; /* (?# ...) (?i) */
	if ((p[i + 2] && strchr("R&+-C", p[i + 2])) || (p[i + 2] >= '0' && p[i + 2] <= '9') ||
	    (p[i + 2] == 'P' && (p[i + 3] == '>' || p[i + 3] == '=')))
		return PAREN_ITEM; /* (?R) (?1) (?&name) (?P>name) (?P=name) (?C) */
	return PAREN_GROUP;
}

/* Where the body of the group opened at p[i] starts. */
static size_t group_body(const char *p, size_t i)
{
	size_t kind;

	if (p[i + 1] != '?')
		return i + 1;
	i++;
	if (p[i + 1] == '<' && (p[i + 2] == '=' || p[i + 2] == '!'))
		return i + 3; /* ?<= ?<! */
	if (p[i + 1] == '<' || p[i + 1] == 'P' || p[i + 1] == '\'') {
		/* ?<name> ?P<name> ?'name' */
		const char *end = strchr(p + i + 2, p[i + 1] == '\'' ? '\'' : '>');

		if (end)
			return (size_t)(end - p) + 1;
	}
	kind = strcspn(p + i, ":>=!|"); /* ?: ?> ?= ?! ?| ?i: */
	return p[i + kind] ? i + kind + 1 : i + kind;
}

/*
 * Nested unbounded quantifiers: a group holding a +, * or {n,} repeat that is
 * itself repeated by one, as in (a+)+ or (?:\s*\S+)*. On a long line that
 * almost matches, the ways to share it between the loops grow exponentially
 * (catastrophic backtracking; the match limits stop it, but the rule then
 * finds nothing). Possessive repeats (a++) and atomic groups (?>...) never
 * give back, and a body that starts or ends with a literal its repeats
 * cannot match has one way only. Returns the offset of the outer
 * quantifier, or -1. Extended mode (?x) is not understood; the pattern is
 * known to compile.
 */
static long nested_quantifier(const char *p)
{
	struct nest_group stack[NEST_MAX];
	struct nest_repeat *repeats = NULL;
	size_t depth = 0, nr = 0, alloc = 0, i = 0, len = strlen(p);
	long found = -1;

	memset(&stack[0], 0, sizeof(stack[0]));
	stack[0].lead = stack[0].trail = -1;
	while (p[i] && found < 0) {
		size_t start = i, end, q;
		struct nest_group closed = { 0 };
		struct regex_quantifier quant;
		bool is_group = false, repeated;
		int literal = -1;
		struct nest_group *g;

		switch (p[i]) {
		case '\\':
			i += regex_escape_len(p + i, p + len);
			if (i == start + 2 && !((p[start + 1] >= 'a' && p[start + 1] <= 'z') ||
						(p[start + 1] >= 'A' && p[start + 1] <= 'Z') ||
						(p[start + 1] >= '0' && p[start + 1] <= '9')))
				literal = (unsigned char)p[start + 1];
			break;
		case '[':
			q = regex_class_len(p + i, p + len);
			if (!q)
				goto out; /* not understood: not checked */
			i += q;
			break;
		case '(': {
			enum paren kind = paren_kind(p, i);
			const char *close = strchr(p + i, ')');

			if (kind != PAREN_GROUP) {
				i = close ? (size_t)(close - p) + 1 : strlen(p);
				if (kind == PAREN_NONE)
					continue;
				break; /* one item */
			}
			if (depth + 1 >= NEST_MAX)
				goto out;
			g = &stack[++depth];
			memset(g, 0, sizeof(*g));
			g->first_repeat = nr;
			g->at_start = true;
			g->lead = g->trail = -1;
			g->atomic = p[i + 1] == '?' &&
				(p[i + 2] == '>' || p[i + 2] == '=' || p[i + 2] == '!' ||
				 (p[i + 2] == '<' && (p[i + 3] == '=' || p[i + 3] == '!')));
			i = group_body(p, i);
			continue;
		}
		case ')':
			if (!depth)
				goto out;
			closed = stack[depth--];
			is_group = true;
			i++;
			break;
		case '|':
			stack[depth].alternation = true;
			i++;
			continue;
		case '^': case '$':
			i++;
			continue;
		default:
			if ((unsigned char)p[i] < 0x80 && p[i] != '.')
				literal = (unsigned char)p[i];
			i++;
			while ((p[i] & 0xc0) == 0x80)
				i++;
		}
		end = i;
		q = i;
		q = regex_read_quantifier(p + i, p + len, &quant);
		repeated = q > 0;
		i += q;
		g = &stack[depth];
		g->trail = repeated || is_group ? -1 : literal;
		if (g->at_start) {
			g->at_start = false;
			g->lead = g->trail;
		}
		if (is_group) {
			if (repeated && quant.unbounded && !quant.possessive && !closed.atomic &&
			    nr > closed.first_repeat && !separated(p, &closed, repeats, nr))
				found = (long)end;
			if (closed.atomic || quant.possessive)
				nr = closed.first_repeat; /* nothing inside gives back */
		}
		if (repeated && quant.unbounded && !quant.possessive) {
			ALLOC_GROW(repeats, nr + 1, alloc);
			repeats[nr].start = is_group ? NEST_GROUP_REPEAT : start;
			repeats[nr].end = end;
			nr++;
		}
	}
out:
	free(repeats);
	return found;
}

/* The lint of `rules check`, beyond what loading already enforces. */
static void lint(const struct ruleset *rs, struct causes *problems)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t i, k, j, m;

	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];
		pcre2_code **each = xcalloc(r->patterns_nr, sizeof(*each));

		/* the matcher compiles a rule's patterns only together, and a
		 * built-in rule's were never compiled alone */
		for (k = 0; k < r->patterns_nr; k++) {
			int err;
			PCRE2_SIZE off;

			each[k] = rule_pattern_compile(r, k, &err, &off);
			if (!each[k]) {
				struct strbuf msg = STRBUF_INIT;

				pcre2_error_text(err, &msg);
				causes_add(problems, "%s: rule '%s': pattern %zu: %s at offset %zu",
					   r->origin, r->id, k + 1, msg.buf, (size_t)off);
				strbuf_release(&msg);
			}
		}
		lint_placeholders(r, each, "summary", r->summary, problems);
		lint_placeholders(r, each, "hint", r->hint, problems);
		if (r->location) {
			lint_placeholders(r, each, "location file", r->location->file, problems);
			if (r->location->line)
				lint_placeholders(r, each, "location line", r->location->line, problems);
		}
		for (k = 0; k < r->names_nr; k++)
			if (!mentions(r->summary, r->names[k]) && !mentions(r->hint, r->names[k]) &&
			    !(r->subject && !strcmp(r->subject, r->names[k])) &&
			    !(r->location && (mentions(r->location->file, r->names[k]) ||
					      (r->location->line && mentions(r->location->line, r->names[k])))))
				causes_add(problems, "%s: rule '%s': named group '%s' is never used in summary, hint, subject or location",
					   r->origin, r->id, r->names[k]);
		for (k = 0; k < r->patterns_nr; k++) {
			long at;

			if (each[k] && pcre2_match(each[k], (PCRE2_SPTR)"", 0, 0, 0, md, NULL) >= 0)
				causes_add(problems, "%s: rule '%s': pattern %zu matches the empty string",
					   r->origin, r->id, k + 1);
			at = nested_quantifier(r->patterns[k]);
			if (at >= 0)
				causes_add(problems, "%s: rule '%s': pattern %zu: nested unbounded quantifiers "
					   "at offset %ld (a repeated group holding a repeat) can backtrack "
					   "catastrophically; make one repeat possessive (++, *+) or atomic "
					   "(?>...), or start each repetition with a literal the inner repeat "
					   "cannot match",
					   r->origin, r->id, k + 1, at);
			for (j = 0; j <= i; j++)
				for (m = 0; m < rs->rules[j]->patterns_nr; m++) {
					if (j == i && m >= k)
						break;
					if (!strcmp(rs->rules[j]->patterns[m], r->patterns[k]))
						causes_add(problems, "%s: rule '%s': pattern %zu repeats a pattern of rule '%s'",
							   r->origin, r->id, k + 1, rs->rules[j]->id);
				}
		}
		for (k = 0; k < r->patterns_nr; k++)
			pcre2_code_free(each[k]);
		free(each);
	}
	pcre2_match_data_free(md);
}

/* --- rules check --corpus ---------------------------------------------------- */

/* What the corpus showed of one rule. */
struct corpus_rule {
	size_t logs;          /* logs it matched */
	size_t lines;         /* lines it matched */
	size_t literal_lines; /* lines holding one of its prefilter literals */
};

struct corpus {
	struct string_list files; /* the logs to read, in path order */
	size_t logs, lines;       /* read */
	struct corpus_rule *rules; /* one per rule of the ruleset */
};

#define LITERALS_SHOWN 4 /* in a warning; more are "..." */

static bool is_corpus_file(const char *name)
{
	static const char *const extensions[] = { ".log", ".txt", ".json" };
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		size_t e = strlen(extensions[i]);

		if (n > e && !strcmp(name + n - e, extensions[i]))
			return true;
	}
	return false;
}

/* List the logs of every --corpus folder. A folder that is missing or not a
 * folder is an error (false, after its message); what cannot be read below
 * one is a warning. */
static bool corpus_list(const struct options *opts, struct corpus *c)
{
	struct causes problems = CAUSES_INIT;
	size_t i;
	bool ok = true;

	for (i = 0; i < opts->corpus_dirs_nr && ok; i++) {
		size_t before = problems.nr;

		if (walk_files(opts->corpus_dirs[i], "corpus folder", is_corpus_file, &c->files,
			       &problems) == WALK_NO_FOLDER) {
			error_msg("%s", problems.items[before]);
			ok = false;
		}
	}
	if (ok)
		print_warnings(opts, &problems);
	causes_release(&problems);
	return ok;
}

/* Count, for each rule the prefilter can filter, the lines of log holding
 * one of its literals: the lines its pattern runs on. */
static void count_literal_lines(const struct ruleset *rs, const struct log *log,
				struct corpus *c)
{
	struct prefilter pf;
	size_t i, k;

	prefilter_init(&pf, rs);
	prefilter_scan_uncapped(&pf, log->norm.buf, log->norm.len);
	for (i = 0; i < pf.nr; i++) {
		const struct prefilter_rule *pr = &pf.rules[i];
		size_t next = 0; /* past the last line counted */

		for (k = 0; pr->filtered && k < pr->starts_nr; k++) {
			size_t line;

			if (pr->starts[k] < next)
				continue; /* another literal on a line already counted */
			line = log_line_at(log, pr->starts[k]);
			next = log->lines[line].norm_offset + log->lines[line].norm_length + 1;
			c->rules[i].literal_lines++;
		}
	}
	prefilter_release(&pf);
}

/* Read the corpus one log at a time (each released before the next) and
 * count what every rule matched there. */
static void corpus_read(const struct ruleset *rs, const struct options *opts, struct corpus *c)
{
	size_t i, k;

	c->rules = xcalloc(rs->nr ? rs->nr : 1, sizeof(*c->rules));
	for (i = 0; i < c->files.nr; i++) {
		const char *path = c->files.items[i];
		struct source src;
		struct strbuf err = STRBUF_INIT;
		struct match_result res = { NULL, 0, 0 };
		struct causes warnings = CAUSES_INIT;

		source_init(&src, SOURCE_FILE);
		if (source_read_regular(&src, path, &err)) {
			warning_msg(opts, "corpus: %s", err.buf);
			goto next;
		}
		match_log(rs, &src.log, &res, &warnings);
		for (k = 0; k < warnings.nr; k++)
			warning_msg(opts, "corpus: %s: %s", path, warnings.items[k]);
		for (k = 0; k < res.nr; k++) {
			struct corpus_rule *cr = &c->rules[res.hits[k].rule->index];

			cr->logs++;
			cr->lines += res.hits[k].count;
		}
		count_literal_lines(rs, &src.log, c);
		c->logs++;
		c->lines += src.log.nr;
next:
		match_result_release(&res);
		causes_release(&warnings);
		strbuf_release(&err);
		source_release(&src);
	}
}

/* "its literal 'x' is" or "its literals 'x', 'y' are": r's literals, each
 * once. */
static void describe_literals(const struct rule *r, struct strbuf *out)
{
	struct literal_set set = { NULL, 0, 0 };
	struct strbuf list = STRBUF_INIT;
	size_t i, k, shown = 0;

	prefilter_rule_literals(r, &set);
	for (i = 0; i < set.nr; i++) {
		for (k = 0; k < i; k++)
			if (!strcmp(set.items[k].text, set.items[i].text))
				break;
		if (k < i)
			continue;
		if (shown < LITERALS_SHOWN)
			strbuf_addf(&list, "%s'%s'", shown ? ", " : "", set.items[i].text);
		else if (shown == LITERALS_SHOWN)
			strbuf_addstr(&list, ", ...");
		shown++;
	}
	strbuf_addf(out, "its literal%s %s %s", shown > 1 ? "s" : "", list.buf,
		    shown > 1 ? "are" : "is");
	strbuf_release(&list);
	literal_set_release(&set);
}

struct share {
	size_t rule, lines;
};

/* Most lines first; then in rule order. */
static int compare_share(const void *a, const void *b)
{
	const struct share *x = a, *y = b;

	if (x->lines != y->lines)
		return x->lines > y->lines ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Warn about every rule that matched no log and every rule whose literals
 * are on more than --max-literal-share of the lines; append the corpus part
 * of the summary line to out. */
static void corpus_report(const struct ruleset *rs, const struct options *opts,
			  const struct corpus *c, struct strbuf *out)
{
	struct share *shares = xcalloc(rs->nr ? rs->nr : 1, sizeof(*shares));
	size_t i, unmatched = 0, shares_nr = 0;

	for (i = 0; i < rs->nr; i++) {
		if (!c->rules[i].logs) {
			unmatched++;
			if (c->logs)
				warning_msg(opts, "rule '%s': matched no log in the corpus",
					    rs->rules[i]->id);
		}
		/* share > max, without rounding: lines * 100 > max * corpus lines */
		if (c->rules[i].literal_lines &&
		    (double)c->rules[i].literal_lines * 100 > opts->max_literal_share * (double)c->lines) {
			shares[shares_nr].rule = i;
			shares[shares_nr++].lines = c->rules[i].literal_lines;
		}
	}
	if (!c->logs)
		warning_msg(opts, "the corpus holds no log (*.log, *.txt, *.json): no rule was measured");
	if (shares_nr)
		qsort(shares, shares_nr, sizeof(*shares), compare_share);
	for (i = 0; i < shares_nr; i++) {
		struct strbuf what = STRBUF_INIT;

		describe_literals(rs->rules[shares[i].rule], &what);
		warning_msg(opts, "rule '%s': %s in %.1f%% of the corpus lines: the pattern runs on each of them",
			    rs->rules[shares[i].rule]->id, what.buf,
			    100.0 * (double)shares[i].lines / (double)c->lines);
		strbuf_release(&what);
	}
	strbuf_addf(out, "; corpus: %zu log%s, %zu line%s, %zu rule%s matched no log", c->logs,
		    c->logs == 1 ? "" : "s", c->lines, c->lines == 1 ? "" : "s", unmatched,
		    unmatched == 1 ? "" : "s");
	free(shares);
}

static void corpus_release(struct corpus *c)
{
	string_list_release(&c->files);
	free(c->rules);
	c->rules = NULL;
}

enum exit_code cmd_rules(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct ruleset rs;
	struct strbuf out = STRBUF_INIT;
	struct causes problems = CAUSES_INIT;
	struct corpus corpus;
	enum exit_code rc;
	const char *action;
	int first;

	ruleset_init(&rs);
	memset(&corpus, 0, sizeof(corpus));
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	if (argc - first != 1) {
		rc = usage_msg(cmd->name, "say list, check or test");
		goto out;
	}
	action = argv[first];
	if (strcmp(action, "list") && strcmp(action, "check") && strcmp(action, "test")) {
		rc = usage_msg(cmd->name, "unknown action '%s': say list, check or test", action);
		goto out;
	}
	if ((opts->corpus_dirs_nr || opts->max_literal_share_set) && strcmp(action, "check")) {
		rc = usage_msg(cmd->name, "--corpus and --max-literal-share go with 'rules check'");
		goto out;
	}
	if ((opts->format_set || opts->patterns) && strcmp(action, "list")) {
		rc = usage_msg(cmd->name, "--format and --patterns go with 'rules list'");
		goto out;
	}
	if (opts->max_literal_share_set && !opts->corpus_dirs_nr) {
		rc = usage_msg(cmd->name, "--max-literal-share needs --corpus DIR");
		goto out;
	}
	rc = load_rules(opts, &rs);
	if (rc)
		goto out;
	/* a corpus folder that is not there fails before any lint is printed */
	if (opts->corpus_dirs_nr && !corpus_list(opts, &corpus)) {
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (!strcmp(action, "list")) {
		if (opts->patterns)
			list_patterns(&rs, &out);
		else if (opts->format == FORMAT_JSON)
			list_json(&rs, &out);
		else
			list_text(&rs, &out);
	} else if (!strcmp(action, "test")) {
		size_t passed = test_examples(&rs, &problems);

		causes_print(&problems, stderr);
		strbuf_addf(&out, "rules test: %zu examples of %zu rules: %zu passed, %zu failed\n",
			    passed + problems.nr, rs.nr, passed, problems.nr);
	} else {
		lint(&rs, &problems);
		test_examples(&rs, &problems);
		causes_print(&problems, stderr);
		strbuf_addf(&out, "rules check: %zu rules, %zu problem%s", rs.nr, problems.nr,
			    problems.nr == 1 ? "" : "s");
		if (opts->corpus_dirs_nr) {
			corpus_read(&rs, opts, &corpus);
			corpus_report(&rs, opts, &corpus, &out);
		}
		strbuf_addch(&out, '\n');
	}
	if (!write_stdout(&out))
		rc = EXIT_BAD_INPUT;
	else if (problems.nr)
		rc = EXIT_BAD_INPUT;
out:
	corpus_release(&corpus);
	causes_release(&problems);
	strbuf_release(&out);
	ruleset_release(&rs);
	options_release(opts);
	return rc;
}
