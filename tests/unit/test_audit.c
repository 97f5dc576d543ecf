/* test_audit.c - the audit's pure parts: aggregation of per-build reports
 * (counts, first/last seen, examples, subjects, unknown excerpts, failures,
 * the unknown and inferred builds grouped by template, and that the order
 * lines come in never changes the output), shard hashing, --ids-from
 * parsing, ISO 8601 times, the periods and trend of --by, and CSV quoting. */
#include "unit.h"
#include "buildsleuth/audit.h"
#include "buildsleuth/audit_templates.h"
#include "buildsleuth/report_audit.h"

/* --- building per-build lines -------------------------------------------- */

struct row {
	const char *id;
	const char *created;   /* NULL: no createdAt */
	const char *rule;      /* top diagnosis; NULL: no diagnosis at all */
	const char *category;
	const char *subject;   /* a "package" capture value, or NULL */
	const char *also;      /* a second (fallback) rule that matched, or NULL */
};

/* A buildsleuth.report/v1 line for a row whose top diagnosis quotes
 * evidence last (NULL: "exit status 42") and is inferred or not. */
static void report_line_quoting(struct strbuf *out, const struct row *r, const char *evidence,
				bool inferred)
{
	strbuf_addf(out, "{\"schema\":\"buildsleuth.report/v1\",\"source\":{\"kind\":\"api\","
		    "\"build_id\":\"%s\"},\"build\":{\"id\":\"%s\",\"status\":\"%s\"", r->id, r->id,
		    r->rule ? "failed" : "success");
	if (r->created)
		strbuf_addf(out, ",\"createdAt\":\"%s\"", r->created);
	strbuf_addstr(out, ",\"errorMessage\":\"Build failed\"},\"lines\":9,\"diagnoses\":[");
	if (r->rule) {
		strbuf_addf(out, "{\"rank\":1,\"rule\":\"%s\",\"title\":\"Title of %s\","
			    "\"category\":\"%s\"", r->rule, r->rule, r->category);
		if (r->subject)
			strbuf_addf(out, ",\"captures\":{\"package\":\"%s\"},\"capture_values\":"
				    "{\"package\":[\"%s\",\"%s\"]}", r->subject, r->subject, r->subject);
		strbuf_addf(out, ",\"inferred\":%s,\"evidence\":["
			    "{\"line\":7,\"text\":\"%s\"}],", inferred ? "true" : "false",
			    evidence ? evidence : "exit status 42");
		strbuf_addstr(out, "\"context\":{\"first_line\":3,\"lines\":[\"a\",\"\",\"step 5\","
			      "\"voicebank: digest drifted\",\"exit status 42\",\"z\"]}}");
		if (r->also)
			strbuf_addf(out, ",{\"rank\":2,\"rule\":\"%s\",\"title\":\"T\",\"category\":"
				    "\"application\"}", r->also);
	}
	strbuf_addstr(out, "]}\n");
}

/* A buildsleuth.report/v1 line for a row. */
static void report_line(struct strbuf *out, const struct row *r)
{
	report_line_quoting(out, r, NULL, false);
}

static const struct row rows[] = {
	{ "b0000000-0000-4000-8000-000000000001", "2026-02-03T10:00:00.000Z", "pip.nomatch",
	  "dependency-resolution", "numpy", "step.failed" },
	{ "b0000000-0000-4000-8000-000000000002", "2026-02-01T09:00:00Z", "pip.nomatch",
	  "dependency-resolution", "torch", "step.failed" },
	{ "b0000000-0000-4000-8000-000000000003", "2026-02-05T00:00:00+02:00", "pip.nomatch",
	  "dependency-resolution", "numpy", NULL },
	{ "b0000000-0000-4000-8000-000000000004", "2026-02-04T12:00:00Z", "pip.nomatch",
	  "dependency-resolution", "numpy", NULL },
	{ "b0000000-0000-4000-8000-000000000005", "2026-02-02T00:00:00Z", "docker.copy",
	  "build-context", NULL, "step.failed" },
	{ "b0000000-0000-4000-8000-000000000006", "2026-02-06T00:00:00Z", "unknown", "unknown",
	  NULL, "step.failed" },
	{ "b0000000-0000-4000-8000-000000000007", NULL, "unknown", "unknown", NULL, NULL },
	{ "b0000000-0000-4000-8000-000000000008", "2026-02-07T00:00:00Z", NULL, NULL, NULL, NULL },
};

