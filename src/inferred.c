/* inferred.c - the failing step's own finding when no rule names the
 * failure there: its category inferred from the inference tables (the
 * wording class of the step's last output, its instruction, exit code,
 * tool), else `unknown`; either quotes the likeliest error lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/error_lines.h"
#include "buildsleuth/inference.h"
#include "buildsleuth/inferred.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/subject.h"
#include "buildsleuth/util.h"

static const char *const inferred_ids[CATEGORY__COUNT] = {
	[CATEGORY_REQUIREMENTS] = "inferred.requirements",
	[CATEGORY_DEPENDENCY_RESOLUTION] = "inferred.dependency-resolution",
	[CATEGORY_PACKAGE_BUILD] = "inferred.package-build",
	[CATEGORY_PYTHON_ENVIRONMENT] = "inferred.python-environment",
	[CATEGORY_DOCKERFILE] = "inferred.dockerfile",
	[CATEGORY_BUILD_CONTEXT] = "inferred.build-context",
	[CATEGORY_BASE_IMAGE] = "inferred.base-image",
	[CATEGORY_PLATFORM] = "inferred.platform",
	[CATEGORY_SYSTEM_PACKAGES] = "inferred.system-packages",
	[CATEGORY_NETWORK] = "inferred.network",
	[CATEGORY_RESOURCES] = "inferred.resources",
	[CATEGORY_TIMEOUT] = "inferred.timeout",
	[CATEGORY_APPLICATION] = "inferred.application",
	[CATEGORY_UNKNOWN] = "unknown",
};

const char *inferred_id(enum category c)
{
	return c < CATEGORY__COUNT ? inferred_ids[c] : "unknown";
}

/* Lines at the end of a failing step read as one message. */
#define WORDING_TAIL 12

/* Of the classes that match one of lines[0..nr) (newest first), the one that
 * comes first in the table; *at is the newest line it matched. */
static const struct inference_entry *first_class(const struct log *log,
						 const struct inference *inf,
						 const size_t *lines, size_t nr, size_t *at)
{
	const struct inference_entry *best = NULL;
	size_t k, best_rank = SIZE_MAX, r;

	for (k = 0; k < nr; k++) {
		const struct inference_entry *e = inference_wording(inf, log_line_norm(log, lines[k]),
								    log->lines[lines[k]].norm_length);

		if (!e)
			continue;
		for (r = 0; r < inf->nr[INFER_WORDING] && inf->entries[INFER_WORDING][r] != e; r++)
			;
		if (r < best_rank) {
			best_rank = r;
			best = e;
			*at = lines[k];
		}
	}
	return best;
}

/*
 * What the tables say of the failure: the wording class of the step's last
 * output lines (see first_class, then the newest line that has one), else the step's instruction,
 * else its exit code, else the last known tool its command runs. *at is the
 * line a wording class matched, or SIZE_MAX.
 */
static const struct inference_entry *infer(const struct log *log, const struct inference *inf,
					   const struct scope *sc, const size_t *lines, size_t nr,
					   size_t *at)
{
	const struct inference_entry *e, *tools[16];
	const struct build_step *st = sc->step ? &log->steps.steps[sc->step - 1] : NULL;
	size_t recent[40], k, n;

	*at = SIZE_MAX;
	n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent));
	/* the step's last few lines hold the cause and its symptoms together
	 * (apt's DNS error, then "E: Some index files failed"): there the
	 * class that comes first in the table wins; further up, the newest
	 * line with a class (a retry that recovered long before is not it) */
	if ((e = first_class(log, inf, recent, n < WORDING_TAIL ? n : WORDING_TAIL, at)))
		return e;
	for (k = 0; k < n; k++)
		if ((e = inference_wording(inf, log_line_norm(log, recent[k]),
					   log->lines[recent[k]].norm_length))) {
			*at = recent[k];
			return e;
		}
	for (k = nr; !n && k-- > 0;)
		if ((e = inference_wording(inf, log_line_norm(log, lines[k]),
					   log->lines[lines[k]].norm_length))) {
			*at = lines[k];
			return e;
		}
	if (!st)
		return NULL;
	if (st->instruction &&
	    (e = inference_find(inf, INFER_INSTRUCTION, st->instruction, strlen(st->instruction))))
		return e;
	if (st->exit_code >= 0) {
		char code[16];
		int len = snprintf(code, sizeof(code), "%d", st->exit_code);

		if ((e = inference_find(inf, INFER_EXIT_CODE, code, (size_t)len)))
			return e;
	}
	if (st->instruction && !strcmp(st->instruction, "RUN") &&
	    (n = inference_tools(inf, st->command, tools, ARRAY_SIZE(tools))))
		return tools[n - 1];
	return NULL;
}

