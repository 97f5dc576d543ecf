/* http_pool.c - concurrent requests on libcurl's multi interface: shared
 * connections and DNS, as many requests at once as the pool allows, each
 * retried as http.c retries one, and one pause for all of them on 429. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/http.h"
#include "buildsleuth/http_internal.h"
#include "buildsleuth/util.h"

struct pool_request {
	struct pool_request *next;
	CURL *easy;                 /* while running */
	struct http_request q;           /* a GET of url */
	char *url;
	char *what;
	void *data;
	int attempt;                /* 0 for the first */
	double not_before;          /* monotonic time a retry may start */
	struct http_response resp;
	struct http_transfer t;
	enum http_result result;
	struct strbuf err;
	char errbuf[CURL_ERROR_SIZE];
};

/* A FIFO of requests. */
struct request_queue {
	struct pool_request *head, *tail;
	size_t nr;
};

struct http_pool {
	struct http_client *client;
	CURLM *multi;
	CURLSH *share;
	CURL **idle;                /* easy handles set up and free to reuse */
	size_t idle_nr, idle_alloc;
	struct request_queue waiting, running, done;
	size_t jobs, limit;
	size_t successes;           /* since the limit last grew */
	int streak;                 /* 429 pauses without a success between */
	double paused_until;        /* monotonic; no request starts before it */
	struct http_pool_stats stats;
};

static void queue_push(struct request_queue *q, struct pool_request *r)
{
	r->next = NULL;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	q->nr++;
}

static void queue_push_front(struct request_queue *q, struct pool_request *r)
{
	r->next = q->head;
	q->head = r;
	if (!q->tail)
		q->tail = r;
	q->nr++;
}

/* Unlink r, whose predecessor is prev (NULL at the head). */
static void queue_unlink(struct request_queue *q, struct pool_request *prev,
			 struct pool_request *r)
{
	if (prev)
		prev->next = r->next;
	else
		q->head = r->next;
	if (q->tail == r)
		q->tail = prev;
	r->next = NULL;
	q->nr--;
}

static void request_free(struct pool_request *r)
{
	free(r->url);
	free(r->what);
	http_response_release(&r->resp);
	strbuf_release(&r->err);
	free(r);
}

enum http_result http_pool_new(struct http_client *c, size_t jobs, struct http_pool **out,
			       struct strbuf *err)
{
	struct http_pool *p = xcalloc(1, sizeof(*p));

	*out = NULL;
	if (!c->curl || !jobs)
		BUG("http_pool_new needs a working client and jobs >= 1");
	p->client = c;
	p->jobs = p->limit = jobs;
	p->stats.limit = jobs;
	p->multi = curl_multi_init();
	p->share = curl_share_init();
	if (!p->multi || !p->share ||
	    curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK ||
	    curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
	    curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK ||
	    curl_multi_setopt(p->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)jobs) != CURLM_OK) {
		strbuf_addstr(err, "cannot set up concurrent transfers (libcurl multi and share)");
		http_pool_free(p);
		return HTTP_INIT;
	}
	*out = p;
	return HTTP_OK;
}

void http_pool_free(struct http_pool *p)
{
	struct pool_request *r, *next;
	size_t i;

	if (!p)
		return;
	for (r = p->running.head; r; r = next) {
		next = r->next;
		curl_multi_remove_handle(p->multi, r->easy);
		curl_easy_cleanup(r->easy);
		request_free(r);
	}
	for (i = 0; i < p->idle_nr; i++)
		curl_easy_cleanup(p->idle[i]);
	free(p->idle);
	for (r = p->waiting.head; r; r = next) {
		next = r->next;
		request_free(r);
	}
	for (r = p->done.head; r; r = next) {
		next = r->next;
		request_free(r);
	}
	if (p->multi)
		curl_multi_cleanup(p->multi);
	if (p->share)
		curl_share_cleanup(p->share);
	free(p);
}