/* Add rows[order[i]] for every i, plus two failures, then finish. */
static void fill(struct audit *a, const size_t *order)
{
	struct strbuf err = STRBUF_INIT;
	size_t i;

	audit_init(a);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf line = STRBUF_INIT;

		report_line(&line, &rows[order[i]]);
		assert_int_equal(audit_add_line(a, line.buf, line.len, &err), AUDIT_OK);
		strbuf_release(&line);
		if (i == 3) {
			struct strbuf f = STRBUF_INIT;

			audit_fetch_error_line(&f, "b0000000-0000-4000-8000-0000000000f2", "GET /x: HTTP 500");
			assert_int_equal(audit_add_line(a, f.buf, f.len, &err), AUDIT_OK);
			strbuf_release(&f);
		}
	}
	assert_int_equal(audit_add_failure(a, "b0000000-0000-4000-8000-0000000000f1", "timed out"),
			 AUDIT_OK);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
	audit_finish(a);
}

static const size_t in_order[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void test_aggregate(void **state)
{
	struct audit a;
	const struct audit_group *g;

	(void)state;
	fill(&a, in_order);
	assert_int_equal(a.analysed, 7);
	assert_int_equal(a.classified, 5);
	assert_int_equal(a.unknown_nr, 2);
	assert_int_equal(a.nodiag_nr, 1);
	assert_int_equal(a.failures_nr, 2);
	assert_int_equal(audit_total(&a), 10);
	assert_string_equal(a.first.text, "2026-02-01T09:00:00Z");
	assert_string_equal(a.last.text, "2026-02-06T00:00:00Z");

	/* categories: most builds first, ties by name */
	assert_int_equal(a.categories_nr, 3);
	assert_string_equal(a.categories[0].key, "dependency-resolution");
	assert_int_equal(a.categories[0].builds, 4);
	assert_string_equal(a.categories[1].key, "unknown");
	assert_string_equal(a.categories[2].key, "build-context");

	/* rules: root causes first, then rules that only matched */
	g = &a.rules[0];
	assert_string_equal(g->key, "pip.nomatch");
	assert_string_equal(g->title, "Title of pip.nomatch");
	assert_string_equal(g->category, "dependency-resolution");
	assert_int_equal(g->builds, 4);
	assert_int_equal(g->matched, 4);
	assert_string_equal(g->first.text, "2026-02-01T09:00:00Z");
	/* 2026-02-05T00:00+02:00 is 2026-02-04T22:00Z: earlier than 02-04T12? no, later */
	assert_string_equal(g->last.text, "2026-02-05T00:00:00+02:00");
	/* examples: newest first, at most three */
	assert_int_equal(g->examples_nr, 3);
	assert_string_equal(g->examples[0].id, "b0000000-0000-4000-8000-000000000003");
	assert_string_equal(g->examples[1].id, "b0000000-0000-4000-8000-000000000004");
	assert_string_equal(g->examples[2].id, "b0000000-0000-4000-8000-000000000001");
	/* subjects: each value once per build, most builds first */
	assert_int_equal(g->subjects_nr, 2);
	assert_string_equal(g->subjects[0].value, "numpy");
	assert_int_equal(g->subjects[0].builds, 3);
	assert_string_equal(g->subjects[1].value, "torch");
	assert_string_equal(a.rules[1].key, "docker.copy");
	assert_string_equal(a.rules[2].key, "step.failed");
	assert_int_equal(a.rules[2].builds, 0);
	assert_int_equal(a.rules[2].matched, 4);
	assert_int_equal(a.rules_nr, 3);

	/* unknown builds: newest first, undated last; the excerpt leads up to
	 * the evidence, blank lines skipped */
	assert_string_equal(a.unknown[0].id, "b0000000-0000-4000-8000-000000000006");
	assert_string_equal(a.unknown[1].id, "b0000000-0000-4000-8000-000000000007");
	assert_int_equal(a.unknown[0].excerpt_nr, 4);
	assert_string_equal(a.unknown[0].excerpt[0].text, "a");
	assert_int_equal(a.unknown[0].excerpt[0].line, 3);
	assert_string_equal(a.unknown[0].excerpt[2].text, "voicebank: digest drifted");
	assert_false(a.unknown[0].excerpt[2].evidence);
	assert_int_equal(a.unknown[0].excerpt[3].line, 7);
	assert_true(a.unknown[0].excerpt[3].evidence);
	assert_string_equal(a.unknown[0].error_message, "Build failed");

	/* failures by ID */
	assert_string_equal(a.failures[0].id, "b0000000-0000-4000-8000-0000000000f1");
	assert_string_equal(a.failures[1].error, "GET /x: HTTP 500");
	assert_string_equal(a.nodiag[0].status, "success");
	audit_release(&a);
}

/* Every order of the same lines gives the same bytes, in every format. */
static void test_order_independent(void **state)
{
	static const size_t orders[][8] = {
		{ 7, 6, 5, 4, 3, 2, 1, 0 },
		{ 3, 0, 6, 1, 7, 4, 2, 5 },
		{ 5, 2, 7, 0, 4, 6, 1, 3 },
	};
	static const enum audit_format formats[] = {
		AUDIT_FORMAT_JSON, AUDIT_FORMAT_TEXT, AUDIT_FORMAT_MARKDOWN, AUDIT_FORMAT_CSV,
	};
	size_t f, o;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		struct audit a;
		struct strbuf want = STRBUF_INIT;

		fill(&a, in_order);
		audit_report_write(&a, formats[f], &want);
		audit_release(&a);
		for (o = 0; o < ARRAY_SIZE(orders); o++) {
			struct strbuf got = STRBUF_INIT;

			fill(&a, orders[o]);
			audit_report_write(&a, formats[f], &got);
			assert_string_equal(got.buf, want.buf);
			audit_release(&a);
			strbuf_release(&got);
		}
		strbuf_release(&want);
	}
}

