/* fetch.h - one build from the Pipecat Cloud API, the one path `diagnose`,
 * `fetch`, `watch` and `comment` take: which build (its ID, or --latest),
 * waiting for it to end when asked, its status deciding whether there is a
 * log to read, every log page (or, following a running build, its new
 * lines as they come), then the source filled (or, for `fetch`, the
 * document that saves the build as received).
 * Ownership: a struct fetch_request borrows everything it points to;
 * fetch_build fills the caller's source and strbufs; the id, text and
 * build a note hook is given are borrowed for the call. */
#ifndef BUILDSLEUTH_FETCH_H
#define BUILDSLEUTH_FETCH_H

#include <stdbool.h>

#include "api.h"
#include "build.h"
#include "latest.h"
#include "source.h"
#include "strbuf.h"

/* Which log to read once the record is known. */
enum fetch_logs {
	FETCH_LOGS_FAILURE,  /* only a build that may hold a failure (diagnose, comment) */
	FETCH_LOGS_ALWAYS,   /* whatever the status, as it is now (fetch) */
	FETCH_LOGS_FOLLOW,   /* every interval while the build runs, new lines handed on (watch) */
};

/* What fetch_build says as it goes, in the order it happens. */
enum fetch_note {
	FETCH_NOTE_CHOSEN,   /* --latest chose: "build ID: newest failed build in ..." */
	FETCH_NOTE_WARNING,  /* one warning line (paging stopped early, ...) */
	FETCH_NOTE_STATUS,   /* following: the status changed to text */
	FETCH_NOTE_RECORD,   /* the record the logs are read for: build (its status
			      * decides what comes next; following: the last one) */
	FETCH_NOTE_LINES,    /* following: new log lines, cleaned for a terminal,
			      * each ending in '\n' */
};

struct fetch_request {
	struct api_config api;             /* where the API is and which key */
	const char *id;                    /* the build; NULL with latest */
	const struct latest_query *latest; /* --latest: its filters, or NULL */
	bool wait;                         /* wait for the build to end first */
	long interval;                     /* seconds between looks (wait, follow) */
	enum fetch_logs logs;
	/* told each note: id is the build's ID as asked (NULL before
	 * --latest chose), build is NULL but for FETCH_NOTE_RECORD; false
	 * stops the fetch (FETCH_STOPPED) */
	bool (*note)(void *ctx, enum fetch_note note, const char *id, const char *text,
		     const struct build *build);
	void *ctx;
};

enum fetch_result {
	FETCH_OK = 0,
	FETCH_CONFIG,     /* no key, a bad token file or base URL */
	FETCH_BAD_ID,     /* the build ID is not a UUID */
	FETCH_API,        /* a request failed (after retries) or its answer was not understood */
	FETCH_NO_MATCH,   /* --latest: no build matches the filters */
	FETCH_BAD_LOG,    /* a log entry the source cannot take */
	FETCH_STOPPED,    /* the note hook said stop */
};

/*
 * Fetch the build req names. With document NULL, src (an API source then,
 * holding the record and req->latest as how it was chosen) gets the log;
 * else src may be NULL and document gets {"build": ..., "logs": [...]} as
 * received, on one line and a '\n' (what `analyze` reads back). On failure
 * err holds one line (never the key): "no build matches: status failed",
 * "cannot list the builds: ...", "build ID: log entry 3: ...".
 */
enum fetch_result fetch_build(const struct fetch_request *req, struct source *src,
			      struct strbuf *document, struct strbuf *err);

#endif
