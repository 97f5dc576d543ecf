/* step.h - the Dockerfile step model: the builder that printed a log
 * (BuildKit, the legacy builder, kaniko, podman/buildah), the steps it ran,
 * which step each line belongs to, and the step whose error ended the build.
 * Ownership: struct step_tracker owns its steps and their strings; pointers
 * it hands out are borrowed until the next feed or step_tracker_release. */
#ifndef BUILDSLEUTH_STEP_H
#define BUILDSLEUTH_STEP_H

#include <stdbool.h>
#include <stddef.h>

enum builder {
	BUILDER_NONE = 0,
	BUILDER_BUILDKIT,
	BUILDER_LEGACY,
	BUILDER_KANIKO,
	BUILDER_PODMAN,
};

/* "buildkit", "legacy", "kaniko", "podman"; NULL for BUILDER_NONE. */
const char *builder_name(enum builder b);

enum step_state {
	STEP_RUNNING = 0, /* started, no end seen (yet) */
	STEP_DONE,
	STEP_CACHED,
	STEP_ERROR,
	STEP_CANCELED,    /* BuildKit stopped it because another step failed */
};

struct build_step {
	enum builder builder;
	unsigned vertex;       /* BuildKit's #N; 0 for the other builders */
	char *name;            /* BuildKit's vertex name as printed, or NULL */
	char *label;           /* BuildKit's "[stage-1 3/9]" part, or NULL */
	char *stage;           /* "stage-1", "builder"; NULL when unnamed */
	int index, total;      /* "3/9"; -1 when the builder did not number it */
	char *instruction;     /* "RUN", "COPY", "FROM"...; NULL for a builder's own work */
	char *command;         /* the instruction's arguments ("pip install ..."), or NULL */
	int exit_code;         /* -1 when not printed */
	enum step_state state;
	bool exports;          /* BuildKit's "exporting to image": DONE means built */
	size_t first_line;     /* 0-based, the line that started it */
	size_t last_line;      /* the last line that belongs to it */
	size_t error_line;     /* the line that said it failed, when state is STEP_ERROR */
};

/* What a line is, for the reports and for picking likely error lines. */
enum line_kind {
	LINE_OUTPUT = 0, /* a tool's own output (or anything unrecognised) */
	LINE_AGENT,      /* the CodeBuild agent's "[Container] ..." lines */
	LINE_FRAMING,    /* the builder's step headers, states and exit summaries */
	LINE_SUCCESS,    /* the builder saying the image was built */
};

struct step_tracker {
	struct build_step *steps;
	size_t nr, alloc;
	unsigned *by_vertex;   /* BuildKit vertex -> step index + 1 */
	size_t by_vertex_alloc;
	size_t open;           /* the open step of a sequential builder, index + 1 */
	size_t summary;        /* the step a BuildKit error summary block is about, index + 1 */
	bool in_summary;       /* inside "------" ... "------" */
	size_t first_error;    /* the first step that failed, index + 1 */
	bool success;          /* the builder's last words so far say the image was built */
	size_t success_line;
	bool failure;          /* builder failure framing was seen */
	size_t failure_line;
	enum builder builder;  /* the first builder recognised */
};

void step_tracker_init(struct step_tracker *t);
void step_tracker_release(struct step_tracker *t);

/* What step_tracker_feed learnt about one line. */
struct step_line {
	size_t step;           /* index + 1 of its step, 0 for none */
	enum line_kind kind;
};

/*
 * Feed line line_no (0-based): s[0..len) is its normalised text. agent: the
 * line carried the CodeBuild "[Container] <time>" prefix (an agent line, it
 * ends a sequential builder's step). vertex: the BuildKit "#N <secs>" prefix
 * that normalisation set aside (0 when none). Lines must come in order.
 */
struct step_line step_tracker_feed(struct step_tracker *t, const char *s, size_t len,
				   bool agent, unsigned vertex, size_t line_no);

/*
 * The step whose error ended the build: the first step that printed an
 * error, else the step the builder's failure framing was about, else (the
 * build stopped without a word) the last step that never finished. NULL when
 * the log shows no builder steps or no failed one.
 */
const struct build_step *step_tracker_failed(const struct step_tracker *t);

/* Whether the builder said it built the image and nothing failed after. */
bool step_tracker_succeeded(const struct step_tracker *t);

struct strbuf;

/* Append st's instruction and command as the Dockerfile has them ("RUN pip
 * install -r requirements.txt"), a RUN step's command alone when bare_run,
 * "?" when the log named neither. */
void build_step_text(const struct build_step *st, bool bare_run, struct strbuf *out);

/*
 * The next word of an instruction's arguments at or after p that is not a
 * flag ("--platform=...", "--from=build"): its start, *len its length; NULL
 * when there is none. The FROM image is the first; COPY's sources are all
 * but the last.
 */
const char *step_next_arg(const char *p, size_t *len);

/* Whether step (index + 1) ended well: DONE, CACHED, or followed by the next
 * step of a sequential builder. */
bool step_succeeded(const struct step_tracker *t, size_t step);

#endif
