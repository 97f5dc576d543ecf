/* audit_fetch.c - fetching many builds at once for the audit: a small state
 * machine per build (record, then log pages) driven by the http_pool, and
 * the GET /builds listing paged in only when the queue runs low. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/audit_fetch.h"
#include "buildsleuth/json.h"
#include "buildsleuth/util.h"

/* A build waiting for a free slot. */
struct queued {
	struct queued *next;
	char *id;
	struct json_object *record;   /* NULL: fetch it */
};

enum job_stage { STAGE_RECORD, STAGE_LOGS };

/* A build in progress: one request of it is in the pool at any time. */
struct job {
	struct job *prev, *next;      /* the fetcher's list of jobs in progress */
	char *id;
	enum job_stage stage;
	struct build *build;          /* the record read... */
	struct json_object *record;   /* ...and as received */
	struct api_log_pager pager;
	bool paging;
	struct causes warnings;
	struct strbuf url;            /* of the request in flight */
};

/* The pool's data pointer says what a request was for. */
struct lister {
	char *status, *region;
	audit_admit_fn admit;
	void *ctx;
	long offset;
	size_t seen, total;
	bool active, in_flight, done;
	struct strbuf url;
};

struct audit_fetch {
	struct api *api;
	struct http_pool *pool;
	size_t jobs, running;
	struct job *active;           /* the running jobs */
	struct queued *head, *tail;
	size_t queued;
	struct lister list;
};

const char *audit_fetch_strerror(enum audit_fetch_result r)
{
	switch (r) {
	case AUDIT_FETCH_DONE: return "a build ended";
	case AUDIT_FETCH_WAITING: return "no build ended yet";
	case AUDIT_FETCH_END: return "nothing left to fetch";
	case AUDIT_FETCH_LIST_FAILED: return "cannot list the builds";
	}
	return "unknown fetch result";
}

enum http_result audit_fetch_new(struct api *api, size_t jobs, struct audit_fetch **out,
				 struct strbuf *err)
{
	struct audit_fetch *f = xcalloc(1, sizeof(*f));
	enum http_result res;

	*out = NULL;
	f->api = api;
	f->jobs = jobs;
	strbuf_init(&f->list.url, 0);
	res = http_pool_new(&api->http, jobs, &f->pool, err);
	if (res) {
		free(f);
		return res;
	}
	*out = f;
	return HTTP_OK;
}

static void job_free(struct job *j)
{
	free(j->id);
	build_free(j->build);
	json_object_put(j->record);
	if (j->paging)
		api_log_pager_release(&j->pager);
	causes_release(&j->warnings);
	strbuf_release(&j->url);
	free(j);
}

void audit_fetch_free(struct audit_fetch *f)
{
	struct queued *q, *next;

	if (!f)
		return;
	/* the pool drops its requests without looking at their data: the
	 * jobs they pointed to are ours */
	http_pool_free(f->pool);
	while (f->active) {
		struct job *j = f->active;

		f->active = j->next;
		job_free(j);
	}
	for (q = f->head; q; q = next) {
		next = q->next;
		free(q->id);
		json_object_put(q->record);
		free(q);
	}
	free(f->list.status);
	free(f->list.region);
	strbuf_release(&f->list.url);
	free(f);
}

void audit_fetch_add(struct audit_fetch *f, const char *id, struct json_object *record)
{
	struct queued *q = xcalloc(1, sizeof(*q));

	q->id = xstrdup(id);
	q->record = record ? json_object_get(record) : NULL;
	if (f->tail)
		f->tail->next = q;
	else
		f->head = q;
	f->tail = q;
	f->queued++;
}

void audit_fetch_list(struct audit_fetch *f, const char *status, const char *region,
		      audit_admit_fn admit, void *ctx)
{
	struct lister *l = &f->list;

	free(l->status);
	free(l->region);
	l->status = status ? xstrdup(status) : NULL;
	l->region = region ? xstrdup(region) : NULL;
	l->admit = admit;
	l->ctx = ctx;
	l->active = true;
	l->done = false;
	l->offset = 0;
}

