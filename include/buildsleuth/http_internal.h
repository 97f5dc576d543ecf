/* http_internal.h - what the HTTP client (http.c) lends the pool
 * (http_pool.c): one attempt of a request on an easy handle, its outcome,
 * the retry delay and the messages. Not for other modules: they use
 * http.h. */
#ifndef BUILDSLEUTH_HTTP_INTERNAL_H
#define BUILDSLEUTH_HTTP_INTERNAL_H

#include "http.h"

/* The answer an attempt is reading into (the write and header callbacks'
 * data). */
struct http_transfer {
	struct http_client *client;
	struct http_response *resp;
	bool toobig;
};

/* One request as the attempt functions see it. */
struct http_request {
	const char *method;             /* "GET", "POST", ... */
	const char *url;
	const char *what;               /* "cannot get build X", for messages */
	const struct strbuf *body;      /* NULL: none */
	struct curl_slist *headers;     /* the client's, or those plus Content-Type */
};

/* Everything a handle of client c needs, whichever path drives it: the one
 * place the request options are decided. False when libcurl refused one. */
bool http_setup_handle(struct http_client *c, CURL *h);

/* Point handle h at request q for attempt number attempt (0 for the
 * first), with t->resp emptied to receive the answer. False when libcurl
 * refused. */
bool http_start_attempt(struct http_client *c, CURL *h, char *errbuf,
			const struct http_request *q, struct http_transfer *t, int attempt);

/* What an attempt on h that ended with code came to: the answer's status,
 * time and Location are read into t->resp, -v logs it, and *retry says
 * whether trying again may help. */
enum http_result http_finish_attempt(struct http_client *c, CURL *h,
				     const struct http_request *q, CURLcode code,
				     struct http_transfer *t, bool *retry);

/* How long to wait before retry number attempt (0 for the first): the
 * full-jitter backoff, or longer when the server asked for longer with
 * Retry-After. Never shorter: a date in the past (0 s) or a server saying
 * "0" must not turn the retries into a burst of requests. */
double http_retry_delay(struct http_client *c, const struct http_response *resp, int attempt);

/* "buildsleuth: warning: cannot get build X: HTTP 503 service unavailable;
 * retry 1 of 4 in 0.3 s" (pause_all: "...; retry 1 of 4; pausing all
 * requests for 2.0 s") unless -q. */
void http_warn_retry(struct http_client *c, const char *errbuf, const struct http_request *q,
		     enum http_result res, CURLcode code, struct http_response *resp,
		     bool pause_all, int attempt, double delay);

/*
 * The one account of a failed request: "<what>: <why>", why in words —
 * "HTTP 401 unauthorized: <server text>", "cannot connect to HOST
 * (connection refused)", "cannot resolve host 'HOST'", "timed out waiting
 * for HOST", "HOST closed the connection before the answer was complete",
 * "TLS failure with HOST: ...", "the answer is larger than 64 MiB" — then
 * "; retried N times" when it was (with the wait a 429 asked for).
 */
/* "<what>: what went wrong" for a request that failed with res (and
 * libcurl's code and errbuf), never quoting the key. */
void http_describe_failure(struct strbuf *err, const struct http_client *c,
			   const char *errbuf, const char *what, const char *url,
			   enum http_result res, CURLcode code,
			   const struct http_response *resp);

#endif
