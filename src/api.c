/* api.c - the Pipecat Cloud API calls on top of the HTTP client: where the
 * API is and which key to use, and the build, logs and list endpoints with
 * their answers checked before anyone reads them. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buildsleuth/api.h"
#include "buildsleuth/json.h"
#include "buildsleuth/url.h"
#include "buildsleuth/util.h"

const char *api_strerror(enum api_result r)
{
	switch (r) {
	case API_OK: return "no error";
	case API_CONFIG: return "bad API settings";
	case API_BAD_ID: return "not a build ID";
	case API_HTTP: return "API request failed";
	case API_BAD_RESPONSE: return "unexpected API response";
	}
	return "unknown API result";
}

bool api_valid_build_id(const char *id)
{
	static const int group[] = { 8, 4, 4, 4, 12 };
	size_t g, i;
	const char *p = id;

	for (g = 0; g < ARRAY_SIZE(group); g++) {
		if (g && *p++ != '-')
			return false;
		for (i = 0; i < (size_t)group[g]; i++, p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			      (*p >= 'A' && *p <= 'F')))
				return false;
	}
	return !*p;
}

enum api_result api_resolve_url(const char *opt, const char *env_url, char **out,
				struct strbuf *err)
{
	const char *url = opt, *origin = "--api-url";

	*out = NULL;
	if (!url) {
		url = env_url;
		origin = "PIPECAT_API_URL";
		if (!url || !*url) {
			url = API_DEFAULT_URL;
			origin = "the default API URL";
		}
	}
	switch (url_check_base(url, out)) {
	case URL_OK:
		return API_OK;
	case URL_NOMEM:
		strbuf_addstr(err, "cannot parse URLs: out of memory");
		break;
	case URL_INVALID:
		strbuf_addf(err, "%s: not a URL: expected https://HOST/PATH", origin);
		break;
	case URL_CREDENTIALS:
		strbuf_addf(err, "%s: a user name or password in the URL is not accepted", origin);
		break;
	case URL_QUERY:
		strbuf_addf(err, "%s '%s': the API URL cannot have a query or fragment", origin, url);
		break;
	case URL_SCHEME:
		strbuf_addf(err, "%s '%s': only https:// URLs are accepted", origin, url);
		break;
	case URL_PLAIN_HTTP:
		strbuf_addf(err, "%s '%s': plain http:// would send the API key unencrypted; use "
			    "https:// (http:// is only for 127.0.0.0/8, localhost and [::1])",
			    origin, url);
		break;
	}
	return API_CONFIG;
}

/* Drop trailing CR/LF; refuse spaces and control characters (a newline
 * would split the Authorization header). subject names the source. */
static enum api_result check_key(char *key, const char *subject, struct strbuf *err)
{
	size_t len = strlen(key);

	while (len && (key[len - 1] == '\n' || key[len - 1] == '\r'))
		key[--len] = '\0';
	if (!len) {
		strbuf_addf(err, "%s is empty", subject);
		return API_CONFIG;
	}
	if (len > API_KEY_MAX) {
		strbuf_addf(err, "%s: the key is longer than %d bytes", subject, API_KEY_MAX);
		return API_CONFIG;
	}
	/* never say which character: it is part of a secret */
	if (!url_secret_is_clean(key, len)) {
		strbuf_addf(err, "%s: the key holds a space, a control character or a "
			    "non-ASCII byte", subject);
		return API_CONFIG;
	}
	return API_OK;
}

static void wipe_free(char *s, size_t len)
{
	if (!s)
		return;
	explicit_bzero(s, len);
	free(s);
}

