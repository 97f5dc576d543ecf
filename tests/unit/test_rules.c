/* test_rules.c - the rule loader: one row per kind of bad field or pattern,
 * each with the exact message; good rules, overrides and duplicates. */
#include "unit.h"
#include "buildsleuth/rules.h"
#include "buildsleuth/match.h"
#include "buildsleuth/builtin.h"

#define GOOD_TAIL \
	"\"title\": \"T\", \"category\": \"network\", \"priority\": 50, " \
	"\"patterns\": [\"boom (?<what>\\\\w+)\"], \"summary\": \"it was {what}\", " \
	"\"hint\": \"do x\", \"examples\": {\"match\": [\"boom a\"], \"nomatch\": [\"b\"]}"

struct row {
	const char *name;
	const char *json;
	const char *want; /* the first cause, exactly */
	size_t nr;        /* number of causes */
};

static const struct row rows[] = {
	{ "not JSON", "{\"rules\": [", "t.json: invalid JSON at line 1, column 12: unexpected end of input", 1 },
	{ "trailing junk", "{\"rules\": []} x", "t.json: invalid JSON at line 1, column 15: unexpected character", 1 },
	{ "wrong top level", "[]", "t.json: expected an object {\"rules\": [...]} or {\"inference\": {...}}", 1 },
	{ "rule not object", "{\"rules\": [3]}", "t.json: rule 1: must be an object", 1 },
	{ "missing id", "{\"rules\": [{" GOOD_TAIL "}]}", "t.json: rule 1: field 'id': missing", 1 },
	{ "bad id", "{\"rules\": [{\"id\": \"Pip.X\", " GOOD_TAIL "}]}",
	  "t.json: rule 'Pip.X': field 'id': must be lowercase words joined by dots, like 'pip.no-matching-distribution'", 1 },
	{ "id without dot", "{\"rules\": [{\"id\": \"pip\", " GOOD_TAIL "}]}",
	  "t.json: rule 'pip': field 'id': must be lowercase words joined by dots, like 'pip.no-matching-distribution'", 1 },
	{ "unknown field", "{\"rules\": [{\"id\": \"a.b\", \"priorty\": 3, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'priorty': unknown field", 1 },
	{ "bad category", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"net\", \"priority\": 50, "
	  "\"patterns\": [\"x\"], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'category': 'net' is not a category (requirements, "
	  "dependency-resolution, package-build, python-environment, dockerfile, build-context, "
	  "base-image, platform, system-packages, network, resources, timeout, application or "
	  "unknown)", 1 },
	{ "bad inference category", "{\"inference\": {\"tools\": [{\"key\": \"apt-get\", "
	  "\"category\": \"apt\", \"title\": \"T\", \"hint\": \"H\"}]}}",
	  "t.json: inference tools 'apt-get': field 'category': 'apt' is not a category (requirements, "
	  "dependency-resolution, package-build, python-environment, dockerfile, build-context, "
	  "base-image, platform, system-packages, network, resources, timeout, application or "
	  "unknown)", 1 },
	{ "priority out of range", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 101, "
	  "\"patterns\": [\"x\"], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'priority': must be a whole number from 0 to 100", 1 },
	{ "priority not integer", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": \"5\", "
	  "\"patterns\": [\"x\"], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'priority': must be a whole number from 0 to 100", 1 },
	{ "empty title", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [\"x\"], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'title': must not be empty", 1 },
	{ "bad pattern", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [\"ok\", \"a(b\"], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': pattern 2: missing closing parenthesis at offset 3", 1 },
	{ "no patterns", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'patterns': must hold at least one pattern", 1 },
	{ "pattern not string", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [7], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'patterns': item 1 must be a non-empty string", 1 },
	{ "unknown placeholder", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [\"x\"], \"summary\": \"s {pkg}\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'summary': placeholder {pkg} is not a named group of any pattern", 1 },
	{ "missing examples", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [\"x\"], \"summary\": \"s\", \"hint\": \"h\"}]}",
	  "t.json: rule 'a.b': field 'examples': missing", 1 },
	{ "empty match examples", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [\"x\"], \"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": []}}]}",
	  "t.json: rule 'a.b': field 'examples.match': must hold at least one line", 1 },
	{ "bad docs", "{\"rules\": [{\"id\": \"a.b\", \"docs\": \"ftp://x\", " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'docs': must be an http(s) URL", 1 },
	{ "fallback not bool", "{\"rules\": [{\"id\": \"a.b\", \"fallback\": 1, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'fallback': must be true or false", 1 },
	{ "duplicate id", "{\"rules\": [{\"id\": \"a.b\", " GOOD_TAIL "}, {\"id\": \"a.b\", " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': duplicate id (first defined in t.json); set \"override\": true to replace it on purpose", 1 },
	{ "explains not an array", "{\"rules\": [{\"id\": \"a.b\", \"explains\": \"c.d\", " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'explains': must be an array of strings", 1 },
	{ "explains item not a string", "{\"rules\": [{\"id\": \"a.b\", \"explains\": [3], " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'explains': item 1 must be a non-empty string", 1 },
	{ "explains itself", "{\"rules\": [{\"id\": \"a.b\", \"explains\": [\"c.d\", \"a.b\"], " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'explains': a rule cannot explain itself", 1 },
	{ "explains twice", "{\"rules\": [{\"id\": \"a.b\", \"explains\": [\"c.d\", \"c.d\"], " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'explains': 'c.d' is listed twice", 1 },
	{ "location not an object", "{\"rules\": [{\"id\": \"a.b\", \"location\": \"Dockerfile\", " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location': must be an object {\"file\": ..., \"line\": ...}", 1 },
	{ "location without file", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"line\": \"{what}\"}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location.file': missing", 1 },
	{ "location file not a string", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"file\": 3}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location.file': must be a non-empty string", 1 },
	{ "location file empty", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"file\": \"\"}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location.file': must be a non-empty string", 1 },
	{ "location line a number", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"file\": \"x\", \"line\": 12}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location.line': must be a non-empty string", 1 },
	{ "location unknown key", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"file\": \"x\", \"column\": \"1\"}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location': unknown key 'column'", 1 },
	{ "location file placeholder not a group", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"file\": \"{path}\"}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location.file': placeholder {path} is not a named group of any pattern", 1 },
	{ "location line placeholder not a group", "{\"rules\": [{\"id\": \"a.b\", \"location\": {\"file\": \"{dockerfile}\", \"line\": \"{line}\"}, " GOOD_TAIL "}]}",
	  "t.json: rule 'a.b': field 'location.line': placeholder {line} is not a named group of any pattern", 1 },
	{ "dockerfile placeholder only in a location", "{\"rules\": [{\"id\": \"a.b\", \"title\": \"T\", \"category\": \"network\", \"priority\": 5, "
	  "\"patterns\": [\"x\"], \"summary\": \"in {dockerfile}\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}",
	  "t.json: rule 'a.b': field 'summary': placeholder {dockerfile} is not a named group of any pattern", 1 },
	{ "several problems at once", "{\"rules\": [{\"id\": \"A\", \"x\": 3, " GOOD_TAIL "}]}",
	  "t.json: rule 'A': field 'id': must be lowercase words joined by dots, like 'pip.no-matching-distribution'", 2 },
};

static void test_bad_rules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ruleset rs;
		struct causes causes = CAUSES_INIT;
		enum rules_result res;

		ruleset_init(&rs);
		res = ruleset_load_buffer(&rs, "t.json", rows[i].json, strlen(rows[i].json), false, &causes);
		if (res != RULES_INVALID || !causes.nr)
			fail_msg("%s: loaded without error", rows[i].name);
		if (strcmp(causes.items[0], rows[i].want))
			fail_msg("%s: got [%s], want [%s]", rows[i].name, causes.items[0], rows[i].want);
		if (causes.nr != rows[i].nr)
			fail_msg("%s: %zu causes, want %zu", rows[i].name, causes.nr, rows[i].nr);
		causes_release(&causes);
		ruleset_release(&rs);
	}
}

/* The digest of the files loaded: the same files give the same digest,
 * another file or another cut between files another one. */
static void test_digest(void **state)
{
	static const char *const loads[][2] = {
		{ "{\"rules\": []}", NULL },
		{ "{\"rules\": []}", NULL },
		{ "{\"rules\": [] }", NULL },
		{ "{\"rules\": []}", "{\"rules\": []}" },
	};
	char digest[ARRAY_SIZE(loads)][RULESET_DIGEST_LEN + 1], empty[RULESET_DIGEST_LEN + 1];
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(loads); i++) {
		struct ruleset rs;
		struct causes causes = CAUSES_INIT;

		ruleset_init(&rs);
		if (!i)
			ruleset_digest(&rs, empty);
		for (k = 0; k < 2 && loads[i][k]; k++)
			assert_int_equal(ruleset_load_buffer(&rs, "t.json", loads[i][k],
							     strlen(loads[i][k]), false, &causes),
					 RULES_OK);
		ruleset_digest(&rs, digest[i]);
		assert_int_equal(strlen(digest[i]), RULESET_DIGEST_LEN);
		assert_int_equal(strspn(digest[i], "0123456789abcdef"), RULESET_DIGEST_LEN);
		ruleset_release(&rs);
	}
	/* FNV-1a's offset basis before any file */
	assert_string_equal(empty, "cbf29ce484222325");
	assert_string_equal(digest[0], digest[1]);
	assert_string_not_equal(digest[0], digest[2]);
	assert_string_not_equal(digest[0], digest[3]);
	assert_string_not_equal(digest[0], empty);
}

static void test_good_rule(void **state)
{
	static const char json[] = "{\"rules\": [{\"id\": \"net.boom\", " GOOD_TAIL "}]}";
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	const struct rule *r;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_buffer(&rs, "t.json", json, sizeof(json) - 1, false, &causes), RULES_OK);
	assert_int_equal(rs.nr, 1);
	r = ruleset_find(&rs, "net.boom");
	assert_non_null(r);
	assert_int_equal(r->category, CATEGORY_NETWORK);
	assert_int_equal(r->priority, 50);
	assert_int_equal(r->names_nr, 1);
	assert_string_equal(r->names[0], "what");
	assert_string_equal(r->origin, "t.json");
	ruleset_release(&rs);
}

/* An example's lines after a '\n' are context for a lookahead only: the
 * match must start on the first line, which is normalised like a log line. */
static void test_example_next_line(void **state)
{
	static const char json[] = "{\"rules\": [{\"id\": \"dpkg.x\", \"title\": \"T\", "
		"\"category\": \"system-packages\", \"priority\": 50, "
		"\"patterns\": [\"^Errors:(?=\\\\n\\\\h+(?<package>\\\\S+)$)\", \"^ only-second$\"], "
		"\"summary\": \"{package}\", \"hint\": \"h\", "
		"\"examples\": {\"match\": [\"Errors:\\n pkg\"]}}]}";
	static const struct { const char *text; bool want; } rows[] = {
		{ "Errors:\n bbb-record-core", true },
		{ "#9 1.2 Errors:\n bbb-record-core", true },
		{ "Errors:", false },
		{ "Errors:\nnot indented", false },
		{ "something\n only-second", false },
		{ " only-second\nErrors:", true },
	};
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	const struct rule *r;
	size_t i;
	int err;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_buffer(&rs, "t.json", json, sizeof(json) - 1, false, &causes), RULES_OK);
	r = ruleset_find(&rs, "dpkg.x");
	assert_non_null(r);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(rule_matches_line(r, rows[i].text, &err), rows[i].want);
		assert_int_equal(err, 0);
	}
	ruleset_release(&rs);
}

static void test_override(void **state)
{
	static const char first[] = "{\"rules\": [{\"id\": \"net.boom\", " GOOD_TAIL "}]}";
	static const char second[] = "{\"rules\": [{\"id\": \"net.boom\", \"override\": true, "
		"\"title\": \"New\", \"category\": \"resources\", \"priority\": 10, \"patterns\": [\"x\"], "
		"\"summary\": \"s\", \"hint\": \"h\", \"examples\": {\"match\": [\"x\"]}}]}";
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_buffer(&rs, "a.json", first, sizeof(first) - 1, true, &causes), RULES_OK);
	assert_int_equal(ruleset_load_buffer(&rs, "b.json", second, sizeof(second) - 1, false, &causes), RULES_OK);
	assert_int_equal(rs.nr, 1);
	assert_string_equal(rs.rules[0]->title, "New");
	assert_string_equal(rs.rules[0]->origin, "b.json");
	assert_false(rs.rules[0]->builtin);
	ruleset_release(&rs);
}

static void test_missing_dir(void **state)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_dir(&rs, "/nonexistent/rules", &causes), RULES_INVALID);
	assert_string_equal(causes.items[0],
			    "cannot open rules folder '/nonexistent/rules': No such file or directory");
	causes_release(&causes);
	ruleset_release(&rs);
}

/* A rule with this id, explaining these ids (a JSON array's inside). */
#define EXPLAINING(id, ids) \
	"{\"id\": \"" id "\", \"explains\": [" ids "], " GOOD_TAIL "}"

struct link_row {
	const char *name;
	const char *json;
	const char *want; /* the first cause, exactly; NULL: links */
	size_t nr;        /* number of causes */
};

static const struct link_row link_rows[] = {
	{ "unknown id", "{\"rules\": [" EXPLAINING("a.b", "\"c.d\", \"x.y\"") ", " EXPLAINING("c.d", "") "]}",
	  "t.json: rule 'a.b': field 'explains': unknown rule 'x.y'", 1 },
	{ "two rules, one cycle", "{\"rules\": [" EXPLAINING("a.b", "\"c.d\"") ", " EXPLAINING("c.d", "\"a.b\"") "]}",
	  "t.json: rule 'a.b': field 'explains': cycle a.b -> c.d -> a.b", 1 },
	{ "three rules, one cycle", "{\"rules\": [" EXPLAINING("a.b", "\"c.d\"") ", " EXPLAINING("c.d", "\"e.f\"") ", "
	  EXPLAINING("e.f", "\"a.b\"") "]}",
	  "t.json: rule 'a.b': field 'explains': cycle a.b -> c.d -> e.f -> a.b", 1 },
	{ "a cycle entered from outside", "{\"rules\": [" EXPLAINING("x.y", "\"c.d\"") ", " EXPLAINING("a.b", "\"c.d\"") ", "
	  EXPLAINING("c.d", "\"e.f\"") ", " EXPLAINING("e.f", "\"c.d\"") "]}",
	  "t.json: rule 'c.d': field 'explains': cycle c.d -> e.f -> c.d", 1 },
	{ "two cycles", "{\"rules\": [" EXPLAINING("a.b", "\"c.d\", \"e.f\"") ", " EXPLAINING("c.d", "\"a.b\"") ", "
	  EXPLAINING("e.f", "\"a.b\"") "]}",
	  "t.json: rule 'a.b': field 'explains': cycle a.b -> c.d -> a.b", 2 },
	{ "a diamond is no cycle", "{\"rules\": [" EXPLAINING("a.b", "\"c.d\", \"e.f\"") ", " EXPLAINING("c.d", "\"g.h\"") ", "
	  EXPLAINING("e.f", "\"g.h\"") ", " EXPLAINING("g.h", "") "]}", NULL, 0 },
	{ "explaining a later rule", "{\"rules\": [" EXPLAINING("a.b", "\"c.d\"") ", " EXPLAINING("c.d", "") "]}", NULL, 0 },
};

static void test_link(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(link_rows) / sizeof(link_rows[0]); i++) {
		const struct link_row *row = &link_rows[i];
		struct ruleset rs;
		struct causes causes = CAUSES_INIT;
		enum rules_result res;

		ruleset_init(&rs);
		if (ruleset_load_buffer(&rs, "t.json", row->json, strlen(row->json), false, &causes))
			fail_msg("%s: does not load: %s", row->name, causes.items[0]);
		res = ruleset_link(&rs, &causes);
		if (!row->want) {
			if (res != RULES_OK || causes.nr)
				fail_msg("%s: %s", row->name, causes.nr ? causes.items[0] : "RULES_INVALID");
			for (k = 0; k < rs.nr; k++) {
				const struct rule *r = rs.rules[k];
				size_t e;

				for (e = 0; e < r->explains.nr; e++)
					if (r->explains_rules[e] != ruleset_find(&rs, r->explains.items[e]))
						fail_msg("%s: %s explains[%zu] not resolved", row->name, r->id, e);
			}
		} else {
			if (res != RULES_INVALID || !causes.nr)
				fail_msg("%s: linked without error", row->name);
			if (strcmp(causes.items[0], row->want))
				fail_msg("%s: got [%s], want [%s]", row->name, causes.items[0], row->want);
			if (causes.nr != row->nr)
				fail_msg("%s: %zu causes, want %zu", row->name, causes.nr, row->nr);
		}
		causes_release(&causes);
		ruleset_release(&rs);
	}
}