void http_pool_add(struct http_pool *p, const char *url, const char *what, void *data)
{
	struct pool_request *r = xcalloc(1, sizeof(*r));

	r->url = xstrdup(url);
	r->what = xstrdup(what);
	r->q.method = "GET";
	r->q.url = r->url;
	r->q.what = r->what;
	r->data = data;
	http_response_init(&r->resp);
	strbuf_init(&r->err, 0);
	r->t.resp = &r->resp;
	queue_push(&p->waiting, r);
}

size_t http_pool_pending(const struct http_pool *p)
{
	return p->waiting.nr + p->running.nr + p->done.nr;
}

void http_pool_get_stats(const struct http_pool *p, struct http_pool_stats *out)
{
	*out = p->stats;
	out->limit = p->limit;
}

void http_done_release(struct http_done *d)
{
	strbuf_release(&d->body);
	strbuf_release(&d->err);
}

/* An easy handle with the client's options: a reused one, else a new one. */
static CURL *pool_handle(struct http_pool *p)
{
	CURL *h;

	if (p->idle_nr)
		return p->idle[--p->idle_nr];
	h = curl_easy_init();
	if (!h)
		return NULL;
	if (!http_setup_handle(p->client, h) ||
	    curl_easy_setopt(h, CURLOPT_SHARE, p->share) != CURLE_OK) {
		curl_easy_cleanup(h);
		return NULL;
	}
	return h;
}

static void pool_finish(struct http_pool *p, struct pool_request *r, enum http_result res)
{
	r->result = res;
	queue_push(&p->done, r);
}

static void pool_start(struct http_pool *p, struct pool_request *r)
{
	CURL *h = pool_handle(p);

	r->q.headers = p->client->headers;
	if (!h || !http_start_attempt(p->client, h, r->errbuf, &r->q, &r->t, r->attempt) ||
	    curl_multi_add_handle(p->multi, h) != CURLM_OK) {
		if (h)
			curl_easy_cleanup(h);
		strbuf_addf(&r->err, "%s: cannot set up the request", r->what);
		pool_finish(p, r, HTTP_INIT);
		return;
	}
	r->easy = h;
	queue_push(&p->running, r);
	p->stats.attempts++;
	if (p->running.nr > p->stats.max_running)
		p->stats.max_running = p->running.nr;
}

/* Start every waiting request that may start: not paused, below the
 * limit, its retry delay over. */
static void pool_start_ready(struct http_pool *p, double now)
{
	struct pool_request *r = p->waiting.head, *prev = NULL;

	if (now < p->paused_until)
		return;
	while (r && p->running.nr < p->limit) {
		struct pool_request *next = r->next;

		if (r->not_before <= now) {
			queue_unlink(&p->waiting, prev, r);
			pool_start(p, r);
		} else {
			prev = r;
		}
		r = next;
	}
}

/* When the next waiting request may start (0: now; -1: none waits). */
static double pool_next_start(const struct http_pool *p)
{
	const struct pool_request *r;
	double first = -1;

	for (r = p->waiting.head; r; r = r->next)
		if (first < 0 || r->not_before < first)
			first = r->not_before;
	if (first >= 0 && first < p->paused_until)
		first = p->paused_until;
	return first;
}

static void pool_success(struct http_pool *p)
{
	p->streak = 0;
	/* additive increase back to --jobs after a 429 halved it */
	if (p->limit < p->jobs && ++p->successes >= p->limit) {
		p->limit++;
		p->successes = 0;
	}
}

/*
 * A 429: everyone waits. The first 429 of a pause sets it (the backoff of
 * the 429s in a row, or a longer Retry-After) and halves the limit; answers to
 * requests that were already in flight only extend it to a later
 * Retry-After. Returns when the request may be retried.
 */
