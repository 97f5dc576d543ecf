/* audit.h - the audit's aggregation: per-build reports (buildsleuth.report/v1
 * lines, plus buildsleuth.fetch-error/v1 lines for builds that could not be
 * fetched) folded into one summary per category and per rule, the
 * classification rate, the unknown builds and the failures. A pure
 * function of those lines: the order they come in never changes the result
 * (audit_finish sorts everything), so shards merged with --from-reports give
 * the bytes one run gives. Also the audit's small pure helpers: shard
 * hashing, build ID lists, ISO 8601 times.
 * Ownership: struct audit owns copies of every string it keeps; nothing
 * passed in is retained. */
#ifndef BUILDSLEUTH_AUDIT_H
#define BUILDSLEUTH_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
struct json_object; /* json-c's: the .c files that use it include it */

#include "cause.h"
#include "rules.h"
#include "strbuf.h"

#define AUDIT_SCHEMA "buildsleuth.audit/v1"
/* A --per-build line for a build that could not be fetched (or read). */
#define AUDIT_FETCH_ERROR_SCHEMA "buildsleuth.fetch-error/v1"
#define AUDIT_EXAMPLES 3          /* example build IDs per category and rule */
#define AUDIT_SUBJECTS 5          /* most common subjects per category and rule */
#define AUDIT_EXCERPT_LINES 6     /* lines of an unknown build's excerpt: */
#define AUDIT_EXCERPT_BEFORE 3    /* ...up to this many leading up to the evidence */
#define AUDIT_EXCERPT_MAX 400     /* bytes per excerpt line, then "..." */

enum audit_result {
	AUDIT_OK = 0,
	AUDIT_BAD_LINE,   /* not JSON, not one of the two schemas, or a bad shape */
	AUDIT_DUPLICATE,  /* a build already added: ignored */
};

const char *audit_strerror(enum audit_result r);

/* A string -> count hash map (file-private to audit.c). */
struct audit_map;
/* The unknown and inferred builds by template (audit_templates.h). */
struct audit_templates;

/* A createdAt as given, and as seconds since the epoch (valid only when
 * set: absent or unreadable times sort after every real one). */
struct audit_time {
	char *text;
	double seconds;
	bool set;
};

struct audit_example {
	char *id;
	struct audit_time created;
};

struct audit_subject {
	char *name;               /* the capture's name: "requirement" */
	char *value;              /* "cloud-init==20.4" */
	size_t builds;
};

/* Builds that share a root-cause category, or a rule. */
struct audit_group {
	char *key;                /* category name, or rule id */
	char *title;              /* rules: the rule's title (the smallest seen) */
	char *category;           /* rules: the rule's category */
	size_t builds;            /* builds with this as their top diagnosis */
	size_t matched;           /* rules: builds where it matched at any rank */
	struct audit_time first, last;
	struct audit_example examples[AUDIT_EXAMPLES]; /* newest first */
	size_t examples_nr;
	struct audit_subject *subjects; /* after audit_finish: most builds first */
	size_t subjects_nr, subjects_alloc;
	struct audit_map *subject_index;
};

struct audit_excerpt_line {
	size_t line;              /* 1-based, 0 when unknown */
	char *text;
	bool evidence;            /* an evidence line (else context before it) */
};

struct audit_unknown {
	char *id;
	struct audit_time created;
	char *status;             /* NULL when there is no build record */
	char *error_message;      /* the build record's errorMessage, or NULL */
	struct audit_excerpt_line excerpt[AUDIT_EXCERPT_LINES];
	size_t excerpt_nr;
};

struct audit_failure {
	char *id;
	char *error;
};

struct audit_nodiag {
	char *id;
	char *status;             /* NULL when there is no build record */
};

/* --by: the length of a trend's period (by createdAt, in UTC). */
enum audit_by {
	AUDIT_BY_NONE = 0,
	AUDIT_BY_DAY,
	AUDIT_BY_WEEK,     /* ISO 8601: from Monday, labelled 2026-W10 */
	AUDIT_BY_MONTH,
};

/* Room for a period label and its NUL: "2026-03-04", "2026-W10",
 * "2026-03" (and any year a createdAt may hold). */
#define AUDIT_PERIOD_LABEL_MAX 48

/* The trend after audit_finish: analysed builds per period (every period
 * from the first build's to the last one's, empty ones too) and category
 * (those with builds, most first, then by name). */
struct audit_trend {
	enum audit_by by;
	long long *periods;       /* period keys (audit_period_of), ascending */
	size_t periods_nr;
	char **categories;
	size_t categories_nr;
	size_t *counts;           /* [period * categories_nr + category] */
	size_t *totals;           /* per period */
	size_t undated;           /* analysed builds without a readable createdAt */
};

