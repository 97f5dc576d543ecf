/* test_strbuf.c - strbuf_read_file(), the one slurp loop: a file read whole
 * (larger than its 64 KiB chunk), a cap that stops it with what fit kept, and
 * a read error (a directory) with errno saying why. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "buildsleuth/strbuf.h"

static FILE *file_of(size_t len)
{
	FILE *f = tmpfile();
	size_t i;

	assert_non_null(f);
	for (i = 0; i < len; i++)
		assert_int_equal(fputc('a' + (int)(i % 26), f), 'a' + (int)(i % 26));
	rewind(f);
	return f;
}

static void test_whole(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = file_of(200000);

	(void)state;
	strbuf_addstr(&sb, ">");
	assert_int_equal(strbuf_read_file(&sb, f), STRBUF_OK);
	assert_int_equal(sb.len, 200001);
	assert_int_equal(sb.buf[0], '>');
	assert_int_equal(sb.buf[1], 'a');
	assert_int_equal(sb.buf[200000], 'a' + (199999 % 26));
	assert_int_equal(sb.buf[200001], '\0');
	fclose(f);
	strbuf_release(&sb);
}

static void test_cap(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = file_of(100000);

	(void)state;
	sb.max = 70000;
	assert_int_equal(strbuf_read_file(&sb, f), STRBUF_TOOBIG);
	assert_int_equal(sb.len, 65536);
	fclose(f);
	strbuf_release(&sb);
}

static void test_error(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = fopen(".", "rb");

	(void)state;
	assert_non_null(f);
	errno = 0;
	assert_int_equal(strbuf_read_file(&sb, f), STRBUF_IO);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(sb.len, 0);
	fclose(f);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
