/* baseline.c - the build a failed one is compared with (--changes,
 * --baseline BUILD_ID), found through `--latest`'s listing and read through
 * fetch_build, and a build of the same source (contextHash) that succeeded. */
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/baseline.h"
#include "buildsleuth/fetch.h"
#include "buildsleuth/latest.h"
#include "buildsleuth/util.h"

/* fetch_build's warnings, each once: its client reads the same key as the
 * lookup's, and says the same about it. */
static bool collect(void *ctx, enum fetch_note note, const char *id, const char *text,
		    const struct build *build)
{
	struct causes *warnings = ctx;
	size_t i;

	(void)id;
	(void)build;
	if (note != FETCH_NOTE_WARNING)
		return true;
	for (i = 0; i < warnings->nr; i++)
		if (!strcmp(warnings->items[i], text))
			return true;
	causes_add(warnings, "%s", text);
	return true;
}

static char *copy_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* "No earlier successful build of docker/Dockerfile in region us-west to
 * compare with" (the record's words; a report escapes them). */
static void no_baseline(const struct build *failed, struct changes *c)
{
	struct strbuf sb = STRBUF_INIT;

	if (!failed) {
		strbuf_addstr(&sb, "No build record to find an earlier successful build by: "
			      "give --baseline BUILD_ID or FILE");
	} else {
		strbuf_addstr(&sb, "No earlier successful build");
		if (failed->dockerfile_path)
			strbuf_addf(&sb, " of %s", failed->dockerfile_path);
		if (failed->region)
			strbuf_addf(&sb, " in region %s", failed->region);
		strbuf_addstr(&sb, " to compare with");
	}
	free(c->note);
	c->note = strbuf_detach(&sb, NULL);
}

/* The newest success build GET /builds lists with failed's Dockerfile path
 * and region (or contextHash, with same_context), created before failed
 * (any time, with same_context). *found is NULL when none is. */
static enum api_result newest_success(struct api *api, const struct build *failed,
				      bool same_context, struct build **found,
				      struct causes *warnings, struct strbuf *err)
{
	struct latest_query q;

	memset(&q, 0, sizeof(q));
	latest_add_status(&q, BUILD_STATUS_SUCCESS);
	if (same_context) {
		q.context_hash = failed->context_hash;
	} else {
		q.region = failed->region;
		q.dockerfile = failed->dockerfile_path;
		q.before = failed->created_at;
	}
	return latest_find_build(api, &q, found, NULL, warnings, err);
}

bool baseline_lookup(const struct api_config *cfg, const struct build *failed, bool find,
		     const char *id, struct source *baseline, struct changes *c,
		     struct causes *warnings, struct strbuf *err)
{
	struct api api;
	struct build *found = NULL;
	bool listing = failed && ((find && !id) || failed->context_hash);
	bool ok = false;

	memset(&api, 0, sizeof(api));
	if (listing && api_init(&api, cfg, warnings, err))
		goto out;
	if (find && !id) {
		if (failed && newest_success(&api, failed, false, &found, warnings, err))
			goto out;
		if (found)
			id = found->id;
		else
			no_baseline(failed, c);
	}
	if (find && id) {
		struct fetch_request req;

		memset(&req, 0, sizeof(req));
		req.api = *cfg;
		req.id = id;
		req.logs = FETCH_LOGS_ALWAYS;
		req.note = collect;
		req.ctx = warnings;
		if (fetch_build(&req, baseline, NULL, err))
			goto out;
		c->baseline_id = xstrdup(id);
		c->baseline_created = copy_or_null(baseline->build->created_at);
	}
	if (failed && failed->context_hash) {
		build_free(found);
		found = NULL;
		if (newest_success(&api, failed, true, &found, warnings, err))
			goto out;
		if (found) {
			c->same_context_id = xstrdup(found->id);
			c->same_context_created = copy_or_null(found->created_at);
		}
	}
	ok = true;
out:
	build_free(found);
	api_release(&api);
	return ok;
}
