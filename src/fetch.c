/* fetch.c - the one path from "which build" to a filled source over the
 * Pipecat Cloud API: choose, wait, gate on the status, page or follow the
 * log, fill. The commands only say what they want and print the notes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "buildsleuth/fetch.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/util.h"

static enum fetch_result from_api(enum api_result r)
{
	switch (r) {
	case API_OK: return FETCH_OK;
	case API_CONFIG: return FETCH_CONFIG;
	case API_BAD_ID: return FETCH_BAD_ID;
	case API_HTTP:
	case API_BAD_RESPONSE: break;
	}
	return FETCH_API;
}

static bool note(const struct fetch_request *req, enum fetch_note n, const char *id,
		 const char *text, const struct build *build)
{
	return !req->note || req->note(req->ctx, n, id, text, build);
}

/* Hand each warning on, then forget them. False when the hook said stop. */
static bool note_warnings(const struct fetch_request *req, const char *id,
			  struct causes *warnings)
{
	size_t i;
	bool go = true;

	for (i = 0; i < warnings->nr && go; i++)
		go = note(req, FETCH_NOTE_WARNING, id, warnings->items[i], NULL);
	causes_release(warnings);
	return go;
}

/* --latest: the newest build that matches, into *id (the caller's). */
static enum fetch_result choose(const struct fetch_request *req, struct api *api, char **id,
				struct strbuf *err)
{
	struct causes warnings = CAUSES_INIT;
	struct strbuf why = STRBUF_INIT, line = STRBUF_INIT;
	enum fetch_result res = FETCH_OK;
	enum api_result ares;
	size_t requests = 0;

	ares = latest_find(api, req->latest, id, &requests, &warnings, &why);
	if (!note_warnings(req, NULL, &warnings)) {
		res = FETCH_STOPPED;
		goto out;
	}
	if (req->api.verbose)
		fprintf(stderr, "buildsleuth: --latest read %zu page%s of GET /builds\n", requests,
			requests == 1 ? "" : "s");
	if (ares) {
		strbuf_add(err, why.buf, why.len);
		res = from_api(ares);
		goto out;
	}
	if (!*id) {
		strbuf_addstr(err, "no build matches: ");
		latest_describe_filters(req->latest, err);
		res = FETCH_NO_MATCH;
		goto out;
	}
	strbuf_addf(&line, "build %s: ", *id);
	latest_describe_choice(req->latest, &line);
	if (!note(req, FETCH_NOTE_CHOSEN, *id, line.buf, NULL))
		res = FETCH_STOPPED;
out:
	strbuf_release(&why);
	strbuf_release(&line);
	return res;
}

/* The record, then the log its status calls for. *record only when asked. */
static enum fetch_result get_once(const struct fetch_request *req, struct api *api,
				  const char *id, struct build **build,
				  struct json_object **record, struct json_object **logs,
				  struct strbuf *err)
{
	struct causes warnings = CAUSES_INIT;
	enum api_result ares;

	if (req->wait)
		ares = api_wait_build(api, id, req->interval, req->api.quiet, build, record, err);
	else
		ares = api_get_build(api, id, build, record, err);
	if (ares)
		return from_api(ares);
	if (!note(req, FETCH_NOTE_RECORD, id, (*build)->status_name, *build))
		return FETCH_STOPPED;
	if (req->logs != FETCH_LOGS_ALWAYS && !build_status_has_failure((*build)->status)) {
		/* running, or succeeded: nothing to diagnose, but a report
		 * all the same (a JSON consumer always gets a document) */
		*logs = json_object_new_array();
		return FETCH_OK;
	}
	ares = api_get_logs(api, id, logs, &warnings, err);
	if (!note_warnings(req, id, &warnings))
		return FETCH_STOPPED;
	return from_api(ares);
}

/* The entries shown so far, by their identity (api_entry_key). */
struct seen {
	char **keys;
	size_t nr, alloc;
};

static void seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free(s->keys[i]);
	free(s->keys);
}

/* Append an entry's text as lines cleaned for a terminal (escapes dropped,
 * '\r' redraws collapsed), split on '\n' as the log reader splits it. */
static void add_entry_lines(struct strbuf *out, struct json_object *entry)
{
	const char *s, *end, *nl;
	size_t len;

	if (!source_entry_text(entry, &s, &len))
		return; /* api_get_logs let no such entry through */
	end = s + len;
	do {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		display_line(s, (size_t)(nl - s), 0, out);
		strbuf_addch(out, '\n');
		s = nl + 1;
	} while (nl < end && s < end);
}

/* Hand on the entries of batch not shown yet; add them to all. */
static bool show_new(const struct fetch_request *req, const char *id,
		     struct json_object *batch, struct seen *seen, struct json_object *all)
{
	size_t n = json_object_array_length(batch), i, k;
	char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	struct strbuf out = STRBUF_INIT;
	bool go = true;

