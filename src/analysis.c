/* analysis.c - source -> matcher -> ranking, shared by every subcommand. */
#include <string.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/json.h"

/* The outcome of DESIGN.md: a build record's status decides; without one,
 * the log does. */
static enum outcome outcome_of(const struct source *src, const char *status)
{
	if (!status)
		return log_outcome(&src->log);
	if (!strcmp(status, "success"))
		return OUTCOME_SUCCESS;
	if (!strcmp(status, "pending") || !strcmp(status, "building"))
		return OUTCOME_RUNNING;
	if (!strcmp(status, "failed") || !strcmp(status, "timeout"))
		return OUTCOME_FAILED;
	return log_outcome(&src->log); /* a status this version does not know */
}

void analysis_run(const struct ruleset *rs, const struct source *src,
		  struct diagnoses *out, struct causes *warnings)
{
	struct match_result match = { NULL, 0, 0 };
	const char *status = src->build ? json_get_string(src->build, "status") : NULL;
	enum outcome outcome = outcome_of(src, status);

	match_log(rs, &src->log, &match, warnings);
	rank_diagnoses(&src->log, &match, outcome, rs->inference, out);
	match_result_release(&match);
	/* the build record says it ran out of time: that is a cause */
	if (status && !strcmp(status, "timeout"))
		rank_add_timeout(&src->log, json_get_string(src->build, "errorMessage"), out);
}
