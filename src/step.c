/* step.c - the Dockerfile step tracker: reads the builder's own framing
 * (BuildKit plain and tty progress, the legacy builder, kaniko, podman and
 * buildah) as phase.c reads CodeBuild's, so every line knows its step and
 * the step whose error ended the build can be named with its exit code. */
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/step.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

/* BuildKit numbers vertices from 1; a larger number is not a vertex. */
#define MAX_VERTEX 1000000u

static const char *const builder_names[] = {
	[BUILDER_NONE] = NULL,
	[BUILDER_BUILDKIT] = "buildkit",
	[BUILDER_LEGACY] = "legacy",
	[BUILDER_KANIKO] = "kaniko",
	[BUILDER_PODMAN] = "podman",
};

const char *builder_name(enum builder b)
{
	return (size_t)b < ARRAY_SIZE(builder_names) ? builder_names[b] : NULL;
}

void step_tracker_init(struct step_tracker *t)
{
	memset(t, 0, sizeof(*t));
}

void step_tracker_release(struct step_tracker *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->steps[i].label);
		free(t->steps[i].name);
		free(t->steps[i].stage);
		free(t->steps[i].instruction);
		free(t->steps[i].command);
	}
	free(t->steps);
	free(t->by_vertex);
	step_tracker_init(t);
}

/* --- small text helpers (lines are not NUL-terminated) ---------------------- */

static bool starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !memcmp(s, p, k);
}

static bool ends(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !memcmp(s + n - k, p, k);
}

static const char *find(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The number after the first of the markers in s, or -1. */
static int number_after(const char *s, size_t n, const char *const *markers, size_t nr)
{
	size_t k;

	for (k = 0; k < nr; k++) {
		const char *p = find(s, n, markers[k]);
		long v = 0;
		bool any = false;

		if (!p)
			continue;
		for (p += strlen(markers[k]); p < s + n && is_digit(*p) && v < 100000; p++, any = true)
			v = v * 10 + (*p - '0');
		if (any)
			return (int)v;
	}
	return -1;
}

/* The exit code a builder's failure line reports, or -1. */
static int exit_code_of(const char *s, size_t n)
{
	static const char *const markers[] = {
		"exit code: ", "non-zero code: ", "exit status ", "exit code ",
	};

	return number_after(s, n, markers, ARRAY_SIZE(markers));
}

/* Lines that only say a command exited non-zero: framing, not a cause. */
static bool is_exit_framing(const char *s, size_t n)
{
	return find(s, n, "did not complete successfully") ||
	       find(s, n, "executor failed running") ||
	       find(s, n, "returned a non-zero code") ||
	       find(s, n, "failed to execute command: waiting for process") ||
	       find(s, n, "while running runtime: exit status") ||
	       find(s, n, "error while running runtime: exit status");
}

static const char *const instructions[] = {
	"FROM", "RUN", "COPY", "ADD", "WORKDIR", "ENV", "ARG", "USER", "EXPOSE", "CMD",
	"ENTRYPOINT", "LABEL", "VOLUME", "SHELL", "HEALTHCHECK", "ONBUILD", "STOPSIGNAL",
	"MAINTAINER",
};

/* Length of the Dockerfile instruction word that s starts with (followed by
 * a space or the end), or 0. */
static size_t instruction_len(const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(instructions); k++) {
		size_t m = strlen(instructions[k]);

		if (n >= m && !memcmp(s, instructions[k], m) && (n == m || s[m] == ' '))
			return m;
	}
	return 0;
}

static char *dup_trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

/* --- steps ----------------------------------------------------------------- */

static size_t new_step(struct step_tracker *t, enum builder b, size_t line_no)
{
	struct build_step *st;

	ALLOC_GROW(t->steps, t->nr + 1, t->alloc);
	st = &t->steps[t->nr++];
	memset(st, 0, sizeof(*st));
	st->builder = b;
	st->index = st->total = -1;
	st->exit_code = -1;
	st->first_line = st->last_line = line_no;
	if (t->builder == BUILDER_NONE)
		t->builder = b;
	return t->nr;
}

