/* audit_store.c - the audit's --save-dir: one `fetch` document per build,
 * DIR/<id>.json, written whole or not at all, read back on the next run
 * instead of fetching the build again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildsleuth/api.h"
#include "buildsleuth/audit_store.h"
#include "buildsleuth/json.h"
#include "buildsleuth/source.h"
#include "buildsleuth/util.h"

bool audit_store_open(const char *dir, struct strbuf *err)
{
	char *probe;
	int fd, why;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		why = errno;
		goto fail;
	}
	probe = xstrfmt("%s/.buildsleuth-probe.XXXXXX", dir);
	fd = mkstemp(probe);
	why = errno;
	if (fd >= 0) {
		close(fd);
		unlink(probe);
	}
	free(probe);
	if (fd >= 0)
		return true;
fail:
	strbuf_addf(err, "cannot write to save directory '%s': %s", dir, strerror(why));
	return false;
}

char *audit_store_path(const char *dir, const char *id)
{
	return xstrfmt("%s/%s.json", dir, id);
}

bool audit_store_save(const char *dir, const char *id, struct json_object *build,
		      struct json_object *logs, struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;
	struct json_object *none = logs ? NULL : json_object_new_array();
	char *path = audit_store_path(dir, id);
	bool ok;

	api_fetch_document(build, logs ? logs : none, &doc);
	ok = write_file_atomic(path, doc.buf, doc.len, err);
	json_object_put(none);
	strbuf_release(&doc);
	free(path);
	return ok;
}

bool audit_store_load(const char *path, struct json_object **doc, struct build **build,
		      struct json_object **logs, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT, data = STRBUF_INIT;
	struct json_object *root = NULL, *record;
	FILE *f = fopen(path, "rb");
	bool ok = false;

	*doc = NULL;
	*build = NULL;
	*logs = NULL;
	if (!f) {
		strbuf_addf(err, "cannot read the saved build '%s': %s", path, strerror(errno));
		return false;
	}
	data.max = SOURCE_MAX_BYTES;
	if (strbuf_read_file(&data, f)) {
		strbuf_addf(err, "cannot read the saved build '%s'", path);
		goto out;
	}
	root = json_parse_buffer(data.buf, data.len, &why);
	if (!root || !json_object_object_get_ex(root, "build", &record) ||
	    !json_object_is_type(record, json_type_object) ||
	    !json_object_object_get_ex(root, "logs", logs) ||
	    !json_object_is_type(*logs, json_type_array)) {
		strbuf_addf(err, "the saved build '%s' is not a 'fetch' document%s%s", path,
			    why.len ? ": " : "", why.buf);
		json_object_put(root);
		*logs = NULL;
		goto out;
	}
	*build = build_parse(record);
	if (build_status_running((*build)->status))
		*logs = NULL;
	*doc = root;
	ok = true;
out:
	strbuf_release(&data);
	strbuf_release(&why);
	fclose(f);
	return ok;
}
