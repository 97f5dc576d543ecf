/* build.c - the build record read once from the API's JSON into a typed
 * struct, and the words of how a build ended: the one place that knows the
 * API's names of a build's fields and statuses. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/build.h"
#include "buildsleuth/json.h"
#include "buildsleuth/util.h"

static const char *const status_names[] = {
	[BUILD_STATUS_PENDING] = "pending",
	[BUILD_STATUS_BUILDING] = "building",
	[BUILD_STATUS_SUCCESS] = "success",
	[BUILD_STATUS_FAILED] = "failed",
	[BUILD_STATUS_TIMEOUT] = "timeout",
};

#define NOT_A_STRING ((size_t)-1)
#define STRING_AT(member) offsetof(struct build, member)

/* Each documented field: its API name and where its string goes (none for
 * the numbers). */
static const struct {
	const char *name;
	size_t string;
} fields[BUILD_FIELDS_NR] = {
	[BUILD_FIELD_ID] = { "id", STRING_AT(id) },
	[BUILD_FIELD_STATUS] = { "status", STRING_AT(status_name) },
	[BUILD_FIELD_REGION] = { "region", STRING_AT(region) },
	[BUILD_FIELD_DOCKERFILE_PATH] = { "dockerfilePath", STRING_AT(dockerfile_path) },
	[BUILD_FIELD_CONTEXT_HASH] = { "contextHash", STRING_AT(context_hash) },
	[BUILD_FIELD_ERROR_MESSAGE] = { "errorMessage", STRING_AT(error_message) },
	[BUILD_FIELD_LOGS_URL] = { "logsUrl", STRING_AT(logs_url) },
	[BUILD_FIELD_IMAGE_URI] = { "imageUri", STRING_AT(image_uri) },
	[BUILD_FIELD_CONTEXT_SIZE_BYTES] = { "contextSizeBytes", NOT_A_STRING },
	[BUILD_FIELD_BUILD_DURATION_SECONDS] = { "buildDurationSeconds", NOT_A_STRING },
	[BUILD_FIELD_CREATED_AT] = { "createdAt", STRING_AT(created_at) },
	[BUILD_FIELD_STARTED_AT] = { "startedAt", STRING_AT(started_at) },
	[BUILD_FIELD_COMPLETED_AT] = { "completedAt", STRING_AT(completed_at) },
	[BUILD_FIELD_UPDATED_AT] = { "updatedAt", STRING_AT(updated_at) },
};

static char **string_slot(struct build *b, enum build_field f)
{
	return fields[f].string == NOT_A_STRING ? NULL :
		(char **)((char *)b + fields[f].string);
}

static char *const *string_slot_const(const struct build *b, enum build_field f)
{
	return fields[f].string == NOT_A_STRING ? NULL :
		(char *const *)((const char *)b + fields[f].string);
}

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUTCOME_SUCCESS:
		return status_names[BUILD_STATUS_SUCCESS];
	case OUTCOME_RUNNING:
		return "running";
	case OUTCOME_FAILED:
		break;
	}
	return status_names[BUILD_STATUS_FAILED];
}

const char *build_status_name(enum build_status s)
{
	return s < ARRAY_SIZE(status_names) ? status_names[s] : NULL;
}

enum build_status build_status_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(status_names); i++)
		if (status_names[i] && !strcmp(name, status_names[i]))
			return (enum build_status)i;
	return BUILD_STATUS_OTHER;
}

bool build_status_running(enum build_status s)
{
	return s == BUILD_STATUS_PENDING || s == BUILD_STATUS_BUILDING;
}

bool build_status_failed(enum build_status s)
{
	return s == BUILD_STATUS_FAILED || s == BUILD_STATUS_TIMEOUT;
}

bool build_status_has_failure(enum build_status s)
{
	return build_status_failed(s) || s == BUILD_STATUS_OTHER;
}

bool build_status_outcome(enum build_status s, enum outcome *out)
{
	switch (s) {
	case BUILD_STATUS_SUCCESS:
		*out = OUTCOME_SUCCESS;
		return true;
	case BUILD_STATUS_PENDING:
	case BUILD_STATUS_BUILDING:
		*out = OUTCOME_RUNNING;
		return true;
	case BUILD_STATUS_FAILED:
	case BUILD_STATUS_TIMEOUT:
		*out = OUTCOME_FAILED;
		return true;
	case BUILD_STATUS_NONE:
	case BUILD_STATUS_OTHER:
		break;
	}
	return false;
}

/* The JSON text of v, a scalar the report writes back as it came. */
static char *scalar_json(struct json_object *v)
{
	struct strbuf sb = STRBUF_INIT;

	if (json_object_is_type(v, json_type_string))
		json_add_cstr(&sb, json_object_get_string(v));
	else if (json_object_is_type(v, json_type_double) && !isfinite(json_object_get_double(v)))
		/* json-c reads NaN and Infinity, which JSON has no way to write */
		strbuf_addstr(&sb, "null");
	else
		strbuf_addstr(&sb, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	return strbuf_detach(&sb, NULL);
}

struct build *build_parse(struct json_object *obj)
{
	struct build *b = xcalloc(1, sizeof(*b));
	struct json_object *v;
	size_t f;

	b->context_size_bytes = -1;
	b->build_duration_seconds = -1;
	for (f = 0; f < BUILD_FIELDS_NR; f++) {
		char **slot = string_slot(b, f);

		if (!json_object_object_get_ex(obj, fields[f].name, &v))
			continue;
		if (json_object_is_type(v, json_type_object) ||
		    json_object_is_type(v, json_type_array))
			continue; /* no documented field is one */
		if (slot && json_object_is_type(v, json_type_string))
			*slot = xstrdup(json_object_get_string(v));
		else
			b->json[f] = scalar_json(v);
	}
	if (b->status_name)
		b->status = build_status_from_name(b->status_name);
	if (json_object_object_get_ex(obj, "contextSizeBytes", &v) &&
	    json_object_is_type(v, json_type_int))
		b->context_size_bytes = (long long)json_object_get_int64(v);
	if (json_object_object_get_ex(obj, "buildDurationSeconds", &v) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) &&
	    isfinite(json_object_get_double(v)))
		b->build_duration_seconds = json_object_get_double(v);
	return b;
}

void build_free(struct build *b)
{
	size_t f;

	if (!b)
		return;
	for (f = 0; f < BUILD_FIELDS_NR; f++) {
		char **slot = string_slot(b, f);

		if (slot)
			free(*slot);
		free(b->json[f]);
	}
	free(b);
}

bool build_field_get(const struct build *b, enum build_field f, const char **name,
		     const char **string, const char **json)
{
	char *const *slot = string_slot_const(b, f);

	*name = fields[f].name;
	*string = slot ? *slot : NULL;
	*json = *string ? NULL : b->json[f];
	return *string || *json;
}