/* explains and location parsed; an override replaces them; ids resolve
 * across files, and only once everything is loaded. */
static void test_explains_location_override(void **state)
{
	static const char first[] = "{\"rules\": ["
		"{\"id\": \"net.cause\", \"explains\": [\"net.boom\"], "
		"\"location\": {\"file\": \"{dockerfile}\", \"line\": \"{what}\"}, " GOOD_TAIL "}, "
		EXPLAINING("net.boom", "") "]}";
	static const char second[] = "{\"rules\": [{\"id\": \"net.cause\", \"override\": true, "
		"\"explains\": [\"other.rule\"], \"location\": {\"file\": \"{what}\"}, " GOOD_TAIL "}]}";
	static const char third[] = "{\"rules\": [" EXPLAINING("other.rule", "") "]}";
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	const struct rule *r;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_buffer(&rs, "a.json", first, sizeof(first) - 1, true, &causes), RULES_OK);
	r = ruleset_find(&rs, "net.cause");
	assert_non_null(r->location);
	assert_string_equal(r->location->file, "{dockerfile}");
	assert_string_equal(r->location->line, "{what}");
	assert_int_equal(r->explains.nr, 1);
	assert_null(r->explains_rules);
	assert_null(ruleset_find(&rs, "net.boom")->location);

	/* other.rule comes only with the third file: no error before linking */
	assert_int_equal(ruleset_load_buffer(&rs, "b.json", second, sizeof(second) - 1, false, &causes), RULES_OK);
	assert_int_equal(ruleset_load_buffer(&rs, "c.json", third, sizeof(third) - 1, false, &causes), RULES_OK);
	assert_int_equal(ruleset_link(&rs, &causes), RULES_OK);
	r = ruleset_find(&rs, "net.cause");
	assert_string_equal(r->location->file, "{what}");
	assert_null(r->location->line);
	assert_int_equal(r->explains.nr, 1);
	assert_string_equal(r->explains.items[0], "other.rule");
	assert_ptr_equal(r->explains_rules[0], ruleset_find(&rs, "other.rule"));
	/* linking twice is harmless */
	assert_int_equal(ruleset_link(&rs, &causes), RULES_OK);
	assert_ptr_equal(r->explains_rules[0], ruleset_find(&rs, "other.rule"));
	assert_int_equal(causes.nr, 0);
	ruleset_release(&rs);
}

