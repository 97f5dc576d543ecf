/* rank.c - ranking: orders diagnoses (non-fallback first, then priority,
 * then evidence in the failed phase, then earliest), and finds the likeliest
 * error lines when no rule explains a failure. */
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/rank.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

/* Lines that look like an error... */
static const char error_pattern[] =
	"(?i)\\berror\\b|\\berr!|\\bfatal\\b|\\bfailed\\b|\\bfailure\\b|traceback|"
	"exception\\b|\\bpanic:|not found|no such file|\\bcannot\\b|can't|"
	"could not|couldn't|unable to|denied|refused|\\binvalid\\b|^E: |"
	"\\bkilled\\b|exit code|exit status|non-zero|\\bfault\\b|\\babort|giving up";
/* ...but are generic exit lines or known-harmless noise. */
static const char noise_pattern[] =
	"Command did not exit successfully|"
	"dependency resolver does not currently take into account|"
	"^WARNING: Retrying|debconf:|npm WARN|^\\[notice\\]|"
	"Running pip as the 'root' user|did not complete successfully: exit code|"
	"returned a non-zero code|executor failed running|COMMAND_EXECUTION_ERROR|"
	"\\b0 (?:errors?|failed)\\b|\\berrors?: 0\\b";

/* The line that says which build step failed, with its command and code. */
static const char step_pattern[] =
	"^#(?<step>\\d+) ERROR: (?:process \"(?<cmd>[^\"\\n]*)\" did not complete successfully: "
	"exit code: (?<code>\\d+)|executor failed running \\[(?<cmd>[^\\n]*)\\]: exit code: (?<code>\\d+))?|"
	"The command '(?<cmd>[^'\\n]*)' returned a non-zero code: (?<code>\\d+)|"
	"The command \\[(?<cmd>[^\\n]*)\\] returned a non-zero code: (?<code>\\d+)";

void diagnoses_release(struct diagnoses *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		rule_hits_release(&d->items[i].hits);
		free(d->items[i].summary);
		free(d->items[i].hint);
	}
	free(d->items);
	d->items = NULL;
	d->nr = 0;
}

bool diagnoses_known_cause(const struct diagnoses *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		if (d->items[i].category != CATEGORY_UNKNOWN)
			return true;
	return false;
}

char *fill_placeholders(const char *text, const struct rule_hits *h)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *open = strchr(p, '{'), *end;
		size_t i;

		if (!open) {
			strbuf_addstr(&sb, p);
			break;
		}
		strbuf_add(&sb, p, (size_t)(open - p));
		for (end = open + 1; *end && *end != '}' && *end != '{'; end++)
			;
		if (*end != '}') {
			strbuf_addch(&sb, '{');
			p = open + 1;
			continue;
		}
		for (i = 0; i < h->captures_nr; i++) {
			const struct capture *c = &h->captures[i];

			if (strlen(c->name) == (size_t)(end - open - 1) &&
			    !memcmp(c->name, open + 1, (size_t)(end - open - 1)))
				break;
		}
		if (i == h->captures_nr) {
			strbuf_add(&sb, open, (size_t)(end - open + 1)); /* not ours */
		} else {
			const struct capture *c = &h->captures[i];

			strbuf_addstr(&sb, c->first ? c->first :
				      c->values.nr ? c->values.items[0] : "?");
		}
		p = end + 1;
	}
	return strbuf_detach(&sb, NULL);
}

static int compare(const void *a, const void *b)
{
	const struct diagnosis *x = a, *y = b;

	if (x->fallback != y->fallback)
		return x->fallback ? 1 : -1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->hits.in_failed_phase != y->hits.in_failed_phase)
		return x->hits.in_failed_phase ? -1 : 1;
	if (x->first_line != y->first_line)
		return x->first_line < y->first_line ? -1 : 1;
	return x->rule->index < y->rule->index ? -1 : x->rule->index > y->rule->index;
}

