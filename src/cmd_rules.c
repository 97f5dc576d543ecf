/* cmd_rules.c - `buildsleuth rules list|check|test`: show the rule set, lint
 * it, and run every rule's own examples. */
#include <stdio.h>
#include <string.h>

#include "buildsleuth/cli.h"
#include "buildsleuth/json.h"
#include "buildsleuth/match.h"
#include "buildsleuth/util.h"

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
	size_t i;

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

static void lint_placeholders(const struct rule *r, const char *field, const char *text,
			      struct causes *problems)
{
	const char *p = text;
	size_t k;

	while ((p = strchr(p, '{'))) {
		const char *end = p + 1;

		while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
		       (*end >= '0' && *end <= '9') || *end == '_')
			end++;
		if (*end == '}' && end > p + 1)
			for (k = 0; k < r->patterns_nr; k++)
				if (!pattern_has_name(r->each[k], p + 1, (size_t)(end - p - 1)))
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

/* The lint of `rules check`, beyond what loading already enforces. */
static void lint(const struct ruleset *rs, struct causes *problems)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t i, k, j, m;

	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = rs->rules[i];

		lint_placeholders(r, "summary", r->summary, problems);
		lint_placeholders(r, "hint", r->hint, problems);
		for (k = 0; k < r->names_nr; k++)
			if (!mentions(r->summary, r->names[k]) && !mentions(r->hint, r->names[k]))
				causes_add(problems, "%s: rule '%s': named group '%s' is never used in summary or hint",
					   r->origin, r->id, r->names[k]);
		for (k = 0; k < r->patterns_nr; k++) {
			if (pcre2_match(r->each[k], (PCRE2_SPTR)"", 0, 0, 0, md, NULL) >= 0)
				causes_add(problems, "%s: rule '%s': pattern %zu matches the empty string",
					   r->origin, r->id, k + 1);
			for (j = 0; j <= i; j++)
				for (m = 0; m < rs->rules[j]->patterns_nr; m++) {
					if (j == i && m >= k)
						break;
					if (!strcmp(rs->rules[j]->patterns[m], r->patterns[k]))
						causes_add(problems, "%s: rule '%s': pattern %zu repeats a pattern of rule '%s'",
							   r->origin, r->id, k + 1, rs->rules[j]->id);
				}
		}
	}
	pcre2_match_data_free(md);
}

enum exit_code cmd_rules(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct ruleset rs;
	struct strbuf out = STRBUF_INIT;
	struct causes problems = CAUSES_INIT;
	enum exit_code rc;
	const char *action;
	int first;

	ruleset_init(&rs);
	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out;
	if (argc - first != 1) {
		fprintf(stderr, "buildsleuth rules: say list, check or test (see 'buildsleuth rules --help')\n");
		rc = EXIT_USAGE;
		goto out;
	}
	action = argv[first];
	if (strcmp(action, "list") && strcmp(action, "check") && strcmp(action, "test")) {
		fprintf(stderr, "buildsleuth rules: unknown action '%s': say list, check or test\n", action);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = load_rules(opts, &rs);
	if (rc)
		goto out;
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
		strbuf_addf(&out, "rules check: %zu rules, %zu problem%s\n", rs.nr, problems.nr,
			    problems.nr == 1 ? "" : "s");
	}
	if (!write_stdout(&out))
		rc = EXIT_BAD_INPUT;
	else if (problems.nr)
		rc = EXIT_BAD_INPUT;
out:
	causes_release(&problems);
	strbuf_release(&out);
	ruleset_release(&rs);
	options_release(opts);
	return rc;
}