/* Set the instruction and command from "RUN pip install ..." text. */
static void set_instruction(struct build_step *st, const char *s, size_t n)
{
	size_t k = instruction_len(s, n);

	if (!k)
		return;
	st->instruction = xstrndup(s, k);
	st->command = dup_trim(s + k, n - k);
}

/* The shell command a failure line quotes: process "/bin/sh -c CMD" did not
 * complete, executor failed running [/bin/sh -c CMD], The command
 * '/bin/sh -c CMD' returned... Sets instruction RUN and the command on a step
 * whose header was not in the log. */
static void command_from_failure(struct build_step *st, const char *s, size_t n)
{
	static const struct { const char *open; char close; } forms[] = {
		{ "process \"", '"' }, { "executor failed running [", ']' },
		{ "The command '", '\'' }, { "The command [", ']' },
	};
	size_t k;

	if (st->instruction)
		return;
	for (k = 0; k < ARRAY_SIZE(forms); k++) {
		const char *p = find(s, n, forms[k].open), *end;

		if (!p)
			continue;
		p += strlen(forms[k].open);
		end = memchr(p, forms[k].close, (size_t)(s + n - p));
		if (!end)
			continue;
		if (starts(p, (size_t)(end - p), "/bin/sh -c "))
			p += 11;
		st->instruction = xstrdup("RUN");
		st->command = dup_trim(p, (size_t)(end - p));
		return;
	}
}

static void fail_step(struct step_tracker *t, size_t step, const char *s, size_t n,
		      size_t line_no)
{
	struct build_step *st = &t->steps[step - 1];
	int code = exit_code_of(s, n);

	command_from_failure(st, s, n);

	if (st->state != STEP_ERROR) {
		st->state = STEP_ERROR;
		st->error_line = line_no;
	}
	if (code >= 0 && st->exit_code < 0)
		st->exit_code = code;
	if (!t->first_error)
		t->first_error = step;
}

static void mark_failure(struct step_tracker *t, size_t line_no)
{
	t->failure = true;
	t->failure_line = line_no;
}

static void mark_success(struct step_tracker *t, size_t line_no)
{
	t->success = true;
	t->success_line = line_no;
}

/* A sequential builder's open step ended well (a new step began, or the
 * builder printed the layer it made). */
static void close_open(struct step_tracker *t, enum step_state state)
{
	if (t->open && t->steps[t->open - 1].state == STEP_RUNNING)
		t->steps[t->open - 1].state = state;
}

/* --- BuildKit ------------------------------------------------------------- */

/* Parse "[stage-1 3/9] RUN ..." (or "[internal] load ...", or a name with no
 * brackets) into st. */
static void buildkit_name(struct build_step *st, const char *s, size_t n)
{
	const char *close;

	if (n && s[0] == '[' && (close = memchr(s, ']', n))) {
		const char *in = s + 1, *slash;
		size_t in_n = (size_t)(close - in), rest_off = (size_t)(close - s) + 1;
		size_t k = in_n;

		st->label = xstrndup(s, rest_off);
		/* "stage-1 3/9" or "3/9": the number pair is the last word */
		while (k && in[k - 1] != ' ')
			k--;
		slash = memchr(in + k, '/', in_n - k);
		if (slash && slash > in + k && slash + 1 < in + in_n) {
			const char *p;
			long a = 0, b = 0;
			bool ok = true;

			/* digits only, and few of them: a step number past 99999
			 * is not one (and must not overflow) */
			for (p = in + k; p < slash && ok; p++)
				ok = is_digit(*p) && (a = a * 10 + (*p - '0')) < 100000;
			for (p = slash + 1; p < in + in_n && ok; p++)
				ok = is_digit(*p) && (b = b * 10 + (*p - '0')) < 100000;
			if (ok) {
				st->index = (int)a;
				st->total = (int)b;
				st->stage = dup_trim(in, k);
			}
		}
		s += rest_off;
		n -= rest_off;
		while (n && *s == ' ')
			s++, n--;
	}
	if (ends(s, n, "exporting to image") || ends(s, n, "exporting to docker image format") ||
	    ends(s, n, "exporting to oci image format")) {
		st->exports = true; /* its DONE means the image was written */
		return;
	}
	if (starts(s, n, "load metadata for ")) {
		/* resolving a FROM image: a failure here is the FROM's */
		st->instruction = xstrdup("FROM");
		st->command = dup_trim(s + 18, n - 18);
		return;
	}
	set_instruction(st, s, n);
}

