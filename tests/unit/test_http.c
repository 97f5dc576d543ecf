/* test_http.c - the HTTP client's pure parts: Retry-After in both forms,
 * backoff bounds, which statuses retry, and the retry loop itself with an
 * injected clock, for one request and for the concurrent pool (against a
 * closed loopback port, so no server is needed). */
#include "unit.h"
#include "buildsleuth/http.h"

static void test_retry_after(void **state)
{
	/* Wed, 21 Oct 2015 07:28:00 GMT */
	const time_t now = 1445412480;
	static const struct { const char *in; bool ok; long want; } rows[] = {
		{ "0", true, 0 },
		{ "2", true, 2 },
		{ " 17 ", true, 17 },
		{ "120", true, 120 },
		{ "121", true, 120 },
		{ "99999999999999999999", true, 120 },
		{ "Wed, 21 Oct 2015 07:28:05 GMT", true, 5 },
		{ "Wed, 21 Oct 2015 07:29:00 GMT\r\n", true, 60 },
		{ "Wednesday, 21-Oct-15 07:28:30 GMT", true, 30 },
		{ "Wed Oct 21 07:28:09 2015", true, 9 },
		{ "Wed, 21 Oct 2015 07:27:00 GMT", true, 0 },   /* in the past */
		{ "Thu, 22 Oct 2015 07:28:00 GMT", true, 120 }, /* a day: capped */
		{ "", false, -1 },
		{ "   ", false, -1 },
		{ "2s", false, -1 },
		{ "-5", false, -1 },
		{ "1.5", false, -1 },
		{ "soon", false, -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		long got = -1;
		bool ok = http_parse_retry_after(rows[i].in, now, &got);

		if (ok != rows[i].ok || got != rows[i].want)
			fail_msg("Retry-After '%s': got %d/%ld, expected %d/%ld", rows[i].in, ok, got,
				 rows[i].ok, rows[i].want);
	}
}

static void test_backoff(void **state)
{
	static const struct { int attempt; double r; double want; } rows[] = {
		{ 0, 0.0, 0.0 },
		{ 0, 0.5, 0.25 },
		{ 1, 0.5, 0.5 },
		{ 2, 0.5, 1.0 },
		{ 5, 0.5, 8.0 },
		{ 6, 0.5, 15.0 },    /* 0.5 * 64 = 32 > cap 30 */
		{ 60, 0.5, 15.0 },
		{ 1000, 0.5, 15.0 }, /* no overflow */
		{ 3, -1.0, 0.0 },    /* a bad random source is clamped */
	};
	size_t i;
	int attempt;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		assert_float_equal(http_backoff_delay(rows[i].attempt, HTTP_BACKOFF_BASE,
						      HTTP_BACKOFF_CAP, rows[i].r),
				   rows[i].want, 1e-9);
	/* bounds: [0, min(cap, base * 2^n)) for every attempt */
	for (attempt = 0; attempt < 12; attempt++) {
		double ceiling = HTTP_BACKOFF_BASE * (double)(1 << attempt);
		double hi = http_backoff_delay(attempt, HTTP_BACKOFF_BASE, HTTP_BACKOFF_CAP, 0.9999999);
		double one = http_backoff_delay(attempt, HTTP_BACKOFF_BASE, HTTP_BACKOFF_CAP, 1.0);

		if (ceiling > HTTP_BACKOFF_CAP)
			ceiling = HTTP_BACKOFF_CAP;
		assert_true(hi < ceiling);
		assert_true(hi > ceiling * 0.999);
		assert_true(one < ceiling);
		assert_true(http_backoff_delay(attempt, HTTP_BACKOFF_BASE, HTTP_BACKOFF_CAP, 0) == 0);
	}
}

static void test_retryable(void **state)
{
	static const struct { long status; bool retry; const char *text; } rows[] = {
		{ 200, false, "" }, { 302, false, "found" }, { 400, false, "bad request" },
		{ 401, false, "unauthorized" }, { 403, false, "forbidden" },
		{ 404, false, "not found" }, { 408, false, "request timeout" },
		{ 429, true, "too many requests" }, { 500, true, "internal server error" },
		{ 501, false, "not implemented" }, { 502, true, "bad gateway" },
		{ 503, true, "service unavailable" }, { 504, true, "gateway timeout" },
		{ 599, false, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_int_equal(http_status_retryable(rows[i].status), rows[i].retry);
		assert_string_equal(http_status_text(rows[i].status), rows[i].text);
	}
	assert_string_equal(http_strerror(HTTP_TOOBIG), "the answer is too large");
	assert_string_equal(http_strerror(HTTP_REDIRECT), "redirect not followed");
}

struct fake_clock {
	double slept[16];
	int sleeps;
	double next_random;
};

static void fake_sleep(void *ctx, double seconds)
{
	struct fake_clock *fc = ctx;

	if (fc->sleeps < 16)
		fc->slept[fc->sleeps] = seconds;
	fc->sleeps++;
}

static double fake_random(void *ctx)
{
	return ((struct fake_clock *)ctx)->next_random;
}

static time_t fake_now(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Connection refused is retried: retries + 1 attempts, a backoff sleep
 * between each, one message naming the request, never the key. */
static void test_retry_loop(void **state)
{
	struct http_client c;
	struct http_response resp;
	struct strbuf err = STRBUF_INIT;
	struct fake_clock fc = { { 0 }, 0, 0.5 };
	enum http_result res;

	(void)state;
	assert_int_equal(http_client_init(&c, "sekret-key-xyz", 5, 3, &err), HTTP_OK);
	c.quiet = true;
	c.clock.sleep = fake_sleep;
	c.clock.random = fake_random;
	c.clock.now = fake_now;
	c.clock.ctx = &fc;
	http_response_init(&resp);
	/* port 1 on loopback: nothing listens there */
	res = http_get(&c, "http://127.0.0.1:1/v1/builds/x?limit=1", "cannot get build x", &resp,
		       &err);
	assert_int_equal(res, HTTP_CONNECT);
	assert_int_equal(resp.attempts, 4);
	assert_int_equal(fc.sleeps, 3);
	assert_float_equal(fc.slept[0], 0.25, 1e-9);
	assert_float_equal(fc.slept[1], 0.5, 1e-9);
	assert_float_equal(fc.slept[2], 1.0, 1e-9);
	/* in words, naming the host, never the method, the query or the key */
	assert_string_equal(err.buf, "cannot get build x: cannot connect to 127.0.0.1:1 (connection "
			    "refused); retried 3 times");
	assert_null(strchr(err.buf, '\n'));
	http_response_release(&resp);
	http_client_release(&c);
	strbuf_release(&err);
}

/* A URL libcurl refuses is not retried. */
static void test_no_retry_bad_protocol(void **state)
{
	struct http_client c;
	struct http_response resp;
	struct strbuf err = STRBUF_INIT;
	struct fake_clock fc = { { 0 }, 0, 0.5 };
	const char *want = "cannot get x: bad URL: protocol \"ftp\" not supported";

	(void)state;
	assert_int_equal(http_client_init(&c, NULL, 5, 3, &err), HTTP_OK);
	c.quiet = true;
	c.clock.sleep = fake_sleep;
	c.clock.ctx = &fc;
	http_response_init(&resp);
	assert_int_equal(http_get(&c, "ftp://127.0.0.1/x", "cannot get x", &resp, &err), HTTP_BAD_URL);
	/* then libcurl's own words, which differ between its versions */
	assert_true(!strncmp(err.buf, want, strlen(want)));
	assert_int_equal(fc.sleeps, 0);
	assert_int_equal(resp.attempts, 1);
	http_response_release(&resp);
	http_client_release(&c);
	strbuf_release(&err);
}

static double zero_random(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The pool: every request ends once, retried as http_get retries (a
 * refused connection, with backoff: 0 here), never more than jobs at once,
 * each handed back with its own data. */
static void test_pool(void **state)
{
	struct http_client c;
	struct http_pool *pool = NULL;
	struct http_pool_stats st;
	struct strbuf err = STRBUF_INIT;
	int data[3] = { 0, 1, 2 }, seen[3] = { 0 };
	size_t i, done = 0;

	(void)state;
	assert_int_equal(http_client_init(&c, "sekret-key-xyz", 5, 2, &err), HTTP_OK);
	c.quiet = true;
	c.clock.random = zero_random;
	assert_int_equal(http_pool_new(&c, 2, &pool, &err), HTTP_OK);
	for (i = 0; i < 3; i++)
		http_pool_add(pool, "http://127.0.0.1:1/v1/builds/x/logs?limit=1",
			      "cannot get the log of build x", &data[i]);
	assert_int_equal(http_pool_pending(pool), 3);
	while (done < 3) {
		struct http_done d;

		if (!http_pool_next(pool, 5, &d))
			fail_msg("the pool stalled after %zu requests", done);
		assert_int_equal(d.result, HTTP_CONNECT);
		assert_int_equal(d.status, 0);
		assert_string_equal(d.err.buf, "cannot get the log of build x: cannot connect to "
				    "127.0.0.1:1 (connection refused); retried 2 times");
		seen[*(int *)d.data]++;
		http_done_release(&d);
		done++;
	}
	assert_int_equal(seen[0] + seen[1] * 10 + seen[2] * 100, 111);
	assert_int_equal(http_pool_pending(pool), 0);
	http_pool_get_stats(pool, &st);
	assert_int_equal(st.attempts, 9);
	assert_true(st.max_running >= 1 && st.max_running <= 2);
	assert_int_equal(st.throttled, 0);
	assert_int_equal(st.limit, 2);
	/* nothing queued: returns at once */
	{
		struct http_done d;

		assert_false(http_pool_next(pool, 5, &d));
	}
	/* freed with requests still queued: no leak, no call back */
	http_pool_add(pool, "http://127.0.0.1:1/", "cannot get /", &data[0]);
	http_pool_free(pool);
	http_pool_free(NULL);
	http_client_release(&c);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_retryable),
		cmocka_unit_test(test_retry_loop),
		cmocka_unit_test(test_no_retry_bad_protocol),
		cmocka_unit_test(test_pool),
	};

	return cmocka_run_group_tests(tests, http_group_setup, http_group_teardown);
}
