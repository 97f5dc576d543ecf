/* build.h - how a build ended, and the Pipecat Cloud build record (DESIGN.md "The Pipecat Cloud
 * API", Build), read once where an API answer or a saved document is read:
 * the status as an enum with the one table of status names, the documented
 * fields typed, and each documented field as the record held it, for the
 * JSON report that writes the record back.
 * Ownership: struct build owns its strings (build_free); build_parse borrows
 * the json-c object it reads and keeps no reference to it. */
#ifndef BUILDSLEUTH_BUILD_H
#define BUILDSLEUTH_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct json_object;

/* How a build ended (DESIGN.md "Outcome"). */
enum outcome {
	OUTCOME_FAILED = 0,
	OUTCOME_SUCCESS,
	OUTCOME_RUNNING,
};

/* "failed", "success", "running": the words of the build's statuses. */
const char *outcome_name(enum outcome o);

enum build_status {
	BUILD_STATUS_NONE = 0,  /* the record has no "status" string */
	BUILD_STATUS_PENDING,
	BUILD_STATUS_BUILDING,
	BUILD_STATUS_SUCCESS,
	BUILD_STATUS_FAILED,
	BUILD_STATUS_TIMEOUT,
	BUILD_STATUS_OTHER,     /* a status this version does not know */
};

/* The documented fields, in the order of the API's documentation (the
 * order the JSON report writes them in). */
enum build_field {
	BUILD_FIELD_ID,
	BUILD_FIELD_STATUS,
	BUILD_FIELD_REGION,
	BUILD_FIELD_DOCKERFILE_PATH,
	BUILD_FIELD_CONTEXT_HASH,
	BUILD_FIELD_ERROR_MESSAGE,
	BUILD_FIELD_LOGS_URL,
	BUILD_FIELD_IMAGE_URI,
	BUILD_FIELD_CONTEXT_SIZE_BYTES,
	BUILD_FIELD_BUILD_DURATION_SECONDS,
	BUILD_FIELD_CREATED_AT,
	BUILD_FIELD_STARTED_AT,
	BUILD_FIELD_COMPLETED_AT,
	BUILD_FIELD_UPDATED_AT,
	BUILD_FIELDS_NR
};

struct build {
	enum build_status status;
	char *status_name;      /* the status as the record says it (an unknown
				 * one too); NULL with BUILD_STATUS_NONE */
	/* each NULL when the record lacks it or holds something else there */
	char *id;
	char *region;
	char *dockerfile_path;
	char *context_hash;
	char *error_message;
	char *logs_url;
	char *image_uri;
	char *created_at;       /* ISO 8601 as given */
	char *started_at;
	char *completed_at;
	char *updated_at;
	long long context_size_bytes;   /* -1 when absent or not a whole number */
	double build_duration_seconds;  /* -1 when absent or not a number */
	/* a documented field held as anything but the string above (a number,
	 * true, false, null, or a string where a number goes): its JSON text;
	 * NaN and Infinity, which JSON cannot write, as null */
	char *json[BUILD_FIELDS_NR];
};

/* The API's name of a status ("failed"); NULL for NONE and OTHER. */
const char *build_status_name(enum build_status s);

/* The status named name (BUILD_STATUS_OTHER when no status is). */
enum build_status build_status_from_name(const char *name);

/* Whether s says the build has not ended yet (pending, building). */
bool build_status_running(enum build_status s);

/* Whether s is a failure (failed, timeout). */
bool build_status_failed(enum build_status s);

/* Whether a build with status s may hold a failure to diagnose: it ended
 * and did not succeed (failed, timeout, or a status this version does not
 * know, diagnosed all the same). */
bool build_status_has_failure(enum build_status s);

/* The outcome a record with status s decides (DESIGN.md "Outcome"); false
 * when s decides nothing (no status, or one this version does not know). */
bool build_status_outcome(enum build_status s, enum outcome *out);

/* Read obj (a JSON object: the API's Build) into a new struct build.
 * Unknown fields are ignored; a field of an unexpected type is not typed
 * (but kept in json[] for the report). */
struct build *build_parse(struct json_object *obj);

void build_free(struct build *b);

/*
 * Documented field f as the record held it, for writing it back: its name
 * in the API ("dockerfilePath") in *name; a string in *string (JSON text
 * NULL), anything else as JSON text in *json (string NULL). False when the
 * record does not hold f (or holds an object or an array there).
 */
bool build_field_get(const struct build *b, enum build_field f, const char **name,
		     const char **string, const char **json);

#endif