/* The step whose label or name the text "[3/9] RUN ..." names, or 0. */
static size_t buildkit_find(const struct step_tracker *t, const char *s, size_t n)
{
	const char *close = n && s[0] == '[' ? memchr(s, ']', n) : NULL;
	size_t k, label_n = close ? (size_t)(close - s) + 1 : 0;

	for (k = t->nr; k-- > 0;) {
		const struct build_step *st = &t->steps[k];

		if (st->builder != BUILDER_BUILDKIT || !st->label)
			continue;
		if (label_n && strlen(st->label) == label_n && !memcmp(st->label, s, label_n))
			return k + 1;
	}
	return 0;
}

static void map_vertex(struct step_tracker *t, unsigned vertex, size_t step)
{
	if (vertex >= t->by_vertex_alloc) {
		size_t old = t->by_vertex_alloc, want = (size_t)vertex + 64;

		t->by_vertex = xreallocarray(t->by_vertex, want, sizeof(*t->by_vertex));
		memset(t->by_vertex + old, 0, (want - old) * sizeof(*t->by_vertex));
		t->by_vertex_alloc = want;
	}
	t->by_vertex[vertex] = (unsigned)step;
}

static size_t vertex_step(const struct step_tracker *t, unsigned vertex)
{
	return vertex < t->by_vertex_alloc ? t->by_vertex[vertex] : 0;
}

/* Whether a vertex output line says the image was written. */
static bool buildkit_success_line(const char *s, size_t n)
{
	/* a bake or compose build names the target first: "[bot] naming to" */
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close && close + 1 < s + n && close[1] == ' ') {
			n -= (size_t)(close + 2 - s);
			s = close + 2;
		}
	}
	return ((starts(s, n, "naming to ") || starts(s, n, "writing image ") ||
		 starts(s, n, "pushing manifest for ")) && ends(s, n, " done")) ||
	       starts(s, n, "=> => naming to ") || starts(s, n, "=> => writing image ");
}

/* "#N rest": a vertex's header, state or output. */
static struct step_line buildkit_vertex(struct step_tracker *t, unsigned vertex,
					const char *s, size_t n, size_t line_no)
{
	struct step_line out = { vertex_step(t, vertex), LINE_FRAMING };
	struct build_step *st;

	if (out.step) {
		st = &t->steps[out.step - 1];
		if (n >= 4 && starts(s, n, "DONE") && (n == 4 || s[4] == ' ')) {
			if (st->state == STEP_RUNNING)
				st->state = STEP_DONE;
			if (st->exports) {
				out.kind = LINE_SUCCESS;
				mark_success(t, line_no);
			}
		} else if (n == 6 && starts(s, n, "CACHED")) {
			if (st->state == STEP_RUNNING)
				st->state = STEP_CACHED;
		} else if (starts(s, n, "CANCELED")) {
			if (st->state == STEP_RUNNING)
				st->state = STEP_CANCELED;
		} else if (starts(s, n, "ERROR")) {
			fail_step(t, out.step, s, n, line_no);
			mark_failure(t, line_no);
			if (!is_exit_framing(s, n))
				out.kind = LINE_OUTPUT;
		} else if (n && s[0] == '[' && st->name && strlen(st->name) == n &&
			   !memcmp(st->name, s, n)) {
			/* BuildKit names a vertex again when its output resumes */
		} else if (n && s[0] == '[') {
			/* the number is used again (a second build in one log) */
			goto header;
		} else {
			out.kind = buildkit_success_line(s, n) ? LINE_SUCCESS : LINE_OUTPUT;
			if (out.kind == LINE_SUCCESS)
				mark_success(t, line_no);
		}
		st->last_line = line_no;
		return out;
	}
header:
	out.step = new_step(t, BUILDER_BUILDKIT, line_no);
	st = &t->steps[out.step - 1];
	st->vertex = vertex;
	map_vertex(t, vertex, out.step);
	if (starts(s, n, "ERROR") || starts(s, n, "DONE") || starts(s, n, "CACHED") ||
	    starts(s, n, "CANCELED")) {
		/* the log starts after the vertex's name: its state still counts */
		out.step = 0;
		return buildkit_vertex(t, vertex, s, n, line_no);
	}
	buildkit_name(st, s, n);
	st->name = xstrndup(s, n);
	return out;
}