	for (i = 0; i < n; i++)
		keys[i] = api_entry_key(json_object_array_get_idx(batch, i));
	k = api_log_overlap((const char *const *)seen->keys, seen->nr,
			    (const char *const *)keys, n);
	if (!k && seen->nr && n) {
		strbuf_addf(&out, "build %s: the latest log lines do not overlap the ones shown "
			    "before: some lines may have been missed", id);
		go = note(req, FETCH_NOTE_WARNING, id, out.buf, NULL);
		strbuf_reset(&out);
	}
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(batch, i);

		if (i < k) {
			free(keys[i]);
			continue;
		}
		add_entry_lines(&out, e);
		ALLOC_GROW(seen->keys, seen->nr + 1, seen->alloc);
		seen->keys[seen->nr++] = keys[i];
		json_object_array_add(all, json_object_get(e));
	}
	free(keys);
	if (go && out.len)
		go = note(req, FETCH_NOTE_LINES, id, out.buf, NULL);
	strbuf_release(&out);
	return go;
}

/* Follow a build like `tail -f` until it ends: each look gets the record
 * and every page there is (the latest lines of a running build, the
 * endpoint's sliding tail, or its whole log), stitched to what was shown. */
static enum fetch_result follow(const struct fetch_request *req, struct api *api,
				const char *id, struct build **build, struct json_object **logs,
				struct strbuf *err)
{
	struct causes warnings = CAUSES_INIT;
	struct json_object *batch = NULL, *all = json_object_new_array();
	struct seen seen = { NULL, 0, 0 };
	enum fetch_result res = FETCH_OK;
	enum api_result ares;
	char *said = NULL;

	for (;;) {
		bool running;

		build_free(*build);
		ares = api_get_build(api, id, build, NULL, err);
		if (ares) {
			res = from_api(ares);
			goto out;
		}
		running = build_status_running((*build)->status);
		if (!said || strcmp(said, (*build)->status_name)) {
			free(said);
			said = xstrdup((*build)->status_name);
			if (!note(req, FETCH_NOTE_STATUS, id, said, NULL)) {
				res = FETCH_STOPPED;
				goto out;
			}
		}
		json_object_put(batch);
		ares = api_get_logs(api, id, &batch, &warnings, err);
		if (!note_warnings(req, id, &warnings)) {
			res = FETCH_STOPPED;
			goto out;
		}
		if (ares) {
			res = from_api(ares);
			goto out;
		}
		if (!show_new(req, id, batch, &seen, all)) {
			res = FETCH_STOPPED;
			goto out;
		}
		if (!running)
			break;
		api->http.clock.sleep(api->http.clock.ctx, (double)req->interval);
	}
	if (!note(req, FETCH_NOTE_RECORD, id, (*build)->status_name, *build)) {
		res = FETCH_STOPPED;
		goto out;
	}
	*logs = all;
	all = NULL;
out:
	free(said);
	seen_release(&seen);
	json_object_put(batch);
	json_object_put(all);
	return res;
}

enum fetch_result fetch_build(const struct fetch_request *req, struct source *src,
			      struct strbuf *document, struct strbuf *err)
{
	struct causes warnings = CAUSES_INIT;
	struct strbuf why = STRBUF_INIT;
	struct api api;
	struct build *build = NULL;
	struct json_object *record = NULL, *logs = NULL;
	enum fetch_result res;
	enum api_result ares;
	const char *id = req->id;
	char *found = NULL;

	memset(&api, 0, sizeof(api));
	ares = api_init(&api, &req->api, &warnings, err);
	if (!note_warnings(req, req->id, &warnings)) {
		res = FETCH_STOPPED;
		goto out;
	}
	if (ares) {
		res = from_api(ares);
		goto out;
	}
	if (req->latest) {
		res = choose(req, &api, &found, err);
		if (res)
			goto out;
		id = found;
	}
	if (req->logs == FETCH_LOGS_FOLLOW)
		res = follow(req, &api, id, &build, &logs, err);
	else
		res = get_once(req, &api, id, &build, document ? &record : NULL, &logs, err);
	if (res)
		goto out;
	if (document) {
		api_fetch_document(record, logs, document);
		goto out;
	}
	/* the source takes the record whatever becomes of the log */
	if (api_source_fill(src, id, build, logs, &why)) {
		build = NULL;
		strbuf_addf(err, "build %s: %s", id, why.buf);
		res = FETCH_BAD_LOG;
		goto out;
	}
	build = NULL;
	src->selected = req->latest;
out:
	build_free(build);
	json_object_put(record);
	json_object_put(logs);
	api_release(&api);
	causes_release(&warnings);
	strbuf_release(&why);
	free(found);
	return res;
}