static pcre2_code *compile_static(const char *src)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
					 RULE_PCRE2_FLAGS | PCRE2_DUPNAMES, &err, &off, NULL);

	if (!code)
		BUG("built-in pattern does not compile at offset %zu", (size_t)off);
	/* the interpreter needs seconds for the error pattern's alternatives
	 * on a multi-megabyte line; JIT falls back to it when unavailable */
	if (pcre2_jit_wanted())
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/* CodeBuild's own lines about phases and commands. */
static bool is_framing(const struct log *log, size_t i)
{
	static const char *const starts[] = {
		"Entering phase", "Phase is ", "Phase complete:", "Phase context status code",
		"Running command", "Waiting for",
	};
	const char *s = log_line_norm(log, i);
	size_t k;

	for (k = 0; k < ARRAY_SIZE(starts); k++)
		if (!strncmp(s, starts[k], strlen(starts[k])))
			return true;
	return false;
}

static bool line_matches(const pcre2_code *code, pcre2_match_data *md,
			 const struct log *log, size_t i)
{
	return pcre2_match(code, (PCRE2_SPTR)log_line_norm(log, i),
			   log->lines[i].norm_length, 0, PCRE2_NO_UTF_CHECK, md, NULL) > 0;
}

/* The text of line i without a bare leading "<seconds> " (BuildKit repeats a
 * failed step's last lines in its error summary that way). */
static const char *without_time(const struct log *log, size_t i, size_t *len)
{
	const char *s = log_line_norm(log, i);
	size_t n = log->lines[i].norm_length, k = 0;

	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	if (k && k < n && s[k] == '.') {
		size_t j = k + 1;

		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j > k + 1 && j < n && s[j] == ' ') {
			*len = n - j - 1;
			return s + j + 1;
		}
	}
	*len = n;
	return s;
}

/* Whether line i repeats the text of an earlier chosen line. */
static bool repeats(const struct log *log, const size_t *chosen, size_t nr, size_t i)
{
	size_t k, n, m;
	const char *s = without_time(log, i, &n);

	for (k = 0; k < nr; k++) {
		const char *t = without_time(log, chosen[k], &m);

		if (m == n && !memcmp(s, t, n))
			return true;
	}
	return false;
}

enum pick { PICK_ERRORS, PICK_ANY_ERRORS, PICK_ANY_TEXT };

/* Pick up to UNKNOWN_EVIDENCE_MAX lines of [first, last], the latest ones
 * matching what `how` asks for, returned in line order. */
static size_t pick_lines(const struct log *log, size_t first, size_t last,
			 enum pick how, const pcre2_code *error, const pcre2_code *noise,
			 pcre2_match_data *md, size_t *out)
{
	size_t picked[UNKNOWN_EVIDENCE_MAX * 4], nr = 0, i, k;

	for (i = last + 1; i-- > first && nr < ARRAY_SIZE(picked);) {
		bool is_error, is_noise;

		if (!log->lines[i].norm_length || is_framing(log, i))
			continue;
		is_noise = line_matches(noise, md, log, i);
		is_error = line_matches(error, md, log, i);
		if (how == PICK_ERRORS && (!is_error || is_noise))
			continue;
		if (how == PICK_ANY_ERRORS && !is_error)
			continue;
		picked[nr++] = i;
	}
	/* oldest first, dropping repeats; keep the latest lines */
	k = 0;
	for (i = nr; i-- > 0;) {
		if (repeats(log, out, k, picked[i]))
			continue;
		if (k == UNKNOWN_EVIDENCE_MAX) {
			memmove(out, out + 1, (k - 1) * sizeof(*out));
			k--;
		}
		out[k++] = picked[i];
	}
	return k;
}

struct failed_step {
	size_t line;      /* the error line */
	char *command;    /* NULL when the line does not say */
	char *code;
};

static char *group(pcre2_match_data *md, const char *name)
{
	PCRE2_UCHAR *v;
	PCRE2_SIZE len;
	char *s;

	if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &v, &len))
		return NULL;
	s = xstrndup((const char *)v, len);
	pcre2_substring_free(v);
	return s;
}

/*
 * The output a failed build step printed last: the step's own lines of a
 * BuildKit log ("#17 0.501 ..."), or the lines since "Step N/M" for the legacy
 * builder. That is where a failure no rule knows explains itself.
 */
static size_t step_tail(const struct log *log, size_t first, size_t last,
			struct failed_step *fs, size_t *out)
{
	pcre2_code *code = compile_static(step_pattern);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	size_t i, nr = 0, k, buf[UNKNOWN_EVIDENCE_MAX];
	char *step = NULL;
	bool found = false;

