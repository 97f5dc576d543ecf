/* test_log.c - a log read from a file a chunk at a time (log_add_file):
 * lines across chunk boundaries, a line longer than a chunk, CRLF, a last
 * line without '\n', each quoted back from the file; and a buffer adopted
 * as the original text (log_adopt_text). */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_file),
		cmocka_unit_test(test_adopt_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
