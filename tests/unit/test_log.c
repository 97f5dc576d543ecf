/* test_log.c - a log read from a file a chunk at a time (log_add_file):
 * lines across chunk boundaries, a line longer than a chunk, CRLF, a last
 * line without '\n', each quoted back from the file; and a buffer adopted
 * as the original text (log_adopt_text). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "buildsleuth/log.h"

static void check_line(const struct log *log, size_t i, const char *want, size_t len)
{
	assert_int_equal(log->lines[i].length, len);
	assert_memory_equal(log_line_text(log, i), want, len);
}

static void test_add_file(void **state)
{
	char path[] = "/tmp/buildsleuth-test-log-XXXXXX";
	struct strbuf text = STRBUF_INIT, head = STRBUF_INIT;
	struct log log;
	size_t i;
	int fd;
	char *big = xmalloc(1500000);

	(void)state;
	memset(big, 'x', 1500000);
	for (i = 0; i < 30000; i++)
		strbuf_addf(&text, "#5 1.%03zu line %zu\n", i % 1000, i);
	strbuf_add(&text, big, 1500000);
	strbuf_addstr(&text, "\r\nCRLF line\r\nlast line");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text.buf, text.len), (ssize_t)text.len);
	assert_int_equal(lseek(fd, 10, SEEK_SET), 10);
	strbuf_add(&head, text.buf, 10); /* what a caller read already */
	log_init(&log, 0);
	assert_int_equal(log_add_file(&log, fd, &head, text.len), LOG_OK);
	assert_int_equal(head.len, 0);
	assert_int_equal(log.nr, 30003);
	check_line(&log, 0, "#5 1.000 line 0", 15);
	check_line(&log, 29999, "#5 1.999 line 29999", 19);
	check_line(&log, 30000, big, 1500000);
	check_line(&log, 30001, "CRLF line", 9);
	check_line(&log, 30002, "last line", 9);
	assert_int_equal(log.lines[29999].norm_length, 10);
	assert_memory_equal(log_line_norm(&log, 29999), "line 29999", 10);
	log_release(&log);
	unlink(path);
	free(big);
	strbuf_release(&text);
}

static void test_adopt_text(void **state)
{
	struct strbuf buf = STRBUF_INIT;
	struct log log;

	(void)state;
	strbuf_addstr(&buf, "one\r\n\ntwo");
	log_init(&log, 0);
	assert_int_equal(log_adopt_text(&log, &buf), LOG_OK);
	assert_int_equal(buf.len, 0);
	assert_int_equal(log.nr, 3);
	check_line(&log, 0, "one", 3);
	check_line(&log, 1, "", 0);
	check_line(&log, 2, "two", 3);
	/* lines added afterwards go after it */
	assert_int_equal(log_add_line(&log, "three\r", 6), LOG_OK);
	check_line(&log, 3, "three", 5);
	check_line(&log, 0, "one", 3);
	log_release(&log);

	/* past the cap */
	strbuf_addstr(&buf, "0123456789");
	log_init(&log, 5);
	assert_int_equal(log_adopt_text(&log, &buf), LOG_TOOBIG);
	assert_int_equal(log.nr, 0);
	log_release(&log);
}

/* A log in the text's file, read in n parts (0: as a large log would be). */
static void read_in_parts(struct log *log, const struct strbuf *text, size_t n)
{
	char path[] = "/tmp/buildsleuth-test-log-XXXXXX";
	struct strbuf head = STRBUF_INIT;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text->buf, text->len), (ssize_t)text->len);
	unlink(path);
	parallel_force_parts(n);
	log_init(log, 0);
	assert_int_equal(log_add_file(log, fd, &head, text->len), LOG_OK);
	parallel_force_parts(0);
}

/* Every line, its normalised text, phase, step and kind, and the steps and
 * phases found, the same as one pass over the text in memory gives. */
static void assert_same_log(const char *what, const struct log *a, const struct log *b)
{
	size_t i;

	if (a->nr != b->nr || a->norm.len != b->norm.len)
		fail_msg("%s: %zu lines, %zu bytes normalised; one pass: %zu, %zu", what, a->nr,
			 a->norm.len, b->nr, b->norm.len);
	assert_memory_equal(a->norm.buf, b->norm.buf, a->norm.len);
	for (i = 0; i < a->nr; i++) {
		const struct log_line *x = &a->lines[i], *y = &b->lines[i];

		if (x->offset != y->offset || x->length != y->length ||
		    x->norm_offset != y->norm_offset || x->norm_length != y->norm_length ||
		    x->phase != y->phase || x->kind != y->kind || x->step != y->step)
			fail_msg("%s: line %zu differs", what, i);
		assert_memory_equal(log_line_text(a, i), log_line_text(b, i), x->length);
	}
	assert_int_equal(a->phases.failed, b->phases.failed);
	assert_int_equal(a->phases.failed_first_line, b->phases.failed_first_line);
	assert_int_equal(a->phases.failed_last_line, b->phases.failed_last_line);
	assert_int_equal(a->steps.nr, b->steps.nr);
	assert_int_equal(log_failed_step_nr(a), log_failed_step_nr(b));
	assert_int_equal(log_outcome(a), log_outcome(b));
}

/* A build's lines: CodeBuild phases, BuildKit steps, escapes, '\r'
 * progress, invalid UTF-8, CRLF, a blank line, a failing step. */
