/* http.h - the HTTP client: one libcurl easy handle reused for every request
 * (pages of a build share a connection), bearer auth, size cap, retries with
 * backoff and jitter honouring Retry-After, one-line failure messages; and a
 * pool of concurrent requests on libcurl's multi interface that shares
 * connections and DNS, retries the same way and pauses as a whole on 429
 * (the client is http.c, the pool http_pool.c).
 * Ownership: struct http_client owns its curl handle and a copy of the key
 * (wiped on release); struct http_response owns its body and strings; a
 * struct http_pool owns its handles and queued requests but borrows its
 * client and each request's data pointer. URLs and the key passed in are
 * copied, never retained. */
#ifndef BUILDSLEUTH_HTTP_H
#define BUILDSLEUTH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <curl/curl.h>

#include "strbuf.h"

/* Largest response body kept (after decompression). */
#define HTTP_MAX_BODY ((size_t)64 << 20)
/* Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2^n)). */
#define HTTP_BACKOFF_BASE 0.5
#define HTTP_BACKOFF_CAP 30.0
/* Longest Retry-After honoured; a longer one is cut to this. */
#define HTTP_RETRY_AFTER_MAX 120L
/* A transfer slower than this many bytes/s for HTTP_LOW_SPEED_TIME seconds
 * (or --timeout, when shorter) is abandoned as timed out. */
#define HTTP_LOW_SPEED_LIMIT 16L
#define HTTP_LOW_SPEED_TIME 30L
/* Longest URL shown in -v lines; longer ones are cut with "...". */
#define HTTP_URL_SHOWN_MAX 200
/* Longest text quoted from a server's error answer (then a note of what was cut). */
#define HTTP_SERVER_TEXT_MAX 200

enum http_result {
	HTTP_OK = 0,
	HTTP_INIT,       /* libcurl could not be set up */
	HTTP_BAD_URL,    /* libcurl refused the URL */
	HTTP_CONNECT,    /* could not resolve or connect */
	HTTP_TIMEOUT,    /* connect or total timeout, or a trickling server */
	HTTP_TRANSFER,   /* reset, truncated or empty response, other transport errors */
	HTTP_TLS,        /* TLS handshake or certificate verification failed */
	HTTP_TOOBIG,     /* the body is larger than the cap */
	HTTP_REDIRECT,   /* a 3xx answer: redirects are never followed */
	HTTP_STATUS,     /* an HTTP error status (4xx, 5xx) */
};

struct http_response {
	long status;            /* 0 when no answer came */
	long os_errno;          /* the socket's errno when it could not connect, else 0 */
	struct strbuf body;     /* capped at the client's max_body */
	char *location;         /* Location header of a 3xx, or NULL */
	long retry_after;       /* seconds asked by Retry-After (capped), -1 when none */
	double seconds;         /* transfer time of the last attempt */
	int attempts;           /* how many attempts were made */
	char *link;             /* the Link header (RFC 8288, pagination), or NULL */
};

/* Injectable time: sleeping and the random source for jitter (tests pass
 * their own; NULL fields get the real clock and a seeded generator). */
struct http_clock {
	void (*sleep)(void *ctx, double seconds);
	double (*random)(void *ctx);   /* uniform in [0, 1) */
	time_t (*now)(void *ctx);      /* for Retry-After dates */
	void *ctx;
};

struct http_client {
	CURL *curl;
	struct curl_slist *headers;
	char *key;              /* bearer key, or NULL; never logged */
	long timeout;           /* seconds, connect and total */
	long retries;           /* extra attempts after the first */
	int verbose;            /* -v: one stderr line per attempt */
	bool quiet;             /* -q: no retry warnings */
	size_t max_body;
	struct http_clock clock;
	unsigned long long seed;
	char errbuf[CURL_ERROR_SIZE];
	/* Where -v lines and retry warnings go (one line, no '\n'); NULL:
	 * stderr. The audit clears its progress line first. */
	void (*message)(void *ctx, const char *line);
	void *message_ctx;
};

/*
 * libcurl's global state, once per process before the first client and
 * after the last (curl_global_init is not thread-safe): main() does it for
 * the commands that talk to an API, a test program for itself. libcurl is
 * opened here (curl_lazy.h); false with *why saying what failed.
 */
bool http_global_init(const char **why);
void http_global_cleanup(void);

/*
 * Set up a client (after http_global_init): copies key (NULL: no auth).
 * Returns HTTP_INIT with err set when libcurl cannot be set up; the client
 * must still be released.
 */
enum http_result http_client_init(struct http_client *c, const char *key, long timeout,
				  long retries, struct strbuf *err);
/* Free the handle, wipe and free the key. */
void http_client_release(struct http_client *c);

/* An empty response (no status, retry_after -1); release frees its body
 * and strings. */
void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

