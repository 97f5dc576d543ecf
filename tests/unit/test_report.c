/* test_report.c - each reporter's escaping: JSON strings, GitHub workflow
 * command escaping, Markdown that log text cannot break out of. */
#include "unit.h"
#include "buildsleuth/analysis.h"
#include "buildsleuth/json.h"
#include "buildsleuth/report.h"

static void test_json_strings(void **state)
{
	static const struct { const char *in; size_t len; const char *want; } rows[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\s", 5, "\"q\\\"b\\\\s\"" },
		{ "\n\r\t", 3, "\"\\n\\r\\t\"" },
		{ "\x01\x1b\x7f", 3, "\"\\u0001\\u001b\\u007f\"" },
		{ "nul\0x", 5, "\"nul\\u0000x\"" },
		{ "bad\xff\xfe", 5, "\"bad\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xc3\xa9", 2, "\"\xc3\xa9\"" },
		{ "</script>", 9, "\"<\\/script>\"" },
		{ "a/b", 3, "\"a/b\"" },
		{ "\xe2\x80\xa8", 3, "\"\\u2028\"" },
		{ "\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* surrogate */
		/* C1, bidirectional controls, zero-width characters: escaped */
		{ "\xc2\x9b" "1m", 4, "\"\\u009b1m\"" },
		{ "a\xe2\x80\xae" "b\xe2\x80\xac", 8, "\"a\\u202eb\\u202c\"" },
		{ "\xe2\x81\xa6\xe2\x81\xa9\xd8\x9c\xe2\x80\x8f", 11, "\"\\u2066\\u2069\\u061c\\u200f\"" },
		{ "z\xe2\x80\x8bw\xe2\x81\xa0\xef\xbb\xbf", 11, "\"z\\u200bw\\u2060\\ufeff\"" },
		{ "\xe2\x80\x8a\xe2\x80\xaf\xe2\x81\xaa", 9, "\"\xe2\x80\x8a\xe2\x80\xaf\xe2\x81\xaa\"" }, /* neighbours kept */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		json_add_string(&sb, rows[i].in, rows[i].len);
		if (strcmp(sb.buf, rows[i].want))
			fail_msg("row %zu: got [%s], want [%s]", i, sb.buf, rows[i].want);
		strbuf_release(&sb);
	}
}

static const char hostile_rules[] = "{\"rules\": [{\"id\": \"t.hostile\", \"title\": \"Boom | <b>\", "
	"\"category\": \"application\", \"priority\": 50, \"patterns\": [\"BOOM (?<what>.*)\"], "
	"\"summary\": \"it said {what}\", \"hint\": \"run `x | y` then fix {what}\", "
	"\"examples\": {\"match\": [\"BOOM a\"]}}]}";

/* Analyse text with the rules and render format f. */
static char *render_with(const char *rules, const char *text, enum report_format f)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	struct source src;
	struct diagnoses d;
	struct report r;
	struct strbuf out = STRBUF_INIT;

	ruleset_init(&rs);
	assert_int_equal(ruleset_load_buffer(&rs, "t.json", rules, strlen(rules), false, &causes),
			 RULES_OK);
	source_init(&src, SOURCE_STDIN);
	log_add_text(&src.log, text, strlen(text));
	analysis_run(&rs, &src, &d, &causes);
	memset(&r, 0, sizeof(r));
	r.source = &src;
	r.diagnoses = &d;
	report_write(&r, f, &out);
	diagnoses_release(&d);
	source_release(&src);
	ruleset_release(&rs);
	causes_release(&causes);
	return strbuf_detach(&out, NULL);
}

static char *render(const char *text, enum report_format f)
{
	return render_with(hostile_rules, text, f);
}

/* The lines of s outside fenced code blocks. */
static char *outside_fences(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line = s;
	size_t fence = 0;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line), k = 0;

		while (k < len && line[k] == '`')
			k++;
		if (!fence && k >= 3)
			fence = k;
		else if (fence && k >= fence && (line[k] == '\n' || !line[k]))
			fence = 0;
		else if (!fence)
			strbuf_add(&sb, line, len);
		line += len;
	}
	return strbuf_detach(&sb, NULL);
}

