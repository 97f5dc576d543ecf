/* latest.h - `--latest` (DESIGN.md "Which build, without an ID"): the newest
 * build of GET /builds that has one of some statuses, a region, a Dockerfile
 * path and was created at or after a bound; ties on createdAt go to the
 * greater id. The API filters one status per request, so there is one
 * listing per status, each paged only as far as it can still hold a better
 * match.
 * Ownership: struct latest_query borrows its strings (argv); latest_find's
 * *id is the caller's to free. */
#ifndef BUILDSLEUTH_LATEST_H
#define BUILDSLEUTH_LATEST_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "build.h"
#include "cause.h"
#include "strbuf.h"

#define LATEST_STATUSES_MAX 5   /* pending, building, success, failed, timeout */
#define LATEST_LIST_LIMIT 100   /* builds per GET /builds page: the most the API gives */
#define LATEST_MAX_PAGES 1000   /* most pages read per listing (100,000 builds) */

struct latest_query {
	enum build_status statuses[LATEST_STATUSES_MAX]; /* each once, in the order given */
	size_t statuses_nr;
	const char *region;      /* NULL: any; sent as the API's region filter */
	const char *dockerfile;  /* NULL: any; compared with dockerfilePath here */
	const char *since;       /* --since as given, or NULL */
	bool since_relative;     /* "2h": said as "since 2h ago" */
	double since_seconds;    /* the bound, seconds since the epoch (UTC) */
	/* --changes' baseline: created strictly before this createdAt (as the
	 * record says it), or NULL: no bound */
	const char *before;
	const char *context_hash; /* NULL: any; sent as the API's contextHash filter */
};

/* Add status to q unless it is there already. False, q unchanged, when
 * status is not one the API has (pending, building, success, failed,
 * timeout). */
bool latest_add_status(struct latest_query *q, enum build_status status);

/*
 * Parse a --since value: an ISO 8601 date or date-time (audit_parse_time's
 * forms, a date that exists; no zone is UTC), or a whole number followed by
 * m, h or d counted back from now (seconds since the epoch). False when arg
 * is neither (or too far back to count).
 */
bool latest_parse_since(const char *arg, double now, double *seconds, bool *relative);

/*
 * List GET /builds (limit LATEST_LIST_LIMIT, offset) once per status of q,
 * with q's region and context hash, and set *found to the record of the
 * newest build that matches q (NULL when none does; the caller's to
 * build_free). A listing is newest first, so it stops at a build created
 * before the --since bound or before the best match so far (a build created
 * at the same time may still win on its id); builds created at or after
 * q->before are passed over. Builds without a readable createdAt never
 * match (nor does any when q->before is not readable). *requests (may be
 * NULL) counts the pages asked for. A listing cut at LATEST_MAX_PAGES adds a
 * warning.
 */
enum api_result latest_find_build(struct api *api, const struct latest_query *q,
				  struct build **found, size_t *requests,
				  struct causes *warnings, struct strbuf *err);

/* latest_find_build, giving only the build's id (*id, the caller's). */
enum api_result latest_find(struct api *api, const struct latest_query *q, char **id,
			    size_t *requests, struct causes *warnings, struct strbuf *err);

/* Append the filters as a person reads them in "no build matches: ...":
 * "status failed or timeout, region us-west, dockerfile docker/Dockerfile,
 * since 2h ago". */
void latest_describe_filters(const struct latest_query *q, struct strbuf *out);

/* Append why a build was chosen: "newest failed or timeout build in
 * us-west with dockerfile docker/Dockerfile since 2026-03-04T10:00:00Z". */
void latest_describe_choice(const struct latest_query *q, struct strbuf *out);

/* Append the --since bound in UTC, "2026-03-04T10:00:00Z" (milliseconds
 * only when it has some). */
void latest_since_iso(const struct latest_query *q, struct strbuf *out);

#endif
