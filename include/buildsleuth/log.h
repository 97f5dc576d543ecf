/* log.h - a build log in memory: original lines, their normalised text, the
 * CodeBuild phase and the Dockerfile step of each line.
 * Ownership: struct log owns all its buffers (and the file it reads lines
 * back from); pointers returned by the accessors are borrowed and valid
 * until the next log_add_line or log_release (log_line_text's of a file:
 * until its next call). */
#ifndef BUILDSLEUTH_LOG_H
#define BUILDSLEUTH_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "phase.h"
#include "step.h"
#include "strbuf.h"

/* The most original text a log holds (a larger cap given to log_init is
 * lowered to it): its normalised text, at most 3 bytes for each byte (an
 * invalid one becomes U+FFFD), then fits the 32-bit offsets of a line. */
#define LOG_MAX_BYTES ((size_t)1 << 30)

/* One line: 24 bytes, as a 100 MB log has about a million of them. */
struct log_line {
	uint32_t offset;      /* into log.text (the line has no '\n' and no trailing '\r') */
	uint32_t length;
	uint32_t norm_offset; /* into log.norm */
	uint32_t norm_length;
	uint32_t step;        /* its Dockerfile step: index + 1 into log.steps, or 0 */
	unsigned char phase;  /* enum build_phase */
	unsigned char kind;   /* enum line_kind */
};

struct log {
	/* the original lines: as read (log_adopt_text), or each followed by
	 * '\n' (log_add_line), or none when they are read back from a file
	 * (log_add_file); read them through log_line_text() */
	struct strbuf text;
	int fd;              /* log_add_file's file, owned; else -1 */
	struct strbuf quoted; /* the line log_line_text() last read back from fd */
	struct strbuf norm; /* normalised lines, each followed by '\n' */
	struct log_line *lines;
	size_t nr, alloc;
	struct phase_tracker phases;
	struct step_tracker steps;
};

enum log_result {
	LOG_OK = 0,
	LOG_TOOBIG, /* the log is larger than the cap given to log_init */
	LOG_IO,     /* log_add_file: reading failed (errno says why) */
};

/* max_bytes caps the original text (0, or more than LOG_MAX_BYTES:
 * LOG_MAX_BYTES). */
void log_init(struct log *log, size_t max_bytes);
void log_release(struct log *log);

/* Add one line (no trailing '\n'; a trailing '\r' is dropped as CRLF). */
enum log_result log_add_line(struct log *log, const char *raw, size_t len);
/* Split buf into lines on '\n' and add each; a final line without '\n'
 * counts. */
enum log_result log_add_text(struct log *log, const char *buf, size_t len);

/*
 * log_add_text of the whole text in buf, taking buf (left empty) as the
 * log's original text: the lines point into it instead of a copy, so a log
 * read from a file is held once. The normalised text and the line table
 * are sized from it up front, and a large text is normalised in parts as
 * log_add_file's file is. When the log already has lines, the text is
 * added (copied) after them and buf released.
 */
enum log_result log_adopt_text(struct log *log, struct strbuf *buf);

/*
 * log_add_file: the rest of the regular file fd (head: what was read of it
 * already, taken and left empty; size: its size, to size the tables), read
 * a chunk at a time into a reused buffer and normalised as it comes (a
 * large file in parts, each in a thread of its own, then joined). The
 * original text is not kept: log_line_text() reads a line back from the
 * file, which the log keeps open (and closes: it takes fd, also on
 * failure). The log must have no lines yet.
 */
enum log_result log_add_file(struct log *log, int fd, struct strbuf *head, size_t size);

/* The original text of line i (log->lines[i].length bytes, not
 * NUL-terminated). For a log read from a file it is read back and valid
 * until the next call for the same log. */
const char *log_line_text(const struct log *log, size_t i);

static inline const char *log_line_norm(const struct log *log, size_t i)
{
	return log->norm.buf + log->lines[i].norm_offset;
}

/* The line whose normalised text holds byte offset off of log->norm. */
size_t log_line_at(const struct log *log, size_t off);

/* The failed phase, or PHASE_NONE when the log has none. */
static inline enum build_phase log_failed_phase(const struct log *log)
{
	return log->phases.failed;
}

/*
 * The outcome the log alone shows, for a log without a build record:
 * success when CodeBuild completed its BUILD phase and no phase failed, or
 * when the builder's last words say the image was built and no failure
 * framing follows; otherwise failed.
 */
enum outcome log_outcome(const struct log *log);

/* The step whose error ended the build, or NULL (see step_tracker_failed). */
static inline const struct build_step *log_failed_step(const struct log *log)
{
	return step_tracker_failed(&log->steps);
}

/* The index + 1 of the failing step, or 0. */
size_t log_failed_step_nr(const struct log *log);

#endif
