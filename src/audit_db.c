/* audit_db.c - the audit's history in SQLite: the schema DESIGN.md fixes
 * ("Audit history"), a build's report stored with its columns and its
 * diagnoses in one transaction, read back for --offline and --export, and
 * merged from shard databases. Values always go through bound parameters. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/audit.h"
#include "buildsleuth/audit_db.h"
#include "buildsleuth/build.h"
#include "buildsleuth/json.h"
#include "buildsleuth/report.h"
#include "buildsleuth/report_audit.h"
#include "buildsleuth/util.h"

/* How long a write waits for another process holding the file (shards
 * writing one database) before it fails. */
#define BUSY_TIMEOUT_MS 5000

static const char schema_sql[] =
	"CREATE TABLE builds ("
	" id TEXT PRIMARY KEY,"
	" created_at TEXT,"
	" status TEXT NOT NULL,"
	" region TEXT,"
	" dockerfile_path TEXT,"
	" context_hash TEXT,"
	" error_message TEXT,"
	" outcome TEXT,"
	" failed_phase TEXT,"
	" failed_step TEXT,"
	" top_rule TEXT,"
	" top_category TEXT,"
	" top_subject TEXT,"
	" inferred INTEGER,"
	" rules_digest TEXT NOT NULL,"
	" analyzed_at TEXT NOT NULL,"
	" report TEXT NOT NULL);"
	"CREATE TABLE diagnoses ("
	" build_id TEXT NOT NULL REFERENCES builds(id),"
	" rank INTEGER NOT NULL,"
	" rule TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" subject TEXT,"
	" count INTEGER,"
	" first_line INTEGER,"
	" PRIMARY KEY (build_id, rank));"
	"CREATE INDEX builds_created_at ON builds(created_at);";

enum statement {
	ST_LOOKUP, ST_DELETE_DIAGNOSES, ST_INSERT_BUILD, ST_INSERT_DIAGNOSIS, ST_ANALYZED,
	ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK,
	ST_NR
};

static const char *const statement_sql[ST_NR] = {
	[ST_LOOKUP] = "SELECT rules_digest, report FROM builds WHERE id = ?1",
	[ST_DELETE_DIAGNOSES] = "DELETE FROM diagnoses WHERE build_id = ?1",
	[ST_INSERT_BUILD] = ("INSERT OR REPLACE INTO builds (id, created_at, status, region, "
		"dockerfile_path, context_hash, error_message, outcome, failed_phase, failed_step, "
		"top_rule, top_category, top_subject, inferred, rules_digest, analyzed_at, report) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"),
	[ST_INSERT_DIAGNOSIS] = ("INSERT INTO diagnoses (build_id, rank, rule, category, subject, "
		"count, first_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
	[ST_ANALYZED] = "SELECT analyzed_at, rules_digest FROM builds WHERE id = ?1",
	/* a savepoint nests in audit_db_begin's transaction, and is one alone */
	[ST_SAVEPOINT] = "SAVEPOINT build",
	[ST_RELEASE] = "RELEASE build",
	[ST_ROLLBACK] = "ROLLBACK TO build",
};

struct audit_db {
	sqlite3 *conn;
	char *path;
	sqlite3_stmt *st[ST_NR];
};

const char *audit_db_strerror(enum audit_db_result r)
{
	switch (r) {
	case AUDIT_DB_OK: return "no error";
	case AUDIT_DB_OPEN: return "cannot open the database";
	case AUDIT_DB_SCHEMA: return "not a buildsleuth audit database";
	case AUDIT_DB_WRITE: return "cannot write to the database";
	case AUDIT_DB_READ: return "cannot read the database";
	case AUDIT_DB_BAD_REPORT: return "a stored report cannot be read";
	}
	return "unknown database result";
}

/* err gets "<what> 'path': <sqlite's message>"; returns r. */
static enum audit_db_result fail(struct audit_db *db, enum audit_db_result r, const char *what,
				 struct strbuf *err)
{
	strbuf_addf(err, "%s '%s': %s", what, db->path, sqlite3_errmsg(db->conn));
	return r;
}

static enum audit_db_result exec(struct audit_db *db, const char *sql, enum audit_db_result r,
				 const char *what, struct strbuf *err)
{
	if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, r, what, err);
	return AUDIT_DB_OK;
}