/* "=> [2/5] COPY ...   0.1s", "=> CACHED [...]", "=> ERROR [...]": tty
 * progress as users paste it. */
static bool buildkit_tty(struct step_tracker *t, const char *s, size_t n, size_t line_no,
			 struct step_line *out)
{
	enum step_state state = STEP_DONE;
	size_t step;

	while (n && *s == ' ')
		s++, n--;
	if (!starts(s, n, "=> "))
		return false;
	s += 3, n -= 3;
	out->kind = LINE_FRAMING;
	out->step = 0;
	if (starts(s, n, "=> ")) {
		if (buildkit_success_line(s - 3, n + 3)) {
			out->kind = LINE_SUCCESS;
			mark_success(t, line_no);
		}
		return true;
	}
	if (starts(s, n, "CACHED ")) {
		state = STEP_CACHED;
		s += 7, n -= 7;
	} else if (starts(s, n, "ERROR ")) {
		state = STEP_ERROR;
		s += 6, n -= 6;
	}
	/* the duration at the end: "   2.3s" */
	while (n && s[n - 1] != ' ' && (is_digit(s[n - 1]) || s[n - 1] == '.' || s[n - 1] == 's'))
		n--;
	while (n && s[n - 1] == ' ')
		n--;
	step = buildkit_find(t, s, n);
	if (!step) {
		step = new_step(t, BUILDER_BUILDKIT, line_no);
		buildkit_name(&t->steps[step - 1], s, n);
	}
	out->step = step;
	t->steps[step - 1].last_line = line_no;
	if (state == STEP_ERROR) {
		fail_step(t, step, s, n, line_no);
		mark_failure(t, line_no);
	} else if (t->steps[step - 1].state == STEP_RUNNING) {
		t->steps[step - 1].state = state;
	}
	return true;
}

/* BuildKit's words after the steps, without a "#N": the error summary
 * block, the Dockerfile excerpt and "ERROR: failed to solve". */
static bool buildkit_tail(struct step_tracker *t, const char *s, size_t n, size_t line_no,
			  struct step_line *out)
{
	size_t failed = t->first_error;

