/* util.c - allocation that exits on failure, the threads a large buffer's
 * work is split among, and small string helpers used across modules. See
 * util.h for the out-of-memory decision. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "buildsleuth/outfile.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

_Noreturn void die_oom(void)
{
	fputs("buildsleuth: out of memory\n", stderr);
	exit(70);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		die_oom();
	return p;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		die_oom();
	return xrealloc(ptr, nmemb * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrfmt(const char *fmt, ...)
{
	va_list ap, cp;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed for '%s'", fmt);
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "buildsleuth: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

bool skip_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return false;
	if (rest)
		*rest = s + n;
	return true;
}

bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (n >= 2 && (s[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0; /* past U+10FFFF */
		return 4;
	}
	return 0;
}

size_t utf8_invisible_len(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xd8 && s[1] == 0x9c)
		return 2; /* U+061C ARABIC LETTER MARK */
	if (n < 3)
		return 0;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x8b && s[2] <= 0x8f) || (s[2] >= 0xaa && s[2] <= 0xae)))
		return 3; /* U+200B..U+200F, U+202A..U+202E */
	if (s[0] == 0xe2 && s[1] == 0x81 && (s[2] == 0xa0 || (s[2] >= 0xa6 && s[2] <= 0xa9)))
		return 3; /* U+2060, U+2066..U+2069 */
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3; /* U+FEFF */
	return 0;
}

bool write_file_atomic(const char *path, const char *data, size_t len, struct strbuf *err)
{
	struct outfile out;

	if (!outfile_open(&out, path, err))
		return false;
	if (!outfile_write(&out, data, len, err)) {
		outfile_release(&out);
		return false;
	}
	return outfile_commit(&out, err);
}

uint64_t fnv1a_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void advise_large_buffer(void *p, size_t size)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (size < LARGE_BUFFER_BYTES || !page)
		return;
	/* the pages the buffer covers: a large allocation is a mapping of its
	 * own, so the bytes before it on its first page are malloc's header */
	start = (uintptr_t)p & ~(page - 1);
	end = ((uintptr_t)p + size + page - 1) & ~(page - 1);
#ifdef MADV_HUGEPAGE
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE); /* a hint: may fail */
#else
	(void)start;
	(void)end;
#endif
}

void discard_consumed(void *p, size_t consumed)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	if (!page)
		return;
	/* the page of p[0] also holds malloc's header: kept */
	start = ((uintptr_t)p + page) & ~(page - 1);
	end = ((uintptr_t)p + consumed) & ~(page - 1);
#ifdef MADV_DONTNEED
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_DONTNEED);
#else
	(void)start;
	(void)end;
#endif
}

static size_t forced_parts;

void parallel_force_parts(size_t n)
{
	forced_parts = n > PARALLEL_MAX_PARTS ? PARALLEL_MAX_PARTS : n;
}

size_t parallel_parts(size_t bytes)
{
	long cpus;
	size_t n;

	if (forced_parts)
		return bytes >= forced_parts ? forced_parts : 1;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	n = bytes / PARALLEL_MIN_PART;
	if (cpus >= 1 && n > (size_t)cpus)
		n = (size_t)cpus;
	if (n > PARALLEL_MAX_PARTS)
		n = PARALLEL_MAX_PARTS;
	return n ? n : 1;
}

struct parallel_job {
	void (*fn)(void *);
	void *arg;
};

static void *parallel_thread(void *data)
{
	struct parallel_job *job = data;

	job->fn(job->arg);
	return NULL;
}

void parallel_run(void (*fn)(void *), void *arg, size_t size, size_t n)
{
	pthread_t threads[PARALLEL_MAX_PARTS];
	struct parallel_job jobs[PARALLEL_MAX_PARTS];
	bool started[PARALLEL_MAX_PARTS] = { false };
	size_t k;

	if (n > PARALLEL_MAX_PARTS)
		BUG("parallel_run of %zu parts", n);
	for (k = 1; k < n; k++) {
		jobs[k].fn = fn;
		jobs[k].arg = (char *)arg + k * size;
		started[k] = !pthread_create(&threads[k], NULL, parallel_thread, &jobs[k]);
	}
	fn(arg);
	for (k = 1; k < n; k++) {
		if (started[k])
			pthread_join(threads[k], NULL);
		else
			fn((char *)arg + k * size);
	}
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
