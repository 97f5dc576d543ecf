/* test_normalize.c - the line normaliser and the display form: ANSI and
 * other escapes, '\r' overwrites, CodeBuild, other CI and BuildKit prefixes, invalid
 * UTF-8 and control bytes. */
#include <limits.h>

#include "unit.h"
#include "buildsleuth/normalize.h"

struct row {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
	bool codebuild, buildkit;
};

static const struct row rows[] = {
	{ "plain text", 0, "plain text", false, false },
	{ "", 0, "", false, false },
	{ "\033[31mERROR:\033[0m boom", 0, "ERROR: boom", false, false },
	{ "\033[1;31merror\033[0m: \033[1mfailed\033[22m", 0, "error: failed", false, false },
	{ "\033]0;title\007text", 0, "text", false, false },
	{ "\033]8;;http://x\033\\link\033]8;;\033\\", 0, "link", false, false },
	{ "a\033(Bb", 0, "ab", false, false },
	{ "10%\r50%\r100%", 0, "100%", false, false },
	{ "Downloading 1%\rDone", 0, "Doneloading 1%", false, false },
	{ "abc\r", 0, "abc", false, false },
	{ "abc\r\rx", 0, "xbc", false, false },
	{ "\xc3\xa9t\xc3\xa9\rX", 0, "Xt\xc3\xa9", false, false },
	{ "x\xc3\xa9\ry", 0, "y\xc3\xa9", false, false },
	{ "bad \xff byte", 0, "bad \xef\xbf\xbd byte", false, false },
	/* a progress bar's repeated U+2501, skipped 5 at a time: ending in
	 * another character, in half of one, and in an invisible one */
	{ "#4 1.0 \xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81 9.5/9.5 MB", 0, "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81 9.5/9.5 MB", false, true },
	{ "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94", 0, "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xef\xbf\xbd\xef\xbf\xbd", false, false },
	{ "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x80\x8b\xe2\x94\x81\xe2\x94\x81\xe2\x94\x82", 0, "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x82", false, false },
	{ "nul\0byte", 8, "nulbyte", false, false },
	{ "tab\there", 0, "tab\there", false, false },
	{ "bell\007", 0, "bell", false, false },
	{ "for evil\xe2\x80\xaegnp.exe\xe2\x81\xa0\xef\xbb\xbf", 0, "for evilgnp.exe", false, false },
	{ "\xe2\x80\x9cq\xe2\x80\x9d \xd8\x9c\xd8\xa7", 0, "\xe2\x80\x9cq\xe2\x80\x9d \xd8\xa7", false, false },
	{ "[Container] 2026/01/28 20:46:51.423722 Entering phase INSTALL", 0,
	  "Entering phase INSTALL", true, false },
	{ "[Container] 2026/03/04 10:00:00 Entering phase: INSTALL", 0,
	  "Entering phase: INSTALL", true, false },
	{ "[Container] 2026/03/04 10:00 short", 0, "[Container] 2026/03/04 10:00 short", false, false },
	{ "[Container] 2026/03/04 10:00:00", 0, "", true, false },
	{ "#12 7.814 ERROR: No matching distribution found for x", 0,
	  "ERROR: No matching distribution found for x", false, true },
	{ "#12 ERROR: process did not complete", 0, "#12 ERROR: process did not complete", false, false },
	{ "#5 DONE 0.1s", 0, "#5 DONE 0.1s", false, false },
	{ "#12 7. x", 0, "#12 7. x", false, false },
	{ "#12 7.5", 0, "", false, true },
	{ "\033[36m#8 2.201\033[0m Collecting x", 0, "Collecting x", false, true },
	{ "[Container] 2026/01/28 20:46:51 #3 0.100 mixed", 0, "mixed", true, true },
	/* other CI systems' prefixes: GitHub Actions / GitLab time stamps,
	 * Cloud Build's step names, Tekton's task and step */
	{ "2024-03-05T10:11:12.1234567Z #8 1.2 ERROR: x", 0, "ERROR: x", false, true },
	{ "2024-03-05T10:11:12Z Step 3/4 : RUN make", 0, "Step 3/4 : RUN make", false, false },
	{ "2024-03-05T10:11:12+01:00 done", 0, "done", false, false },
	{ "2024-03-05 10:11:12 not ISO 8601 with a T", 0, "2024-03-05 10:11:12 not ISO 8601 with a T",
	  false, false },
	{ "Step #1 - \"build\": Step 2/5 : RUN pip install -r requirements.txt", 0,
	  "Step 2/5 : RUN pip install -r requirements.txt", false, false },
	{ "Step #0: #5 0.3 Collecting x", 0, "Collecting x", false, true },
	{ "Step 2/5 : RUN x", 0, "Step 2/5 : RUN x", false, false },
	{ "[build-push : build-and-push] INFO[0005] RUN echo", 0, "INFO[0005] RUN echo", false, false },
	{ "   [kaniko-build : build-and-push] Pushed x", 0, "Pushed x", false, false },
	{ "[notice] A new release of pip", 0, "[notice] A new release of pip", false, false },
	/* a time stamp in brackets (Jenkins' Timestamper), after a one-word
	 * source tag or not; other bracketed words stay */
	{ "[2024-03-05T10:11:12.123Z] Step 3/4 : RUN make", 0, "Step 3/4 : RUN make", false, false },
	{ "[build] [2021-06-30T21:57:08.467247+00:00] INFO[0096] Pushed image to 1 destinations", 0,
	  "INFO[0096] Pushed image to 1 destinations", false, false },
	{ "[build] [2021-06-30T21:57:08Z]x", 0, "[build] [2021-06-30T21:57:08Z]x", false, false },
	{ "[two words] [2021-06-30T21:57:08Z] x", 0, "[two words] [2021-06-30T21:57:08Z] x", false, false },
	{ "[build] [not a time] x", 0, "[build] [not a time] x", false, false },
	{ "[build] x", 0, "[build] x", false, false },
	/* Go's log time stamp, as a Go program that logs a build's lines
	 * prints it (corpus/green/legacy-go-log-timestamps-*) */
	{ "2024/03/29 14:00:00 Step 2/49 : ARG VERSION=1.13", 0, "Step 2/49 : ARG VERSION=1.13", false,
	  false },
	{ "2024/03/29 14:00:36.123456 Successfully built 254068f73e78", 0,
	  "Successfully built 254068f73e78", false, false },
	{ "2024/03/29 14:00:00 ", 0, "", false, false },
	{ "2024/03/29 14:00:00x", 0, "2024/03/29 14:00:00x", false, false },
	{ "2024/03/29 14:00 short", 0, "2024/03/29 14:00 short", false, false },
	/* the last 16 bytes of a line tested at once: a control byte or a
	 * character that is not ASCII among them, or before them */
	{ "0123456789abcdef\a", 0, "0123456789abcdef", false, false },
	{ "0123456789abcdef0123\a", 0, "0123456789abcdef0123", false, false },
	{ "\a0123456789abcdef0", 0, "0123456789abcdef0", false, false },
	{ "\xe2\x94\x81" "0123456789abcdef", 0, "\xe2\x94\x81" "0123456789abcdef", false, false },
	{ "0123456789abcdef\xe2\x94\x81", 0, "0123456789abcdef\xe2\x94\x81", false, false },
	{ "0123456789abcdef\xff", 0, "0123456789abcdef\xef\xbf\xbd", false, false },
	/* no other CI prefix starts with another byte */
	{ "x2024-03-05T10:11:12Z y", 0, "x2024-03-05T10:11:12Z y", false, false },
	{ "Step #3: y", 0, "y", false, false },
	{ " [task : step] y", 0, "y", false, false },
};