static void add_build_lines(struct strbuf *text, size_t rounds)
{
	size_t i;

	for (i = 0; i < rounds; i++) {
		strbuf_addf(text, "[Container] 2026/01/28 20:46:%02zu.423722 Entering phase BUILD\n", i % 60);
		strbuf_addf(text, "#%zu [%zu/9] RUN pip install -r requirements.txt\n", i % 30 + 2, i % 9 + 1);
		strbuf_addf(text, "#%zu 1.%03zu Collecting package%zu==1.0\n", i % 30 + 2, i % 1000, i);
		strbuf_addstr(text, "\033[31mcoloured\033[0m line\n");
		strbuf_addstr(text, "progress 10%\rprogress 100%\n");
		strbuf_addstr(text, "bad \xff\xfe bytes\tand a tab\r\n\n");
		if (i % 7 == 0)
			strbuf_addf(text, "#%zu ERROR: process \"/bin/sh -c pip install\" did not "
				    "complete successfully: exit code: 1\n", i % 30 + 2);
	}
	strbuf_addstr(text, "[Container] 2026/01/28 20:47:00.1 Phase complete: BUILD State: FAILED\n");
	strbuf_addstr(text, "last line without a newline");
}

static void compare_parts(const char *what, const struct strbuf *text)
{
	struct strbuf copy = STRBUF_INIT;
	struct log one;
	size_t n;

	strbuf_add(&copy, text->buf, text->len);
	parallel_force_parts(1); /* one pass, on any machine */
	log_init(&one, 0);
	assert_int_equal(log_adopt_text(&one, &copy), LOG_OK);
	parallel_force_parts(0);
	for (n = 1; n <= PARALLEL_MAX_PARTS; n++) {
		struct log split;
		char *name = xstrfmt("%s, %zu parts", what, n);

		read_in_parts(&split, text, n);
		assert_same_log(name, &split, &one);
		log_release(&split);
		free(name);
		/* the same text adopted from memory (stdin, a file read whole) */
		name = xstrfmt("%s, adopted in %zu parts", what, n);
		strbuf_add(&copy, text->buf, text->len);
		parallel_force_parts(n);
		log_init(&split, 0);
		assert_int_equal(log_adopt_text(&split, &copy), LOG_OK);
		parallel_force_parts(0);
		assert_same_log(name, &split, &one);
		log_release(&split);
		free(name);
	}
	log_release(&one);
}

/*
 * A large file, or text in memory, is read in parts, one thread each, and
 * the parts joined: the same log as one pass. Also when a part's normalised text outgrows
 * the room it was given (a run of invalid bytes, each shown as three):
 * the first part, a middle one, the last one; the rest of the file is
 * then read on after it.
 */
static void test_add_file_in_parts(void **state)
{
	struct strbuf text = STRBUF_INIT, bad = STRBUF_INIT, clean = STRBUF_INIT;
	char line[1000];
	size_t i;

	(void)state;
	add_build_lines(&text, 3000);
	compare_parts("a build", &text);

	/* 3 MB each: the invalid bytes outgrow any part they fill */
	memset(line, 0xff, sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (i = 0; i < 3000; i++)
		strbuf_add(&bad, line, sizeof(line));
	add_build_lines(&clean, 12000);
	strbuf_addch(&clean, '\n');
	strbuf_reset(&text);
	strbuf_add(&text, bad.buf, bad.len);
	strbuf_add(&text, clean.buf, clean.len);
	compare_parts("invalid bytes first", &text);
	strbuf_reset(&text);
	strbuf_add(&text, clean.buf, clean.len);
	strbuf_add(&text, bad.buf, bad.len);
	strbuf_add(&text, clean.buf, clean.len);
	compare_parts("invalid bytes in the middle", &text);
	strbuf_reset(&text);
	strbuf_add(&text, clean.buf, clean.len);
	strbuf_add(&text, bad.buf, bad.len);
	compare_parts("invalid bytes last", &text);
	strbuf_release(&text);
	strbuf_release(&bad);
	strbuf_release(&clean);
}

/* A file that cannot be read (a folder) is LOG_IO with errno saying why,
 * and one past the log's cap is LOG_TOOBIG, read in one part or several. */
static void test_add_file_errors(void **state)
{
	char path[] = "/tmp/buildsleuth-test-log-XXXXXX";
	struct strbuf text = STRBUF_INIT, head = STRBUF_INIT;
	struct log log;
	size_t n;
	int fd;

	(void)state;
	add_build_lines(&text, 3000);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text.buf, text.len), (ssize_t)text.len);
	for (n = 1; n <= PARALLEL_MAX_PARTS; n++) {
		parallel_force_parts(n);
		log_init(&log, 0);
		errno = 0;
		assert_int_equal(log_add_file(&log, open("/tmp", O_RDONLY), &head, 1000), LOG_IO);
		assert_int_equal(errno, EISDIR);
		log_release(&log);
		log_init(&log, text.len / 2);
		assert_int_equal(log_add_file(&log, open(path, O_RDONLY), &head, text.len),
				 LOG_TOOBIG);
		log_release(&log);
		parallel_force_parts(0);
	}
	close(fd);
	unlink(path);
	strbuf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_file),
		cmocka_unit_test(test_adopt_text),
		cmocka_unit_test(test_add_file_in_parts),
		cmocka_unit_test(test_add_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