/* The built-in rules take the codes compiled at build time; codes a PCRE2
 * library refuses (here: another version in their header) or none at all
 * leave every rule compiled at load instead, to the same expression: the
 * same size, group names and verdict on each of its examples. */
static void test_builtin_codes(void **state)
{
	struct ruleset built, compiled, none;
	struct causes causes = CAUSES_INIT;
	unsigned char *other = xmalloc(builtin_codes_len);
	size_t i, k;

	(void)state;
	assert_true(builtin_codes_len > 16);
	memcpy(other, builtin_codes, builtin_codes_len);
	other[4] ^= 0x01; /* the major and minor version, after the magic */
	ruleset_init(&built);
	ruleset_init(&compiled);
	ruleset_init(&none);
	assert_int_equal(ruleset_load_builtin(&built, &causes), RULES_OK);
	assert_int_equal(ruleset_load_builtin_codes(&compiled, other, builtin_codes_len, &causes),
			 RULES_OK);
	assert_int_equal(ruleset_load_builtin_codes(&none, NULL, 0, &causes), RULES_OK);
	assert_int_equal(causes.nr, 0);
	assert_int_equal(built.nr, builtin_code_sources_nr);
	assert_int_equal(built.precompiled, built.nr);
	assert_int_equal(compiled.precompiled, 0);
	assert_int_equal(none.precompiled, 0);
	assert_int_equal(compiled.nr, built.nr);
	assert_int_equal(none.nr, built.nr);
	for (i = 0; i < built.nr; i++) {
		const struct rule *a = built.rules[i], *b = compiled.rules[i];
		size_t size_a = 0, size_b = 0;

		assert_string_equal(a->id, b->id);
		pcre2_pattern_info(a->code, PCRE2_INFO_SIZE, &size_a);
		pcre2_pattern_info(b->code, PCRE2_INFO_SIZE, &size_b);
		assert_int_equal(size_a, size_b);
		assert_int_equal(a->names_nr, b->names_nr);
		for (k = 0; k < a->names_nr; k++)
			assert_string_equal(a->names[k], b->names[k]);
		for (k = 0; k < a->match_examples.nr; k++) {
			int err_a, err_b;

			assert_true(rule_matches_line(a, a->match_examples.items[k], &err_a));
			assert_true(rule_matches_line(b, a->match_examples.items[k], &err_b));
		}
	}
	ruleset_release(&built);
	ruleset_release(&compiled);
	ruleset_release(&none);
	causes_release(&causes);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_good_rule),
		cmocka_unit_test(test_example_next_line),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_missing_dir),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_explains_location_override),
		cmocka_unit_test(test_builtin_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
