/* test_url.c - the URL module: which hosts are loopback, percent-encoding
 * (curl_easy_escape) and URL paths (CURLU), as the clients use them. */
#include "unit.h"
#include "buildsleuth/url.h"

static void test_loopback(void **state)
{
	static const struct { const char *host; bool ok; } rows[] = {
		{ "127.0.0.1", true }, { "127.1.2.3", true }, { "127.255.255.255", true },
		{ "localhost", true }, { "LocalHost", true }, { "localhost.", true },
		{ "[::1]", true }, { "::1", true }, { "[0:0:0:0:0:0:0:1]", true },
		{ "128.0.0.1", false }, { "10.0.0.1", false }, { "0.0.0.0", false },
		{ "126.255.255.255", false }, { "localhost.example.com", false },
		{ "evil-localhost", false }, { "127.0.0.1.nip.io", false }, { "[::2]", false },
		{ "[::ffff:127.0.0.1]", false }, { "api.pipecat.daily.co", false }, { "", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (url_host_is_loopback(rows[i].host) != rows[i].ok)
			fail_msg("'%s': expected %d", rows[i].host, rows[i].ok);
}

static void test_url_encode(void **state)
{
	static const struct { const char *in; const char *want; } rows[] = {
		{ "", "" },
		{ "abcXYZ019-._~", "abcXYZ019-._~" },
		{ "a b", "a%20b" },
		{ "++//GZqfJYUx==", "%2B%2B%2F%2FGZqfJYUx%3D%3D" },
		{ "a&b=c?d#e%f", "a%26b%3Dc%3Fd%23e%25f" },
		{ "\xc3\xa9", "%C3%A9" },
		{ "\x01\x7f\xff", "%01%7F%FF" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf sb = STRBUF_INIT;

		url_encode(&sb, rows[i].in, strlen(rows[i].in));
		assert_string_equal(sb.buf, rows[i].want);
		strbuf_release(&sb);
	}
}

static void test_url_path(void **state)
{
	static const struct { const char *in; const char *want; } rows[] = {
		{ "https://api.pipecat.daily.co/v1/builds/x", "/v1/builds/x" },
		{ "http://127.0.0.1:8080/v1/builds/x/logs?limit=10000&nextToken=a%2B", "/v1/builds/x/logs" },
		{ "http://[::1]:9/v1#frag", "/v1" },
		{ "https://host", "/" },
		{ "https://host?x=1", "/" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf sb = STRBUF_INIT;

		url_path(&sb, rows[i].in);
		assert_string_equal(sb.buf, rows[i].want);
		strbuf_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_url_encode),
		cmocka_unit_test(test_url_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