static double pool_throttle(struct http_pool *p, struct pool_request *r, double now,
			    CURLcode code, enum http_result res)
{
	struct http_client *c = p->client;
	double delay;

	p->stats.throttled++;
	if (now < p->paused_until) {
		if (r->resp.retry_after >= 0 && now + (double)r->resp.retry_after > p->paused_until)
			p->paused_until = now + (double)r->resp.retry_after;
		return p->paused_until;
	}
	delay = http_retry_delay(c, &r->resp, p->streak);
	p->streak++;
	p->paused_until = now + delay;
	p->limit = p->limit > 1 ? p->limit / 2 : 1;
	p->successes = 0;
	p->stats.pauses++;
	http_warn_retry(c, r->errbuf, &r->q, res, code, &r->resp, true, r->attempt, delay);
	return p->paused_until;
}

/* Hand every transfer libcurl has finished to pool_finish or back to the
 * waiting queue for a retry. */
static void pool_collect(struct http_pool *p)
{
	struct http_client *c = p->client;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(p->multi, &left))) {
		struct pool_request *r, *prev = NULL;
		CURL *h = msg->easy_handle;
		CURLcode code = msg->data.result;
		enum http_result res;
		bool retry;
		double now;

		if (msg->msg != CURLMSG_DONE)
			continue;
		for (r = p->running.head; r && r->easy != h; r = r->next)
			prev = r;
		if (!r)
			BUG("a finished transfer the pool did not start");
		queue_unlink(&p->running, prev, r);
		r->easy = NULL;
		curl_multi_remove_handle(p->multi, h);
		res = http_finish_attempt(c, h, &r->q, code, &r->t, &retry);
		ALLOC_GROW(p->idle, p->idle_nr + 1, p->idle_alloc);
		p->idle[p->idle_nr++] = h;
		if (res == HTTP_OK) {
			pool_success(p);
			pool_finish(p, r, HTTP_OK);
			continue;
		}
		if (!retry || r->attempt >= c->retries) {
			http_describe_failure(&r->err, c, r->errbuf, r->what, r->url, res, code, &r->resp);
			pool_finish(p, r, res);
			continue;
		}
		now = monotonic_seconds();
		if (r->resp.status == 429) {
			r->not_before = pool_throttle(p, r, now, code, res);
		} else {
			double delay = http_retry_delay(c, &r->resp, r->attempt);

			http_warn_retry(c, r->errbuf, &r->q, res, code, &r->resp, false, r->attempt,
				   delay);
			r->not_before = now + delay;
		}
		r->attempt++;
		/* a retry goes first: it has waited longest */
		queue_push_front(&p->waiting, r);
	}
}

static bool pool_pop_done(struct http_pool *p, struct http_done *done)
{
	struct pool_request *r = p->done.head;

	if (!r)
		return false;
	queue_unlink(&p->done, NULL, r);
	done->data = r->data;
	done->result = r->result;
	done->status = r->resp.status;
	done->body = r->resp.body;
	strbuf_init(&r->resp.body, 0);
	done->err = r->err;
	strbuf_init(&r->err, 0);
	request_free(r);
	return true;
}

bool http_pool_next(struct http_pool *p, double max_wait, struct http_done *done)
{
	double deadline = monotonic_seconds() + (max_wait > 0 ? max_wait : 0);

	for (;;) {
		double now = monotonic_seconds(), wait, next;
		int still;

		if (pool_pop_done(p, done))
			return true;
		pool_start_ready(p, now);
		if (pool_pop_done(p, done))
			return true;
		if (!p->running.nr && !p->waiting.nr)
			return false;
		curl_multi_perform(p->multi, &still);
		pool_collect(p);
		if (pool_pop_done(p, done))
			return true;
		now = monotonic_seconds();
		if (now >= deadline)
			return false;
		wait = deadline - now;
		next = pool_next_start(p);
		if (next >= 0 && p->running.nr < p->limit && next - now < wait)
			wait = next > now ? next - now : 0;
		/* wakes up early when a transfer has something to do */
		curl_multi_poll(p->multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
	}
}