static enum api_result read_token_file(const char *path, char **out,
				       struct causes *warnings, struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t n;
	enum api_result res = API_CONFIG;
	struct strbuf subject = STRBUF_INIT;

	if (!f) {
		strbuf_addf(err, "cannot open token file '%s': %s", path, strerror(errno));
		return API_CONFIG;
	}
	/* unbuffered: fread() then reads straight into buf, which is wiped,
	 * instead of leaving a copy of the key in stdio's own buffer, which
	 * fclose() frees as it is */
	setvbuf(f, NULL, _IONBF, 0);
	if (fstat(fileno(f), &st)) {
		strbuf_addf(err, "cannot read token file '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		strbuf_addf(err, "cannot read token file '%s': %s", path, strerror(EISDIR));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 077))
		causes_add(warnings, "token file '%s' is accessible by group or others (mode %04o); "
			   "run: chmod 600 '%s'", path, (unsigned)(st.st_mode & 07777), path);
	buf = xmalloc(API_KEY_MAX + 3);
	n = fread(buf, 1, API_KEY_MAX + 2, f);
	if (ferror(f)) {
		strbuf_addf(err, "cannot read token file '%s': %s", path, strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		strbuf_addf(err, "token file '%s': the key holds a NUL byte", path);
		goto out;
	}
	if (n > API_KEY_MAX + 1) {
		strbuf_addf(err, "token file '%s' is larger than %d bytes", path, API_KEY_MAX);
		goto out;
	}
	strbuf_addf(&subject, "token file '%s'", path);
	res = check_key(buf, subject.buf, err);
	if (!res) {
		*out = xstrdup(buf);
	}
out:
	if (buf)
		wipe_free(buf, API_KEY_MAX + 3);
	strbuf_release(&subject);
	fclose(f);
	return res;
}

enum api_result api_read_key(const char *token_file, const char *env_key,
			     const char *env_key_name, char **out, const char **from,
			     struct causes *warnings, struct strbuf *err)
{
	char *key;
	enum api_result res;

	*out = NULL;
	if (from)
		*from = "the key in --token-file";
	if (token_file)
		return read_token_file(token_file, out, warnings, err);
	if (!env_key || !*env_key) {
		strbuf_addstr(err, "no API key: set PIPECAT_API_KEY (or PIPECAT_CLOUD_API_KEY) to a "
			      "Pipecat Cloud private API key, or use --token-file FILE");
		return API_CONFIG;
	}
	/* The variable's own bytes stay in the environment for the life of the
	 * process: out of our reach, but covered, like every copy, by the
	 * commands turning core dumps and ptrace off (secret.h). */
	key = xstrdup(env_key);
	res = check_key(key, env_key_name, err);
	if (res) {
		wipe_free(key, strlen(key));
		return res;
	}
	*out = key;
	if (from)
		*from = env_key_name;
	return API_OK;
}

enum api_result api_init(struct api *api, const struct api_config *cfg,
			 struct causes *warnings, struct strbuf *err)
{
	char *key = NULL;
	enum api_result res;

	memset(api, 0, sizeof(*api));
	res = api_resolve_url(cfg->api_url, cfg->env_url, &api->base_url, err);
	if (res)
		return res;
	if (cfg->api_url)
		api->url_from = "--api-url";
	else if (strcmp(api->base_url, API_DEFAULT_URL))
		api->url_from = "PIPECAT_API_URL";
	res = api_read_key(cfg->token_file, cfg->env_key, cfg->env_key_name, &key,
			   &api->key_from, warnings, err);
	if (res)
		return res;
	if (http_client_init(&api->http, key, cfg->timeout, cfg->retries, err))
		res = API_HTTP;
	api->http.verbose = cfg->verbose;
	api->http.quiet = cfg->quiet;
	wipe_free(key, strlen(key));
	return res;
}

void api_release(struct api *api)
{
	http_client_release(&api->http);
	free(api->base_url);
	api->base_url = NULL;
}

/* --- requests ------------------------------------------------------------ */

void api_describe_call(enum api_call call, const char *id, size_t page, struct strbuf *out)
{
	switch (call) {
	case API_CALL_BUILD:
		strbuf_addf(out, "cannot get build %s", id);
		return;
	case API_CALL_LOGS:
		strbuf_addf(out, "cannot get the log of build %s", id);
		if (page > 1)
			strbuf_addf(out, " (page %zu)", page);
		return;
	case API_CALL_LIST:
		strbuf_addstr(out, "cannot list the builds");
		return;
	}
	BUG("unknown API call %d", (int)call);
}

void api_add_fix(const struct api *api, enum api_call call, enum http_result res, long status,
		 struct strbuf *err)
{
	switch (res) {
	case HTTP_STATUS:
		break;
	case HTTP_CONNECT:
	case HTTP_TLS:
		/* a timeout reached the host: its URL is not what is wrong */
		if (api->url_from)
			strbuf_addf(err, " (check %s)", api->url_from);
		return;
	default:
		return;
	}
	if (status == 401)
		strbuf_addf(err, " (is %s a private key?)",
			    api->key_from ? api->key_from : "the API key");
	else if (status == 403)
		strbuf_addstr(err, " (the API key may not read this: is it a private key of the "
			      "build's organisation?)");
	else if (status == 404 && call != API_CALL_LIST)
		strbuf_addstr(err, " (no such build: check the ID and the API key's organisation)");
	else if (status == 404)
		strbuf_addstr(err, " (is the API URL right?)");
	else if (status == 400 && call != API_CALL_LIST)
		strbuf_addstr(err, " (the API refused the build ID or a parameter)");
	else if (status == 400)
		strbuf_addstr(err, " (the API refused the filters: check --status and --region)");
	else if (status == 429)
		strbuf_addstr(err, " (rate limited: try again later)");
	else if (status >= 500)
		strbuf_addstr(err, " (the server failed: try again later)");
}

/* Parse an answer body as a JSON object; what says what failed. */
static enum api_result parse_object(const char *what, const struct strbuf *body,
				    struct json_object **root, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	enum api_result res = API_OK;

	*root = json_parse_buffer(body->buf, body->len, &why);
	if (!*root) {
		strbuf_addf(err, "%s: the answer is not JSON (%s)", what, why.buf);
		res = API_BAD_RESPONSE;
	} else if (!json_object_is_type(*root, json_type_object)) {
		strbuf_addf(err, "%s: unexpected answer: not a JSON object", what);
		json_object_put(*root);
		*root = NULL;
		res = API_BAD_RESPONSE;
	}
	strbuf_release(&why);
	return res;
}

/* GET url for call; *body gets the answer (the caller releases it). */
static enum api_result get_body(struct api *api, const char *url, enum api_call call,
				const char *what, struct strbuf *body, struct strbuf *err)
{
	struct http_response resp;
	enum http_result hres;
	enum api_result res = API_OK;

	http_response_init(&resp);
	hres = http_get(&api->http, url, what, &resp, err);
	if (hres) {
		api_add_fix(api, call, hres, resp.status, err);
		res = API_HTTP;
	}
	*body = resp.body;
	strbuf_init(&resp.body, 0);
	http_response_release(&resp);
	return res;
}

static enum api_result bad_shape(struct strbuf *err, const char *what, const char *why)
{
	strbuf_addf(err, "%s: unexpected answer: %s", what, why);
	return API_BAD_RESPONSE;
}

static enum api_result bad_id(const struct api *api, const char *id, struct strbuf *err)
{
	struct strbuf shown = STRBUF_INIT;
	size_t len = strlen(id);

	if (api->http.key && strstr(id, api->http.key)) {
		strbuf_addstr(err, "invalid build ID (not shown: it holds the API key): expected a "
			      "UUID such as 123e4567-e89b-12d3-a456-426614174000");
		return API_BAD_ID;
	}

	/* quote the ID (cut, one line) so an empty "$BUILD_ID" is obvious */
	strbuf_add_utf8_clean(&shown, id, len > 64 ? 64 : len);
	for (len = 0; len < shown.len; len++)
		if ((unsigned char)shown.buf[len] < 0x20 || shown.buf[len] == 0x7f)
			shown.buf[len] = '?';
	strbuf_addf(err, "invalid build ID '%s%s': expected a UUID such as "
		    "123e4567-e89b-12d3-a456-426614174000", shown.buf,
		    strlen(id) > 64 ? "..." : "");
	strbuf_release(&shown);
	return API_BAD_ID;
}

void api_build_url(const struct api *api, const char *id, struct strbuf *url)
{
	strbuf_reset(url);
	strbuf_addf(url, "%s/builds/%s", api->base_url, id);
}

enum api_result api_read_build(const char *id, const struct strbuf *body,
			       struct build **build, struct json_object **record,
			       struct strbuf *err)
{
	struct strbuf what = STRBUF_INIT;
	struct json_object *root = NULL, *b;
	enum api_result res;

	*build = NULL;
	if (record)
		*record = NULL;
	api_describe_call(API_CALL_BUILD, id, 0, &what);
	res = parse_object(what.buf, body, &root, err);
	if (res)
		goto out;
	if (!json_object_object_get_ex(root, "build", &b) ||
	    !json_object_is_type(b, json_type_object)) {
		res = bad_shape(err, what.buf, "\"build\" is missing or not an object");
		goto out;
	}
	*build = build_parse(b);
	if ((*build)->status == BUILD_STATUS_NONE) {
		res = bad_shape(err, what.buf, "the build has no \"status\" string");
		build_free(*build);
		*build = NULL;
		goto out;
	}
	if (record)
		*record = json_object_get(b);
out:
	json_object_put(root);
	strbuf_release(&what);
	return res;
}

enum api_result api_get_build(struct api *api, const char *id, struct build **build,
			      struct json_object **record, struct strbuf *err)
{
	struct strbuf url = STRBUF_INIT, body = STRBUF_INIT, what = STRBUF_INIT;
	enum api_result res;

	*build = NULL;
	if (record)
		*record = NULL;
	if (!api_valid_build_id(id))
		return bad_id(api, id, err);
	api_build_url(api, id, &url);
	api_describe_call(API_CALL_BUILD, id, 0, &what);
	res = get_body(api, url.buf, API_CALL_BUILD, what.buf, &body, err);
	if (!res)
		res = api_read_build(id, &body, build, record, err);
	strbuf_release(&body);
	strbuf_release(&url);
	strbuf_release(&what);
	return res;
}

enum api_result api_wait_build(struct api *api, const char *id, long interval, bool quiet,
			       struct build **build, struct json_object **record,
			       struct strbuf *err)
{
	enum api_result res;
	enum build_status said = BUILD_STATUS_NONE;

	for (;;) {
		res = api_get_build(api, id, build, record, err);
		if (res)
			break;
		if (!build_status_running((*build)->status))
			break;
		if (!quiet && said != (*build)->status) {
			fprintf(stderr, "buildsleuth: build %s is %s; checking again every %ld s\n",
				id, (*build)->status_name, interval);
			said = (*build)->status;
		}
		build_free(*build);
		*build = NULL;
		if (record) {
			json_object_put(*record);
			*record = NULL;
		}
		api->http.clock.sleep(api->http.clock.ctx, (double)interval);
	}
	return res;
}

/* Check one page: "logs" an array of strings or objects with a "message" or
 * "log" string; "nextToken" absent, null or a string. */
static enum api_result check_page(struct json_object *root, const char *what,
				  struct json_object **logs, const char **token,
				  struct strbuf *err)
{
	struct json_object *t;
	size_t i, n;

	*token = NULL;
	if (!json_object_object_get_ex(root, "logs", logs) ||
	    !json_object_is_type(*logs, json_type_array))
		return bad_shape(err, what, "\"logs\" is missing or not an array");
	if (json_object_object_get_ex(root, "nextToken", &t) &&
	    !json_object_is_type(t, json_type_null)) {
		if (!json_object_is_type(t, json_type_string))
			return bad_shape(err, what, "\"nextToken\" is not a string");
		if (json_object_get_string_len(t))
			*token = json_object_get_string(t);
	}
	n = json_object_array_length(*logs);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(*logs, i);

		if (json_object_is_type(e, json_type_string))
			continue;
		if (json_object_is_type(e, json_type_object) &&
		    (json_get_string(e, "message") || json_get_string(e, "log")))
			continue;
		strbuf_addf(err, "%s: unexpected answer: log entry %zu is neither a string nor an "
			    "object with a \"message\" or \"log\" string", what, i + 1);
		return API_BAD_RESPONSE;
	}
	return API_OK;
}

static void append_entries(struct json_object *all, struct json_object *logs)
{
	size_t i, n = json_object_array_length(logs);

	for (i = 0; i < n; i++)
		json_object_array_add(all, json_object_get(json_object_array_get_idx(logs, i)));
}

void api_log_pager_init(struct api_log_pager *p, const char *id)
{
	memset(p, 0, sizeof(*p));
	p->id = xstrdup(id);
	p->all = json_object_new_array();
	strset_init(&p->tokens);
	p->max_pages = API_MAX_PAGES;
	p->max_bytes = SOURCE_MAX_BYTES;
}

void api_log_pager_release(struct api_log_pager *p)
{
	strset_release(&p->tokens);
	free(p->token);
	free(p->id);
	json_object_put(p->all);
	json_object_put(p->prev);
	memset(p, 0, sizeof(*p));
}

void api_log_pager_url(const struct api_log_pager *p, const struct api *api,
		       struct strbuf *url)
{
	strbuf_reset(url);
	strbuf_addf(url, "%s/builds/%s/logs?limit=%d", api->base_url, p->id, API_LOGS_LIMIT);
	if (p->token) {
		/* tokens are base64: '+', '/' and '=' must be escaped */
		strbuf_addstr(url, "&nextToken=");
		url_encode(url, p->token, strlen(p->token));
	}
}

/* The log text a page's entries become: each entry's text and a '\n' (an
 * upper bound: a trailing '\r' or '\n' is dropped when lines are added). */
static size_t page_text_bytes(struct json_object *entries)
{
	size_t i, n = json_object_array_length(entries), bytes = 0;

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(entries, i);
		const char *text;

		if (json_object_is_type(e, json_type_string)) {
			bytes += (size_t)json_object_get_string_len(e) + 1;
			continue;
		}
		text = json_get_string(e, "message");
		if (!text)
			text = json_get_string(e, "log");
		bytes += (text ? strlen(text) : 0) + 1;
	}
	return bytes;
}

/* "1 GiB", "64 MiB" or "1000 bytes" */
static void add_size(struct strbuf *sb, size_t bytes)
{
	if (bytes && !(bytes % ((size_t)1 << 30)))
		strbuf_addf(sb, "%zu GiB", bytes >> 30);
	else if (bytes && !(bytes % ((size_t)1 << 20)))
		strbuf_addf(sb, "%zu MiB", bytes >> 20);
	else
		strbuf_addf(sb, "%zu bytes", bytes);
}

enum api_result api_log_pager_read(struct api_log_pager *p,
				   const struct strbuf *body, bool *done,
				   struct causes *warnings, struct strbuf *err)
{
	struct json_object *root = NULL, *entries;
	struct strbuf stop = STRBUF_INIT, what = STRBUF_INIT;
	const char *token;
	enum api_result res;
	size_t n, bytes;
	bool same, toobig;

	*done = true;
	p->page++;
	api_describe_call(API_CALL_LOGS, p->id, p->page, &what);
	res = parse_object(what.buf, body, &root, err);
	if (res)
		goto out;
	res = check_page(root, what.buf, &entries, &token, err);
	if (res)
		goto out;
	n = json_object_array_length(entries);
	bytes = page_text_bytes(entries);
	/* a server stuck in a loop sends the same page again: keep one */
	same = token && n && p->prev && json_object_equal(p->prev, entries);
	/* a page that would pass the cap is left out whole: the log stays
	 * within what a source holds, and what it keeps are whole pages */
	toobig = !same && bytes > p->max_bytes - p->text_bytes;
	if (!same && !toobig) {
		append_entries(p->all, entries);
		p->text_bytes += bytes;
	}
	json_object_put(p->prev);
	p->prev = json_object_get(entries);
	if (toobig) {
		strbuf_addstr(&stop, "would take the log text past ");
		add_size(&stop, p->max_bytes);
	} else if (!token) {
		goto out;
	} else if (!n) {
		strbuf_addstr(&stop, "brought no log entries but a nextToken");
	} else if (strset_contains(&p->tokens, token)) {
		strbuf_addstr(&stop, "repeated an earlier nextToken");
	} else if (same) {
		strbuf_addstr(&stop, "repeated the previous page");
	} else if (strlen(token) > API_TOKEN_MAX) {
		strbuf_addstr(&stop, "sent a nextToken longer than 16 KiB");
	} else if (p->page >= p->max_pages) {
		strbuf_addf(&stop, "still sent a nextToken, and a build's log is read to at most "
			    "%zu pages", p->max_pages);
	}
	if (stop.len) {
		/* what was read, in words: no method, no URL (its query holds the token) */
		causes_add(warnings, "the log of build %s: page %zu %s; stopping with the %zu log "
			   "entries fetched so far (the log may be incomplete)", p->id, p->page,
			   stop.buf, json_object_array_length(p->all));
		goto out;
	}
	/* a set, not a list: a long paging checks each token in one lookup */
	strset_add(&p->tokens, token);
	free(p->token);
	p->token = xstrdup(token);
	*done = false;
out:
	strbuf_release(&stop);
	strbuf_release(&what);
	json_object_put(root);
	return res;
}

struct json_object *api_log_pager_take(struct api_log_pager *p)
{
	struct json_object *all = p->all;

	p->all = json_object_new_array();
	return all;
}

enum api_result api_get_logs(struct api *api, const char *id, struct json_object **logs,
			     struct causes *warnings, struct strbuf *err)
{
	struct strbuf url = STRBUF_INIT, body = STRBUF_INIT, what = STRBUF_INIT;
	struct api_log_pager pager;
	enum api_result res;
	bool done = false;

	*logs = NULL;
	if (!api_valid_build_id(id))
		return bad_id(api, id, err);
	api_log_pager_init(&pager, id);
	do {
		api_log_pager_url(&pager, api, &url);
		strbuf_release(&body);
		strbuf_reset(&what);
		api_describe_call(API_CALL_LOGS, id, pager.page + 1, &what);
		res = get_body(api, url.buf, API_CALL_LOGS, what.buf, &body, err);
		if (!res)
			res = api_log_pager_read(&pager, &body, &done, warnings, err);
	} while (!res && !done);
	if (!res)
		*logs = api_log_pager_take(&pager);
	api_log_pager_release(&pager);
	strbuf_release(&body);
	strbuf_release(&url);
	strbuf_release(&what);
	return res;
}

void api_list_url(const struct api *api, const char *status, const char *region,
		  const char *context_hash, long limit, long offset, struct strbuf *url)
{
	strbuf_reset(url);
	strbuf_addf(url, "%s/builds?limit=%ld&offset=%ld", api->base_url, limit, offset);
	if (status) {
		strbuf_addstr(url, "&status=");
		url_encode(url, status, strlen(status));
	}
	if (region) {
		strbuf_addstr(url, "&region=");
		url_encode(url, region, strlen(region));
	}
	if (context_hash) {
		strbuf_addstr(url, "&contextHash=");
		url_encode(url, context_hash, strlen(context_hash));
	}
}

void api_build_page_release(struct api_build_page *page)
{
	size_t i;

	for (i = 0; i < page->nr; i++)
		build_free(page->builds[i]);
	free(page->builds);
	free(page->records);
	json_object_put(page->root);
	memset(page, 0, sizeof(*page));
}

enum api_result api_read_list(const struct strbuf *body, struct api_build_page *page,
			      struct strbuf *err)
{
	struct strbuf what = STRBUF_INIT;
	struct json_object *root = NULL, *builds, *total;
	enum api_result res;
	size_t i, n;

	memset(page, 0, sizeof(*page));
	api_describe_call(API_CALL_LIST, NULL, 0, &what);
	res = parse_object(what.buf, body, &root, err);
	if (res)
		goto out;
	if (!json_object_object_get_ex(root, "builds", &builds) ||
	    !json_object_is_type(builds, json_type_array)) {
		res = bad_shape(err, what.buf, "\"builds\" is missing or not an array");
		goto out;
	}
	if (!json_object_object_get_ex(root, "total", &total) ||
	    !json_object_is_type(total, json_type_int)) {
		res = bad_shape(err, what.buf, "\"total\" is missing or not a number");
		goto out;
	}
	n = json_object_array_length(builds);
	for (i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(builds, i);

		if (!json_object_is_type(b, json_type_object) || !json_get_string(b, "id")) {
			res = bad_shape(err, what.buf, "a build is not an object with an \"id\"");
			goto out;
		}
	}
	page->root = json_object_get(root);
	page->total = json_object_get_int64(total);
	page->nr = n;
	page->builds = xcalloc(n ? n : 1, sizeof(*page->builds));
	page->records = xcalloc(n ? n : 1, sizeof(*page->records));
	for (i = 0; i < n; i++) {
		page->records[i] = json_object_array_get_idx(builds, i);
		page->builds[i] = build_parse(page->records[i]);
	}
out:
	json_object_put(root);
	strbuf_release(&what);
	return res;
}

enum api_result api_list_builds(struct api *api, const char *status, const char *region,
				const char *context_hash, long limit, long offset,
				struct api_build_page *page, struct strbuf *err)
{
	struct strbuf url = STRBUF_INIT, body = STRBUF_INIT, what = STRBUF_INIT;
	enum api_result res;

	memset(page, 0, sizeof(*page));
	api_list_url(api, status, region, context_hash, limit, offset, &url);
	api_describe_call(API_CALL_LIST, NULL, 0, &what);
	res = get_body(api, url.buf, API_CALL_LIST, what.buf, &body, err);
	if (!res)
		res = api_read_list(&body, page, err);
	strbuf_release(&body);
	strbuf_release(&url);
	strbuf_release(&what);
	return res;
}

enum source_result api_source_fill(struct source *src, const char *id,
				   struct build *build, struct json_object *logs,
				   struct strbuf *err)
{
	src->kind = SOURCE_API;
	free(src->build_id);
	src->build_id = xstrdup(id);
	build_free(src->build);
	src->build = build;
	return source_add_entries(src, logs, err);
}

void api_fetch_document(struct json_object *build, struct json_object *logs,
			struct strbuf *out)
{
	struct json_object *root = json_object_new_object();

	json_object_object_add(root, "build", json_object_get(build));
	json_object_object_add(root, "logs", json_object_get(logs));
	strbuf_addstr(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_addch(out, '\n');
	json_object_put(root);
}

char *api_entry_key(struct json_object *entry)
{
	return xstrdup(json_object_to_json_string_ext(entry, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
}

size_t api_log_overlap(const char *const *seen, size_t seen_nr,
		       const char *const *batch, size_t batch_nr)
{
	size_t *pi, q, i, start;

	if (!seen_nr || !batch_nr)
		return 0;
	/* KMP: the state after scanning seen's tail for batch is the longest
	 * prefix of batch that ends the tail; a longer suffix cannot fit */
	pi = xcalloc(batch_nr, sizeof(*pi));
	for (i = 1, q = 0; i < batch_nr; i++) {
		while (q && strcmp(batch[i], batch[q]))
			q = pi[q - 1];
		if (!strcmp(batch[i], batch[q]))
			q++;
		pi[i] = q;
	}
	start = seen_nr > batch_nr ? seen_nr - batch_nr : 0;
	for (i = start, q = 0; i < seen_nr; i++) {
		if (q == batch_nr)
			q = pi[q - 1];
		while (q && strcmp(seen[i], batch[q]))
			q = pi[q - 1];
		if (!strcmp(seen[i], batch[q]))
			q++;
	}
	free(pi);
	return q;
}
