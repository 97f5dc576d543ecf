/* scope.c - where a failure is (DESIGN.md "Ranking"): the failing step,
 * else the failed CodeBuild phase, else the whole log; and the failing
 * step's own latest output. */
#include "buildsleuth/scope.h"

void scope_init(const struct log *log, size_t failed_step, struct scope *sc)
{
	sc->step = failed_step;
	sc->phase = log->phases.failed;
	sc->first = 0;
	sc->last = log->nr ? log->nr - 1 : 0;
	if (failed_step) {
		sc->first = log->steps.steps[failed_step - 1].first_line;
		sc->last = log->steps.steps[failed_step - 1].last_line;
	} else if (sc->phase != PHASE_NONE) {
		sc->first = log->phases.failed_first_line;
		sc->last = log->phases.failed_last_line;
	}
}

bool scope_has_line(const struct log *log, const struct scope *sc, size_t line)
{
	/* CodeBuild's own verdict on the failed phase (TIMED_OUT, CLIENT_ERROR)
	 * is about the step that was running in it */
	if (sc->step && log->lines[line].kind == LINE_AGENT && sc->phase != PHASE_NONE)
		return log->lines[line].phase == sc->phase;
	if (sc->step)
		return log->lines[line].step == sc->step;
	if (sc->phase != PHASE_NONE)
		return log->lines[line].phase == sc->phase;
	return true;
}

/* Searched from the step's end, at most 200,000 lines back. */
size_t scope_step_output(const struct log *log, const struct scope *sc, size_t *out, size_t max)
{
	size_t k, nr = 0;

	if (!sc->step)
		return 0;
	for (k = sc->last + 1; k-- > sc->first && nr < max && sc->last - k < 200000;)
		if (log->lines[k].step == sc->step && log->lines[k].kind == LINE_OUTPUT &&
		    log->lines[k].norm_length)
			out[nr++] = k;
	return nr;
}