size_t audit_fetch_pending(const struct audit_fetch *f)
{
	return f->queued + f->running;
}

bool audit_fetch_listing(const struct audit_fetch *f, size_t *seen, size_t *total)
{
	*seen = f->list.seen;
	*total = f->list.total;
	return f->list.active && !f->list.done;
}

void audit_fetch_stats(const struct audit_fetch *f, struct http_pool_stats *out)
{
	http_pool_get_stats(f->pool, out);
}

void audit_fetched_release(struct audit_fetched *b)
{
	free(b->id);
	build_free(b->build);
	json_object_put(b->record);
	json_object_put(b->logs);
	causes_release(&b->warnings);
	strbuf_release(&b->err);
	memset(b, 0, sizeof(*b));
}

static void job_request(struct audit_fetch *f, struct job *j)
{
	struct strbuf what = STRBUF_INIT;

	if (j->stage == STAGE_RECORD) {
		api_build_url(f->api, j->id, &j->url);
		api_describe_call(API_CALL_BUILD, j->id, 0, &what);
	} else {
		api_log_pager_url(&j->pager, f->api, &j->url);
		api_describe_call(API_CALL_LOGS, j->id, j->pager.page + 1, &what);
	}
	http_pool_add(f->pool, j->url.buf, what.buf, j);
	strbuf_release(&what);
}

static void job_to_logs(struct audit_fetch *f, struct job *j)
{
	j->stage = STAGE_LOGS;
	api_log_pager_init(&j->pager, j->id);
	j->paging = true;
	job_request(f, j);
}

/* Hand job j over as a finished build; j is freed. */
static void job_done(struct audit_fetch *f, struct job *j, struct audit_fetched *out,
		     enum api_result res, long http_status, struct strbuf *why)
{
	memset(out, 0, sizeof(*out));
	out->id = j->id;
	j->id = NULL;
	out->build = j->build;
	j->build = NULL;
	out->record = j->record;
	j->record = NULL;
	out->warnings = j->warnings;
	memset(&j->warnings, 0, sizeof(j->warnings));
	out->result = res;
	out->http_status = http_status;
	strbuf_init(&out->err, 0);
	if (why)
		strbuf_add(&out->err, why->buf, why->len);
	if (!res && j->paging)
		out->logs = api_log_pager_take(&j->pager);
	f->running--;
	if (j->prev)
		j->prev->next = j->next;
	else
		f->active = j->next;
	if (j->next)
		j->next->prev = j->prev;
	job_free(j);
}

/* Start queued builds while slots are free. A listed record that says the
 * build has nothing to diagnose needs no request at all: it ends at once. */
static bool fill(struct audit_fetch *f, struct audit_fetched *out)
{
	while (f->head && f->running < f->jobs) {
		struct queued *q = f->head;
		struct job *j = xcalloc(1, sizeof(*j));

		f->head = q->next;
		if (!f->head)
			f->tail = NULL;
		f->queued--;
		j->id = q->id;
		j->record = q->record;
		strbuf_init(&j->url, 0);
		free(q);
		f->running++;
		j->next = f->active;
		if (f->active)
			f->active->prev = j;
		f->active = j;
		if (j->record)
			j->build = build_parse(j->record);
		if (!j->record) {
			j->stage = STAGE_RECORD;
			job_request(f, j);
		} else if (build_status_has_failure(j->build->status)) {
			job_to_logs(f, j);
		} else {
			job_done(f, j, out, API_OK, 0, NULL);
			return true;
		}
	}
	return false;
}

static void list_request(struct audit_fetch *f)
{
	struct lister *l = &f->list;
	struct strbuf what = STRBUF_INIT;

	api_list_url(f->api, l->status, l->region, NULL, AUDIT_LIST_LIMIT, l->offset, &l->url);
	api_describe_call(API_CALL_LIST, NULL, 0, &what);
	http_pool_add(f->pool, l->url.buf, what.buf, l);
	strbuf_release(&what);
	l->in_flight = true;
}