	if (n == 6 && starts(s, n, "------")) {
		t->in_summary = !t->in_summary;
		if (t->in_summary)
			t->summary = 0;
		out->kind = LINE_FRAMING;
		out->step = t->summary ? t->summary : failed;
		return true;
	}
	if (t->in_summary && starts(s, n, " > ")) {
		size_t step = buildkit_find(t, s + 3, n - 3);

		t->summary = step ? step : failed;
		out->kind = LINE_FRAMING;
		out->step = t->summary;
		return true;
	}
	if (t->in_summary) {
		out->step = t->summary ? t->summary : failed;
		return true;
	}
	if (starts(s, n, "ERROR: failed to solve") || starts(s, n, "error: failed to solve") ||
	    starts(s, n, "executor failed running [") ||
	    starts(s, n, "ERROR: failed to build") || starts(s, n, "failed to solve with frontend") ||
	    starts(s, n, "ERROR: failed to compute cache key") ||
	    starts(s, n, "failed to compute cache key")) {
		mark_failure(t, line_no);
		if (failed) {
			struct build_step *st = &t->steps[failed - 1];
			int code = exit_code_of(s, n);

			if (st->exit_code < 0 && code >= 0)
				st->exit_code = code;
		}
		out->step = failed;
		out->kind = is_exit_framing(s, n) ? LINE_FRAMING : LINE_OUTPUT;
		return true;
	}
	if (failed && (starts(s, n, "Dockerfile:") || (n == 20 && starts(s, n, "--------------------")))) {
		out->step = failed;
		out->kind = LINE_FRAMING;
		return true;
	}
	if (failed) {
		/* "  12 | >>> RUN ...": the Dockerfile excerpt */
		size_t i = 0;

		while (i < n && s[i] == ' ')
			i++;
		if (i < n && is_digit(s[i])) {
			while (i < n && is_digit(s[i]))
				i++;
			if (starts(s + i, n - i, " | ") || (n - i == 2 && starts(s + i, 2, " |"))) {
				out->step = failed;
				out->kind = LINE_FRAMING;
				return true;
			}
		}
	}
	return false;
}

/* Docker Compose's "Image app Built" / "✔ Service app  Built" after a build. */
static bool compose_built(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' '))
		n--;
	while (n && *s == ' ')
		s++, n--;
	if (starts(s, n, "\xe2\x9c\x94 ")) /* ✔ */
		s += 4, n -= 4;
	return (starts(s, n, "Image ") || starts(s, n, "Service ")) && ends(s, n, " Built");
}

/* The vertex number of "#N rest" with rest at *rest, or 0. */
static unsigned hash_vertex(const char *s, size_t n, const char **rest, size_t *rest_n)
{
	size_t i = 1;
	unsigned long v = 0;

	if (n < 3 || s[0] != '#' || !is_digit(s[1]))
		return 0;
	while (i < n && is_digit(s[i]) && v <= MAX_VERTEX)
		v = v * 10 + (unsigned long)(s[i++] - '0');
	if (v == 0 || v > MAX_VERTEX || i >= n || s[i] != ' ')
		return 0;
	*rest = s + i + 1;
	*rest_n = n - i - 1;
	return (unsigned)v;
}

/* --- the sequential builders ----------------------------------------------- */

/* "Step 3/9 : RUN ..." (legacy) or "STEP 3/9: RUN ..." / "STEP 3: RUN ..."
 * (podman, buildah). */
static bool sequential_header(struct step_tracker *t, const char *s, size_t n,
			      size_t line_no, struct step_line *out)
{
	enum builder b;
	size_t i;
	long a = 0, total = -1;
	struct build_step *st;

	if (starts(s, n, "Step ") && n > 5 && is_digit(s[5]))
		b = BUILDER_LEGACY;
	else if (starts(s, n, "STEP ") && n > 5 && is_digit(s[5]))
		b = BUILDER_PODMAN;
	else
		return false;
	for (i = 5; i < n && is_digit(s[i]) && a < 100000; i++)
		a = a * 10 + (s[i] - '0');
	if (i < n && s[i] == '/') {
		total = 0;
		for (i++; i < n && is_digit(s[i]) && total < 100000; i++)
			total = total * 10 + (s[i] - '0');
	}
	if (b == BUILDER_LEGACY ? !starts(s + i, n - i, " : ") : !starts(s + i, n - i, ": "))
		return false;
	i += b == BUILDER_LEGACY ? 3 : 2;
	close_open(t, STEP_DONE);
	t->open = new_step(t, b, line_no);
	st = &t->steps[t->open - 1];
	st->index = (int)a;
	st->total = (int)total;
	set_instruction(st, s + i, n - i);
	out->step = t->open;
	out->kind = LINE_FRAMING;
	return true;
}

