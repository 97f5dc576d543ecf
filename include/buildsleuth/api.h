/* api.h - the Pipecat Cloud REST API (DESIGN.md "The Pipecat Cloud API"):
 * base URL and key resolution, build ID checks, GET a build, GET all of its
 * logs (following nextToken), list builds; and the same calls split into
 * "which URL" and "check the answer" for callers that run the requests
 * themselves (the audit, concurrently).
 * Ownership: struct api owns its HTTP client (which holds the key and wipes
 * it on release) and base URL; struct api_log_pager owns the entries it
 * gathered. Every struct build ** result is the caller's (build_free), every
 * struct json_object ** result a new reference the caller puts with
 * json_object_put(); a struct api_build_page owns its builds and records
 * (api_build_page_release); arguments are borrowed unless said. */
#ifndef BUILDSLEUTH_API_H
#define BUILDSLEUTH_API_H

#include <stdbool.h>
#include <stddef.h>
struct json_object; /* json-c's; only api.c and its callers that keep a record include it */

#include "build.h"
#include "cause.h"
#include "http.h"
#include "source.h"
#include "strbuf.h"
#include "strset.h"

#define API_DEFAULT_URL "https://api.pipecat.daily.co/v1"
#define API_LOGS_LIMIT 10000     /* the most the logs endpoint gives per page */
#define API_KEY_MAX 4096         /* longest key (or token file) accepted */
#define API_TOKEN_MAX 16384      /* longest nextToken followed */
#define API_MAX_PAGES 1000       /* most log pages read per build (10 M lines at 10,000 a page) */

enum api_result {
	API_OK = 0,
	API_CONFIG,        /* no key, bad token file, bad or plain-http base URL */
	API_BAD_ID,        /* the build ID is not a UUID */
	API_HTTP,          /* the request failed (after retries) */
	API_BAD_RESPONSE,  /* not JSON, or JSON of the wrong shape */
};

/* Where the settings come from: the command line, else the environment. */
struct api_config {
	const char *api_url;     /* --api-url, or NULL: env_url, else the default */
	const char *token_file;  /* --token-file, or NULL: env_key */
	/* what the environment said, read by the command line (the library
	 * never reads the environment): $PIPECAT_API_URL, and the key of
	 * $PIPECAT_API_KEY or else $PIPECAT_CLOUD_API_KEY with that name */
	const char *env_url;
	const char *env_key, *env_key_name;
	long timeout;            /* seconds */
	long retries;
	int verbose;
	bool quiet;
};

struct api {
	struct http_client http; /* holds the only copy of the key */
	char *base_url;          /* without a trailing '/' */
	const char *key_from;    /* where the key came from, as messages name it:
				  * "PIPECAT_API_KEY", "the key in --token-file" */
	const char *url_from;    /* "--api-url", "PIPECAT_API_URL", or NULL: the default */
};

/* What a request is for, as a failure message says it. */
enum api_call {
	API_CALL_BUILD,   /* GET /builds/{id} */
	API_CALL_LOGS,    /* GET /builds/{id}/logs */
	API_CALL_LIST,    /* GET /builds */
};

/* Append what failed, in words: "cannot get build ID", "cannot get the log
 * of build ID" (" (page N)" from page 2 on), "cannot list the builds". */
void api_describe_call(enum api_call call, const char *id, size_t page, struct strbuf *out);

/*
 * Append to err (the HTTP client's "<what>: <why>" of a failed request of
 * kind call, which came to res, status the last answer's) the fix when
 * there is one: 401 " (is PIPECAT_API_KEY a private key?)" naming where the
 * key came from; 403 the key's organisation; 404 " (no such build: check
 * the ID and the API key's organisation)"; 400; 429 " (rate limited: try
 * again later)"; 5xx " (the server failed: try again later)"; a host that
 * cannot be reached, the setting that named it. The one place these fixes
 * are worded, for api.c's own calls and the audit's.
 */
void api_add_fix(const struct api *api, enum api_call call, enum http_result res, long status,
		 struct strbuf *err);

const char *api_strerror(enum api_result r);

/*
 * Resolve the base URL and read the key as cfg says, then set up the HTTP
 * client. Token-file warnings (readable by others) go to warnings. On
 * failure err holds one line (never the key). api_release is safe after
 * api_init, whatever it returned.
 */
enum api_result api_init(struct api *api, const struct api_config *cfg,
			 struct causes *warnings, struct strbuf *err);
void api_release(struct api *api);

/*
 * The base URL: opt when not NULL, else env_url ($PIPECAT_API_URL, as the
 * command line read it) when not NULL and not empty, else API_DEFAULT_URL;
 * trailing '/' removed. Refuses anything but http(s), user names or
 * passwords, queries and fragments, and plain http:// unless the host is
 * loopback. *out is the caller's to free.
 */
enum api_result api_resolve_url(const char *opt, const char *env_url, char **out,
				struct strbuf *err);

/*
 * The key: from token_file when not NULL (trailing CR/LF dropped; empty is an
 * error; group/other access adds a warning), else env_key, the value of the
 * environment variable env_key_name (NULL or empty: no key). A key with a
 * space or a control character is refused. *out is the caller's to wipe and
 * free; *from (may be NULL) names where the key came from, for messages.
 */
enum api_result api_read_key(const char *token_file, const char *env_key,
			     const char *env_key_name, char **out, const char **from,
			     struct causes *warnings, struct strbuf *err);

/* Whether id is a UUID: 8-4-4-4-12 hexadecimal digits, either case. */
bool api_valid_build_id(const char *id);

