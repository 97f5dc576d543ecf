/* outfile.h - every file the tool writes (fetch -o, --per-build, saved builds)
 * goes through here, so all of them keep DESIGN.md's "Files the tool writes":
 *   - "-", /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N mean that
 *     descriptor, written as it is (never closed, truncated or replaced);
 *   - a missing path or a regular file is replaced atomically: a temporary
 *     file in the same folder, synced, then renamed over the path;
 *   - a device, a FIFO or a terminal is written through (opened without
 *     O_CREAT or O_TRUNC; a FIFO waits for its reader);
 *   - any other symbolic link is refused, naming the link and its target:
 *     never followed, never replaced; a folder or a socket is refused too.
 * Permissions: a replaced regular file keeps its mode (and, where allowed, its
 * owner and group); a new file gets 0644 minus the umask. Nothing written
 * holds a secret (the API key never reaches a report or a saved build, and a
 * build's log is what its CI job already shows), so 0600 would only get in
 * the way of the people reading the file.
 * Ownership: struct outfile owns its path copy, its temporary file and the
 * descriptor it opened; a borrowed descriptor (stdout...) stays the caller's. */
#ifndef BUILDSLEUTH_OUTFILE_H
#define BUILDSLEUTH_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct outfile {
	char *path;    /* as given, for messages */
	char *tmp;     /* the temporary file renamed over path by commit, or NULL */
	int fd;        /* -1 when nothing is open */
	bool borrowed; /* fd is the caller's ("-", /dev/stdout...): never closed */
};

#define OUTFILE_INIT { NULL, NULL, -1, false }

/* Whether path names a descriptor by itself ("-" and /dev/stdout: 1,
 * /dev/stderr: 2, /dev/fd/N and /proc/self/fd/N: N); *fd set when it does. */
bool outfile_descriptor(const char *path, int *fd);

/* Get ready to write path (see above for what that means per kind of path).
 * On failure returns false, appends "cannot write '<path>': <why>" to err and
 * leaves out released; on success out must be committed or released. */
bool outfile_open(struct outfile *out, const char *path, struct strbuf *err);

/* Append data. On failure returns false and appends the message to err; the
 * caller then releases out (the target is left as it was). */
bool outfile_write(struct outfile *out, const void *data, size_t len, struct strbuf *err);

/* Finish: sync and rename the temporary file over the path, or close what
 * was written through. Releases out either way; false (message in err) when
 * the data may not have reached the file. */
bool outfile_commit(struct outfile *out, struct strbuf *err);

/* Abandon: remove the temporary file (the target keeps its old content) and
 * close what was opened. A no-op on a released or committed outfile. */
void outfile_release(struct outfile *out);

#endif
