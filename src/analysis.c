/* analysis.c - source -> matcher -> ranking, shared by every subcommand. */
#include <string.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/json.h"

void analysis_run(const struct ruleset *rs, const struct source *src,
		  struct diagnoses *out, struct causes *warnings)
{
	struct match_result match = { NULL, 0, 0 };
	const char *status = NULL;
	bool failed;

	if (src->build) {
		struct json_object *v;

		if (json_object_object_get_ex(src->build, "status", &v) &&
		    json_object_is_type(v, json_type_string))
			status = json_object_get_string(v);
	}
	failed = status && (!strcmp(status, "failed") || !strcmp(status, "timeout"));
	match_log(rs, &src->log, &match, warnings);
	rank_diagnoses(&src->log, &match, failed, out);
	match_result_release(&match);
	/* the build record says it ran out of time: that is a cause */
	if (status && !strcmp(status, "timeout"))
		rank_add_timeout(&src->log, json_get_string(src->build, "errorMessage"), out);
}
