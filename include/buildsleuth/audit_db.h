/* audit_db.h - the audit's history in SQLite (`audit --db FILE`): the
 * builds and diagnoses tables DESIGN.md fixes, one transaction per build,
 * the lookup that lets a re-run skip what is stored, the rows read back for
 * --offline and --export, and shard databases merged (--import-db).
 * Ownership: struct audit_db owns its connection (audit_db_close); strings
 * in a struct audit_db_row are borrowed, valid only during the callback. */
#ifndef BUILDSLEUTH_AUDIT_DB_H
#define BUILDSLEUTH_AUDIT_DB_H

#include <stdbool.h>
#include <stddef.h>
struct json_object; /* json-c's: the .c files that use it include it */

#include "strbuf.h"

/* PRAGMA user_version of the schema this build writes. */
#define AUDIT_DB_SCHEMA_VERSION 1

enum audit_db_result {
	AUDIT_DB_OK = 0,
	AUDIT_DB_OPEN,       /* the file cannot be opened, created or written */
	AUDIT_DB_SCHEMA,     /* not a buildsleuth database, or a newer schema */
	AUDIT_DB_WRITE,      /* a write failed (disk full, locked, read-only) */
	AUDIT_DB_READ,       /* a query failed */
	AUDIT_DB_BAD_REPORT, /* a stored report is not a buildsleuth.report/v1 */
};

/* "cannot open the database", ... for a result; err holds the details. */
const char *audit_db_strerror(enum audit_db_result r);

struct audit_db;

/*
 * Open path: with write, created when missing (schema, user_version, WAL)
 * and checked writable now, before any request; without, it must exist
 * and is only read. A 5 s busy timeout lets shards share a file.
 * On failure *out is NULL and err says "<what> 'path': <why>".
 */
enum audit_db_result audit_db_open(const char *path, bool write, struct audit_db **out,
				   struct strbuf *err);
/* Close; NULL is a no-op. */
void audit_db_close(struct audit_db *db);

enum audit_db_state {
	AUDIT_DB_ABSENT,     /* not stored */
	AUDIT_DB_STALE,      /* stored with another rules digest */
	AUDIT_DB_FRESH,      /* stored (with digest, when one was given) */
};

/* Whether build id (lowercase) is stored; digest NULL: any digest is fresh.
 * When stored, its report (one line, no newline) is appended to report. */
enum audit_db_result audit_db_lookup(struct audit_db *db, const char *id, const char *digest,
				     enum audit_db_state *state, struct strbuf *report,
				     struct strbuf *err);

/*
 * Store a build's report (parsed: report, as text: text/len) analysed with
 * the rules of digest at analyzed_at (ISO 8601; NULL: now), replacing any
 * row it had, in one transaction. Only a build with a record in a final
 * state (success, failed, timeout) is stored: *stored says whether it was.
 */
enum audit_db_result audit_db_store(struct audit_db *db, struct json_object *report,
				    const char *text, size_t len, const char *digest,
				    const char *analyzed_at, bool *stored, struct strbuf *err);

/* Group many stores into one transaction (an import), or end it. */
enum audit_db_result audit_db_begin(struct audit_db *db, struct strbuf *err);
enum audit_db_result audit_db_commit(struct audit_db *db, struct strbuf *err);

/* A stored build as audit_db_each hands it over (columns of builds). */
struct audit_db_row {
	const char *id, *created_at, *region, *outcome, *top_rule, *top_category,
		   *top_subject, *rules_digest, *analyzed_at;
	int inferred;        /* 0 or 1; -1 when NULL (no diagnosis) */
	const char *report;
	size_t report_len;
};

/* Which rows: created_at (parsed as ISO 8601) within [since, until) for
 * each bound set; a row without a readable created_at only without bounds. */
struct audit_db_filter {
	bool since_set, until_set;
	double since, until;
};

/* Call fn for every row in the filter, by created_at then id; fn returns
 * false to stop (the result is then AUDIT_DB_OK). */
enum audit_db_result audit_db_each(struct audit_db *db, const struct audit_db_filter *filter,
				   bool (*fn)(void *ctx, const struct audit_db_row *row),
				   void *ctx, struct strbuf *err);

/* The columns --export writes, in order. */
#define AUDIT_DB_EXPORT_COLUMNS \
	"id,created_at,region,outcome,top_rule,top_category,top_subject,inferred"

/* Append row as one --export line: CSV (audit_csv_field, CRLF; NULL empty,
 * inferred true/false) or a JSON Lines object with the same keys (NULL as
 * null, inferred a boolean). */
void audit_db_export_row(const struct audit_db_row *row, bool csv, struct strbuf *out);

/* Merge the database at path into db: every build of it stored as
 * audit_db_store stores it, keeping its digest and analyzed_at; a build
 * both hold keeps the row analysed last (equal times: the greater digest),
 * so the order of imports does not matter. One transaction per file;
 * *imported counts the rows taken. */
enum audit_db_result audit_db_import(struct audit_db *db, const char *path, size_t *imported,
				     struct strbuf *err);

#endif