/* The one-integer answer of a PRAGMA or a count. */
static bool query_int(struct audit_db *db, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	bool ok;

	if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ok;
}

/* Create the schema in a new file, or check the one found. */
static enum audit_db_result check_schema(struct audit_db *db, bool write, struct strbuf *err)
{
	long long version = 0, tables = 0;
	enum audit_db_result r;

	if (!query_int(db, "PRAGMA user_version", &version) ||
	    !query_int(db, "SELECT count(*) FROM sqlite_schema", &tables))
		return fail(db, write ? AUDIT_DB_OPEN : AUDIT_DB_READ, "cannot read the database",
			    err);
	if (version == AUDIT_DB_SCHEMA_VERSION)
		return AUDIT_DB_OK;
	if (version > AUDIT_DB_SCHEMA_VERSION) {
		strbuf_addf(err, "the database '%s' has schema version %lld, newer than this "
			    "buildsleuth's %d", db->path, version, AUDIT_DB_SCHEMA_VERSION);
		return AUDIT_DB_SCHEMA;
	}
	if (tables || !write) {
		strbuf_addf(err, "'%s' is not a buildsleuth audit database", db->path);
		return AUDIT_DB_SCHEMA;
	}
	r = exec(db, "BEGIN IMMEDIATE", AUDIT_DB_OPEN, "cannot write to the database", err);
	if (r)
		return r;
	/* user_version is a constant here: PRAGMA takes no parameter */
	if (sqlite3_exec(db->conn, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db->conn, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK) {
		fail(db, AUDIT_DB_OPEN, "cannot create the tables in", err);
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
		return AUDIT_DB_OPEN;
	}
	return exec(db, "COMMIT", AUDIT_DB_OPEN, "cannot write to the database", err);
}

enum audit_db_result audit_db_open(const char *path, bool write, struct audit_db **out,
				   struct strbuf *err)
{
	struct audit_db *db = xcalloc(1, sizeof(*db));
	int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	enum audit_db_result r;
	size_t i;

	_Static_assert(AUDIT_DB_SCHEMA_VERSION == 1, "schema_sql sets user_version 1");
	*out = NULL;
	db->path = xstrdup(path);
	if (sqlite3_open_v2(path, &db->conn, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		r = fail(db, AUDIT_DB_OPEN, "cannot open the database", err);
		goto fail;
	}
	sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
	r = check_schema(db, write, err);
	if (r)
		goto fail;
	if (write) {
		/* a file that is read-only opens read-only: find out now, not at
		 * the first build */
		r = exec(db, "BEGIN IMMEDIATE; COMMIT", AUDIT_DB_OPEN, "cannot write to the database",
			 err);
		if (!r)
			r = exec(db, "PRAGMA journal_mode = WAL", AUDIT_DB_OPEN,
				 "cannot write to the database", err);
		if (r)
			goto fail;
	}
	for (i = 0; i < ST_NR; i++) {
		/* the writing statements need a writable file; read-only gets the reads */
		if (!write && i != ST_LOOKUP)
			continue;
		if (sqlite3_prepare_v3(db->conn, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &db->st[i], NULL) != SQLITE_OK) {
			r = fail(db, AUDIT_DB_SCHEMA, "cannot use the database", err);
			goto fail;
		}
	}
	*out = db;
	return AUDIT_DB_OK;
fail:
	audit_db_close(db);
	return r;
}

void audit_db_close(struct audit_db *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < ST_NR; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->conn);
	free(db->path);
	free(db);
}

/* A column's text, NULL for NULL. */
static const char *column_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

enum audit_db_result audit_db_lookup(struct audit_db *db, const char *id, const char *digest,
				     enum audit_db_state *state, struct strbuf *report,
				     struct strbuf *err)
{
	sqlite3_stmt *st = db->st[ST_LOOKUP];
	enum audit_db_result r = AUDIT_DB_OK;
	int rc;