/* Unknown and inferred builds by template: the same groups in any order,
 * each group's figures, and a category outside the vocabulary ignored. */
static void test_groups(void **state)
{
	static const struct row g[] = {
		{ "c0000000-0000-4000-8000-000000000001", "2026-02-03T00:00:00Z", "unknown", "unknown",
		  NULL, NULL },
		{ "c0000000-0000-4000-8000-000000000002", "2026-02-01T00:00:00Z", "unknown", "unknown",
		  NULL, NULL },
		{ "c0000000-0000-4000-8000-000000000003", "2026-02-02T00:00:00Z", "inferred.network",
		  "network", NULL, NULL },
		{ "c0000000-0000-4000-8000-000000000004", "2026-02-04T00:00:00Z", "inferred.x", "nonsense",
		  NULL, NULL },
		{ "c0000000-0000-4000-8000-000000000005", "2026-02-05T00:00:00Z", "pip.nomatch",
		  "dependency-resolution", NULL, NULL },
	};
	static const char *const quoted[] = {
		"alpha beta one two three four", "alpha beta one six seven eight",
		"alpha beta nine ten eleven twelve", "alpha beta one two 3 4",
		"alpha beta one two three four",
	};
	static const bool inferred[] = { false, false, true, true, false };
	static const size_t orders[][5] = {
		{ 0, 1, 2, 3, 4 }, { 4, 3, 2, 1, 0 }, { 2, 0, 4, 1, 3 },
	};
	struct strbuf want = STRBUF_INIT;
	size_t o, i;

	(void)state;
	for (o = 0; o < ARRAY_SIZE(orders); o++) {
		struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
		const struct audit_templates *t;
		struct audit a;

		audit_init(&a);
		for (i = 0; i < ARRAY_SIZE(g); i++) {
			struct strbuf line = STRBUF_INIT;

			report_line_quoting(&line, &g[orders[o][i]], quoted[orders[o][i]],
					    inferred[orders[o][i]]);
			assert_int_equal(audit_add_line(&a, line.buf, line.len, &err), AUDIT_OK);
			strbuf_release(&line);
		}
		audit_finish(&a);
		t = a.templates;
		/* in creation order 2, 3, 1, 4: "one six seven eight" starts a
		 * group that "one two three four" joins (3 of 6), "nine ten..."
		 * does not (2 of 6) and "one two 3 4" joins too; the known cause
		 * (5) is not grouped */
		assert_int_equal(t->nr, 2);
		assert_int_equal(t->grouped, 4);
		assert_string_equal(t->groups[0].template, "alpha beta one <*> <*> <*>");
		assert_int_equal(t->groups[0].builds, 3);
		assert_int_equal(t->groups[0].unknown, 2);
		assert_int_equal(t->groups[0].inferred, 1);
		/* "nonsense" is no category: the guess */
		assert_string_equal(t->groups[0].category, "application");
		assert_string_equal(t->groups[0].first.text, "2026-02-01T00:00:00Z");
		assert_string_equal(t->groups[0].last.text, "2026-02-04T00:00:00Z");
		assert_string_equal(t->groups[0].example, "c0000000-0000-4000-8000-000000000004");
		assert_int_equal(t->groups[0].lines_nr, 3);
		assert_string_equal(t->groups[0].lines[0], "alpha beta one six seven eight");
		assert_string_equal(t->groups[1].template, "alpha beta nine ten eleven twelve");
		assert_string_equal(t->groups[1].category, "network");
		assert_string_equal(t->groups[1].id, "suggested.7eeaf4902c34f568");
		audit_report_write(&a, AUDIT_FORMAT_JSON, &got);
		if (!o)
			strbuf_add(&want, got.buf, got.len);
		assert_string_equal(got.buf, want.buf);
		strbuf_release(&got);
		strbuf_release(&err);
		audit_release(&a);
	}
	strbuf_release(&want);
}