/* Whether s is " ---> 0123456789ab" (legacy) or "--> 0123abc" (podman):
 * the layer a step made, so the step succeeded. */
static bool layer_line(const char *s, size_t n)
{
	size_t i = 0, hex = 0;

	if (starts(s, n, " ---> "))
		i = 6;
	else if (starts(s, n, "--> "))
		i = 4;
	else
		return false;
	if (starts(s + i, n - i, "Using cache"))
		return true;
	for (; i < n; i++, hex++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return hex >= 6;
}

/* The step a podman/buildah "building at STEP \"RUN ...\"" line names. */
static size_t podman_named(const struct step_tracker *t, const char *s, size_t n)
{
	const char *q = find(s, n, "at STEP \""), *end;
	size_t k;

	if (!q)
		return t->open;
	q += 9;
	end = memchr(q, '"', (size_t)(s + n - q));
	if (!end)
		return t->open;
	for (k = t->nr; k-- > 0;) {
		const struct build_step *st = &t->steps[k];
		size_t in = st->instruction ? strlen(st->instruction) : 0;
		size_t cmd = st->command ? strlen(st->command) : 0;

		if (!in || st->builder != BUILDER_PODMAN)
			continue;
		if ((size_t)(end - q) >= in && !memcmp(q, st->instruction, in) &&
		    (!cmd || ((size_t)(end - q) == in + 1 + cmd && !memcmp(q + in + 1, st->command, cmd))))
			return k + 1;
	}
	return t->open;
}

/* A logrus-prefixed kaniko line "INFO[0012] text": text at *rest. */
static bool kaniko_prefix(const char *s, size_t n, const char **rest, size_t *rest_n)
{
	static const char *const levels[] = { "INFO[", "WARN[", "ERRO[", "DEBU[", "TRAC[", "FATA[" };
	const char *close;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(levels); k++)
		if (starts(s, n, levels[k]))
			break;
	if (k == ARRAY_SIZE(levels) || !(close = memchr(s, ']', n)))
		return false;
	*rest = close + 1;
	*rest_n = n - (size_t)(close + 1 - s);
	while (*rest_n && **rest == ' ')
		(*rest)++, (*rest_n)--;
	return true;
}

static bool kaniko_line(struct step_tracker *t, const char *s, size_t n, size_t line_no,
			struct step_line *out)
{
	const char *r;
	size_t rn;
	bool prefixed = kaniko_prefix(s, n, &r, &rn);

	if (!prefixed) {
		r = s;
		rn = n;
	}
	if (starts(r, rn, "error building image") ||
	    (t->builder == BUILDER_KANIKO && starts(r, rn, "error building stage"))) {
		mark_failure(t, line_no);
		if (t->open)
			fail_step(t, t->open, r, rn, line_no);
		out->step = t->open;
		out->kind = is_exit_framing(r, rn) ? LINE_FRAMING : LINE_OUTPUT;
		return true;
	}
	if (!prefixed)
		return false;
	if (instruction_len(r, rn)) {
		struct build_step *st;

		close_open(t, STEP_DONE);
		t->open = new_step(t, BUILDER_KANIKO, line_no);
		st = &t->steps[t->open - 1];
		set_instruction(st, r, rn);
	} else if (starts(r, rn, "Retrieving image manifest ")) {
		const char *ref = r + 26;
		size_t ref_n = rn - 26;
		struct build_step *st = t->open ? &t->steps[t->open - 1] : NULL;

		/* kaniko resolves each stage's base image, sometimes twice */
		if (!st || !st->instruction || strcmp(st->instruction, "FROM") || !st->command ||
		    strlen(st->command) != ref_n || memcmp(st->command, ref, ref_n)) {
			close_open(t, STEP_DONE);
			t->open = new_step(t, BUILDER_KANIKO, line_no);
			st = &t->steps[t->open - 1];
			st->instruction = xstrdup("FROM");
			st->command = dup_trim(ref, ref_n);
		}
	} else if (starts(r, rn, "Pushing image to ") || starts(r, rn, "Pushed ") ||
		   starts(r, rn, "Skipping push to container registry")) {
		close_open(t, STEP_DONE);
		t->open = 0;
		mark_success(t, line_no);
		out->kind = LINE_SUCCESS;
		out->step = 0;
		return true;
	} else if (t->builder != BUILDER_KANIKO && !t->open) {
		return false; /* another Go tool's logrus line */
	}
	out->step = t->open;
	out->kind = LINE_FRAMING;
	if (t->open)
		t->steps[t->open - 1].last_line = line_no;
	return true;
}

