/* test_api.c - the API module's pure parts: build ID (UUID) checks, the
 * loopback rule for http://, base URL and key resolution, the overlap that
 * stitches watch's polls, entry identity, filling a source, the synthetic
 * timeout diagnosis; and the calls themselves against the fake API server
 * with an injected clock (Retry-After honoured without sleeping). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "buildsleuth/http.h"
#include "buildsleuth/analysis.h"
#include "buildsleuth/api.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/fetch.h"
#include "buildsleuth/json.h"

static void test_build_id(void **state)
{
	static const struct { const char *id; bool ok; } rows[] = {
		{ "123e4567-e89b-12d3-a456-426614174000", true },
		{ "6F1C2A3B-0001-4A5B-8C6D-000000000001", true },
		{ "00000000-0000-4000-8000-000000025000", true },
		{ "", false },
		{ "nope", false },
		{ "123e4567e89b12d3a456426614174000", false },      /* no dashes */
		{ "123e4567-e89b-12d3-a456-42661417400", false },   /* short */
		{ "123e4567-e89b-12d3-a456-4266141740000", false }, /* long */
		{ "123e4567-e89b-12d3-a456-42661417400g", false },  /* not hex */
		{ "123e4567-e89b-12d3-a456_426614174000", false },
		{ "{123e4567-e89b-12d3-a456-426614174000}", false },
		{ "123e4567-e89b-12d3-a456-426614174000\n", false },
		{ "../../builds/123e4567-e89b-12d3-a456", false },
		{ "123e4567-e89b-12d3-a456-426614174000/logs", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (api_valid_build_id(rows[i].id) != rows[i].ok)
			fail_msg("'%s': expected %d", rows[i].id, rows[i].ok);
}