static void test_bad_lines(void **state)
{
	static const struct { const char *line; enum audit_result want; const char *err; } table[] = {
		{ "not json", AUDIT_BAD_LINE, "not JSON" },
		{ "[1]", AUDIT_BAD_LINE, "neither a buildsleuth.report/v1 report" },
		{ "{\"schema\":\"buildsleuth.report/v2\"}", AUDIT_BAD_LINE, "neither" },
		{ "{\"schema\":\"buildsleuth.report/v1\",\"build\":null,\"source\":{}}",
		  AUDIT_BAD_LINE, "a report without a build ID or path" },
		{ "{\"schema\":\"buildsleuth.report/v1\",\"source\":{\"path\":\"x.log\"}}",
		  AUDIT_BAD_LINE, "report for 'x.log': \"diagnoses\" is missing" },
		{ "{\"schema\":\"buildsleuth.report/v1\",\"source\":{\"path\":\"x.log\"},"
		  "\"diagnoses\":[{\"rule\":\"r\"}]}", AUDIT_BAD_LINE, "report for 'x.log': a diagnosis" },
		{ "{\"schema\":\"buildsleuth.fetch-error/v1\",\"build_id\":\"x\"}", AUDIT_BAD_LINE,
		  "a buildsleuth.fetch-error/v1 line without" },
		{ "{\"schema\":\"buildsleuth.report/v1\",\"source\":{\"path\":\"x.log\"},\"diagnoses\":[]}",
		  AUDIT_OK, "" },
		{ "{\"schema\":\"buildsleuth.report/v1\",\"source\":{\"path\":\"x.log\"},\"diagnoses\":[]}\n",
		  AUDIT_DUPLICATE, "" },
		{ "{\"schema\":\"buildsleuth.fetch-error/v1\",\"build_id\":\"x.log\",\"error\":\"e\"}",
		  AUDIT_DUPLICATE, "" },
	};
	struct audit a;
	size_t i;

	(void)state;
	audit_init(&a);
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		struct strbuf err = STRBUF_INIT;
		enum audit_result res = audit_add_line(&a, table[i].line, strlen(table[i].line), &err);

		if (res != table[i].want || strncmp(err.buf, table[i].err, strlen(table[i].err)))
			fail_msg("line %zu: got %d '%s'", i, res, err.buf);
		strbuf_release(&err);
	}
	audit_finish(&a);
	assert_int_equal(audit_total(&a), 1);
	assert_null(a.nodiag[0].status);
	audit_release(&a);
	assert_string_equal(audit_strerror(AUDIT_DUPLICATE), "build already seen");
}

