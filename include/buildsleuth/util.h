/* util.h - allocation helpers and small string utilities.
 * Ownership: every x*() result is owned by the caller and released with free().
 * Allocation failure is decided once, here: x*() print
 * "buildsleuth: out of memory" to stderr and exit(70) (EX_SOFTWARE); they never
 * return NULL, so callers do not check. */
#ifndef BUILDSLEUTH_UTIL_H
#define BUILDSLEUTH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Grow (ptr, alloc) so that at least nr elements fit (git's ALLOC_GROW). */
#define ALLOC_GROW(ptr, nr, alloc) \
	do { \
		if ((nr) > (alloc)) { \
			(alloc) = (alloc) < 16 ? 16 : (alloc); \
			while ((alloc) < (nr)) \
				(alloc) = (alloc) / 2 * 3 + 16; \
			(ptr) = xreallocarray((ptr), (alloc), sizeof(*(ptr))); \
		} \
	} while (0)

/* Print "buildsleuth: out of memory" and exit(70): for the allocations of
 * libraries (libcurl) that report failure instead of using x*(). */
_Noreturn void die_oom(void);

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit with a message for a broken invariant, never for bad input. */
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Ask for transparent huge pages for the large buffer p[0..size) that is
 * about to be written front to back (a log's normalised text, its line
 * table): one page fault per 2 MiB instead of one per 4 KiB, which is most
 * of the cost of first touching fresh memory. Buffers smaller than
 * LARGE_BUFFER_BYTES are left alone; a kernel without THP ignores it.
 */
#define LARGE_BUFFER_BYTES ((size_t)8 << 20)
void advise_large_buffer(void *p, size_t size);

/*
 * Work on one large buffer split among threads: into how many parts a job
 * of bytes should be cut (1: do it in the calling thread), at most one per
 * online processor (PARALLEL_MAX_PARTS at most), each at least
 * PARALLEL_MIN_PART bytes, as a thread costs more than a small part saves.
 * parallel_force_parts(n) makes it n for any job of n bytes or more (n 0:
 * back to the rule above): for tests, which must split small inputs on any
 * machine.
 */
#define PARALLEL_MAX_PARTS 4
#define PARALLEL_MIN_PART ((size_t)8 << 20)
size_t parallel_parts(size_t bytes);
void parallel_force_parts(size_t n);

/* Run fn(arg + k * size) for k in [0, n): k 0 in the calling thread, the
 * others each in a thread of its own (in the calling thread too when one
 * cannot be started); returns when all have. */
void parallel_run(void (*fn)(void *), void *arg, size_t size, size_t n);

/*
 * Give back the memory of the pages wholly inside p[0..consumed) of a
 * buffer from malloc that will not be read again before it is freed (a
 * temporary copied out piece by piece), so that it and its copy are not
 * both held at their largest; a hint, as advise_large_buffer.
 */
void discard_consumed(void *p, size_t consumed);

/* Seconds on the monotonic clock (CLOCK_MONOTONIC): for intervals only. */
double monotonic_seconds(void);

/* 64-bit FNV-1a: start from FNV1A_INIT (the offset basis) and fold in bytes
 * (prime 0x100000001b3); the one hash of shards, sets and digests. */
#define FNV1A_INIT 0xcbf29ce484222325ULL
uint64_t fnv1a_add(uint64_t h, const void *data, size_t len);

/* Case-sensitive prefix test; on success *rest points past the prefix. */
bool skip_prefix(const char *s, const char *prefix, const char **rest);

/* Parse a whole decimal string into *out within [min, max]; false if it is
 * not a number, has trailing junk, or is out of range. */
bool parse_long(const char *s, long min, long max, long *out);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes at s
 * (with n bytes left) do not start a valid, shortest-form sequence. */
size_t utf8_valid_len(const unsigned char *s, size_t n);

/*
 * Length (2 or 3) of the invisible formatting character encoded at s (with
 * n bytes left), or 0: a bidirectional control (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) or a zero-width character (U+200B..U+200D,
 * U+2060, U+FEFF). They reorder or hide what a reader sees (the "Trojan
 * Source" trick), so reports show them as they show control characters.
 */
size_t utf8_invisible_len(const unsigned char *s, size_t n);

/*
 * Write data to path as DESIGN.md's "Files the tool writes" says (outfile.h):
 * a missing or regular file is replaced through a temporary file in the same
 * folder, synced and then renamed over path (a reader never sees half a file,
 * and a failure leaves any older file alone); "-", /dev/stdout and /dev/fd/N
 * are that descriptor; a device or FIFO is written through; a symbolic link is
 * refused. On failure returns false and appends "cannot write '<file>': <why>"
 * to err.
 */
struct strbuf;
bool write_file_atomic(const char *path, const char *data, size_t len, struct strbuf *err);

#endif