struct audit {
	size_t analysed;          /* reports with a diagnosis */
	size_t classified;        /* ...whose top diagnosis is not unknown */
	size_t pending;           /* selected but neither reported nor failed (interrupted) */
	struct audit_time first, last;  /* over analysed builds */
	struct audit_group *categories, *rules;
	size_t categories_nr, categories_alloc, rules_nr, rules_alloc;
	struct audit_unknown *unknown;
	size_t unknown_nr, unknown_alloc;
	struct audit_failure *failures;
	size_t failures_nr, failures_alloc;
	struct audit_nodiag *nodiag;
	size_t nodiag_nr, nodiag_alloc;
	struct audit_map *seen;   /* build IDs added */
	/* unknown and inferred builds by the template of their likeliest error
	 * line (audit_templates.h) */
	struct audit_templates *templates;
	struct audit_trend trend; /* by AUDIT_BY_NONE: none */
	struct audit_map *trend_cells; /* "period\0category" -> builds, until finished */
	bool finished;
};

/* An empty aggregate; audit_release frees everything it collected. */
void audit_init(struct audit *a);
/* Also count analysed builds per period of by (before any audit_add_*). */
void audit_set_by(struct audit *a, enum audit_by by);
void audit_release(struct audit *a);

/*
 * Add one per-build line (JSON, trailing newline allowed): a
 * buildsleuth.report/v1 report or a buildsleuth.fetch-error/v1 failure. A
 * build is identified by its record's id, else source.build_id, else
 * source.path; a second line for the same build is AUDIT_DUPLICATE and
 * ignored. AUDIT_BAD_LINE appends why to err.
 */
enum audit_result audit_add_line(struct audit *a, const char *line, size_t len,
				 struct strbuf *err);

/* The same for a parsed report/v1 object (borrowed). */
enum audit_result audit_add_report(struct audit *a, struct json_object *report,
				   struct strbuf *err);

/* Build id could not be fetched (or read), for reason why. */
enum audit_result audit_add_failure(struct audit *a, const char *id, const char *why);

/* Append the buildsleuth.fetch-error/v1 line (with '\n') for id and why. */
void audit_fetch_error_line(struct strbuf *out, const char *id, const char *why);

/* Sort every list for reporting; audit_add_* must not follow. */
void audit_finish(struct audit *a);

/* <0 when a is earlier than b: times that are not set come after every set
 * one, equal instants are told apart by their text (a total order). */
int audit_time_cmp(const struct audit_time *a, const struct audit_time *b);
/* Make dst (released first: zeroed or set before) a copy of src; free a
 * time's text and zero it. */
void audit_time_copy(struct audit_time *dst, const struct audit_time *src);
void audit_time_release(struct audit_time *t);

/* Reports and failures added, plus pending. */
size_t audit_total(const struct audit *a);

/* builds / analysed, 0 when nothing was analysed: a group's share. */
double audit_share(const struct audit *a, size_t builds);

/* Append a createdAt as the formats show it: its date when it is ISO 8601,
 * else the text as display_line() shows it, or none when there is none. */
void audit_add_date(struct strbuf *out, const struct audit_time *t, const char *none);

/* --- helpers ------------------------------------------------------------- */

/* "day", "week", "month" (and back: 0, or -1 for another name). */
const char *audit_by_name(enum audit_by by);
int audit_by_from_name(const char *name, enum audit_by *out);

/* The key of the period of by holding t (seconds since the epoch, UTC):
 * days since 1970-01-01 for a day, those of its Monday for a week, year *
 * 12 + month - 1 for a month. The next period's key is key + 7 for a week,
 * else key + 1. */
long long audit_period_of(double t, enum audit_by by);
long long audit_period_next(long long key, enum audit_by by);
/* Its label: "2026-03-04"; the ISO week "2026-W10" (the year of its
 * Thursday: 2021-01-01 is in 2020-W53); "2026-03". */
void audit_period_label(long long key, enum audit_by by, char out[AUDIT_PERIOD_LABEL_MAX]);

/* A set of strings (build IDs): what the audit has selected already. */
struct audit_set;
/* An empty set; audit_set_free(NULL) is a no-op. */
struct audit_set *audit_set_new(void);
void audit_set_free(struct audit_set *s);
/* Add key (copied); false when it was there already. */
bool audit_set_add(struct audit_set *s, const char *key);

/* 64-bit FNV-1a of s[0..len): offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3. */
uint64_t audit_fnv1a(const char *s, size_t len);

/* The shard (0..n-1) of a build ID: FNV-1a of the ID in lowercase, modulo n. */
unsigned long audit_shard_of(const char *id, unsigned long n);

/* Parse "K/N" (0 <= K < N, 1 <= N <= 1000000). */
bool audit_parse_shard(const char *s, unsigned long *k, unsigned long *n);

/*
 * Read a list of build IDs: one per line, blank lines and everything from
 * a '#' on ignored, white space around an ID trimmed, CRLF accepted. Each ID
 * is lowercased and appended to ids. A line that holds something other than
 * one UUID adds "<origin>:<line>: ..." to errors and AUDIT_BAD_LINE is
 * returned after the whole text was read.
 */
enum audit_result audit_parse_ids(const char *text, size_t len, const char *origin,
				  struct string_list *ids, struct causes *errors);

/*
 * ISO 8601 date or date-time to seconds since the epoch: "2026-02-01",
 * "2026-02-01T10:00", "2026-02-01T10:00:00.123Z", "... +02:00" (also a
 * space for T; no zone is UTC). False when s is none of these.
 */
bool audit_parse_time(const char *s, double *seconds);

#endif