/* The BuildKit step of a line's prefix, as strtoul() reads it, cast. */
static void test_step_numbers(void **state)
{
	static const struct {
		const char *in;
		unsigned step;
	} cases[] = {
		{ "#12 1.5 x", 12 },
		{ "[Container] 2024/01/01 10:00:00 #3 0.1 y", 3 },
		{ "#4294967298 1.0 x", 2 },
		{ "#99999999999999999999999 1.0 x", (unsigned)ULONG_MAX },
		{ "#18446744073709551615 1.0 x", (unsigned)ULONG_MAX },
		{ "#18446744073709551614 1.0 x", (unsigned)(ULONG_MAX - 1) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		struct normalized_line info;

		normalize_line(cases[i].in, strlen(cases[i].in), &sb, &info);
		assert_true(info.buildkit);
		assert_int_equal(info.step, cases[i].step);
		strbuf_release(&sb);
	}
}

static void test_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		struct normalized_line info;
		const struct row *r = &rows[i];

		normalize_line(r->in, r->len ? r->len : strlen(r->in), &sb, &info);
		if (strcmp(sb.buf, r->want) || info.codebuild != r->codebuild ||
		    info.buildkit != r->buildkit)
			fail_msg("row %zu: [%s] -> [%s] cb=%d bk=%d, want [%s] cb=%d bk=%d", i, r->in,
				 sb.buf, info.codebuild, info.buildkit, r->want, r->codebuild, r->buildkit);
		strbuf_release(&sb);
	}
}

static void test_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "keep|");
	normalize_line("a\rb", 3, &sb, NULL);
	assert_string_equal(sb.buf, "keep|b");
	strbuf_release(&sb);
}

static void test_display(void **state)
{
	static const struct { const char *in; size_t len, max; const char *want; } d[] = {
		{ "#8 1.0 \033[31mERROR\033[0m x", 0, 0, "#8 1.0 ERROR x" },
		{ "nul\0x", 5, 0, "nul\xef\xbf\xbdx" },
		{ "bell\007", 0, 0, "bell\xef\xbf\xbd" },
		/* bidirectional controls and zero-width characters, shown as
		 * the controls are ("Trojan Source") */
		{ "evil\xe2\x80\xaegnp.exe", 0, 0, "evil\xef\xbf\xbdgnp.exe" },
		{ "\xe2\x81\xa6x\xe2\x81\xa9 \xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", 0, 0,
		  "\xef\xbf\xbdx\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "z\xe2\x80\x8bw\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf", 0, 0,
		  "z\xef\xbf\xbdw\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x94\x81 \xd8\xa7", 0, 0, "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x94\x81 \xd8\xa7" },
		{ "abcdefghij", 0, 4, "abcd [... 6 more bytes]" },
		{ "\xc3\xa9\xc3\xa9", 0, 3, "\xc3\xa9 [... 2 more bytes]" },
		{ "[Container] 2026/01/28 20:46:51 keep", 0, 0, "[Container] 2026/01/28 20:46:51 keep" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		display_line(d[i].in, d[i].len ? d[i].len : strlen(d[i].in), d[i].max, &sb);
		if (strcmp(sb.buf, d[i].want))
			fail_msg("display row %zu: got [%s], want [%s]", i, sb.buf, d[i].want);
		strbuf_release(&sb);
	}
}

static void test_long_line_capped(void **state)
{
	size_t n = NORMALIZE_MAX_LINE + 100;
	char *big = xmalloc(n);
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	memset(big, 'a', n);
	normalize_line(big, n, &sb, NULL);
	assert_int_equal(sb.len, NORMALIZE_MAX_LINE);
	strbuf_release(&sb);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_step_numbers),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_long_line_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
