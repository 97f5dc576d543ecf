/* test_build.c - the typed build record: status names both ways, what a
 * status says about the outcome, and records read into the struct with each
 * documented field written back as it came. */
#include <json-c/json.h>

#include "unit.h"
#include "buildsleuth/build.h"

static void test_status_names(void **state)
{
	static const struct {
		const char *name;
		enum build_status status;
		bool running, failed, decides;
		enum outcome outcome;
	} rows[] = {
		{ "pending", BUILD_STATUS_PENDING, true, false, true, OUTCOME_RUNNING },
		{ "building", BUILD_STATUS_BUILDING, true, false, true, OUTCOME_RUNNING },
		{ "success", BUILD_STATUS_SUCCESS, false, false, true, OUTCOME_SUCCESS },
		{ "failed", BUILD_STATUS_FAILED, false, true, true, OUTCOME_FAILED },
		{ "timeout", BUILD_STATUS_TIMEOUT, false, true, true, OUTCOME_FAILED },
		{ "queued", BUILD_STATUS_OTHER, false, false, false, OUTCOME_FAILED },
		{ "Failed", BUILD_STATUS_OTHER, false, false, false, OUTCOME_FAILED },
		{ "", BUILD_STATUS_OTHER, false, false, false, OUTCOME_FAILED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		enum build_status s = build_status_from_name(rows[i].name);
		enum outcome o = OUTCOME_FAILED;

		if (s != rows[i].status)
			fail_msg("row %zu: '%s' read as %d", i, rows[i].name, (int)s);
		if (s != BUILD_STATUS_OTHER)
			assert_string_equal(build_status_name(s), rows[i].name);
		assert_int_equal(build_status_running(s), rows[i].running);
		assert_int_equal(build_status_failed(s), rows[i].failed);
		assert_int_equal(build_status_outcome(s, &o), rows[i].decides);
		assert_int_equal(o, rows[i].outcome);
	}
	assert_null(build_status_name(BUILD_STATUS_NONE));
	assert_null(build_status_name(BUILD_STATUS_OTHER));
	assert_false(build_status_outcome(BUILD_STATUS_NONE, &(enum outcome){ OUTCOME_FAILED }));
}

/* Every documented field the record holds, written "name=value;" (a
 * string as s:TEXT, anything else as its JSON text). */
static char *written(const struct build *b)
{
	struct strbuf sb = STRBUF_INIT;
	const char *name, *string, *json;
	size_t f;

	for (f = 0; f < BUILD_FIELDS_NR; f++)
		if (build_field_get(b, f, &name, &string, &json))
			strbuf_addf(&sb, "%s=%s%s;", name, string ? "s:" : "", string ? string : json);
	return strbuf_detach(&sb, NULL);
}

static void test_parse(void **state)
{
	static const struct {
		const char *json;
		enum build_status status;
		const char *status_name, *region, *error_message;
		long long size;
		double duration;
		const char *written;
	} rows[] = {
		{ "{\"id\": \"b1\", \"status\": \"failed\", \"region\": \"us-west\", "
		  "\"errorMessage\": \"Docker build failed\", \"contextSizeBytes\": 61440, "
		  "\"buildDurationSeconds\": 20.50, \"logsUrl\": null, \"future\": 1}",
		  BUILD_STATUS_FAILED, "failed", "us-west", "Docker build failed", 61440, 20.5,
		  "id=s:b1;status=s:failed;region=s:us-west;errorMessage=s:Docker build failed;"
		  "logsUrl=null;contextSizeBytes=61440;buildDurationSeconds=20.50;" },
		{ "{\"status\": \"queued\", \"region\": 5, \"errorMessage\": [\"x\"]}",
		  BUILD_STATUS_OTHER, "queued", NULL, NULL, -1, -1,
		  "status=s:queued;region=5;" },
		{ "{\"status\": null, \"contextSizeBytes\": \"big\", "
		  "\"buildDurationSeconds\": true}",
		  BUILD_STATUS_NONE, NULL, NULL, NULL, -1, -1,
		  "status=null;contextSizeBytes=\"big\";buildDurationSeconds=true;" },
		{ "{\"status\": \"timeout\", \"contextSizeBytes\": NaN, "
		  "\"buildDurationSeconds\": -Infinity}",
		  BUILD_STATUS_TIMEOUT, "timeout", NULL, NULL, -1, -1,
		  "status=s:timeout;contextSizeBytes=null;buildDurationSeconds=null;" },
		{ "{}", BUILD_STATUS_NONE, NULL, NULL, NULL, -1, -1, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct json_object *obj = json_tokener_parse(rows[i].json);
		struct build *b;
		char *w;

		assert_non_null(obj);
		b = build_parse(obj);
		json_object_put(obj);
		assert_int_equal(b->status, rows[i].status);
		if (rows[i].status_name)
			assert_string_equal(b->status_name, rows[i].status_name);
		else
			assert_null(b->status_name);
		if (rows[i].region)
			assert_string_equal(b->region, rows[i].region);
		else
			assert_null(b->region);
		if (rows[i].error_message)
			assert_string_equal(b->error_message, rows[i].error_message);
		else
			assert_null(b->error_message);
		assert_true(b->context_size_bytes == rows[i].size);
		assert_true(b->build_duration_seconds == rows[i].duration);
		w = written(b);
		if (strcmp(w, rows[i].written))
			fail_msg("row %zu: wrote '%s'", i, w);
		free(w);
		build_free(b);
	}
	build_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
