/* audit_fetch.h - the audit's network side: many builds fetched at once on an
 * http_pool (each build's record unless the listing gave it, then every log
 * page), and GET /builds listed page by page only as more work is needed,
 * each listed build offered to the caller. At most `jobs` builds are in
 * progress, so memory does not grow with the number of builds.
 * Ownership: struct audit_fetch borrows its api (which must outlive it);
 * a finished build is handed over in struct audit_fetched, which the
 * caller releases. */
#ifndef BUILDSLEUTH_AUDIT_FETCH_H
#define BUILDSLEUTH_AUDIT_FETCH_H

#include <stdbool.h>
#include <stddef.h>
struct json_object; /* json-c's: the .c files that use it include it */

#include "api.h"
#include "cause.h"
#include "http.h"
#include "strbuf.h"

/* Builds per GET /builds page: the most the API gives. */
#define AUDIT_LIST_LIMIT 100

/* What the caller makes of a listed build. */
enum audit_admit {
	AUDIT_ADMIT_SKIP,   /* not this one (a duplicate, another shard, saved already...) */
	AUDIT_ADMIT_FETCH,  /* fetch it */
	AUDIT_ADMIT_STOP,   /* enough: fetch none of the rest, list no more */
};

/* Called for each listed build: id (as listed) and its record (borrowed). */
typedef enum audit_admit (*audit_admit_fn)(void *ctx, const char *id,
					   const struct build *build);

/* A build whose fetch ended. */
struct audit_fetched {
	char *id;
	struct build *build;        /* the record, or NULL when it could not be had */
	struct json_object *record; /* the same as received (to save it) */
	struct json_object *logs;   /* every entry; NULL when result != API_OK or the
				     * build has not failed (its logs are not fetched) */
	struct causes warnings;     /* paging stopped early, ... */
	enum api_result result;
	long http_status;           /* of the failed answer, 0 when none */
	struct strbuf err;          /* one line when result != API_OK */
};

enum audit_fetch_result {
	AUDIT_FETCH_DONE,         /* *out holds a build */
	AUDIT_FETCH_WAITING,      /* nothing ended within max_wait */
	AUDIT_FETCH_END,          /* nothing left to do */
	AUDIT_FETCH_LIST_FAILED,  /* a list page failed (after retries); err says why */
};

struct audit_fetch;

/* A fetcher running at most jobs builds at once over api's client.
 * HTTP_INIT (err set) when libcurl cannot set it up. */
enum http_result audit_fetch_new(struct api *api, size_t jobs, struct audit_fetch **out,
				 struct strbuf *err);
/* Stop everything in flight and free; NULL is a no-op. */
void audit_fetch_free(struct audit_fetch *f);

/* Queue build id (a UUID) with its record (a new reference is taken) or
 * NULL to fetch it first. */
void audit_fetch_add(struct audit_fetch *f, const char *id, struct json_object *record);

/* List GET /builds?status=S[&region=R] page by page as the queue runs low,
 * offering each build to admit. status and region are copied. */
void audit_fetch_list(struct audit_fetch *f, const char *status, const char *region,
		      audit_admit_fn admit, void *ctx);

/*
 * Work for up to max_wait seconds: AUDIT_FETCH_DONE as soon as a build has
 * ended (fetched, not failed, or failed after retries), with *out filled;
 * AUDIT_FETCH_WAITING when none did; AUDIT_FETCH_END when no build is
 * queued or running and the listing is over.
 */
enum audit_fetch_result audit_fetch_next(struct audit_fetch *f, double max_wait,
					 struct audit_fetched *out, struct strbuf *err);

/* Free what a finished build holds (its record, logs, warnings, message). */
void audit_fetched_release(struct audit_fetched *b);

/* Builds queued or in progress. */
size_t audit_fetch_pending(const struct audit_fetch *f);

/* Whether the listing is still going, how many builds it has seen and
 * the API's "total" (0 before the first page). */
bool audit_fetch_listing(const struct audit_fetch *f, size_t *seen, size_t *total);

/* The pool's counters so far (requests, 429s, pauses, most at once). */
void audit_fetch_stats(const struct audit_fetch *f, struct http_pool_stats *out);

/* "a build ended", ... for a result. */
const char *audit_fetch_strerror(enum audit_fetch_result r);

#endif