static void test_resolve_url(void **state)
{
	static const struct { const char *opt, *env, *want, *err; } rows[] = {
		{ NULL, NULL, "https://api.pipecat.daily.co/v1", NULL },
		{ NULL, "", "https://api.pipecat.daily.co/v1", NULL },
		{ NULL, "http://127.0.0.1:4010/v1/", "http://127.0.0.1:4010/v1", NULL },
		{ "https://example.com/v1//", "http://127.0.0.1:1/v1", "https://example.com/v1", NULL },
		{ "http://localhost:8080/v1", NULL, "http://localhost:8080/v1", NULL },
		{ "http://[::1]:8080/v1", NULL, "http://[::1]:8080/v1", NULL },
		{ "HTTPS://Example.com/v1", NULL, "HTTPS://Example.com/v1", NULL },
		{ "http://api.pipecat.daily.co/v1", NULL, NULL,
		  "--api-url 'http://api.pipecat.daily.co/v1': plain http:// would send the API key "
		  "unencrypted; use https:// (http:// is only for 127.0.0.0/8, localhost and [::1])" },
		{ NULL, "http://10.0.0.1/v1", NULL,
		  "PIPECAT_API_URL 'http://10.0.0.1/v1': plain http:// would send the API key "
		  "unencrypted; use https:// (http:// is only for 127.0.0.0/8, localhost and [::1])" },
		{ "ftp://127.0.0.1/v1", NULL, NULL,
		  "--api-url 'ftp://127.0.0.1/v1': only https:// URLs are accepted" },
		{ "https://user:secret@example.com/v1", NULL, NULL,
		  "--api-url: a user name or password in the URL is not accepted" },
		{ "https://example.com/v1?x=1", NULL, NULL,
		  "--api-url 'https://example.com/v1?x=1': the API URL cannot have a query or fragment" },
		{ "api.pipecat.daily.co/v1", NULL, NULL,
		  "--api-url: not a URL: expected https://HOST/PATH" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf err = STRBUF_INIT;
		char *url = NULL;
		enum api_result res;

		struct environment env;

		if (rows[i].env)
			setenv("PIPECAT_API_URL", rows[i].env, 1);
		else
			unsetenv("PIPECAT_API_URL");
		environment_read(&env);
		res = api_resolve_url(rows[i].opt, env.api_url, &url, &err);
		if (rows[i].want) {
			assert_int_equal(res, API_OK);
			assert_string_equal(url, rows[i].want);
			assert_int_equal(err.len, 0);
		} else {
			assert_int_equal(res, API_CONFIG);
			assert_null(url);
			assert_string_equal(err.buf, rows[i].err);
		}
		free(url);
		strbuf_release(&err);
	}
	unsetenv("PIPECAT_API_URL");
}

static char *write_tmp(const char *dir, const char *name, const char *data, size_t len,
		       mode_t mode)
{
	char *path = xstrfmt("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void test_read_key(void **state)
{
	static const struct {
		const char *file;        /* token file contents, or NULL: environment */
		size_t file_len;
		mode_t mode;
		const char *api_key, *cloud_key;
		const char *want;        /* the key, or NULL for an error */
		const char *err;         /* error, after "<subject>" */
		size_t warnings;
	} rows[] = {
		{ NULL, 0, 0, "pk_one", "pk_two", "pk_one", NULL, 0 },
		{ NULL, 0, 0, "", "pk_two", "pk_two", NULL, 0 },
		{ NULL, 0, 0, NULL, "pk_two", "pk_two", NULL, 0 },
		{ NULL, 0, 0, "pk_nl\n", NULL, "pk_nl", NULL, 0 },
		{ NULL, 0, 0, NULL, NULL, NULL,
		  "no API key: set PIPECAT_API_KEY (or PIPECAT_CLOUD_API_KEY) to a Pipecat Cloud "
		  "private API key, or use --token-file FILE", 0 },
		{ NULL, 0, 0, "", "", NULL,
		  "no API key: set PIPECAT_API_KEY (or PIPECAT_CLOUD_API_KEY) to a Pipecat Cloud "
		  "private API key, or use --token-file FILE", 0 },
		{ NULL, 0, 0, "pk bad", NULL, NULL,
		  "PIPECAT_API_KEY: the key holds a space, a control character or a non-ASCII byte", 0 },
		{ NULL, 0, 0, "pk\r\nX-Evil: 1", NULL, NULL,
		  "PIPECAT_API_KEY: the key holds a space, a control character or a non-ASCII byte", 0 },
		{ "pk_file\n", 8, 0600, "pk_env", NULL, "pk_file", NULL, 0 },
		{ "pk_file\r\n", 9, 0600, NULL, NULL, "pk_file", NULL, 0 },
		{ "pk_file", 7, 0400, NULL, NULL, "pk_file", NULL, 0 },
		{ "pk_open\n", 8, 0644, NULL, NULL, "pk_open", NULL, 1 },
		{ "pk_open\n", 8, 0640, NULL, NULL, "pk_open", NULL, 1 },
		{ "", 0, 0600, "pk_env", NULL, NULL, " is empty", 0 },
		{ "\n\n", 2, 0600, NULL, NULL, NULL, " is empty", 0 },
		{ "pk one\n", 7, 0600, NULL, NULL, NULL,
		  ": the key holds a space, a control character or a non-ASCII byte", 0 },
		{ "pk\0x\n", 5, 0600, NULL, NULL, NULL, ": the key holds a NUL byte", 0 },
	};
	char dir[] = "/tmp/buildsleuth-unit.XXXXXX";
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
		struct causes warnings = CAUSES_INIT;
		char *path = NULL, *key = NULL;
		struct environment env;
		enum api_result res;

		if (rows[i].api_key)
			setenv("PIPECAT_API_KEY", rows[i].api_key, 1);
		else
			unsetenv("PIPECAT_API_KEY");
		if (rows[i].cloud_key)
			setenv("PIPECAT_CLOUD_API_KEY", rows[i].cloud_key, 1);
		else
			unsetenv("PIPECAT_CLOUD_API_KEY");
		if (rows[i].file)
			path = write_tmp(dir, "token", rows[i].file, rows[i].file_len, rows[i].mode);
		environment_read(&env);
		res = api_read_key(path, env.api_key, env.api_key_name, &key, NULL, &warnings, &err);
		if (rows[i].want) {
			assert_int_equal(res, API_OK);
			assert_string_equal(key, rows[i].want);
		} else {
			assert_int_equal(res, API_CONFIG);
			assert_null(key);
			if (path)
				strbuf_addf(&want, "token file '%s'", path);
			strbuf_addstr(&want, rows[i].err);
			assert_string_equal(err.buf, want.buf);
		}
		assert_int_equal(warnings.nr, rows[i].warnings);
		if (warnings.nr) {
			char *w = xstrfmt("token file '%s' is accessible by group or others (mode %04o); "
					  "run: chmod 600 '%s'", path, (unsigned)rows[i].mode, path);

			assert_string_equal(warnings.items[0], w);
			free(w);
		}
		if (path) {
			unlink(path);
			free(path);
		}
		free(key);
		causes_release(&warnings);
		strbuf_release(&err);
		strbuf_release(&want);
	}
	{
		struct strbuf err = STRBUF_INIT;
		struct causes warnings = CAUSES_INIT;
		char *key = NULL, *missing = xstrfmt("%s/none", dir);
		char *want = xstrfmt("cannot open token file '%s': No such file or directory", missing);

		assert_int_equal(api_read_key(missing, NULL, NULL, &key, NULL, &warnings, &err),
				 API_CONFIG);
		assert_string_equal(err.buf, want);
		free(missing);
		free(want);
		strbuf_release(&err);
	}
	unsetenv("PIPECAT_API_KEY");
	unsetenv("PIPECAT_CLOUD_API_KEY");
	rmdir(dir);
}

/* Lines are one letter each: "abcd" is the batch a, b, c, d. */
static size_t overlap(const char *seen, const char *batch)
{
	const char *s[32], *b[32];
	static const char *const letters[] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
		"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
	};
	size_t i, ns = strlen(seen), nb = strlen(batch);

	for (i = 0; i < ns; i++)
		s[i] = letters[seen[i] - 'a'];
	for (i = 0; i < nb; i++)
		b[i] = letters[batch[i] - 'a'];
	return api_log_overlap(s, ns, b, nb);
}

static void test_overlap(void **state)
{
	static const struct { const char *seen, *batch; size_t want; } rows[] = {
		{ "", "", 0 },
		{ "", "abc", 0 },             /* first poll: everything is new */
		{ "abc", "", 0 },             /* an empty answer */
		{ "abcd", "cdef", 2 },        /* a sliding tail */
		{ "abcd", "abcd", 4 },        /* nothing new */
		{ "abcd", "bcd", 3 },         /* a shorter window, nothing new */
		{ "abcd", "efgh", 0 },        /* lines were missed */
		{ "abcd", "dxyz", 1 },
		{ "abcd", "abcdef", 4 },      /* the whole log again, then new lines */
		{ "abcdefgh", "abcdefghij", 8 },
		{ "xaaa", "aaaa", 3 },        /* repeated lines: the longest overlap */
		{ "aaaa", "aaaab", 4 },
		{ "abab", "ababab", 4 },
		{ "abcab", "abcabd", 5 },
		{ "abcabc", "abcabd", 3 },    /* KMP must fall back, not restart */
		{ "aabaab", "aabaac", 3 },
		{ "abc", "cab", 1 },
		{ "abc", "bab", 0 },          /* "b" is inside, not at the end */
		{ "abcdefghijklmnopqrstuvwxyz", "xyz", 3 },
		{ "abcdefghijklmnopqrstuvwxyz", "wxyzab", 4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		size_t got = overlap(rows[i].seen, rows[i].batch);

		if (got != rows[i].want)
			fail_msg("seen '%s', batch '%s': overlap %zu, expected %zu", rows[i].seen,
				 rows[i].batch, got, rows[i].want);
	}
}

static void test_entry_key(void **state)
{
	static const struct { const char *json, *want; } rows[] = {
		{ "\"plain line\"", "\"plain line\"" },
		{ "\"a/b \\u0000 c\"", "\"a/b \\u0000 c\"" },
		{ "{\"message\": \"m\", \"timestamp\": \"t1\"}", "{\"message\":\"m\",\"timestamp\":\"t1\"}" },
		{ "{\"log\": \"m\", \"timestamp\": \"t2\"}", "{\"log\":\"m\",\"timestamp\":\"t2\"}" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct json_object *o = json_tokener_parse(rows[i].json);
		char *key = api_entry_key(o);

		assert_string_equal(key, rows[i].want);
		free(key);
		json_object_put(o);
	}
}

static void test_source_fill(void **state)
{
	struct json_object *record = json_tokener_parse("{\"id\": \"x\", \"status\": \"failed\"}");
	struct json_object *logs = json_tokener_parse(
		"[\"one\", {\"message\": \"two\\nthree\", \"timestamp\": \"t\"}, {\"log\": \"four\"}, \"\"]");
	struct json_object *bad = json_tokener_parse("[\"one\", 5]");
	struct strbuf err = STRBUF_INIT;
	struct source src;

	(void)state;
	source_init(&src, SOURCE_FILE);
	assert_int_equal(api_source_fill(&src, "123e4567-e89b-12d3-a456-426614174000",
					 build_parse(record), logs, &err), SOURCE_OK);
	assert_int_equal(src.kind, SOURCE_API);
	assert_string_equal(src.build_id, "123e4567-e89b-12d3-a456-426614174000");
	assert_int_equal(src.build->status, BUILD_STATUS_FAILED);
	assert_string_equal(src.build->id, "x");
	assert_int_equal(src.log.nr, 5);
	assert_string_equal(log_line_text(&src.log, 2), "three\nfour\n\n");
	source_release(&src);

	source_init(&src, SOURCE_FILE);
	assert_int_equal(api_source_fill(&src, "123e4567-e89b-12d3-a456-426614174000",
					 build_parse(record), bad, &err), SOURCE_BAD);
	assert_string_equal(err.buf, "log entry 2: expected a string or an object with \"message\" or \"log\"");
	source_release(&src);
	strbuf_release(&err);
	json_object_put(record);
	json_object_put(logs);
	json_object_put(bad);
}

#define RULE(id, cat, prio, fb, pat) \
	"{\"id\": \"" id "\", \"title\": \"" id "\", \"category\": \"" cat "\", \"priority\": " #prio ", " \
	"\"fallback\": " fb ", \"patterns\": [\"" pat "\"], \"summary\": \"s\", \"hint\": \"h\", " \
	"\"examples\": {\"match\": [\"x\"]}}"

static const char rules_json[] = "{\"rules\": ["
	RULE("t.strong", "dependency-resolution", 90, "false", "STRONG") ","
	RULE("t.weak", "network", 65, "false", "WEAK") ","
	RULE("t.fallback", "unknown", 10, "true", "exit code") ","
	RULE("t.limit", "timeout", 60, "false", "TIME LIMIT")
	"]}";

/* Diagnose text as a timed-out build; return the ids in order, joined. */
static char *timeout_ids(const char *text, size_t *last_line)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	struct source src;
	struct diagnoses d;
	struct json_object *record;
	struct strbuf ids = STRBUF_INIT;
	size_t i;

	ruleset_init(&rs);
	assert_int_equal(ruleset_load_buffer(&rs, "t.json", rules_json, sizeof(rules_json) - 1,
					     false, &causes), RULES_OK);
	source_init(&src, SOURCE_API);
	record = json_tokener_parse("{\"status\": \"timeout\", "
				    "\"errorMessage\": \"Build timed out after 1800 seconds\"}");
	src.build = build_parse(record);
	json_object_put(record);
	log_add_text(&src.log, text, strlen(text));
	/* analysis_run adds the timeout diagnosis for a timed-out build */
	analysis_run(&rs, &src, &d, &causes);
	rank_add_timeout(&src.log, "twice is a no-op", &d);
	for (i = 0; i < d.nr; i++) {
		strbuf_addf(&ids, "%s%s", i ? " " : "", d.items[i].id);
		if (!strcmp(d.items[i].id, RANK_TIMEOUT_ID)) {
			assert_string_equal(d.items[i].summary, "The build was stopped at its time limit "
					    "(Build timed out after 1800 seconds); the log ends in the "
					    "step that was still running");
			assert_int_equal(d.items[i].category, CATEGORY_TIMEOUT);
			*last_line = d.items[i].first_line;
		}
	}
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
	causes_release(&causes);
	return strbuf_detach(&ids, NULL);
}

static void test_timeout_hook(void **state)
{
	static const struct { const char *text, *want; size_t line; } rows[] = {
		/* nothing matched: timeout replaces unknown */
		{ "step 1\nBuilding wheel: still running...\n\n", "build.timeout", 1 },
		/* a weak rule goes below it; a fallback is not shown beside a rule */
		{ "WEAK\nexit code 1\nlast\n", "build.timeout t.weak", 2 },
		/* a specific error above its priority stays on top */
		{ "STRONG\nWEAK\nlast\n", "t.strong build.timeout t.weak", 2 },
		/* a rule of category timeout already explains it */
		{ "TIME LIMIT\nlast\n", "t.limit", (size_t)-1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		size_t line = (size_t)-1;
		char *ids = timeout_ids(rows[i].text, &line);

		assert_string_equal(ids, rows[i].want);
		assert_int_equal(line, rows[i].line);
		free(ids);
	}
}

/* A build answer is read into the typed record, and kept as received
 * only when asked; one without a "status" string is refused. */
static void test_status(void **state)
{
	static const struct {
		const char *body;
		enum api_result result;
		enum build_status status;
		const char *err;
	} rows[] = {
		{ "{\"build\": {\"id\": \"b\", \"status\": \"building\", \"x\": 1}}", API_OK,
		  BUILD_STATUS_BUILDING, "" },
		{ "{\"build\": {\"status\": \"queued\"}}", API_OK, BUILD_STATUS_OTHER, "" },
		{ "{\"build\": {\"status\": 3}}", API_BAD_RESPONSE, BUILD_STATUS_NONE,
		  "cannot get build b: unexpected answer: the build has no \"status\" string" },
		{ "{\"build\": []}", API_BAD_RESPONSE, BUILD_STATUS_NONE,
		  "cannot get build b: unexpected answer: \"build\" is missing or not an object" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
		struct json_object *record = NULL;
		struct build *b = NULL;

		strbuf_addstr(&body, rows[i].body);
		assert_int_equal(api_read_build("b", &body, &b, &record, &err), rows[i].result);
		if (rows[i].result) {
			assert_null(b);
			assert_null(record);
		} else {
			assert_int_equal(b->status, rows[i].status);
			assert_true(json_object_is_type(record, json_type_object));
		}
		if (strcmp(err.buf, rows[i].err))
			fail_msg("row %zu: error '%s'", i, err.buf);
		build_free(b);
		json_object_put(record);
		/* without record */
		strbuf_reset(&err);
		assert_int_equal(api_read_build("b", &body, &b, NULL, &err), rows[i].result);
		build_free(b);
		strbuf_release(&body);
		strbuf_release(&err);
	}
	assert_string_equal(api_strerror(API_BAD_ID), "not a build ID");
}

/* --- paging the logs -------------------------------------------------------- */

#define PAGER_ID "7a000000-0000-4000-8000-0000000000aa"

/* Feed pager the answer body; returns what api_log_pager_read said. */
static enum api_result feed(struct api_log_pager *p, const char *body, bool *done,
			    struct causes *warnings)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	enum api_result res;

	strbuf_addstr(&sb, body);
	res = api_log_pager_read(p, &sb, done, warnings, &err);
	strbuf_release(&sb);
	strbuf_release(&err);
	return res;
}

struct pager_row {
	const char *name;
	size_t max_bytes;        /* 0: the default */
	const char *pages[6];    /* answered in turn until the pager is done */
	size_t pages_read;
	size_t entries;
	const char *warning;     /* after "GET /v1/builds/<id>/logs: page ", or NULL */
};

/* Every way a paging stops, and what it keeps. */
static void test_pager(void **state)
{
	static const struct pager_row rows[] = {
		{ "two pages", 0,
		  { "{\"logs\": [\"a\", \"b\"], \"nextToken\": \"t1\"}", "{\"logs\": [\"c\"]}" },
		  2, 3, NULL },
		{ "null and empty tokens end it", 0,
		  { "{\"logs\": [\"a\"], \"nextToken\": \"\"}" }, 1, 1, NULL },
		{ "a token seen two pages before", 0,
		  { "{\"logs\": [\"a\"], \"nextToken\": \"t1\"}", "{\"logs\": [\"b\"], \"nextToken\": \"t2\"}",
		    "{\"logs\": [\"c\"], \"nextToken\": \"t1\"}" },
		  3, 3, "3 repeated an earlier nextToken" },
		{ "the same page again, kept once", 0,
		  { "{\"logs\": [\"a\"], \"nextToken\": \"t1\"}", "{\"logs\": [\"a\"], \"nextToken\": \"t2\"}" },
		  2, 1, "2 repeated the previous page" },
		{ "an empty page with a token", 0,
		  { "{\"logs\": [\"a\"], \"nextToken\": \"t1\"}", "{\"logs\": [], \"nextToken\": \"t2\"}" },
		  2, 1, "2 brought no log entries but a nextToken" },
		{ "the byte cap: the page that passes it is left out", 12,
		  { "{\"logs\": [\"aaaa\"], \"nextToken\": \"t1\"}", "{\"logs\": [{\"message\": \"bbbbbb\"}], \"nextToken\": \"t2\"}",
		    "{\"logs\": [\"c\"]}" },
		  3, 2, "3 would take the log text past 12 bytes" },
		{ "the byte cap on a last page", 4,
		  { "{\"logs\": [\"aaaa\"]}" }, 1, 0, "1 would take the log text past 4 bytes" },
		{ "exactly at the byte cap", 5,
		  { "{\"logs\": [\"aaaa\"]}" }, 1, 1, NULL },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct pager_row *r = &rows[i];
		struct api_log_pager p;
		struct causes warnings = CAUSES_INIT;
		struct json_object *all;
		bool done = false;

		api_log_pager_init(&p, PAGER_ID);
		if (r->max_bytes)
			p.max_bytes = r->max_bytes;
		for (k = 0; !done && k < ARRAY_SIZE(r->pages) && r->pages[k]; k++)
			assert_int_equal(feed(&p, r->pages[k], &done, &warnings), API_OK);
		if (!done || k != r->pages_read)
			fail_msg("%s: done %d after %zu pages, expected %zu", r->name, done, k,
				 r->pages_read);
		all = api_log_pager_take(&p);
		if (json_object_array_length(all) != r->entries)
			fail_msg("%s: %zu entries, expected %zu", r->name,
				 json_object_array_length(all), r->entries);
		json_object_put(all);
		if (!r->warning) {
			if (warnings.nr)
				fail_msg("%s: warning %s", r->name, warnings.items[0]);
		} else {
			char expected[512];

			snprintf(expected, sizeof(expected), "the log of build " PAGER_ID ": page %s; "
				 "stopping with the %zu log entries fetched so far (the log may be "
				 "incomplete)", r->warning, r->entries);
			assert_int_equal(warnings.nr, 1);
			assert_string_equal(warnings.items[0], expected);
		}
		causes_release(&warnings);
		api_log_pager_release(&p);
	}
}

/* A server that always has one more page: the paging stops at page 1000
 * with a warning, keeping every line, and the next URL sends the last token. */
static void test_pager_cap(void **state)
{
	struct api_log_pager p;
	struct causes warnings = CAUSES_INIT;
	struct strbuf url = STRBUF_INIT;
	struct json_object *all;
	struct api api;
	char body[128];
	bool done = false;
	size_t i;

	(void)state;
	memset(&api, 0, sizeof(api));
	api.base_url = (char *)"http://127.0.0.1:1/v1";
	api_log_pager_init(&p, PAGER_ID);
	for (i = 0; !done; i++) {
		if (i > API_MAX_PAGES)
			fail_msg("still paging after %zu pages", i);
		snprintf(body, sizeof(body), "{\"logs\": [\"line %zu\"], \"nextToken\": \"tok+%zu\"}",
			 i + 1, i + 1);
		assert_int_equal(feed(&p, body, &done, &warnings), API_OK);
		if (i == 1) {
			api_log_pager_url(&p, &api, &url);
			assert_string_equal(url.buf, "http://127.0.0.1:1/v1/builds/" PAGER_ID
					    "/logs?limit=10000&nextToken=tok%2B2");
		}
	}
	assert_int_equal(i, API_MAX_PAGES);
	all = api_log_pager_take(&p);
	assert_int_equal(json_object_array_length(all), API_MAX_PAGES);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(all, 999)), "line 1000");
	assert_int_equal(warnings.nr, 1);
	assert_string_equal(warnings.items[0], "the log of build " PAGER_ID ": page 1000 still "
			    "sent a nextToken, and a build's log is read to at most 1000 pages; "
			    "stopping with the 1000 log entries fetched so far (the log may be incomplete)");
	json_object_put(all);
	causes_release(&warnings);
	api_log_pager_release(&p);
	strbuf_release(&url);
}

/* --- the calls, against tests/fake_api ------------------------------------ */

struct fake_clock {
	double slept[8];
	int sleeps;
};

static void fake_sleep(void *ctx, double seconds)
{
	struct fake_clock *fc = ctx;

	if (fc->sleeps < 8)
		fc->slept[fc->sleeps] = seconds;
	fc->sleeps++;
}

static double fake_random(void *ctx)
{
	(void)ctx;
	return 0.5;
}

static time_t fake_now(void *ctx)
{
	(void)ctx;
	return 1445412480; /* Wed, 21 Oct 2015 07:28:00 GMT */
}

#define FAKE_SERVER "tests/fake_api/fake_pipecat.py"
#define FAKE_KEY "unit-key-31c4"

/* Start the fake server with faults; its base URL goes to url. */
static pid_t fake_start(const char *faults, char *url, size_t url_size)
{
	int fds[2], port = 0;
	pid_t pid;
	FILE *in;
	char line[64];

	if (access(FAKE_SERVER, R_OK) || pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		/* no lifetime: stopped below, or gone with this process */
		execlp("python3", "python3", FAKE_SERVER, "--key", FAKE_KEY,
		       "--fault", faults, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	if (in && fgets(line, sizeof(line), in) && sscanf(line, "PORT %d", &port) == 1)
		snprintf(url, url_size, "http://127.0.0.1:%d/v1", port);
	if (in)
		fclose(in);
	else
		close(fds[0]);
	if (!port) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void test_calls(void **state)
{
	static const char faults[] = "["
		"{\"path\": \"/v1/builds\", \"kind\": \"html\", \"status\": 503, \"times\": 1, "
		" \"retry_after\": \"Wed, 21 Oct 2015 07:28:05 GMT\"},"
		"{\"path\": \"/v1/builds\", \"kind\": \"status\", \"status\": 429, \"times\": 1, "
		" \"retry_after\": \"Wed, 21 Oct 2015 07:27:00 GMT\"},"
		"{\"path\": \"/v1/builds/*\", \"kind\": \"status\", \"status\": 429, \"times\": 1, "
		" \"retry_after\": \"7\"},"
		"{\"path\": \"/v1/builds/*/logs\", \"kind\": \"object_entries\"}]";
	char url[64];
	struct api api;
	struct api_config cfg = { .timeout = 5, .retries = 2, .quiet = true,
				  .env_key = FAKE_KEY, .env_key_name = "PIPECAT_API_KEY" };
	struct fake_clock fc = { { 0 }, 0 };
	struct causes warnings = CAUSES_INIT;
	struct strbuf err = STRBUF_INIT;
	struct api_build_page page;
	struct build *build = NULL, *none = NULL;
	struct json_object *logs = NULL;
	pid_t pid;

	(void)state;
	pid = fake_start(faults, url, sizeof(url));
	if (pid < 0)
		skip(); /* not run from the repository root, or no python3 */
	cfg.api_url = url;
	assert_int_equal(api_init(&api, &cfg, &warnings, &err), API_OK);
	api.http.clock.sleep = fake_sleep;
	api.http.clock.random = fake_random;
	api.http.clock.now = fake_now;
	api.http.clock.ctx = &fc;

	/* 503 with an HTTP-date five seconds on, 429 with one a minute ago (no
	 * shorter than the backoff: 0.5 of the second retry's 1 s), the list */
	assert_int_equal(api_list_builds(&api, "failed", NULL, NULL, 2, 0, &page, &err), API_OK);
	assert_int_equal(fc.sleeps, 2);
	assert_float_equal(fc.slept[0], 5.0, 1e-9);
	assert_float_equal(fc.slept[1], 0.5, 1e-9);
	assert_int_equal(page.total, 3);
	assert_int_equal(page.nr, 2);
	api_build_page_release(&page);

	assert_int_equal(api_list_builds(&api, "failed", "eu-central", NULL, 100, 0, &page, &err),
			 API_OK);
	assert_int_equal(page.nr, 1);
	assert_string_equal(page.builds[0]->id, "123e4567-e89b-12d3-a456-426614174000");
	assert_string_equal(json_get_string(page.records[0], "id"),
			    "123e4567-e89b-12d3-a456-426614174000");
	api_build_page_release(&page);

	/* a filter value is encoded, not spliced into the query */
	assert_int_equal(api_list_builds(&api, "failed&region=us-west", NULL, NULL, 10, 0, &page,
					 &err), API_OK);
	assert_int_equal(page.total, 0);
	api_build_page_release(&page);

	/* the contextHash filter, encoded like the others */
	assert_int_equal(api_list_builds(&api, NULL, NULL,
					 "986c0dc956dc822b5d8f698661b9eb1ef880786f", 100, 0, &page,
					 &err), API_OK);
	assert_int_equal(page.total, 1);
	assert_string_equal(page.builds[0]->id, "123e4567-e89b-12d3-a456-426614174000");
	api_build_page_release(&page);
	assert_int_equal(api_list_builds(&api, "failed", NULL, "x&status=success", 100, 0, &page,
					 &err), API_OK);
	assert_int_equal(page.total, 0);
	api_build_page_release(&page);

	/* --changes' baseline: success builds created strictly before a bound */
	{
		struct latest_query q;
		struct build *found = NULL;
		size_t requests = 9;

		memset(&q, 0, sizeof(q));
		assert_true(latest_add_status(&q, BUILD_STATUS_SUCCESS));
		q.dockerfile = "./Dockerfile";
		q.region = "us-west";
		q.before = "2026-03-03T14:02:41.530Z";
		assert_int_equal(latest_find_build(&api, &q, &found, &requests, &warnings, &err),
				 API_OK);
		assert_non_null(found);
		assert_string_equal(found->id, "6f1c2a3b-0001-4a5b-8c6d-000000000001");
		assert_string_equal(found->created_at, "2026-03-02T09:15:03.120Z");
		assert_int_equal(requests, 1);
		build_free(found);
		q.before = "2026-03-02T09:15:03.120Z"; /* the same time: not before */
		assert_int_equal(latest_find_build(&api, &q, &found, &requests, &warnings, &err),
				 API_OK);
		assert_null(found);
		q.before = "yesterday"; /* unreadable: nothing is known to be before it */
		assert_int_equal(latest_find_build(&api, &q, &found, &requests, &warnings, &err),
				 API_OK);
		assert_null(found);
		assert_int_equal(requests, 0);
		q.before = NULL;
		q.context_hash = "04af9407c5407edeeb91ed61cd7c34e2ca2394c4"; /* 0002's: failed */
		assert_int_equal(latest_find_build(&api, &q, &found, &requests, &warnings, &err),
				 API_OK);
		assert_null(found);
	}

	/* 429 with Retry-After: 7, then the build */
	assert_int_equal(api_get_build(&api, "6f1c2a3b-0002-4a5b-8c6d-000000000002", &build, NULL,
				       &err), API_OK);
	assert_int_equal(fc.sleeps, 3);
	assert_float_equal(fc.slept[2], 7.0, 1e-9);
	assert_int_equal(build->status, BUILD_STATUS_FAILED);

	assert_int_equal(api_get_logs(&api, "6f1c2a3b-0002-4a5b-8c6d-000000000002", &logs,
				      &warnings, &err), API_OK);
	assert_int_equal(json_object_array_length(logs), 56);
	assert_non_null(json_get_string(json_object_array_get_idx(logs, 0), "message"));
	assert_non_null(json_get_string(json_object_array_get_idx(logs, 2), "log"));
	assert_int_equal(warnings.nr, 0);
	assert_int_equal(err.len, 0);

	assert_int_equal(api_get_build(&api, "6f1c2a3b-0002-4a5b-8c6d-00000000000", &none, NULL,
				       &err), API_BAD_ID);
	assert_null(none);
	strbuf_reset(&err);
	assert_int_equal(api_get_build(&api, "6f1c2a3b-0009-4a5b-8c6d-000000000009", &none, NULL,
				       &err), API_HTTP);
	assert_string_equal(err.buf, "cannot get build 6f1c2a3b-0009-4a5b-8c6d-000000000009: "
			    "HTTP 404 not found: Build not found (no such build: check the ID and "
			    "the API key's organisation)");
	assert_int_equal(fc.sleeps, 3);

	build_free(build);
	json_object_put(logs);
	api_release(&api);
	causes_release(&warnings);
	strbuf_release(&err);
		kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* What fetch_build said, one "note:text" a line (lines notes: their count). */
static bool record_note(void *ctx, enum fetch_note note, const char *id, const char *text,
			const struct build *build)
{
	static const char *const names[] = { "chosen", "warning", "status", "record", "lines" };
	struct strbuf *said = ctx;

	assert_true((note == FETCH_NOTE_RECORD) == (build != NULL));
	if (note == FETCH_NOTE_LINES)
		strbuf_addf(said, "lines:%zu\n", (size_t)strlen(text));
	else
		strbuf_addf(said, "%s:%s:%s\n", names[note], id ? id : "-", text);
	return true;
}

/* The one fetch path against tests/fake_api: each way of reading the log
 * says the same record, in order; --latest chooses; errors say why. */
static void test_fetch(void **state)
{
	static const struct {
		const char *id;
		const char *latest;          /* a status for --latest, or NULL */
		enum fetch_logs logs;
		bool document;
		enum fetch_result result;
		size_t lines;                /* of the source */
		const char *said, *err;
	} rows[] = {
		{ "6f1c2a3b-0002-4a5b-8c6d-000000000002", NULL, FETCH_LOGS_FAILURE, false, FETCH_OK,
		  56, "record:6f1c2a3b-0002-4a5b-8c6d-000000000002:failed\n", "" },
		/* a green build: its record, no log */
		{ "6f1c2a3b-0001-4a5b-8c6d-000000000001", NULL, FETCH_LOGS_FAILURE, false, FETCH_OK,
		  0, "record:6f1c2a3b-0001-4a5b-8c6d-000000000001:success\n", "" },
		{ "6f1c2a3b-0002-4a5b-8c6d-000000000002", NULL, FETCH_LOGS_FOLLOW, false, FETCH_OK,
		  56, "status:6f1c2a3b-0002-4a5b-8c6d-000000000002:failed\nlines:3051\n"
		  "record:6f1c2a3b-0002-4a5b-8c6d-000000000002:failed\n", "" },
		{ NULL, "timeout", FETCH_LOGS_FAILURE, false, FETCH_OK, 45,
		  "chosen:6f1c2a3b-0004-4a5b-8c6d-000000000004:build "
		  "6f1c2a3b-0004-4a5b-8c6d-000000000004: newest timeout build\n"
		  "record:6f1c2a3b-0004-4a5b-8c6d-000000000004:timeout\n", "" },
		{ NULL, "building", FETCH_LOGS_FAILURE, false, FETCH_NO_MATCH, 0, "",
		  "no build matches: status building" },
		{ "6f1c2a3b-0002", NULL, FETCH_LOGS_FAILURE, false, FETCH_BAD_ID, 0, "",
		  "invalid build ID '6f1c2a3b-0002': expected a UUID such as "
		  "123e4567-e89b-12d3-a456-426614174000" },
		{ "6f1c2a3b-0009-4a5b-8c6d-000000000009", NULL, FETCH_LOGS_FAILURE, false, FETCH_API,
		  0, "", "cannot get build 6f1c2a3b-0009-4a5b-8c6d-000000000009: HTTP 404 not found: "
		  "Build not found (no such build: check the ID and the API key's organisation)" },
		/* fetch's document: the record as received, a pending build's log too */
		{ "6f1c2a3b-0005-4a5b-8c6d-000000000005", NULL, FETCH_LOGS_ALWAYS, true, FETCH_OK,
		  0, "record:6f1c2a3b-0005-4a5b-8c6d-000000000005:pending\n", "" },
	};
	char url[64];
	pid_t pid;
	size_t i;

	(void)state;
	pid = fake_start("[]", url, sizeof(url));
	if (pid < 0)
		skip(); /* not run from the repository root, or no python3 */
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf said = STRBUF_INIT, err = STRBUF_INIT, doc = STRBUF_INIT;
		struct fetch_request req;
		struct latest_query q;
		struct source src;
		enum fetch_result res;

		memset(&req, 0, sizeof(req));
		memset(&q, 0, sizeof(q));
		req.api.api_url = url;
		req.api.env_key = FAKE_KEY;
		req.api.env_key_name = "PIPECAT_API_KEY";
		req.api.timeout = 5;
		req.api.quiet = true;
		req.id = rows[i].id;
		if (rows[i].latest) {
			assert_true(latest_add_status(&q, build_status_from_name(rows[i].latest)));
			req.latest = &q;
		}
		req.interval = 1;
		req.logs = rows[i].logs;
		req.note = record_note;
		req.ctx = &said;
		source_init(&src, SOURCE_FILE);
		res = fetch_build(&req, rows[i].document ? NULL : &src,
				  rows[i].document ? &doc : NULL, &err);
		if (res != rows[i].result || strcmp(said.buf, rows[i].said) ||
		    strcmp(err.buf, rows[i].err))
			fail_msg("row %zu: result %d, said '%s', error '%s'", i, (int)res, said.buf,
				 err.buf);
		if (src.log.nr != rows[i].lines)
			fail_msg("row %zu: %zu lines", i, src.log.nr);
		if (!res && !rows[i].document) {
			assert_int_equal(src.kind, SOURCE_API);
			assert_non_null(src.build);
			assert_ptr_equal(src.selected, req.latest);
		}
		if (rows[i].document)
			assert_true(!strncmp(doc.buf, "{\"build\":{", 10) &&
				    doc.buf[doc.len - 1] == '\n');
		else
			assert_int_equal(doc.len, 0);
		source_release(&src);
		strbuf_release(&said);
		strbuf_release(&err);
		strbuf_release(&doc);
	}
		kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_id),
		cmocka_unit_test(test_resolve_url),
		cmocka_unit_test(test_read_key),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_entry_key),
		cmocka_unit_test(test_source_fill),
		cmocka_unit_test(test_timeout_hook),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_pager),
		cmocka_unit_test(test_pager_cap),
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_fetch),
	};

	return cmocka_run_group_tests(tests, http_group_setup, http_group_teardown);
}