	for (i = last + 1; i-- > first;)
		if (pcre2_match(code, (PCRE2_SPTR)log_line_norm(log, i), log->lines[i].norm_length,
				0, PCRE2_NO_UTF_CHECK, md, NULL) > 0) {
			found = true;
			break;
		}
	if (!found)
		goto out;
	fs->line = i;
	fs->command = group(md, "cmd");
	fs->code = group(md, "code");
	step = group(md, "step");
	if (step) {
		unsigned n = (unsigned)strtoul(step, NULL, 10);

		for (k = i; k-- > first && nr < UNKNOWN_EVIDENCE_MAX && i - k < 20000;)
			if (log->lines[k].step == n && log->lines[k].norm_length)
				buf[nr++] = k;
	} else {
		for (k = i; k-- > first && nr < UNKNOWN_EVIDENCE_MAX;) {
			const char *s = log_line_norm(log, k);

			if (!strncmp(s, "Step ", 5))
				break;
			if (!log->lines[k].norm_length || !strncmp(s, " ---> ", 6) ||
			    !strncmp(s, "Removing intermediate container", 31))
				continue;
			buf[nr++] = k;
		}
	}
	for (k = 0; k < nr; k++)
		out[k] = buf[nr - 1 - k];
out:
	free(step);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return nr;
}

static void add_unknown(const struct log *log, struct diagnoses *out)
{
	struct failed_step fs = { 0, NULL, NULL };
	pcre2_code *error = compile_static(error_pattern);
	pcre2_code *noise = compile_static(noise_pattern);
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	struct diagnosis *d;
	size_t first = 0, last = log->nr ? log->nr - 1 : 0;
	size_t lines[UNKNOWN_EVIDENCE_MAX], nr = 0, i;
	struct strbuf sb = STRBUF_INIT;

	if (log->phases.failed != PHASE_NONE) {
		first = log->phases.failed_first_line;
		last = log->phases.failed_last_line;
	}
	if (log->nr)
		nr = step_tail(log, first, last, &fs, lines);
	if (log->nr && !nr) {
		nr = pick_lines(log, first, last, PICK_ERRORS, error, noise, md, lines);
		if (!nr && (first || last != log->nr - 1))
			nr = pick_lines(log, 0, log->nr - 1, PICK_ERRORS, error, noise, md, lines);
		if (!nr)
			nr = pick_lines(log, first, last, PICK_ANY_ERRORS, error, noise, md, lines);
		if (!nr)
			nr = pick_lines(log, first, last, PICK_ANY_TEXT, error, noise, md, lines);
	}
	d = &out->items[out->nr++];
	memset(d, 0, sizeof(*d));
	d->id = "unknown";
	d->title = "Unrecognised failure";
	d->category = CATEGORY_UNKNOWN;
	if (nr) {
		size_t n, cut = 0;
		const char *s = without_time(log, lines[nr - 1], &n);

		while (cut < n && cut < 200)
			cut++;
		while (cut < n && (s[cut] & 0xc0) == 0x80)
			cut++;
		strbuf_addstr(&sb, "No known failure signature matched; ");
		if (fs.command && fs.code) {
			const char *cmd = fs.command;

			skip_prefix(cmd, "/bin/sh -c ", &cmd);
			strbuf_addf(&sb, "`%s` exited with code %s after printing: ", cmd, fs.code);
		} else {
			strbuf_addstr(&sb, "the likeliest error line is: ");
		}
		strbuf_add(&sb, s, cut);
		if (cut < n)
			strbuf_addstr(&sb, "...");
	} else {
		strbuf_addstr(&sb, "No known failure signature matched and the log holds no error lines");
	}
	d->summary = strbuf_detach(&sb, NULL);
	d->hint = xstrdup("Read the quoted lines and the context around them. If this failure "
			  "recurs, write a rule for it (see docs/rules.md) so the next report names "
			  "the cause.");
	d->hits.count = nr ? 1 : 0; /* one failure, quoted by nr lines */
	d->hits.lines_nr = nr;
	for (i = 0; i < nr; i++)
		d->hits.lines[i] = lines[i];
	d->first_line = nr ? lines[0] : 0;
	d->phase = nr ? log->lines[lines[0]].phase : PHASE_NONE;
	d->hits.in_failed_phase = nr && log->phases.failed != PHASE_NONE &&
				  d->phase == log->phases.failed;
	free(fs.command);
	free(fs.code);
	pcre2_match_data_free(md);
	pcre2_code_free(error);
	pcre2_code_free(noise);
}

