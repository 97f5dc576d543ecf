/* http.h - the HTTP client: one libcurl easy handle reused for every request
 * (pages of a build share a connection), bearer auth, size cap, retries with
 * backoff and jitter honouring Retry-After, one-line failure messages.
 * Ownership: struct http_client owns its curl handle and a copy of the key
 * (wiped on release); struct http_response owns its body and strings. URLs
 * and the key passed in are copied, never retained. */
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
/* Longest URL shown in -v lines and messages; longer ones are cut with "...". */
#define HTTP_URL_SHOWN_MAX 200

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
	struct strbuf body;     /* capped at the client's max_body */
	char *location;         /* Location header of a 3xx, or NULL */
	long retry_after;       /* seconds asked by Retry-After (capped), -1 when none */
	double seconds;         /* transfer time of the last attempt */
	int attempts;           /* how many attempts were made */
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
	bool counted;           /* holds a curl_global_init reference */
	long timeout;           /* seconds, connect and total */
	long retries;           /* extra attempts after the first */
	int verbose;            /* -v: one stderr line per attempt */
	bool quiet;             /* -q: no retry warnings */
	size_t max_body;
	struct http_clock clock;
	unsigned long long seed;
	char errbuf[CURL_ERROR_SIZE];
};

/*
 * Set up a client: initialises libcurl (curl_global_init, counted, so
 * several clients are fine), copies key (NULL: no auth). Returns HTTP_INIT
 * with err set when libcurl cannot be set up; the client must still be
 * released.
 */
enum http_result http_client_init(struct http_client *c, const char *key, long timeout,
				  long retries, struct strbuf *err);
/* Free the handle, wipe and free the key, clean libcurl up with the last client. */
void http_client_release(struct http_client *c);

void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

/*
 * GET url into resp, retrying 429, 500, 502, 503, 504 and transient
 * transport errors up to c->retries times. On HTTP_OK resp->status is 2xx.
 * On failure err gets one line naming the request and the cause, e.g.
 * "GET /v1/builds/x: HTTP 401 unauthorized: Unauthorized"; resp still holds
 * the last answer.
 */
enum http_result http_get(struct http_client *c, const char *url,
			  struct http_response *resp, struct strbuf *err);

/* "connection failed", ... for a result. */
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

/* Append s[0..len) percent-encoded for a query value or path segment: only
 * A-Z a-z 0-9 - . _ ~ are kept. */
void http_url_encode(struct strbuf *out, const char *s, size_t len);

/* Append the path of url (no scheme, host or query: "/v1/builds/x"). */
void http_url_path(struct strbuf *out, const char *url);

/* The reason phrase of a status, lowercase ("unauthorized"), or "" when unknown. */
const char *http_status_text(long status);

#endif
