/* rank.c - ranking (DESIGN.md "Ranking"): orders findings (causes before
 * what they explain; specific, inferred, fallback; the failing step's first;
 * priority; the failed phase's first; earliest) and keeps a finding of a
 * step that succeeded out when the failing step has its own. Each rule's
 * finding gets its subject (subject.c) and its Python attribution
 * (traceback.c); when no rule names the failure in the failing step, the
 * inferred or unknown finding (inferred.c) is added. */
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/inferred.h"
#include "buildsleuth/rank.h"
#include "buildsleuth/scope.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/subject.h"
#include "buildsleuth/traceback.h"
#include "buildsleuth/util.h"

void diagnoses_release(struct diagnoses *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		rule_hits_release(&d->items[i].hits);
		free(d->items[i].summary);
		free(d->items[i].hint);
		free(d->items[i].subject);
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

static bool in_scope(const struct log *log, const struct scope *sc, const struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->hits.lines_nr; i++)
		if (scope_has_line(log, sc, d->hits.lines[i]))
			return true;
	return false;
}

/* Whether every occurrence kept lies in a step that succeeded. */
static bool only_in_good_steps(const struct log *log, const struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->hits.lines_nr; i++)
		if (!step_succeeded(&log->steps, log->lines[d->hits.lines[i]].step))
			return false;
	return d->hits.lines_nr > 0;
}

static bool is_specific(const struct diagnosis *d)
{
	return d->rule && !d->fallback;
}

/* specific rules, then inferred diagnoses (and the timeout), then fallback */
static int rank_class(const struct diagnosis *d)
{
	if (d->fallback)
		return 2;
	return d->rule ? 0 : 1;
}

static int compare(const void *a, const void *b)
{
	const struct diagnosis *x = a, *y = b;

	if (rank_class(x) != rank_class(y))
		return rank_class(x) < rank_class(y) ? -1 : 1;
	if (x->in_failed_step != y->in_failed_step)
		return x->in_failed_step ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->hits.in_failed_phase != y->hits.in_failed_phase)
		return x->hits.in_failed_phase ? -1 : 1;
	if (x->first_line != y->first_line)
		return x->first_line < y->first_line ? -1 : 1;
	if (x->rule && y->rule)
		return x->rule->index < y->rule->index ? -1 : x->rule->index > y->rule->index;
	return 0;
}

/* --- cause before consequence ---------------------------------------------------- */

static bool rule_explains(const struct rule *cause, const struct rule *effect)
{
	size_t i;

	if (!cause || !effect || !cause->explains_rules)
		return false;
	for (i = 0; i < cause->explains.nr; i++)
		if (cause->explains_rules[i] == effect)
			return true;
	return false;
}

/* Both in one step, or (without step framing) in one phase. */
static bool same_place(const struct diagnosis *a, const struct diagnosis *b)
{
	if (a->step || b->step)
		return a->step == b->step;
	return a->phase == b->phase;
}

/* Name the consequence's subject in the cause's summary ("header portaudio.h
 * is missing; it led to: Wheel build failed (pyaudio)"): the cause ranks
 * first, and the reader still learns which package it stopped. */
static void name_consequence(struct diagnosis *cause, const struct diagnosis *effect)
{
	struct strbuf sb = STRBUF_INIT;

	if (!effect->subject || strstr(cause->summary, effect->subject) ||
	    strstr(cause->summary, "; it led to: "))
		return;
	strbuf_addstr(&sb, cause->summary);
	strbuf_addf(&sb, "; it led to: %s (%s)", effect->title, effect->subject);
	free(cause->summary);
	cause->summary = strbuf_detach(&sb, NULL);
}

/* Move each cause before the findings it explains and mark them. */
static void order_causes(struct diagnoses *d)
{
	size_t pass, i, j;
	bool moved = true;

	for (pass = 0; moved && pass <= d->nr; pass++) {
		moved = false;
		for (i = 0; i < d->nr; i++) {
			for (j = 0; j < d->nr; j++) {
				struct diagnosis *cause = &d->items[j], *effect = &d->items[i];

				if (i == j || !rule_explains(cause->rule, effect->rule) ||
				    !same_place(cause, effect) || cause->first_line > effect->first_line)
					continue;
				effect->explained_by = cause->id;
				name_consequence(cause, effect);
				if (j > i) {
					struct diagnosis c = *cause;

					memmove(d->items + i + 1, d->items + i, (j - i) * sizeof(*d->items));
					d->items[i] = c;
					moved = true;
				}
				break;
			}
		}
	}
}