static bool sequential_line(struct step_tracker *t, const char *s, size_t n, size_t line_no,
			    struct step_line *out)
{
	if (sequential_header(t, s, n, line_no, out))
		return true;
	if (layer_line(s, n)) {
		if (t->open && t->steps[t->open - 1].state == STEP_RUNNING)
			t->steps[t->open - 1].state = find(s, n, "Using cache") ? STEP_CACHED : STEP_DONE;
		out->step = t->open;
		out->kind = LINE_FRAMING;
		return true;
	}
	if (starts(s, n, " ---> ") || starts(s, n, "Removing intermediate container") ||
	    starts(s, n, "Sending build context to Docker daemon") ||
	    (t->builder == BUILDER_PODMAN && starts(s, n, "COMMIT"))) {
		out->step = starts(s, n, "Sending build") ? 0 : t->open;
		out->kind = LINE_FRAMING;
		return true;
	}
	if (starts(s, n, "Successfully built ") || starts(s, n, "Successfully tagged ")) {
		close_open(t, STEP_DONE);
		t->open = 0;
		mark_success(t, line_no);
		out->step = 0;
		out->kind = LINE_SUCCESS;
		return true;
	}
	if (starts(s, n, "The command ") && find(s, n, "returned a non-zero code")) {
		if (t->open)
			fail_step(t, t->open, s, n, line_no);
		mark_failure(t, line_no);
		out->step = t->open;
		out->kind = LINE_FRAMING;
		return true;
	}
	/* Docker Hub's automated builds end a build stopped at their time
	 * limit with this line, also after "Successfully built" (the push) */
	if (n == 15 && starts(s, n, "Build canceled.")) {
		mark_failure(t, line_no);
		out->step = t->open;
		out->kind = LINE_OUTPUT;
		return true;
	}
	if ((starts(s, n, "Error: ") || starts(s, n, "error ")) && find(s, n, "building at STEP")) {
		size_t step = podman_named(t, s, n);

		if (step)
			fail_step(t, step, s, n, line_no);
		mark_failure(t, line_no);
		out->step = step;
		out->kind = is_exit_framing(s, n) ? LINE_FRAMING : LINE_OUTPUT;
		return true;
	}
	if (t->open && (starts(s, n, "COPY failed: ") || starts(s, n, "ADD failed: "))) {
		fail_step(t, t->open, s, n, line_no);
		mark_failure(t, line_no);
		out->step = t->open;
		out->kind = LINE_OUTPUT;
		return true;
	}
	return false;
}