/*
 * GET /builds/{id}: *build is the "build" object read, checked to have a
 * "status" string; *record (when record is not NULL) the object as received,
 * for writing it back. API_BAD_ID without a request when id is not a UUID.
 */
enum api_result api_get_build(struct api *api, const char *id, struct build **build,
			      struct json_object **record, struct strbuf *err);

/*
 * GET /builds/{id}/logs?limit=10000, then again with each nextToken until
 * there is none. *logs is a new array of every entry as received. A repeated
 * or oversized token, a page with no entries, the previous page sent again
 * (kept once), a nextToken on page API_MAX_PAGES, or a page that would take
 * the log text past SOURCE_MAX_BYTES (not kept) stops paging with a warning
 * and keeps what was fetched.
 */
enum api_result api_get_logs(struct api *api, const char *id, struct json_object **logs,
			     struct causes *warnings, struct strbuf *err);

/* A page of GET /builds: each listed build read, and as received. */
struct api_build_page {
	struct build **builds;         /* nr of them */
	struct json_object **records;  /* the same builds as received (borrowed from root) */
	size_t nr;
	long long total;               /* the API's "total" */
	struct json_object *root;
};

void api_build_page_release(struct api_build_page *page);

/*
 * GET /builds?status=S&region=R&contextHash=H&limit=L&offset=O (status,
 * region, context_hash may be NULL; limit 1..100) into *page, checked to
 * hold a "builds" array of objects with an "id" string and a numeric
 * "total".
 */
enum api_result api_list_builds(struct api *api, const char *status, const char *region,
				const char *context_hash, long limit, long offset,
				struct api_build_page *page, struct strbuf *err);

/* --- the calls in pieces ------------------------------------------------- */

/* The URL of GET /builds/{id} (url is reset first; id must be a UUID). */
void api_build_url(const struct api *api, const char *id, struct strbuf *url);

/* Check body, the answer to GET of build id's URL, as api_get_build does. */
enum api_result api_read_build(const char *id, const struct strbuf *body,
			       struct build **build, struct json_object **record,
			       struct strbuf *err);

/* The URL of GET /builds?limit=L&offset=O[&status=S][&region=R]
 * [&contextHash=H] (url is reset first; status, region and context_hash
 * may be NULL and are URL-encoded). */
void api_list_url(const struct api *api, const char *status, const char *region,
		  const char *context_hash, long limit, long offset, struct strbuf *url);

/* Check body, the answer to a list URL, as api_list_builds does. */
enum api_result api_read_list(const struct strbuf *body, struct api_build_page *page,
			      struct strbuf *err);

/*
 * The paging of GET /builds/{id}/logs, one answer at a time: ask
 * api_log_pager_url for the next URL, GET it, hand the answer to
 * api_log_pager_read, until it sets *done. The same checks and warnings as
 * api_get_logs (which is this loop).
 */
struct api_log_pager {
	char *id;
	struct json_object *all;     /* every entry so far */
	struct json_object *prev;    /* the previous page's entries */
	struct strset tokens;        /* every nextToken followed */
	char *token;                 /* the one to send next, or NULL */
	size_t page;                 /* pages read so far */
	size_t text_bytes;           /* log text kept so far, a '\n' per entry */
	size_t max_pages;            /* API_MAX_PAGES; tests may lower the caps */
	size_t max_bytes;            /* SOURCE_MAX_BYTES */
};

/* Start paging the logs of build id (a UUID, copied); api_log_pager_release
 * frees the pager and whatever entries it still holds. */
void api_log_pager_init(struct api_log_pager *p, const char *id);
void api_log_pager_release(struct api_log_pager *p);
/* The URL of the next page (url is reset first). */
void api_log_pager_url(const struct api_log_pager *p, const struct api *api,
		       struct strbuf *url);
/* Take body, the answer to the page api_log_pager_url named: *done is true when there is no next page
 * (or paging stopped, with a warning); an error ends the paging. */
enum api_result api_log_pager_read(struct api_log_pager *p,
				   const struct strbuf *body, bool *done,
				   struct causes *warnings, struct strbuf *err);
/* The entries gathered (a new array, the caller's); the pager is left empty. */
struct json_object *api_log_pager_take(struct api_log_pager *p);

/* Append a `fetch` document, {"build": build, "logs": logs} on one line and
 * a '\n' (what `fetch` writes and `analyze` reads back), to out. */
void api_fetch_document(struct json_object *build, struct json_object *logs,
			struct strbuf *out);

/*
 * Get the build, and while it is pending or building get it again every
 * interval seconds (using the client's clock), saying on stderr (unless
 * quiet) each status it goes through. *build (and *record, as in
 * api_get_build) is the record it ended with.
 */
enum api_result api_wait_build(struct api *api, const char *id, long interval, bool quiet,
			       struct build **build, struct json_object **record,
			       struct strbuf *err);

/* Make src an API source for build id holding build (taken: src frees it)
 * and every entry of logs, as source_add_entry reads them. */
enum source_result api_source_fill(struct source *src, const char *id,
				   struct build *build, struct json_object *logs,
				   struct strbuf *err);

/*
 * The identity of a log entry for watch: its compact JSON text, so the same
 * line with another timestamp differs. The caller frees it.
 */
char *api_entry_key(struct json_object *entry);

/*
 * How many leading entries of batch were seen already: the length of the
 * longest suffix of seen that equals a prefix of batch (0..batch_nr). The
 * logs endpoint returns the latest lines on each call, so consecutive
 * answers overlap; everything after the overlap is new. O(seen + batch).
 */
size_t api_log_overlap(const char *const *seen, size_t seen_nr,
		       const char *const *batch, size_t batch_nr);

#endif