/* "`pip install x` (step 5/9) exited with code 1 after printing: " */
static void describe_step(struct strbuf *sb, const struct build_step *st)
{
	strbuf_addch(sb, '`');
	build_step_text(st, true, sb);
	strbuf_addch(sb, '`');
	if (st->index > 0 && st->total > 0)
		strbuf_addf(sb, " (step %d/%d)", st->index, st->total);
	else if (st->index > 0)
		strbuf_addf(sb, " (step %d)", st->index);
	if (st->exit_code >= 0)
		strbuf_addf(sb, " exited with code %d after printing: ", st->exit_code);
	else
		strbuf_addstr(sb, " failed after printing: ");
}

static void add_line_text(struct strbuf *sb, const struct log *log, size_t line)
{
	size_t n, cut = 0;
	const char *s = line_without_time(log, line, &n);

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;

	while (cut < n && cut < 200)
		cut++;
	while (cut < n && (s[cut] & 0xc0) == 0x80)
		cut++;
	strbuf_add(sb, s, cut);
	if (cut < n)
		strbuf_addstr(sb, "...");
}

/*
 * The failing step's own finding when no rule named one there: inferred
 * from the tables, or unknown when they know nothing. Quotes the step's last
 * output (or the likeliest error lines).
 */
void inferred_add(const struct log *log, const struct inference *inf,
			 const struct scope *sc, struct diagnoses *out)
{
	const struct build_step *st = sc->step ? &log->steps.steps[sc->step - 1] : NULL;
	const struct inference_entry *e;
	size_t lines[UNKNOWN_EVIDENCE_MAX], nr, i, at;
	struct strbuf sb = STRBUF_INIT;
	struct diagnosis *d;

	nr = error_lines_likeliest(log, sc, lines);
	e = infer(log, inf, sc, lines, nr, &at);
	if (at != SIZE_MAX) {
		/* the line that told the class is quoted too */
		for (i = 0; i < nr && lines[i] != at; i++)
			;
		if (i == nr) {
			if (nr == UNKNOWN_EVIDENCE_MAX)
				memmove(lines, lines + 1, --nr * sizeof(*lines));
			for (i = nr; i > 0 && lines[i - 1] > at; i--)
				lines[i] = lines[i - 1];
			lines[i] = at;
			nr++;
		}
	}
	d = &out->items[out->nr++];
	memset(d, 0, sizeof(*d));
	if (e) {
		d->id = inferred_id(e->category);
		d->title = e->title;
		d->category = e->category;
		d->inferred = true;
		d->hint = xstrdup(e->hint);
	} else {
		d->id = "unknown";
		d->title = "Unrecognised failure";
		d->category = CATEGORY_UNKNOWN;
		d->hint = xstrdup("Read the quoted lines and the context around them. If this failure "
				  "recurs, write a rule for it (a JSON file given with --rules DIR; RULE FILES "
				  "in 'man buildsleuth' shows how) so the next report names the cause.");
		strbuf_addstr(&sb, "No known failure signature matched; ");
	}
	if (st)
		describe_step(&sb, st);
	else if (nr)
		strbuf_addstr(&sb, "the likeliest error line is: ");
	if (nr)
		add_line_text(&sb, log, at != SIZE_MAX ? at : error_lines_quote(log, lines, nr));
	else if (!st)
		strbuf_addstr(&sb, e ? "the log holds no error lines" :
			      "No known failure signature matched and the log holds no error lines");
	else
		strbuf_addstr(&sb, "(nothing)");
	if (!e && !st && !nr) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "No known failure signature matched and the log holds no error lines");
	}
	d->summary = strbuf_detach(&sb, NULL);
	d->subject = subject_of_inferred(log, sc, d->category, lines, nr);
	d->hits.count = nr ? 1 : 0; /* one failure, quoted by nr lines */
	d->hits.lines_nr = nr;
	for (i = 0; i < nr; i++)
		d->hits.lines[i] = lines[i];
	d->first_line = nr ? lines[0] : 0;
	d->phase = nr ? (enum build_phase)log->lines[lines[0]].phase : PHASE_NONE;
	d->step = sc->step;
	subject_add_context(log, sc, d);
	d->in_failed_step = sc->step != 0;
	d->priority = 0;
	d->hits.in_failed_phase = nr && log->phases.failed != PHASE_NONE &&
				  d->phase == log->phases.failed;
}
