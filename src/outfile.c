/* outfile.c - the one writer of output files: looks at what the path is
 * before writing, then replaces a regular file atomically, writes through a
 * device or FIFO, or refuses a link (the rules are in outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildsleuth/outfile.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

bool outfile_descriptor(const char *path, int *fd)
{
	const char *rest;
	long n;

	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		*fd = STDOUT_FILENO;
	else if (!strcmp(path, "/dev/stderr"))
		*fd = STDERR_FILENO;
	else if ((skip_prefix(path, "/dev/fd/", &rest) ||
		  skip_prefix(path, "/proc/self/fd/", &rest)) && parse_long(rest, 0, INT_MAX, &n))
		*fd = (int)n;
	else
		return false;
	return true;
}

static bool fail(struct outfile *out, struct strbuf *err, const char *why)
{
	strbuf_addf(err, "cannot write '%s': %s", out->path, why);
	outfile_release(out);
	return false;
}

/* The process's umask, which can only be read by setting it. Nothing else
 * creates files while this runs (libcurl's resolver threads do not). */
static mode_t current_umask(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return mask;
}

/* A missing path or a regular file (st, or NULL when missing): write a
 * temporary file beside it, renamed over it at commit. */
static bool open_temporary(struct outfile *out, const struct stat *st, struct strbuf *err)
{
	const char *slash = strrchr(out->path, '/');
	mode_t mode = st ? st->st_mode & 0777 : 0644 & ~current_umask();

	out->tmp = slash ? xstrfmt("%.*s/.%s.XXXXXX", (int)(slash - out->path), out->path, slash + 1) :
			   xstrfmt(".%s.XXXXXX", out->path);
	out->fd = mkstemp(out->tmp);
	if (out->fd < 0) {
		free(out->tmp);
		out->tmp = NULL;
		return fail(out, err, strerror(errno));
	}
	/* mkstemp makes 0600 */
	if (fchmod(out->fd, mode))
		return fail(out, err, strerror(errno));
	/* root replacing a user's file gives it back to that user; anyone else
	 * may not be allowed to, and then the file is theirs as any new one */
	if (st && (st->st_uid != geteuid() || st->st_gid != getegid()) &&
	    fchown(out->fd, st->st_uid, st->st_gid)) {
		/* best effort, see above */
	}
	return true;
}

/* A device, a FIFO or a terminal: write into it as it is. O_NOFOLLOW and the
 * type check close the gap between lstat and open. */
static bool open_through(struct outfile *out, const struct stat *st, struct strbuf *err)
{
	struct stat now;

	out->fd = open(out->path, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (out->fd < 0)
		return fail(out, err, strerror(errno));
	if (fstat(out->fd, &now))
		return fail(out, err, strerror(errno));
	if ((now.st_mode & S_IFMT) != (st->st_mode & S_IFMT))
		return fail(out, err, "it changed while being opened");
	return true;
}

static bool refuse_link(struct outfile *out, struct strbuf *err)
{
	char target[PATH_MAX];
	ssize_t n = readlink(out->path, target, sizeof(target) - 1);
	char *why;
	bool ok;

	if (n < 0)
		return fail(out, err, strerror(errno));
	target[n] = '\0';
	why = xstrfmt("it is a symbolic link to '%s' (not followed)", target);
	ok = fail(out, err, why);
	free(why);
	return ok;
}

bool outfile_open(struct outfile *out, const char *path, struct strbuf *err)
{
	struct stat st;
	int fd;

	*out = (struct outfile)OUTFILE_INIT;
	out->path = xstrdup(path);
	if (outfile_descriptor(path, &fd)) {
		if (fcntl(fd, F_GETFL) < 0)
			return fail(out, err, strerror(errno));
		out->fd = fd;
		out->borrowed = true;
		return true;
	}
	if (lstat(path, &st)) {
		if (errno != ENOENT)
			return fail(out, err, strerror(errno));
		return open_temporary(out, NULL, err);
	}
	if (S_ISREG(st.st_mode))
		return open_temporary(out, &st, err);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode))
		return open_through(out, &st, err);
	if (S_ISLNK(st.st_mode))
		return refuse_link(out, err);
	if (S_ISDIR(st.st_mode))
		return fail(out, err, strerror(EISDIR));
	return fail(out, err, "not a regular file, a device or a FIFO");
}

bool outfile_write(struct outfile *out, const void *data, size_t len, struct strbuf *err)
{
	const char *p = data;

	if (out->fd < 0)
		BUG("write to '%s' after it was released", out->path ? out->path : "(none)");
	/* what the caller printed with stdio comes first */
	if (out->borrowed && out->fd == STDOUT_FILENO && fflush(stdout)) {
		strbuf_addf(err, "cannot write '%s': %s", out->path, strerror(errno));
		return false;
	}
	while (len) {
		ssize_t n = write(out->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			strbuf_addf(err, "cannot write '%s': %s", out->path,
				    strerror(n < 0 ? errno : ENOSPC));
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool outfile_commit(struct outfile *out, struct strbuf *err)
{
	int fd = out->fd;

	if (fd < 0)
		BUG("commit of '%s' after it was released", out->path ? out->path : "(none)");
	if (out->borrowed) {
		outfile_release(out);
		return true;
	}
	if (out->tmp && fsync(fd))
		return fail(out, err, strerror(errno));
	out->fd = -1;
	if (close(fd))
		return fail(out, err, strerror(errno));
	if (out->tmp && rename(out->tmp, out->path))
		return fail(out, err, strerror(errno));
	free(out->tmp);
	out->tmp = NULL;
	outfile_release(out);
	return true;
}

void outfile_release(struct outfile *out)
{
	if (out->fd >= 0 && !out->borrowed)
		close(out->fd);
	if (out->tmp)
		unlink(out->tmp);
	free(out->tmp);
	free(out->path);
	*out = (struct outfile)OUTFILE_INIT;
}