static void test_fnv1a_and_shards(void **state)
{
	static const struct { const char *in; uint64_t want; } vectors[] = {
		{ "", 0xcbf29ce484222325ULL },
		{ "a", 0xaf63dc4c8601ec8cULL },
		{ "foobar", 0x85944171f73967e8ULL },
	};
	static const struct { const char *in; bool ok; unsigned long k, n; } shards[] = {
		{ "0/1", true, 0, 1 }, { "3/4", true, 3, 4 }, { "0/1000000", true, 0, 1000000 },
		{ "4/4", false, 0, 0 }, { "1/0", false, 0, 0 }, { "-1/4", false, 0, 0 },
		{ "1", false, 0, 0 }, { "1/", false, 0, 0 }, { "/4", false, 0, 0 },
		{ "1/4x", false, 0, 0 }, { "a/b", false, 0, 0 },
	};
	unsigned long counts[4] = { 0 };
	size_t i;
	char id[37];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		assert_true(audit_fnv1a(vectors[i].in, strlen(vectors[i].in)) == vectors[i].want);
	for (i = 0; i < ARRAY_SIZE(shards); i++) {
		unsigned long k = 0, n = 0;

		assert_int_equal(audit_parse_shard(shards[i].in, &k, &n), shards[i].ok);
		if (shards[i].ok) {
			assert_int_equal(k, shards[i].k);
			assert_int_equal(n, shards[i].n);
		}
	}
	/* case does not matter; the shard is FNV-1a(lowercase) mod n */
	assert_int_equal(audit_shard_of("6F1C2A3B-0002-4A5B-8C6D-000000000002", 7),
			 audit_shard_of("6f1c2a3b-0002-4a5b-8c6d-000000000002", 7));
	assert_int_equal(audit_shard_of("6f1c2a3b-0002-4a5b-8c6d-000000000002", 7),
			 audit_fnv1a("6f1c2a3b-0002-4a5b-8c6d-000000000002", 36) % 7);
	/* and spreads: 400 IDs over 4 shards, none starved */
	for (i = 0; i < 400; i++) {
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012zx", i);
		counts[audit_shard_of(id, 4)]++;
	}
	for (i = 0; i < 4; i++)
		assert_true(counts[i] > 60);
}

static void test_parse_ids(void **state)
{
	static const struct { const char *text; const char *want; size_t errors; const char *first; } table[] = {
		{ "", "", 0, NULL },
		{ "# only a comment\n\n   \n", "", 0, NULL },
		{ "6f1c2a3b-0002-4a5b-8c6d-000000000002", "6f1c2a3b-0002-4a5b-8c6d-000000000002", 0, NULL },
		{ "  6F1C2A3B-0002-4A5B-8C6D-000000000002\t# the COPY one\r\n"
		  "123e4567-e89b-12d3-a456-426614174000\r\n",
		  "6f1c2a3b-0002-4a5b-8c6d-000000000002 123e4567-e89b-12d3-a456-426614174000", 0, NULL },
		/* duplicates are kept here: the audit skips them when choosing */
		{ "123e4567-e89b-12d3-a456-426614174000\n123e4567-e89b-12d3-a456-426614174000\n",
		  "123e4567-e89b-12d3-a456-426614174000 123e4567-e89b-12d3-a456-426614174000", 0, NULL },
		{ "123e4567-e89b-12d3-a456-426614174000\nnope\n\n123e4567 e89b\n", "123e4567-e89b-12d3-a456-426614174000",
		  2, "ids.txt:2: not a build ID: 'nope' (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000)" },
		{ "123e4567-e89b-12d3-a456-42661417400g\n", "", 1,
		  "ids.txt:1: not a build ID: '123e4567-e89b-12d3-a456-42661417400g' (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000)" },
		{ "bad\x01id\n", "", 1, "ids.txt:1: not a build ID: 'bad?id' (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000)" },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		struct string_list ids = { NULL, 0, 0 };
		struct causes errors = CAUSES_INIT;
		struct strbuf got = STRBUF_INIT;
		enum audit_result res = audit_parse_ids(table[i].text, strlen(table[i].text),
							"ids.txt", &ids, &errors);

		for (k = 0; k < ids.nr; k++)
			strbuf_addf(&got, "%s%s", k ? " " : "", ids.items[k]);
		assert_string_equal(got.buf, table[i].want);
		assert_int_equal(errors.nr, table[i].errors);
		assert_int_equal(res, table[i].errors ? AUDIT_BAD_LINE : AUDIT_OK);
		if (table[i].first)
			assert_string_equal(errors.items[0], table[i].first);
		string_list_release(&ids);
		causes_release(&errors);
		strbuf_release(&got);
	}
}

