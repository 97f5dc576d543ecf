/* test_outfile.c - which paths name a descriptor by themselves, and that a
 * failed write leaves the file it would have replaced as it was. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "buildsleuth/outfile.h"

static const struct {
	const char *path;
	int fd;
} rows[] = {
	{ "-", 1 },
	{ "/dev/stdout", 1 },
	{ "/dev/stderr", 2 },
	{ "/dev/fd/0", 0 },
	{ "/dev/fd/3", 3 },
	{ "/proc/self/fd/12", 12 },
	{ "/dev/fd/", -1 },
	{ "/dev/fd/3x", -1 },
	{ "/dev/fd/-1", -1 },
	{ "/dev/fd/99999999999", -1 },
	{ "/dev/null", -1 },
	{ "--", -1 },
	{ "stdout", -1 },
	{ "./-", -1 },
	{ "/dev/stdout/", -1 },
};

static void test_descriptors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		int fd = -1;

		if (!outfile_descriptor(rows[i].path, &fd))
			fd = -1; /* the rows' way of saying "not a descriptor" */
		if (fd != rows[i].fd)
			fail_msg("%s: %d, expected %d", rows[i].path, fd, rows[i].fd);
	}
}

/* An abandoned write removes its temporary file and keeps the old content. */
static void test_release_keeps_old_file(void **state)
{
	char dir[] = "/tmp/test_outfile.XXXXXX";
	char *path, buf[16] = { 0 };
	struct outfile out;
	struct strbuf err = STRBUF_INIT;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xstrfmt("%s/kept", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old", f);
	fclose(f);
	assert_true(outfile_open(&out, path, &err));
	assert_non_null(out.tmp);
	assert_true(outfile_write(&out, "new content", 11, &err));
	outfile_release(&out);
	outfile_release(&out); /* twice is harmless */
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), 3);
	fclose(f);
	assert_string_equal(buf, "old");
	assert_int_equal(rmdir(dir), -1); /* only "kept" is left */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_string_equal(err.buf, "");
	free(path);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_release_keeps_old_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