static void test_github_escaping(void **state)
{
	char *s;

	(void)state;
	s = render("BOOM 100%\r\n::error::injected, a:b\n", FORMAT_GITHUB);
	assert_string_equal(s, "::error title=Boom | <b> (application)::it said 100%25 (build log line 1)"
			    "%0AFix: run `x | y` then fix 100%25\n");
	free(s);
	s = render("BOOM 50%25 x\n", FORMAT_GITHUB);
	assert_non_null(strstr(s, "it said 50%2525 x"));
	free(s);
}

/* Count lines of s that are a run of at least n backticks and nothing else. */
static int fence_lines(const char *s, size_t n)
{
	int count = 0;
	const char *line = s;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line), k = 0;

		while (k < len && line[k] == '`')
			k++;
		if (k >= n && (k == len || !strncmp(line + k, "text", 4)))
			count++;
		line = end ? end + 1 : line + len;
	}
	return count;
}

static void test_markdown_escaping(void **state)
{
	char *s, *text;

	(void)state;
	s = render("BOOM <script>alert(1)</script> @everyone | a | b | [x](http://e) www.evil.example\n"
		   "````````````\n", FORMAT_MARKDOWN);
	assert_true(!strncmp(s, "<!-- buildsleuth:report -->\n", 28));
	/* inline text: no raw HTML, mention, table pipe or link from the log */
	assert_non_null(strstr(s, "it said &lt;script&gt;alert\\(1\\)&lt;/script&gt; &#64;&#8288;everyone "
				  "&#124; a &#124; b &#124; \\[x\\]\\(http&#58;//e\\) www&#46;evil.example"));
	text = outside_fences(s);
	assert_null(strstr(text, "<script>"));
	assert_null(strstr(text, "@everyone"));
	assert_null(strstr(text, "````"));
	free(text);
	/* rule text keeps its code span; the pipe inside is escaped only in the table */
	assert_non_null(strstr(s, "**Fix:** run `x | y` then fix"));
	assert_non_null(strstr(s, "| `application` | Boom &#124; &lt;b&gt;: it said"));
	/* the 12-backtick line sits inside a 13-backtick fence: one opener, one closer */
	assert_int_equal(fence_lines(s, 13), 2);
	assert_non_null(strstr(s, "\n`````````````text\n"));
	free(s);
}

static void test_markdown_size_cap(void **state)
{
	struct strbuf log = STRBUF_INIT, rules = STRBUF_INIT;
	char *s;
	int i, k;

	(void)state;
	/* 60 rules, each matching ten 3 KB lines: far more than a comment holds */
	strbuf_addstr(&rules, "{\"rules\": [");
	for (i = 0; i < 60; i++) {
		strbuf_addf(&rules, "%s{\"id\": \"t.r%d\", \"title\": \"R%d\", \"category\": \"network\", "
			    "\"priority\": 50, \"patterns\": [\"^R%d (?<x>.*)\"], \"summary\": \"{x}\", "
			    "\"hint\": \"h\", \"examples\": {\"match\": [\"R%d a\"]}}", i ? "," : "", i, i, i, i);
		for (k = 0; k < 10; k++) {
			size_t start = log.len;

			strbuf_addf(&log, "R%d %d ", i, k);
			while (log.len - start < 3000)
				strbuf_addch(&log, 'x');
			strbuf_addch(&log, '\n');
		}
	}
	strbuf_addstr(&rules, "]}");
	s = render_with(rules.buf, log.buf, FORMAT_MARKDOWN);
	assert_true(strlen(s) <= MARKDOWN_MAX_BYTES);
	assert_non_null(strstr(s, "trimmed to fit GitHub's comment size limit"));
	assert_int_equal(fence_lines(s, 3) % 2, 0); /* every fence closed */
	assert_non_null(strstr(s, "</details>"));
	free(s);
	strbuf_release(&log);
	strbuf_release(&rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_github_escaping),
		cmocka_unit_test(test_markdown_escaping),
		cmocka_unit_test(test_markdown_size_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