static void test_parse_time(void **state)
{
	static const struct { const char *in; bool ok; double want; } table[] = {
		{ "1970-01-01", true, 0 },
		{ "2026-02-01", true, 1769904000 },
		{ "2026-02-01T00:00:00Z", true, 1769904000 },
		{ "2026-02-01T00:00:00.250Z", true, 1769904000.25 },
		{ "2026-02-01 01:30", true, 1769909400 },
		{ "2026-02-01T02:00:00+02:00", true, 1769904000 },
		{ "2026-02-01T02:00:00+0200", true, 1769904000 },
		{ "2026-01-31T22:00:00-02", true, 1769904000 },
		{ "2026-02-01t00:00:00z", true, 1769904000 },
		{ "2026-2-01", false, 0 },
		{ "2026-13-01", false, 0 },
		{ "2026-02-01T25:00", false, 0 },
		{ "2026-02-01T00", false, 0 },
		{ "2026-02-01T00:00:00.Z", false, 0 },
		{ "2026-02-01Z", false, 0 },
		{ "yesterday", false, 0 },
		{ "", false, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		double got = -1;
		bool ok = audit_parse_time(table[i].in, &got);

		if (ok != table[i].ok || (ok && (got < table[i].want - 1e-6 || got > table[i].want + 1e-6)))
			fail_msg("'%s': got %d %.3f", table[i].in, ok, got);
	}
}

static void test_period_labels(void **state)
{
	static const struct { const char *at; enum audit_by by; const char *want, *next; } table[] = {
		{ "2026-03-04T10:00:00Z", AUDIT_BY_DAY, "2026-03-04", "2026-03-05" },
		{ "2026-02-28T23:59:59Z", AUDIT_BY_DAY, "2026-02-28", "2026-03-01" },
		{ "2024-02-28T12:00:00Z", AUDIT_BY_DAY, "2024-02-28", "2024-02-29" },
		{ "2026-03-04T23:30:00-02:00", AUDIT_BY_DAY, "2026-03-05", "2026-03-06" },
		{ "1969-12-31T23:59:59Z", AUDIT_BY_DAY, "1969-12-31", "1970-01-01" },
		/* ISO weeks: Monday to Sunday, the year of their Thursday */
		{ "2026-03-02T00:00:00Z", AUDIT_BY_WEEK, "2026-W10", "2026-W11" },
		{ "2026-03-08T23:59:59Z", AUDIT_BY_WEEK, "2026-W10", "2026-W11" },
		{ "2026-01-01T00:00:00Z", AUDIT_BY_WEEK, "2026-W01", "2026-W02" },
		{ "2025-12-29T00:00:00Z", AUDIT_BY_WEEK, "2026-W01", "2026-W02" },
		{ "2025-12-28T23:59:59Z", AUDIT_BY_WEEK, "2025-W52", "2026-W01" },
		{ "2021-01-01T12:00:00Z", AUDIT_BY_WEEK, "2020-W53", "2021-W01" },
		{ "2021-01-03T12:00:00Z", AUDIT_BY_WEEK, "2020-W53", "2021-W01" },
		{ "2021-01-04T00:00:00Z", AUDIT_BY_WEEK, "2021-W01", "2021-W02" },
		{ "2020-12-31T00:00:00Z", AUDIT_BY_WEEK, "2020-W53", "2021-W01" },
		{ "2027-01-01T00:00:00Z", AUDIT_BY_WEEK, "2026-W53", "2027-W01" },
		{ "2019-12-30T00:00:00Z", AUDIT_BY_WEEK, "2020-W01", "2020-W02" },
		{ "1970-01-01T00:00:00Z", AUDIT_BY_WEEK, "1970-W01", "1970-W02" },
		{ "1969-12-29T00:00:00Z", AUDIT_BY_WEEK, "1970-W01", "1970-W02" },
		{ "2026-03-31T23:59:59Z", AUDIT_BY_MONTH, "2026-03", "2026-04" },
		{ "2026-12-15T00:00:00Z", AUDIT_BY_MONTH, "2026-12", "2027-01" },
		{ "2026-01-01T00:30:00+01:00", AUDIT_BY_MONTH, "2025-12", "2026-01" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		char label[AUDIT_PERIOD_LABEL_MAX], next[AUDIT_PERIOD_LABEL_MAX];
		double t;
		long long key;

		assert_true(audit_parse_time(table[i].at, &t));
		key = audit_period_of(t, table[i].by);
		audit_period_label(key, table[i].by, label);
		audit_period_label(audit_period_next(key, table[i].by), table[i].by, next);
		if (strcmp(label, table[i].want) || strcmp(next, table[i].next))
			fail_msg("%s by %s: got %s then %s, want %s then %s", table[i].at,
				 audit_by_name(table[i].by), label, next, table[i].want, table[i].next);
	}
}

/* --by: counts per period and category, every period in between, the
 * change against the previous one, in any order of the lines. */
static void test_trend(void **state)
{
	static const struct row trend_rows[] = {
		{ "00000000-0000-4000-8000-000000000001", "2026-03-02T10:00:00Z", "r.a", "network", NULL, NULL },
		{ "00000000-0000-4000-8000-000000000002", "2026-03-08T10:00:00Z", "r.a", "network", NULL, NULL },
		{ "00000000-0000-4000-8000-000000000003", "2026-03-03T10:00:00Z", "r.b", "dockerfile", NULL, NULL },
		{ "00000000-0000-4000-8000-000000000004", "2026-03-23T10:00:00Z", "r.b", "dockerfile", NULL, NULL },
		{ "00000000-0000-4000-8000-000000000005", NULL, "r.b", "dockerfile", NULL, NULL },
	};
	static const char want[] =
		"period,category,count,previous,change\r\n"
		"2026-W10,dockerfile,1,,\r\n"
		"2026-W10,network,2,,\r\n"
		"2026-W11,dockerfile,0,1,-1\r\n"
		"2026-W11,network,0,2,-2\r\n"
		"2026-W12,dockerfile,0,0,0\r\n"
		"2026-W12,network,0,0,0\r\n"
		"2026-W13,dockerfile,1,0,1\r\n"
		"2026-W13,network,0,0,0\r\n";
	size_t order;

	(void)state;
	for (order = 0; order < 2; order++) {
		struct audit a;
		struct strbuf out = STRBUF_INIT, cell = STRBUF_INIT;
		size_t i;

		audit_init(&a);
		audit_set_by(&a, AUDIT_BY_WEEK);
		for (i = 0; i < ARRAY_SIZE(trend_rows); i++) {
			struct strbuf line = STRBUF_INIT;

			report_line(&line, &trend_rows[order ? ARRAY_SIZE(trend_rows) - 1 - i : i]);
			assert_int_equal(audit_add_line(&a, line.buf, line.len, &out), AUDIT_OK);
			strbuf_release(&line);
		}
		audit_finish(&a);
		assert_int_equal(a.trend.undated, 1);
		audit_report_csv(&a, &out);
		assert_string_equal(out.buf, want);
		audit_trend_cell(&a.trend, 0, 0, &cell);
		strbuf_addch(&cell, '|');
		audit_trend_cell(&a.trend, 1, 1, &cell);
		strbuf_addch(&cell, '|');
		audit_trend_cell(&a.trend, 2, 0, &cell);
		strbuf_addch(&cell, '|');
		audit_trend_cell(&a.trend, 3, 0, &cell);
		assert_string_equal(cell.buf, "1|0 (-2)|0 (\xc2\xb1" "0)|1 (+1)");
		strbuf_release(&cell);
		strbuf_release(&out);
		audit_release(&a);
	}
}

static void test_csv_field(void **state)
{
	static const struct { const char *in, *want; } table[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "pip.no-matching-distribution", "pip.no-matching-distribution" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\r", "\"cr\r\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+1", "'+1" },
		{ "-----", "'-----" },
		{ "@sum", "'@sum" },
		{ "\tx", "'\tx" },
		{ "a=b", "a=b" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		/* control and invisible characters shown as U+FFFD */
		{ "evil\xe2\x80\xaegnp.exe", "evil\xef\xbf\xbdgnp.exe" },
		{ "z\xe2\x80\x8bw\xe2\x81\xa6\xd8\x9c\xef\xbb\xbf", "z\xef\xbf\xbdw\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "esc\x1b[2J\x07\xc2\x9b", "esc\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		struct strbuf sb = STRBUF_INIT;

		audit_csv_field(&sb, table[i].in);
		assert_string_equal(sb.buf, table[i].want);
		strbuf_release(&sb);
	}
}

static void test_formats(void **state)
{
	static const struct { const char *name; bool ok; enum audit_format f; } table[] = {
		{ "text", true, AUDIT_FORMAT_TEXT }, { "markdown", true, AUDIT_FORMAT_MARKDOWN },
		{ "json", true, AUDIT_FORMAT_JSON }, { "csv", true, AUDIT_FORMAT_CSV },
		{ "github", false, AUDIT_FORMAT_TEXT }, { "CSV", false, AUDIT_FORMAT_TEXT },
	};
	struct audit a;
	struct strbuf md = STRBUF_INIT, csv = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		enum audit_format f = AUDIT_FORMAT_TEXT;

		assert_int_equal(audit_format_from_name(table[i].name, &f), table[i].ok);
		assert_int_equal(f, table[i].f);
	}
	/* untrusted text cannot become markup, a formula or a broken row */
	audit_init(&a);
	assert_int_equal(audit_add_failure(&a, "x.log", "=cmd|' /C calc'!A0 <img src=x> @team `x`"),
			 AUDIT_OK);
	audit_finish(&a);
	audit_report_markdown(&a, &md);
	assert_non_null(strstr(md.buf, "<!-- buildsleuth:audit -->\n"));
	assert_non_null(strstr(md.buf, "- `x.log`: `` =cmd|' /C calc'!A0 <img src=x> @team `x` ``\n"));
	audit_report_csv(&a, &csv);
	assert_non_null(strstr(csv.buf, "\r\nnot_fetched,x.log,,,,,,,,,,'=cmd|' /C calc'!A0 <img src=x> @team `x`\r\n"));
	audit_release(&a);
	strbuf_release(&md);
	strbuf_release(&csv);
}

/* A build's ID is shown before its error only when the shown part of the
 * error does not name it. */
static void test_failure_needs_id(void **state)
{
	char id[] = "6f1c2a3b", named[] = "cannot get build 6f1c2a3b: HTTP 404",
	     other[] = "HTTP 500 internal server error", late[] = "HTTP 500; build 6f1c2a3b",
	     empty[] = "";
	struct audit_failure f = { id, named };

	(void)state;
	assert_false(audit_failure_needs_id(&f, 600));
	f.error = other;
	assert_true(audit_failure_needs_id(&f, 600));
	f.error = late;
	assert_false(audit_failure_needs_id(&f, 600));
	assert_true(audit_failure_needs_id(&f, 10)); /* cut before the ID */
	f.id = empty;
	assert_true(audit_failure_needs_id(&f, 600));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregate),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_fnv1a_and_shards),
		cmocka_unit_test(test_parse_ids),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_period_labels),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_failure_needs_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