/* A list page came back: offer its builds, decide whether there are more. */
static enum audit_fetch_result list_answer(struct audit_fetch *f, struct http_done *d,
					   struct strbuf *err)
{
	struct lister *l = &f->list;
	struct api_build_page page;
	size_t i, n;

	l->in_flight = false;
	if (d->result)
		api_add_fix(f->api, API_CALL_LIST, d->result, d->status, &d->err);
	if (d->result || api_read_list(&d->body, &page, &d->err)) {
		strbuf_add(err, d->err.buf, d->err.len);
		l->done = true;
		return AUDIT_FETCH_LIST_FAILED;
	}
	l->total = page.total > 0 ? (size_t)page.total : 0;
	n = page.nr;
	for (i = 0; i < n && !l->done; i++) {
		char *id = xstrdup(page.builds[i]->id);
		size_t k;

		/* UUIDs in one case: the same build listed and named elsewhere
		 * is one build */
		for (k = 0; id[k]; k++)
			id[k] = (char)tolower((unsigned char)id[k]);
		l->seen++;
		switch (l->admit(l->ctx, id, page.builds[i])) {
		case AUDIT_ADMIT_SKIP:
			break;
		case AUDIT_ADMIT_FETCH:
			audit_fetch_add(f, id, page.records[i]);
			break;
		case AUDIT_ADMIT_STOP:
			l->done = true;
			break;
		}
		free(id);
	}
	l->offset += (long)n;
	/* offset paging ends with a short page or at the total */
	if (!n || (size_t)l->offset >= l->total)
		l->done = true;
	api_build_page_release(&page);
	return AUDIT_FETCH_WAITING;
}

/* A request of job j came back. True when the build has ended (*out). */
static bool job_answer(struct audit_fetch *f, struct job *j, struct http_done *d,
		       struct audit_fetched *out)
{
	struct strbuf why = STRBUF_INIT;
	enum api_result res;
	bool done = true, last_page = true;

	if (d->result) {
		api_add_fix(f->api, j->stage == STAGE_RECORD ? API_CALL_BUILD : API_CALL_LOGS,
			    d->result, d->status, &d->err);
		job_done(f, j, out, API_HTTP, d->status, &d->err);
		return true;
	}
	if (j->stage == STAGE_RECORD) {
		res = api_read_build(j->id, &d->body, &j->build, &j->record, &why);
		if (!res && build_status_has_failure(j->build->status)) {
			job_to_logs(f, j);
			done = false;
		}
	} else {
		res = api_log_pager_read(&j->pager, &d->body, &last_page,
					 &j->warnings, &why);
		if (!res && !last_page) {
			job_request(f, j);
			done = false;
		}
	}
	if (done)
		job_done(f, j, out, res, 0, &why);
	strbuf_release(&why);
	return done;
}

enum audit_fetch_result audit_fetch_next(struct audit_fetch *f, double max_wait,
					 struct audit_fetched *out, struct strbuf *err)
{
	struct lister *l = &f->list;
	double deadline = monotonic_seconds() + max_wait;

	for (;;) {
		struct http_done d;
		double left = deadline - monotonic_seconds();
		bool ended;

		if (fill(f, out))
			return AUDIT_FETCH_DONE;
		/* keep a page or two of builds queued ahead of the slots */
		if (l->active && !l->done && !l->in_flight && f->queued < 2 * f->jobs)
			list_request(f);
		if (!f->running && !f->queued && !l->in_flight)
			return AUDIT_FETCH_END;
		if (!http_pool_next(f->pool, left > 0 ? left : 0, &d))
			return AUDIT_FETCH_WAITING;
		if (d.data == l) {
			enum audit_fetch_result r = list_answer(f, &d, err);

			http_done_release(&d);
			if (r != AUDIT_FETCH_WAITING)
				return r;
			continue;
		}
		ended = job_answer(f, d.data, &d, out);
		http_done_release(&d);
		if (ended)
			return AUDIT_FETCH_DONE;
	}
}
