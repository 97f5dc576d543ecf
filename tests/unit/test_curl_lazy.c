/* test_curl_lazy.c - libcurl opened on first use: when the library cannot
 * be opened, or lacks a function, http_global_init() says why and every
 * function fails as libcurl's own do, without a crash (the tests that talk
 * HTTP use the real one through the same functions). */
#include <curl/curl.h>

#include "unit.h"
#include "buildsleuth/curl_lazy.h"
#include "buildsleuth/http.h"

static void test_missing_library(void **state)
{
	const char *why = NULL;
	char *part = NULL;
	int running = 0;

	(void)state;
	curl_lazy_use("libbuildsleuth-no-such-curl.so.4");
	assert_false(http_global_init(&why));
	assert_non_null(why);
	assert_non_null(strstr(why, "libbuildsleuth-no-such-curl.so.4"));
	assert_false(curl_lazy_load(NULL));
	assert_null(curl_easy_init());
	assert_null(curl_url());
	assert_null(curl_multi_init());
	assert_null(curl_share_init());
	assert_null(curl_slist_append(NULL, "x"));
	assert_null(curl_easy_escape(NULL, "a b", 3));
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_FAILED_INIT);
	assert_int_equal(curl_easy_setopt(NULL, CURLOPT_TIMEOUT, 1L), CURLE_FAILED_INIT);
	assert_int_equal(curl_easy_perform(NULL), CURLE_FAILED_INIT);
	assert_int_equal(curl_url_get(NULL, CURLUPART_URL, &part, 0), CURLUE_OUT_OF_MEMORY);
	assert_null(part);
	assert_int_equal(curl_multi_perform(NULL, &running), CURLM_OUT_OF_MEMORY);
	assert_string_equal(curl_easy_strerror(CURLE_OK), "libcurl could not be loaded");
	assert_int_equal(curl_getdate("Sun, 06 Nov 1994 08:49:37 GMT", NULL), -1);
	curl_slist_free_all(NULL);
	curl_free(NULL);
	curl_global_cleanup();
}

/* A library that opens but lacks libcurl's functions (an old libcurl, or
 * another library under its name): the first missing one is named. */
static void test_missing_function(void **state)
{
	const char *why = NULL;

	(void)state;
	curl_lazy_use("libc.so.6");
	assert_false(http_global_init(&why));
	assert_string_equal(why, "libc.so.6 has no curl_easy_setopt: libcurl 7.66 or later is needed");
	assert_null(curl_easy_init());
	assert_int_equal(curl_easy_perform(NULL), CURLE_FAILED_INIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_function),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