void rank_diagnoses(const struct log *log, struct match_result *match,
		    bool build_failed, struct diagnoses *out)
{
	size_t i, explained = 0;
	bool need_unknown;

	out->items = xcalloc(match->nr + 1, sizeof(*out->items));
	out->nr = 0;
	for (i = 0; i < match->nr; i++) {
		struct diagnosis *d = &out->items[out->nr++];
		const struct rule *r = match->hits[i].rule;

		d->rule = r;
		d->id = r->id;
		d->title = r->title;
		d->category = r->category;
		d->priority = r->priority;
		d->fallback = r->fallback;
		d->docs = r->docs;
		d->hits = match->hits[i];
		d->first_line = d->hits.lines[0];
		d->phase = log->lines[d->first_line].phase;
		d->summary = fill_placeholders(r->summary, &d->hits);
		d->hint = fill_placeholders(r->hint, &d->hits);
		if (!r->fallback)
			explained++;
	}
	/* the hits moved into out */
	free(match->hits);
	match->hits = NULL;
	match->nr = match->alloc = 0;

	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), compare);

	/* Fallback rules only say that a step exited non-zero; when nothing
	 * else matched, the likeliest error lines lead the report. */
	need_unknown = !explained;
	if (!out->nr && !build_failed && log->phases.framed &&
	    log->phases.failed == PHASE_NONE)
		need_unknown = false; /* every phase succeeded: nothing failed */
	if (need_unknown) {
		add_unknown(log, out);
		if (out->nr > 1) {
			struct diagnosis u = out->items[out->nr - 1];

			memmove(out->items + 1, out->items, (out->nr - 1) * sizeof(*out->items));
			out->items[0] = u;
		}
	}
}

void rank_add_timeout(const struct log *log, const char *message, struct diagnoses *d)
{
	struct diagnosis *t;
	struct strbuf sb = STRBUF_INIT;
	size_t i, at;

	for (i = 0; i < d->nr; i++)
		if (d->items[i].category == CATEGORY_TIMEOUT)
			return;
	/* the unknown diagnosis said "no rule explains it": now one does */
	for (i = 0; i < d->nr; i++) {
		if (d->items[i].rule || d->items[i].category != CATEGORY_UNKNOWN)
			continue;
		rule_hits_release(&d->items[i].hits);
		free(d->items[i].summary);
		free(d->items[i].hint);
		memmove(d->items + i, d->items + i + 1, (d->nr - i - 1) * sizeof(*d->items));
		d->nr--;
		break;
	}
	for (at = 0; at < d->nr; at++)
		if (d->items[at].fallback || d->items[at].priority <= RANK_TIMEOUT_PRIORITY)
			break;
	d->items = xreallocarray(d->items, d->nr + 1, sizeof(*d->items));
	memmove(d->items + at + 1, d->items + at, (d->nr - at) * sizeof(*d->items));
	d->nr++;
	t = &d->items[at];
	memset(t, 0, sizeof(*t));
	t->id = RANK_TIMEOUT_ID;
	t->title = "Build time limit reached";
	t->category = CATEGORY_TIMEOUT;
	t->priority = RANK_TIMEOUT_PRIORITY;
	strbuf_addstr(&sb, "The build was stopped at its time limit");
	if (message && *message) {
		strbuf_addstr(&sb, " (");
		strbuf_addstr(&sb, message);
		strbuf_addch(&sb, ')');
	}
	strbuf_addstr(&sb, "; the log ends in the step that was still running");
	t->summary = strbuf_detach(&sb, NULL);
	t->hint = xstrdup("Look at the last lines of the log: that step was too slow. Usual "
			  "causes are compiling a package from source (pin a version with a "
			  "prebuilt wheel for the image's Python and platform, or start from a "
			  "base image that has it), downloading very large packages (torch or "
			  "CUDA: use the CPU-only index when the GPU build is not needed), or a "
			  "large build context (add a .dockerignore). Then deploy again.");
	for (i = log->nr; i-- > 0;) {
		if (!log->lines[i].norm_length)
			continue;
		t->hits.count = 1;
		t->hits.lines_nr = 1;
		t->hits.lines[0] = i;
		t->first_line = i;
		t->phase = log->lines[i].phase;
		t->hits.in_failed_phase = log->phases.failed != PHASE_NONE &&
					  t->phase == log->phases.failed;
		break;
	}
}
