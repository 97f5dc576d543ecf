/* analysis.c - source -> matcher -> ranking, shared by every subcommand. */
#include "buildsleuth/analysis.h"

/* The outcome of DESIGN.md: a build record's status decides; without one
 * (or with a status this version does not know), the log does. */
static enum outcome outcome_of(const struct source *src)
{
	enum outcome o;

	if (src->build && build_status_outcome(src->build->status, &o))
		return o;
	return log_outcome(&src->log);
}

void analysis_run(const struct ruleset *rs, const struct source *src,
		  struct diagnoses *out, struct causes *warnings)
{
	struct match_result match = { NULL, 0, 0 };

	match_log(rs, &src->log, &match, warnings);
	rank_diagnoses(&src->log, &match, outcome_of(src), rs->inference, out);
	match_result_release(&match);
	/* the build record says it ran out of time: that is a cause */
	if (src->build && src->build->status == BUILD_STATUS_TIMEOUT)
		rank_add_timeout(&src->log, src->build->error_message, out);
}