/*
 * GET url into resp, retrying 429, 500, 502, 503, 504 and transient
 * transport errors up to c->retries times. On HTTP_OK resp->status is 2xx.
 * what says in words what failed when the request fails ("cannot get
 * build X"): retry warnings and err, one line, start with it, then say why
 * in words, e.g. "cannot get build X: HTTP 401 unauthorized: <the server's
 * own text, one line, cut>", "cannot get build X: cannot connect to
 * 127.0.0.1:1 (connection refused); retried 2 times" — never the method,
 * the query or the key (a fix, which depends on the API, is the caller's
 * to add). resp still holds the last answer.
 */
enum http_result http_get(struct http_client *c, const char *url, const char *what,
			  struct http_response *resp, struct strbuf *err);

/*
 * Send method ("GET", "POST", "PATCH", ...) to url with body (NULL: none;
 * otherwise sent as Content-Type: application/json), like http_get. Only
 * requests that are safe to repeat are retried as http_get retries: a POST
 * is retried only when it cannot have been acted on (the connection was
 * refused, or 429 too many requests), so a flaky answer never creates a
 * thing twice.
 */
enum http_result http_send(struct http_client *c, const char *method, const char *url,
			   const char *what, const struct strbuf *body,
			   struct http_response *resp, struct strbuf *err);

/* Add header ("Name: value") to every request of c, replacing one of the same
 * name (the default "Accept: application/json" among them). False when
 * libcurl has no memory for it. */
bool http_client_set_header(struct http_client *c, const char *header);

/* --- concurrent requests (libcurl multi) ---------------------------------- */

/*
 * A pool runs up to `jobs` GETs at once on one multi handle. Its easy
 * handles share one DNS cache, connection cache and TLS session cache
 * (CURLSH), and get the same options, retry rules and messages as
 * http_get. Each request is retried on its own (backoff with jitter, or a
 * longer Retry-After), except 429: a 429 pauses the whole pool (the backoff
 * of the 429s in a row, or a longer Retry-After) and halves how many requests run at
 * once; the limit grows back by one each time that many requests succeed.
 * Single-threaded: call it from one thread only.
 */
struct http_pool;

/* A finished request, handed back by http_pool_next. */
struct http_done {
	void *data;                 /* as given to http_pool_add */
	enum http_result result;
	long status;                /* of the last answer, 0 when none came */
	struct strbuf body;         /* the 2xx body; the caller releases it */
	struct strbuf err;          /* one line when result != HTTP_OK; the caller releases it */
};

struct http_pool_stats {
	size_t attempts;            /* requests sent, retries included */
	size_t throttled;           /* 429 answers */
	size_t pauses;              /* times the whole pool paused */
	size_t max_running;         /* most requests in flight at once */
	size_t limit;               /* the current limit (jobs, or less after 429s) */
};

/*
 * A pool of at most jobs (>= 1) concurrent requests on client c (its key,
 * timeouts, retries, clock, -v and message hook), which must outlive it.
 * Returns HTTP_INIT with err set when libcurl cannot set it up.
 */
enum http_result http_pool_new(struct http_client *c, size_t jobs, struct http_pool **out,
			       struct strbuf *err);
/* Abandon every unfinished request and free the pool; NULL is a no-op. */
void http_pool_free(struct http_pool *p);

/* Queue a GET of url (copied); what (copied) as for http_get; data comes
 * back in its http_done. */
void http_pool_add(struct http_pool *p, const char *url, const char *what, void *data);

/*
 * Run the pool for up to max_wait seconds. Returns true and fills *done as
 * soon as one request has finished (succeeded, or failed after its
 * retries); false when none finished in time or nothing is queued.
 */
bool http_pool_next(struct http_pool *p, double max_wait, struct http_done *done);

/* Requests queued, waiting for a retry or running (finished ones not
 * yet handed back included). */
size_t http_pool_pending(const struct http_pool *p);

/* The pool's counters so far, and its current limit. */
void http_pool_get_stats(const struct http_pool *p, struct http_pool_stats *out);

/* Release the buffers of a done request. */
void http_done_release(struct http_done *d);

/* The words a failure message of a result starts with: "cannot connect",
 * "timed out", "TLS failure", "transfer failed", ... */
const char *http_strerror(enum http_result r);

/* Whether a status is worth retrying (429, 500, 502, 503, 504). */
bool http_status_retryable(long status);

/*
 * Parse a Retry-After value: delta-seconds or an HTTP-date (compared with
 * now). Sets *seconds (a date in the past gives 0, anything above
 * HTTP_RETRY_AFTER_MAX is cut to it) and returns true; false when the value
 * is neither.
 */
bool http_parse_retry_after(const char *value, time_t now, long *seconds);

/* The full-jitter delay before retry number attempt (0 for the first
 * retry): unit_random * min(cap, base * 2^attempt), unit_random in [0, 1). */
double http_backoff_delay(int attempt, double base, double cap, double unit_random);

/* The reason phrase of a status, lowercase ("unauthorized"), or "" when unknown. */
const char *http_status_text(long status);

#endif