struct step_line step_tracker_feed(struct step_tracker *t, const char *s, size_t len,
				   bool agent, unsigned vertex, size_t line_no)
{
	struct step_line out = { 0, LINE_OUTPUT };
	const char *rest;
	size_t rest_n;
	unsigned v;

	if (agent) {
		/* the CodeBuild agent speaks between commands: a sequential
		 * builder's step (finished or not) is over */
		t->open = 0;
		t->in_summary = false;
		out.kind = LINE_AGENT;
		return out;
	}
	if (vertex && t->in_summary && (t->summary || t->first_error)) {
		/* the error summary repeats the failed step's lines, some
		 * BuildKit versions with their "#N <secs>" prefix */
		out.step = t->summary ? t->summary : t->first_error;
		t->steps[out.step - 1].last_line = line_no;
		return out;
	}
	if (vertex) {
		/* "#N <secs> output" with the prefix already set aside */
		out.step = vertex_step(t, vertex);
		if (!out.step) {
			out.step = new_step(t, BUILDER_BUILDKIT, line_no);
			t->steps[out.step - 1].vertex = vertex;
			map_vertex(t, vertex, out.step);
		}
		t->steps[out.step - 1].last_line = line_no;
		return out;
	}
	if ((v = hash_vertex(s, len, &rest, &rest_n)))
		return buildkit_vertex(t, v, rest, rest_n, line_no);
	if (buildkit_tty(t, s, len, line_no, &out))
		return out;
	if (t->builder == BUILDER_BUILDKIT || t->first_error) {
		if (buildkit_tail(t, s, len, line_no, &out)) {
			if (out.step)
				t->steps[out.step - 1].last_line = line_no;
			return out;
		}
	}
	if (starts(s, len, "[+] Building ")) {
		out.kind = LINE_FRAMING;
		return out;
	}
	if (compose_built(s, len)) {
		mark_success(t, line_no);
		out.kind = LINE_SUCCESS;
		return out;
	}
	if (sequential_line(t, s, len, line_no, &out) || kaniko_line(t, s, len, line_no, &out)) {
		if (out.step)
			t->steps[out.step - 1].last_line = line_no;
		return out;
	}
	if (t->open) {
		out.step = t->open;
		t->steps[t->open - 1].last_line = line_no;
	}
	return out;
}

const struct build_step *step_tracker_failed(const struct step_tracker *t)
{
	size_t k, best = 0;

	if (t->first_error)
		return &t->steps[t->first_error - 1];
	/* no step said it failed: the build stopped inside the one that was
	 * still running (a FROM that could not be pulled, a killed builder) */
	for (k = 0; k < t->nr; k++) {
		const struct build_step *st = &t->steps[k];

		if (st->state != STEP_RUNNING || (!st->instruction && st->builder == BUILDER_BUILDKIT))
			continue;
		if (!best || st->last_line >= t->steps[best - 1].last_line)
			best = k + 1;
	}
	return best ? &t->steps[best - 1] : NULL;
}

bool step_tracker_succeeded(const struct step_tracker *t)
{
	return t->success && (!t->failure || t->failure_line < t->success_line);
}

bool step_succeeded(const struct step_tracker *t, size_t step)
{
	const struct build_step *st;

	if (!step || step > t->nr)
		return false;
	st = &t->steps[step - 1];
	if (st->state == STEP_DONE || st->state == STEP_CACHED)
		return true;
	/* a sequential builder moved on to the next step */
	return st->state == STEP_RUNNING && st->builder != BUILDER_BUILDKIT && step < t->nr &&
	       t->steps[step].builder == st->builder;
}

const char *step_next_arg(const char *p, size_t *len)
{
	while (*p) {
		const char *w;

		while (*p == ' ' || *p == '\t')
			p++;
		w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p > w && !(w[0] == '-' && w[1] == '-')) {
			*len = (size_t)(p - w);
			return w;
		}
	}
	return NULL;
}

void build_step_text(const struct build_step *st, bool bare_run, struct strbuf *out)
{
	bool run = st->instruction && !strcmp(st->instruction, "RUN") && st->command;

	if (st->instruction && !(bare_run && run))
		strbuf_addstr(out, st->instruction);
	if (st->instruction && st->command && !(bare_run && run))
		strbuf_addch(out, ' ');
	if (st->command)
		strbuf_addstr(out, st->command);
	if (!st->instruction && !st->command)
		strbuf_addstr(out, "?");
}