	*state = AUDIT_DB_ABSENT;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *stored = column_text(st, 0);

		*state = !digest || (stored && !strcmp(stored, digest)) ? AUDIT_DB_FRESH
									  : AUDIT_DB_STALE;
		strbuf_add(report, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
	} else if (rc != SQLITE_DONE) {
		r = fail(db, AUDIT_DB_READ, "cannot read the database", err);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* Bind s (NULL: SQL NULL), copied by SQLite. */
static void bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

static const char *member_string(struct json_object *obj, const char *key)
{
	return obj && json_object_is_type(obj, json_type_object) ? json_get_string(obj, key) : NULL;
}

/* An integer member, or SQL NULL. */
static void bind_member_int(sqlite3_stmt *st, int col, struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_int))
		sqlite3_bind_int64(st, col, json_object_get_int64(v));
	else
		sqlite3_bind_null(st, col);
}

static bool step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE;
}

/* "2026-03-04T10:00:00Z" of now. */
static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		BUG("the current time does not format");
}

/* The builds row and the diagnoses rows of one report, inside the
 * caller's savepoint. */
static bool insert_rows(struct audit_db *db, const char *id, const struct build *build,
			struct json_object *report, const char *text, size_t len,
			const char *digest, const char *analyzed_at)
{
	sqlite3_stmt *st = db->st[ST_INSERT_BUILD];
	struct json_object *diags = NULL, *top = NULL, *step = NULL, *inferred;
	size_t i, n;

	json_object_object_get_ex(report, "diagnoses", &diags);
	n = json_object_is_type(diags, json_type_array) ? json_object_array_length(diags) : 0;
	if (n)
		top = json_object_array_get_idx(diags, 0);
	sqlite3_bind_text(db->st[ST_DELETE_DIAGNOSES], 1, id, -1, SQLITE_STATIC);
	if (!step_done(db->st[ST_DELETE_DIAGNOSES]))
		return false;
	bind_text(st, 1, id);
	bind_text(st, 2, build->created_at);
	bind_text(st, 3, build->status_name);
	bind_text(st, 4, build->region);
	bind_text(st, 5, build->dockerfile_path);
	bind_text(st, 6, build->context_hash);
	bind_text(st, 7, build->error_message);
	bind_text(st, 8, member_string(report, "outcome"));
	bind_text(st, 9, member_string(report, "failed_phase"));
	if (json_object_object_get_ex(report, "failed_step", &step) &&
	    json_object_is_type(step, json_type_object))
		bind_text(st, 10, json_object_to_json_string_ext(step, JSON_C_TO_STRING_PLAIN |
								   JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		sqlite3_bind_null(st, 10);
	bind_text(st, 11, member_string(top, "rule"));
	bind_text(st, 12, member_string(top, "category"));
	bind_text(st, 13, member_string(top, "subject"));
	if (top && json_object_object_get_ex(top, "inferred", &inferred) &&
	    json_object_is_type(inferred, json_type_boolean))
		sqlite3_bind_int(st, 14, json_object_get_boolean(inferred));
	else
		sqlite3_bind_null(st, 14);
	bind_text(st, 15, digest);
	bind_text(st, 16, analyzed_at);
	sqlite3_bind_text(st, 17, text, (int)len, SQLITE_TRANSIENT);
	if (!step_done(st))
		return false;
	st = db->st[ST_INSERT_DIAGNOSIS];
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(diags, i);

		bind_text(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		bind_text(st, 3, member_string(d, "rule"));
		bind_text(st, 4, member_string(d, "category"));
		bind_text(st, 5, member_string(d, "subject"));
		bind_member_int(st, 6, d, "count");
		bind_member_int(st, 7, d, "first_line");
		if (!step_done(st))
			return false;
	}
	return true;
}

enum audit_db_result audit_db_store(struct audit_db *db, struct json_object *report,
				    const char *text, size_t len, const char *digest,
				    const char *analyzed_at, bool *stored, struct strbuf *err)
{
	struct json_object *record = NULL;
	struct build *build = NULL;
	enum audit_db_result r = AUDIT_DB_OK;
	char now[32], *id = NULL;
	size_t i;

	*stored = false;
	/* the report's "build" is the record as the API gave it */
	if (json_object_object_get_ex(report, "build", &record) &&
	    json_object_is_type(record, json_type_object))
		build = build_parse(record);
	/* only final states: a pending or building one is fetched again */
	if (!build || !build->id || !(build->status == BUILD_STATUS_SUCCESS ||
				      build_status_failed(build->status)))
		goto out;
	if (len > (size_t)0x7fffffff) {
		strbuf_addf(err, "the report of build %s is too large to store", build->id);
		r = AUDIT_DB_WRITE;
		goto out;
	}
	id = xstrdup(build->id);
	for (i = 0; id[i]; i++)
		id[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
	if (!analyzed_at) {
		now_iso(now);
		analyzed_at = now;
	}
	if (!step_done(db->st[ST_SAVEPOINT])) {
		r = fail(db, AUDIT_DB_WRITE, "cannot write to the database", err);
		goto out;
	}
	if (!insert_rows(db, id, build, report, text, len, digest, analyzed_at)) {
		r = fail(db, AUDIT_DB_WRITE, "cannot write to the database", err);
		step_done(db->st[ST_ROLLBACK]);
		step_done(db->st[ST_RELEASE]);
		goto out;
	}
	if (!step_done(db->st[ST_RELEASE])) {
		r = fail(db, AUDIT_DB_WRITE, "cannot write to the database", err);
		goto out;
	}
	*stored = true;
out:
	free(id);
	build_free(build);
	return r;
}

enum audit_db_result audit_db_begin(struct audit_db *db, struct strbuf *err)
{
	return exec(db, "BEGIN IMMEDIATE", AUDIT_DB_WRITE, "cannot write to the database", err);
}

enum audit_db_result audit_db_commit(struct audit_db *db, struct strbuf *err)
{
	return exec(db, "COMMIT", AUDIT_DB_WRITE, "cannot write to the database", err);
}

static bool in_filter(const struct audit_db_filter *f, const char *created_at)
{
	double t;

	if (!f || (!f->since_set && !f->until_set))
		return true;
	if (!created_at || !audit_parse_time(created_at, &t))
		return false;
	return (!f->since_set || t >= f->since) && (!f->until_set || t < f->until);
}

enum audit_db_result audit_db_each(struct audit_db *db, const struct audit_db_filter *filter,
				   bool (*fn)(void *ctx, const struct audit_db_row *row),
				   void *ctx, struct strbuf *err)
{
	/* created_at as text orders the API's one format (UTC, "Z"); the
	 * readers sort what needs a true order themselves */
	static const char sql[] = "SELECT id, created_at, region, outcome, top_rule, top_category, "
		"top_subject, inferred, rules_digest, analyzed_at, report FROM builds "
		"ORDER BY created_at, id";
	sqlite3_stmt *st;
	enum audit_db_result r = AUDIT_DB_OK;
	int rc;

	if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, AUDIT_DB_READ, "cannot read the database", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_db_row row;

		row.id = column_text(st, 0);
		row.created_at = column_text(st, 1);
		if (!in_filter(filter, row.created_at))
			continue;
		row.region = column_text(st, 2);
		row.outcome = column_text(st, 3);
		row.top_rule = column_text(st, 4);
		row.top_category = column_text(st, 5);
		row.top_subject = column_text(st, 6);
		row.inferred = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1
			       : sqlite3_column_int(st, 7) != 0;
		row.rules_digest = column_text(st, 8);
		row.analyzed_at = column_text(st, 9);
		row.report = sqlite3_column_blob(st, 10);
		row.report_len = (size_t)sqlite3_column_bytes(st, 10);
		if (!row.id || !row.report) {
			strbuf_addf(err, "the database '%s' holds a build without an id or report",
				    db->path);
			r = AUDIT_DB_BAD_REPORT;
			break;
		}
		if (!fn(ctx, &row))
			break;
	}
	if (!r && rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = fail(db, AUDIT_DB_READ, "cannot read the database", err);
	sqlite3_finalize(st);
	return r;
}

struct import_ctx {
	struct audit_db *db;
	const char *path;
	size_t imported;
	enum audit_db_result r;
	struct strbuf *err;
};

/* Whether the row of id analysed at analyzed_at with digest should replace
 * what db holds: it holds none, or an older one. */
static bool newer_than_stored(struct audit_db *db, const char *id, const char *analyzed_at,
			      const char *digest, enum audit_db_result *r, struct strbuf *err)
{
	sqlite3_stmt *st = db->st[ST_ANALYZED];
	bool newer = true;
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *at = column_text(st, 0), *dg = column_text(st, 1);
		int c = strcmp(analyzed_at, at ? at : "");

		newer = c > 0 || (!c && strcmp(digest, dg ? dg : "") > 0);
	} else if (rc != SQLITE_DONE) {
		*r = fail(db, AUDIT_DB_READ, "cannot read the database", err);
		newer = false;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return newer;
}

static bool import_row(void *vctx, const struct audit_db_row *row)
{
	struct import_ctx *ctx = vctx;
	struct strbuf why = STRBUF_INIT;
	struct json_object *report;
	bool stored;

	if (!newer_than_stored(ctx->db, row->id, row->analyzed_at ? row->analyzed_at : "",
			       row->rules_digest ? row->rules_digest : "", &ctx->r, ctx->err))
		return !ctx->r;
	report = json_parse_buffer(row->report, row->report_len, &why);
	if (!report) {
		strbuf_addf(ctx->err, "the report of build %s in '%s' is not JSON: %s", row->id,
			    ctx->path, why.buf);
		ctx->r = AUDIT_DB_BAD_REPORT;
	} else {
		ctx->r = audit_db_store(ctx->db, report, row->report, row->report_len,
					row->rules_digest ? row->rules_digest : "",
					row->analyzed_at, &stored, ctx->err);
		ctx->imported += stored;
	}
	json_object_put(report);
	strbuf_release(&why);
	return !ctx->r;
}

enum audit_db_result audit_db_import(struct audit_db *db, const char *path, size_t *imported,
				     struct strbuf *err)
{
	struct import_ctx ctx = { db, path, 0, AUDIT_DB_OK, err };
	struct audit_db *src;
	enum audit_db_result r = audit_db_open(path, false, &src, err);

	*imported = 0;
	if (r)
		return r;
	r = audit_db_begin(db, err);
	if (!r)
		r = audit_db_each(src, NULL, import_row, &ctx, err);
	if (!r)
		r = ctx.r;
	if (!r)
		r = audit_db_commit(db, err);
	else
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	if (!r)
		*imported = ctx.imported;
	audit_db_close(src);
	return r;
}

void audit_db_export_row(const struct audit_db_row *row, bool csv, struct strbuf *out)
{
	const char *const names[] = { "id", "created_at", "region", "outcome", "top_rule",
				      "top_category", "top_subject" };
	const char *const values[] = { row->id, row->created_at, row->region, row->outcome,
				       row->top_rule, row->top_category, row->top_subject };
	const char *inferred = row->inferred < 0 ? NULL : row->inferred ? "true" : "false";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		if (csv) {
			audit_csv_field(out, values[i] ? values[i] : "");
			strbuf_addch(out, ',');
			continue;
		}
		strbuf_addstr(out, i ? ",\"" : "{\"");
		strbuf_addstr(out, names[i]);
		strbuf_addstr(out, "\":");
		if (values[i])
			json_add_cstr(out, values[i]);
		else
			strbuf_addstr(out, "null");
	}
	if (csv) {
		strbuf_addstr(out, inferred ? inferred : "");
		strbuf_addstr(out, "\r\n");
	} else {
		strbuf_addstr(out, ",\"inferred\":");
		strbuf_addstr(out, inferred ? inferred : "null");
		strbuf_addstr(out, "}\n");
	}
}
