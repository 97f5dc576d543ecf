/* test_github.c - the GitHub side of `comment` without a network: Link
 * header pagination (and its same-origin rule), repository names, base URLs,
 * the Actions event file, and the comment policy (which comment is ours,
 * whether it already says the same, the superseded block). */
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "buildsleuth/comment.h"
#include "buildsleuth/github.h"
#include "buildsleuth/report.h"

#define BASE "https://api.github.com"

static void test_link_next(void **state)
{
	static const struct { const char *link, *want; } rows[] = {
		{ "<" BASE "/repositories/1/issues/7/comments?per_page=100&page=2>; rel=\"next\", <"
		  BASE "/repositories/1/issues/7/comments?per_page=100&page=5>; rel=\"last\"",
		  BASE "/repositories/1/issues/7/comments?per_page=100&page=2" },
		/* next after others, rel unquoted, several types, spacing */
		{ "<" BASE "/x?page=1>; rel=\"prev\", <" BASE "/x?page=3>;rel=next",
		  BASE "/x?page=3" },
		{ "<" BASE "/x?page=4>; rel=\"nofollow next\"", BASE "/x?page=4" },
		{ "<" BASE "/x?page=2>; rel=\"prev\"", NULL },
		{ "<" BASE "/x?page=2>; rel=\"nextpage\"", NULL },
		{ "", NULL },
		{ "garbage", NULL },
		{ "<" BASE "/x?page=2", NULL },
		/* never another origin: the token would go with it */
		{ "<https://evil.example/x?page=2>; rel=\"next\"", NULL },
		{ "<" BASE ".evil.example/x?page=2>; rel=\"next\"", NULL },
		{ "<http://api.github.com/x?page=2>; rel=\"next\"", NULL },
		{ "<" BASE ">; rel=\"next\"", NULL },
		{ "<" BASE "/x y>; rel=\"next\"", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		char *got = github_link_next(rows[i].link, BASE);

		if (rows[i].want ? !got || strcmp(got, rows[i].want) : got != NULL)
			fail_msg("row %zu: got %s, want %s", i, got ? got : "NULL",
				 rows[i].want ? rows[i].want : "NULL");
		free(got);
	}
	assert_null(github_link_next(NULL, BASE));
}

static void test_repository(void **state)
{
	static const struct { const char *repo; bool ok; } rows[] = {
		{ "acme/app", true }, { "Acme-1/app.js_x", true }, { "a/.github", true },
		{ "acme", false }, { "/app", false }, { "acme/", false }, { "a/b/c", false },
		{ "acme/..", false }, { "acme/.", false }, { "ac me/app", false },
		{ "acme/app?x", false }, { "acme/app#1", false }, { "", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (github_valid_repository(rows[i].repo) != rows[i].ok)
			fail_msg("'%s': want %d", rows[i].repo, rows[i].ok);
}

static void test_resolve_url(void **state)
{
	static const struct { const char *url, *want; } rows[] = {
		{ "https://api.github.com", "https://api.github.com" },
		{ "https://ghe.example/api/v3/", "https://ghe.example/api/v3" },
		{ "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
		{ "http://localhost:1/x", "http://localhost:1/x" },
		{ "http://ghe.example/api/v3", NULL },  /* token in clear */
		{ "ftp://ghe.example", NULL },
		{ "https://user:pw@ghe.example", NULL },
		{ "https://ghe.example/?q=1", NULL },
		{ "not a url", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct strbuf err = STRBUF_INIT;
		char *out = NULL;
		enum github_result r = github_resolve_url(rows[i].url, "GITHUB_API_URL", &out, &err);

		if (rows[i].want) {
			if (r != GITHUB_OK || strcmp(out, rows[i].want))
				fail_msg("'%s': %s", rows[i].url, err.buf);
		} else if (r != GITHUB_CONFIG || out || strncmp(err.buf, "GITHUB_API_URL", 14)) {
			fail_msg("'%s' accepted, or a bad message: %s", rows[i].url, err.buf);
		}
		free(out);
		strbuf_release(&err);
	}
}

static void test_event_number(void **state)
{
	static const struct { const char *json; enum github_result res; long want; } rows[] = {
		{ "{\"pull_request\": {\"number\": 42}, \"number\": 42}", GITHUB_OK, 42 },
		{ "{\"issue\": {\"number\": 7, \"pull_request\": {}}}", GITHUB_OK, 7 },
		{ "{\"pull_request\": {\"number\": 3}, \"issue\": {\"number\": 9}}", GITHUB_OK, 3 },
		{ "{\"push\": true}", GITHUB_OK, 0 },
		{ "{\"pull_request\": {\"number\": \"5\"}}", GITHUB_OK, 0 },
		{ "{\"pull_request\": {\"number\": -1}}", GITHUB_OK, 0 },
		{ "[1]", GITHUB_BAD_EVENT, 0 },
		{ "{", GITHUB_BAD_EVENT, 0 },
	};
	char path[] = "/tmp/buildsleuth-event.XXXXXX";
	struct strbuf err = STRBUF_INIT;
	long n;
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		FILE *f;

		fd = mkstemp(path);
		assert_true(fd >= 0);
		f = fdopen(fd, "w");
		fputs(rows[i].json, f);
		fclose(f);
		strbuf_reset(&err);
		if (github_event_number(path, &n, &err) != rows[i].res || n != rows[i].want)
			fail_msg("row %zu: number %ld, %s", i, n, err.buf);
		unlink(path);
		memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
	}
	assert_int_equal(github_event_number("/nonexistent/event.json", &n, &err), GITHUB_BAD_EVENT);
	strbuf_release(&err);
}

static struct github_comment comment(long long id, const char *login, const char *body)
{
	struct github_comment c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.login = xstrdup(login);
	c.body = xstrdup(body);
	c.html_url = xstrdup("");
	c.updated_at = xstrdup("2026-03-04T12:00:00Z");
	return c;
}

static void test_find(void **state)
{
	struct github_comments list = { NULL, 0, 0 };
	size_t mine = 99;

	(void)state;
	ALLOC_GROW(list.items, 5, list.alloc);
	list.items[list.nr++] = comment(1, "someone", "nice PR");
	/* another bot copied the marker */
	list.items[list.nr++] = comment(2, "other-bot[bot]", REPORT_MARKER "\nnot ours");
	/* ours, but the marker is not at the start */
	list.items[list.nr++] = comment(3, "github-actions[bot]", "quote:\n" REPORT_MARKER);
	list.items[list.nr++] = comment(4, "github-actions[bot]", REPORT_MARKER "\nours");
	list.items[list.nr++] = comment(5, "GitHub-Actions[bot]", "\r\n" REPORT_MARKER "\nours too");
	assert_int_equal(comment_find(&list, "github-actions[bot]", &mine), 3);
	assert_int_equal(mine, 2);
	assert_int_equal(comment_find(&list, "other-bot[bot]", NULL), 1);
	assert_int_equal(comment_find(&list, "someone", &mine), -1);
	assert_int_equal(mine, 0);
	github_comments_release(&list);
}

static void test_same_and_superseded(void **state)
{
	const char *report = REPORT_MARKER "\n### :x: Build failed: A\n\nbody A\n";
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;

	(void)state;
	assert_true(comment_same_report(report, report));
	/* GitHub may hand it back with CRLF and without the final newline */
	assert_true(comment_same_report(REPORT_MARKER "\r\n### :x: Build failed: A\r\n\r\nbody A",
					report));
	assert_false(comment_same_report(REPORT_MARKER "\n### :x: Build failed: B\n", report));

	/* the superseded block: the old analysis without its marker line */
	strbuf_addstr(&out, REPORT_MARKER "\n### :x: Build failed: B\n");
	comment_add_superseded(&out, report, "2026-03-04T12:00:00Z");
	assert_non_null(strstr(out.buf, "\n" COMMENT_SUPERSEDED_MARKER "\n<details>\n<summary>"
				"Superseded analysis (posted 2026-03-04T12:00:00Z)</summary>\n\n"
				"### :x: Build failed: A\n\nbody A\n\n</details>\n"));
	assert_null(strstr(out.buf + 1, REPORT_MARKER));
	assert_int_equal(comment_superseded_size(report, "2026-03-04T12:00:00Z"),
			 out.len - strlen(REPORT_MARKER "\n### :x: Build failed: B\n"));
	/* a body with a superseded block is the same report as its first part */
	assert_true(comment_same_report(out.buf, REPORT_MARKER "\n### :x: Build failed: B\n"));
	/* only one level is kept: B's own superseded block is dropped */
	comment_add_superseded(&again, out.buf, "<b>not a date</b>");
	assert_null(strstr(again.buf, "body A"));
	assert_non_null(strstr(again.buf, "<summary>Superseded analysis</summary>"));
	assert_non_null(strstr(again.buf, "### :x: Build failed: B"));
	strbuf_release(&out);
	strbuf_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_next),
		cmocka_unit_test(test_repository),
		cmocka_unit_test(test_resolve_url),
		cmocka_unit_test(test_event_number),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_same_and_superseded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
