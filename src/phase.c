/* phase.c - the CodeBuild phase tracker: which phase each line belongs to and
 * which phase failed first (later phases still run after a failure). */
#include <string.h>

#include "buildsleuth/phase.h"
#include "buildsleuth/util.h"

static const char *const phase_names[PHASE__COUNT] = {
	[PHASE_NONE] = NULL,
	[PHASE_SUBMITTED] = "SUBMITTED",
	[PHASE_QUEUED] = "QUEUED",
	[PHASE_PROVISIONING] = "PROVISIONING",
	[PHASE_DOWNLOAD_SOURCE] = "DOWNLOAD_SOURCE",
	[PHASE_INSTALL] = "INSTALL",
	[PHASE_PRE_BUILD] = "PRE_BUILD",
	[PHASE_BUILD] = "BUILD",
	[PHASE_POST_BUILD] = "POST_BUILD",
	[PHASE_UPLOAD_ARTIFACTS] = "UPLOAD_ARTIFACTS",
	[PHASE_FINALIZING] = "FINALIZING",
	[PHASE_COMPLETED] = "COMPLETED",
};

const char *phase_name(enum build_phase phase)
{
	return phase < PHASE__COUNT ? phase_names[phase] : NULL;
}

enum build_phase phase_from_name(const char *s, size_t len)
{
	int i;

	for (i = 1; i < PHASE__COUNT; i++)
		if (strlen(phase_names[i]) == len && !memcmp(phase_names[i], s, len))
			return (enum build_phase)i;
	return PHASE_NONE;
}

void phase_tracker_init(struct phase_tracker *t)
{
	memset(t, 0, sizeof(*t));
}

/* The upper-case word at s[*i..n), advancing *i past it. */
static enum build_phase read_phase(const char *s, size_t *i, size_t n)
{
	size_t start = *i;

	while (*i < n && ((s[*i] >= 'A' && s[*i] <= 'Z') || s[*i] == '_'))
		(*i)++;
	return phase_from_name(s + start, *i - start);
}

static bool starts_with(const char *s, size_t n, const char *prefix, size_t *i)
{
	size_t k = strlen(prefix);

	if (n < k || memcmp(s, prefix, k))
		return false;
	*i = k;
	return true;
}

bool phase_agent_line(const char *s, size_t len)
{
	static const char *const starts[] = {
		"Entering phase", "Phase is ", "Phase complete:", "Phase context status code",
		"Running command", "Waiting for",
	};
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(starts); k++)
		if (starts_with(s, len, starts[k], &i))
			return true;
	return false;
}

/* Whether the "Phase complete: X ..." tail at s[i..n) reports a failure:
 * "State: S" with S other than SUCCEEDED (FAILED, FAULT, TIMED_OUT,
 * STOPPED), or the old "Success: false". */
static bool completion_failed(const char *s, size_t i, size_t n)
{
	static const char state[] = " State: ", success[] = " Success: ";

	if (n - i >= sizeof(state) - 1 && !memcmp(s + i, state, sizeof(state) - 1)) {
		const char *v = s + i + sizeof(state) - 1;
		size_t vn = n - i - (sizeof(state) - 1);

		return vn && !(vn >= 9 && !memcmp(v, "SUCCEEDED", 9)) &&
		       !(vn >= 11 && !memcmp(v, "IN_PROGRESS", 11));
	}
	if (n - i >= sizeof(success) - 1 &&
	    !memcmp(s + i, success, sizeof(success) - 1))
		return n - i - (sizeof(success) - 1) >= 5 &&
		       !memcmp(s + i + sizeof(success) - 1, "false", 5);
	return false;
}

/* Whether the tail says SUCCEEDED (or the old "Success: true"). */
static bool completion_succeeded(const char *s, size_t i, size_t n)
{
	static const char ok[] = " State: SUCCEEDED", old_ok[] = " Success: true";

	return (n - i >= sizeof(ok) - 1 && !memcmp(s + i, ok, sizeof(ok) - 1)) ||
	       (n - i >= sizeof(old_ok) - 1 && !memcmp(s + i, old_ok, sizeof(old_ok) - 1));
}

static void enter(struct phase_tracker *t, enum build_phase p, size_t line_no)
{
	t->current = p;
	t->current_first_line = line_no;
	t->framed = true;
}

enum build_phase phase_tracker_feed(struct phase_tracker *t, const char *s,
				    size_t len, size_t line_no)
{
	size_t i;
	enum build_phase p;

	if (starts_with(s, len, "Entering phase", &i)) {
		if (i < len && s[i] == ':')
			i++;
		while (i < len && s[i] == ' ')
			i++;
		p = read_phase(s, &i, len);
		if (p != PHASE_NONE)
			enter(t, p, line_no);
	} else if (starts_with(s, len, "Phase is ", &i)) {
		p = read_phase(s, &i, len);
		if (p != PHASE_NONE)
			enter(t, p, line_no);
	} else if (starts_with(s, len, "Phase complete: ", &i)) {
		p = read_phase(s, &i, len);
		if (p != PHASE_NONE) {
			/* a completion of a phase never seen entered still
			 * places the line */
			if (t->current != p)
				enter(t, p, line_no);
			if (completion_failed(s, i, len)) {
				if (t->failed == PHASE_NONE) {
					t->failed = p;
					t->failed_first_line = t->current_first_line;
				}
			} else if (p == PHASE_BUILD && completion_succeeded(s, i, len)) {
				t->build_succeeded = true;
			}
		}
	}
	if (t->failed != PHASE_NONE && t->current == t->failed)
		t->failed_last_line = line_no;
	return t->current;
}