static void drop(struct diagnoses *d, size_t i)
{
	rule_hits_release(&d->items[i].hits);
	free(d->items[i].summary);
	free(d->items[i].hint);
	free(d->items[i].subject);
	memmove(d->items + i, d->items + i + 1, (d->nr - i - 1) * sizeof(*d->items));
	d->nr--;
}

void rank_diagnoses(const struct log *log, struct match_result *match,
		    enum outcome outcome, const struct inference *inf,
		    struct diagnoses *out)
{
	struct scope sc;
	size_t i;
	bool own = false, specific = false;

	out->items = xcalloc(match->nr + 1, sizeof(*out->items));
	out->nr = 0;
	out->outcome = outcome;
	out->failed_step = outcome == OUTCOME_FAILED ? log_failed_step_nr(log) : 0;
	scope_init(log, out->failed_step, &sc);
	for (i = 0; i < match->nr; i++) {
		struct diagnosis *d;
		const struct rule *r = match->hits[i].rule;

		if (outcome != OUTCOME_FAILED) {
			/* a build that did not fail has no causes: warnings,
			 * retries that recovered, notices */
			rule_hits_release(&match->hits[i]);
			continue;
		}
		d = &out->items[out->nr++];
		d->rule = r;
		d->id = r->id;
		d->title = r->title;
		d->category = r->category;
		d->priority = r->priority;
		d->fallback = r->fallback;
		d->docs = r->docs;
		d->hits = match->hits[i];
		d->first_line = d->hits.lines[0];
		d->phase = (enum build_phase)log->lines[d->first_line].phase;
		d->step = log->lines[d->first_line].step;
		d->in_failed_step = sc.step && in_scope(log, &sc, d);
		d->summary = fill_placeholders(r->summary, &d->hits);
		d->hint = fill_placeholders(r->hint, &d->hits);
		d->subject = subject_of_finding(log, &sc, d);
		subject_add_context(log, &sc, d);
		traceback_attribute(log, inf, d);
		if (is_specific(d)) {
			specific = true;
			if (in_scope(log, &sc, d))
				own = true;
		}
	}
	/* the hits moved into out */
	free(match->hits);
	match->hits = NULL;
	match->nr = match->alloc = 0;
	if (outcome != OUTCOME_FAILED)
		return;

	/* no rule named the failure where it happened: infer it there */
	if (!own) {
		inferred_add(log, inf, &sc, out);
		own = out->items[out->nr - 1].inferred;
	}
	for (i = out->nr; i-- > 0;) {
		struct diagnosis *d = &out->items[i];

		/* a step that succeeded did not cause the failure when the
		 * failing step has a finding of its own */
		if (sc.step && own && d->rule && only_in_good_steps(log, d)) {
			drop(out, i);
			continue;
		}
		/* a generic "step exited" finding says nothing the failing step
		 * does not say, and nothing beside a real cause */
		if (d->fallback && (sc.step || specific || own))
			drop(out, i);
	}
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), compare);
	/* unknown: nothing is known, so the likeliest lines lead */
	for (i = 1; i < out->nr; i++) {
		if (!out->items[i].rule && out->items[i].category == CATEGORY_UNKNOWN &&
		    !out->items[i].inferred) {
			struct diagnosis u = out->items[i];

			memmove(out->items + 1, out->items, i * sizeof(*out->items));
			out->items[0] = u;
			break;
		}
	}
	order_causes(out);
}

void rank_add_timeout(const struct log *log, const char *message, struct diagnoses *d)
{
	struct diagnosis *t;
	struct strbuf sb = STRBUF_INIT;
	size_t i, at;

	for (i = 0; i < d->nr; i++)
		if (d->items[i].category == CATEGORY_TIMEOUT)
			return;
	/* the unknown or inferred diagnosis guessed at the cause: the build
	 * record says what it was */
	for (i = 0; i < d->nr; i++) {
		if (d->items[i].rule)
			continue;
		drop(d, i);
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
