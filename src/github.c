/* github.c - the GitHub REST calls behind `buildsleuth comment`: settings
 * from the environment, who the token is, and the comments of a pull request
 * (listed page after page through the Link header, created, edited), all over
 * the shared HTTP client with its retries and its care for the token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>

#include "buildsleuth/api.h"
#include "buildsleuth/github.h"
#include "buildsleuth/json.h"
#include "buildsleuth/url.h"
#include "buildsleuth/util.h"

/* Longest token accepted (GitHub's are well under 300 bytes). */
#define GITHUB_TOKEN_MAX 4096
/* Largest event file read. */
#define GITHUB_EVENT_MAX ((size_t)16 << 20)

const char *github_strerror(enum github_result r)
{
	switch (r) {
	case GITHUB_OK: return "no error";
	case GITHUB_CONFIG: return "bad GitHub settings";
	case GITHUB_BAD_EVENT: return "bad GitHub Actions event file";
	case GITHUB_FORBIDDEN: return "forbidden";
	case GITHUB_HTTP: return "GitHub request failed";
	case GITHUB_BAD_RESPONSE: return "unexpected GitHub answer";
	}
	return "unknown GitHub result";
}

/* --- settings ------------------------------------------------------------ */

enum github_result github_resolve_url(const char *url, const char *origin, char **out,
				      struct strbuf *err)
{
	switch (url_check_base(url, out)) {
	case URL_OK:
		return GITHUB_OK;
	case URL_NOMEM:
		strbuf_addstr(err, "cannot parse URLs: out of memory");
		break;
	case URL_INVALID:
		strbuf_addf(err, "%s: not a URL: expected https://HOST[/PATH]", origin);
		break;
	case URL_CREDENTIALS:
		strbuf_addf(err, "%s: a user name or password in the URL is not accepted", origin);
		break;
	case URL_QUERY:
		strbuf_addf(err, "%s: the API URL cannot have a query or fragment", origin);
		break;
	case URL_SCHEME:
		strbuf_addf(err, "%s: only https:// URLs are accepted", origin);
		break;
	case URL_PLAIN_HTTP:
		strbuf_addf(err, "%s: plain http:// would send the token unencrypted; use https:// "
			    "(http:// is only for 127.0.0.0/8, localhost and [::1])", origin);
		break;
	}
	return GITHUB_CONFIG;
}

static bool valid_name_part(const char *s, size_t len)
{
	size_t i;

	if (!len || len > 100 || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

bool github_valid_repository(const char *repo)
{
	const char *slash = strchr(repo, '/');

	return slash && valid_name_part(repo, (size_t)(slash - repo)) &&
	       valid_name_part(slash + 1, strlen(slash + 1));
}

/* The token: no space or control character (it goes into a header). */
static enum github_result check_token(const char *token, struct strbuf *err)
{
	size_t len = strlen(token);

	if (len > GITHUB_TOKEN_MAX) {
		strbuf_addf(err, "GITHUB_TOKEN is longer than %d bytes", GITHUB_TOKEN_MAX);
		return GITHUB_CONFIG;
	}
	/* never say which character: it is part of a secret */
	if (!url_secret_is_clean(token, len)) {
		strbuf_addstr(err, "GITHUB_TOKEN holds a space, a control character or a "
			      "non-ASCII byte");
		return GITHUB_CONFIG;
	}
	return GITHUB_OK;
}

enum github_result github_init(struct github *gh, const struct github_config *cfg,
			       struct strbuf *err)
{
	const char *token = cfg->token, *repo = cfg->repo;
	const char *url = cfg->api_url, *origin = "GITHUB_API_URL";
	enum github_result res;

	memset(gh, 0, sizeof(*gh));
	gh->in_actions = cfg->in_actions;
	if (!token || !*token) {
		strbuf_addstr(err, "GITHUB_TOKEN is not set: the comment is posted with it (in "
			      "GitHub Actions: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})");
		return GITHUB_CONFIG;
	}
	res = check_token(token, err);
	if (res)
		return res;
	if (!repo || !*repo) {
		strbuf_addstr(err, "GITHUB_REPOSITORY is not set: expected owner/name");
		return GITHUB_CONFIG;
	}
	if (!github_valid_repository(repo)) {
		strbuf_addstr(err, "GITHUB_REPOSITORY '");
		strbuf_add_utf8_clean(err, repo, strnlen(repo, 200));
		strbuf_addstr(err, "' is not owner/name");
		return GITHUB_CONFIG;
	}
	if (!url || !*url) {
		url = GITHUB_DEFAULT_URL;
		origin = "the default GitHub API URL";
	}
	res = github_resolve_url(url, origin, &gh->base_url, err);
	if (res)
		return res;
	gh->repo = xstrdup(repo);
	if (http_client_init(&gh->http, token, cfg->timeout, cfg->retries, err))
		return GITHUB_HTTP;
	gh->http.verbose = cfg->verbose;
	gh->http.quiet = cfg->quiet;
	if (!http_client_set_header(&gh->http, "Accept: application/vnd.github+json") ||
	    !http_client_set_header(&gh->http, "X-GitHub-Api-Version: " GITHUB_API_VERSION)) {
		strbuf_addstr(err, "cannot set up the HTTP headers");
		return GITHUB_HTTP;
	}
	return GITHUB_OK;
}

void github_release(struct github *gh)
{
	if (gh->http.curl)
		http_client_release(&gh->http);
	free(gh->base_url);
	gh->base_url = NULL;
	free(gh->repo);
	gh->repo = NULL;
}

enum github_result github_event_number(const char *path, long *number, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	struct json_object *root = NULL, *obj, *num;
	enum github_result res = GITHUB_BAD_EVENT;
	static const char *const keys[] = { "pull_request", "issue" };
	enum strbuf_result read;
	size_t i;
	FILE *f;

	*number = 0;
	text.max = GITHUB_EVENT_MAX;
	f = fopen(path, "rb");
	if (!f) {
		strbuf_addstr(err, "cannot read the GitHub Actions event file (GITHUB_EVENT_PATH '");
		strbuf_add_utf8_clean(err, path, strlen(path));
		strbuf_addstr(err, "')");
		goto out;
	}
	read = strbuf_read_file(&text, f);
	fclose(f);
	if (read == STRBUF_TOOBIG) {
		strbuf_addf(err, "the GitHub Actions event file is larger than %zu MiB",
			    GITHUB_EVENT_MAX >> 20);
		goto out;
	}
	if (read) {
		strbuf_addstr(err, "cannot read the GitHub Actions event file");
		goto out;
	}
	root = json_parse_buffer(text.buf, text.len, &why);
	if (!root || !json_object_is_type(root, json_type_object)) {
		strbuf_addf(err, "the GitHub Actions event file is not a JSON object%s%s",
			    why.len ? ": " : "", why.buf);
		goto out;
	}
	res = GITHUB_OK;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (json_object_object_get_ex(root, keys[i], &obj) &&
		    json_object_is_type(obj, json_type_object) &&
		    json_object_object_get_ex(obj, "number", &num) &&
		    json_object_is_type(num, json_type_int)) {
			int64_t v = json_object_get_int64(num);

			if (v > 0 && v <= 2147483647) {
				*number = (long)v;
				break;
			}
		}
	}
out:
	json_object_put(root);
	strbuf_release(&text);
	strbuf_release(&why);
	return res;
}

/* Whether the parameters params[0..len) hold rel="... next ..." (the value
 * is a space-separated list of relation types, quoted or not). */
static bool rel_is_next(const char *params, size_t len)
{
	const char *p = params, *end = params + len;

	while (p < end) {
		const char *v, *stop;

		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) < 4 || strncasecmp(p, "rel=", 4)) {
			while (p < end && *p != ';')
				p++;
			continue;
		}
		v = p + 4;
		if (v < end && *v == '"') {
			v++;
			stop = memchr(v, '"', (size_t)(end - v));
			if (!stop)
				stop = end;
		} else {
			stop = v;
			while (stop < end && *stop != ';' && *stop != ' ')
				stop++;
		}
		while (v < stop) {
			const char *word = v;

			while (v < stop && *v != ' ')
				v++;
			if (v - word == 4 && !strncasecmp(word, "next", 4))
				return true;
			while (v < stop && *v == ' ')
				v++;
		}
		return false;
	}
	return false;
}

char *github_link_next(const char *link, const char *base_url)
{
	const char *p = link;
	size_t base_len = strlen(base_url);

	if (!link)
		return NULL;
	/* link-value = "<" URI-Reference ">" *( ";" link-param ), joined by "," */
	while ((p = strchr(p, '<'))) {
		const char *end = strchr(p + 1, '>'), *params, *stop;
		char *url;

		if (!end)
			return NULL;
		params = end + 1;
		stop = strchr(params, ',');
		if (!stop)
			stop = params + strlen(params);
		if (!rel_is_next(params, (size_t)(stop - params))) {
			p = stop;
			continue;
		}
		url = xstrndup(p + 1, (size_t)(end - p - 1));
		if (strlen(url) > base_len && !strncmp(url, base_url, base_len) &&
		    url[base_len] == '/' && !strpbrk(url, " \t\r\n\"'<>\\"))
			return url;
		free(url);
		return NULL;
	}
	return NULL;
}

/* --- requests ------------------------------------------------------------ */

/* What a request is for: its fixes differ. */
enum github_call {
	CALL_USER,     /* GET /user */
	CALL_LIST,     /* GET the comments */
	CALL_CREATE,   /* POST a comment */
	CALL_UPDATE,   /* PATCH a comment */
};

/*
 * Append to err (the HTTP client's "<what>: <why>") the fix for a failed
 * request of kind call, when there is one: the one place GitHub's failures
 * are explained (401 the token, 403 the permission the workflow must grant,
 * 404 the repository or pull request, 422 validation, 429 and 5xx).
 */
static void add_fix(const struct github *gh, enum github_call call, enum http_result res,
		    long status, struct strbuf *err)
{
	if (res == HTTP_CONNECT || res == HTTP_TLS) {
		if (strcmp(gh->base_url, GITHUB_DEFAULT_URL))
			strbuf_addstr(err, " (check GITHUB_API_URL)");
		return;
	}
	if (res != HTTP_STATUS)
		return;
	/* GitHub also answers 403 to a rate-limited token ("API rate limit
	 * exceeded", "secondary rate limit"): no permission hint then */
	if (status == 429 || ((status == 403) && strstr(err->buf, "rate limit")))
		strbuf_addstr(err, " (rate limited: try again later)");
	else if (status == 401)
		strbuf_addstr(err, " (GitHub refused the token: check GITHUB_TOKEN)");
	else if (status == 403 && call == CALL_USER)
		strbuf_addstr(err, " (give the login its comments are posted as with --author LOGIN)");
	else if (status == 403 && call == CALL_LIST)
		strbuf_addstr(err, " (the token may not read the pull request: in GitHub Actions, "
			      "'permissions: pull-requests: read', or 'issues: read' for an issue)");
	else if (status == 403)
		strbuf_addstr(err, " (the token needs write access to pull requests: in GitHub "
			      "Actions, 'permissions: pull-requests: write', or 'issues: write' for "
			      "an issue)");
	else if (status == 404 && call == CALL_UPDATE)
		strbuf_addstr(err, " (the comment is gone: run again to post a new one)");
	else if (status == 404)
		strbuf_addstr(err, " (repository or pull request not found: check GITHUB_REPOSITORY, "
			      "the pull request number, and that the token can see the repository)");
	else if (status == 422)
		strbuf_addstr(err, " (validation failed: GitHub refused the request as sent)");
	else if (status >= 500)
		strbuf_addstr(err, " (the server failed: try again later)");
}

/* method url [body] for call; what says what failed; the answer parsed
 * into *root (a new reference). */
static enum github_result call(struct github *gh, enum github_call kind, const char *method,
			       const char *url, const char *what, const struct strbuf *body,
			       json_type want, struct json_object **root,
			       struct http_response *resp, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	enum github_result res = GITHUB_OK;
	enum http_result hres;

	*root = NULL;
	hres = http_send(&gh->http, method, url, what, body, resp, err);
	if (hres) {
		add_fix(gh, kind, hres, resp->status, err);
		res = resp->status == 403 ? GITHUB_FORBIDDEN : GITHUB_HTTP;
		goto out;
	}
	*root = json_parse_buffer(resp->body.buf, resp->body.len, &why);
	if (!*root || !json_object_is_type(*root, want)) {
		strbuf_addf(err, "%s: the answer is not a JSON %s%s%s", what,
			    want == json_type_array ? "array" : "object",
			    why.len ? ": " : "", why.buf);
		json_object_put(*root);
		*root = NULL;
		res = GITHUB_BAD_RESPONSE;
	}
out:
	strbuf_release(&why);
	return res;
}

static char *string_or_empty(struct json_object *obj, const char *key)
{
	const char *s = json_get_string(obj, key);

	return xstrdup(s ? s : "");
}

/* Fill c from one comment object; false when it has no numeric id or body. */
static bool parse_comment(struct json_object *obj, struct github_comment *c)
{
	struct json_object *id, *user;
	const char *body;

	memset(c, 0, sizeof(*c));
	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "id", &id) || !json_object_is_type(id, json_type_int))
		return false;
	body = json_get_string(obj, "body");
	c->id = (long long)json_object_get_int64(id);
	c->body = xstrdup(body ? body : "");
	c->html_url = string_or_empty(obj, "html_url");
	c->updated_at = string_or_empty(obj, "updated_at");
	if (json_object_object_get_ex(obj, "user", &user) &&
	    json_object_is_type(user, json_type_object))
		c->login = string_or_empty(user, "login");
	else
		c->login = xstrdup("");
	return true;
}

enum github_result github_login(struct github *gh, char **login, struct strbuf *err)
{
	static const char what[] = "cannot tell which GitHub user the token is";
	struct strbuf url = STRBUF_INIT, why = STRBUF_INIT;
	struct http_response resp;
	struct json_object *root = NULL;
	enum github_result res;
	const char *name;

	*login = NULL;
	http_response_init(&resp);
	strbuf_addf(&url, "%s/user", gh->base_url);
	res = call(gh, CALL_USER, "GET", url.buf, what, NULL, json_type_object, &root, &resp,
		   &why);
	if (res == GITHUB_FORBIDDEN && gh->in_actions) {
		*login = xstrdup(GITHUB_ACTIONS_LOGIN);
		res = GITHUB_OK;
		goto out;
	}
	if (res) {
		strbuf_add(err, why.buf, why.len);
		goto out;
	}
	name = json_get_string(root, "login");
	if (!name || !*name) {
		strbuf_addf(err, "%s: the answer has no \"login\"", what);
		res = GITHUB_BAD_RESPONSE;
		goto out;
	}
	*login = xstrdup(name);
out:
	http_response_release(&resp);
	json_object_put(root);
	strbuf_release(&url);
	strbuf_release(&why);
	return res;
}

static void comments_url(struct strbuf *url, const struct github *gh, long number)
{
	const char *slash = strchr(gh->repo, '/');

	strbuf_addf(url, "%s/repos/", gh->base_url);
	url_encode(url, gh->repo, (size_t)(slash - gh->repo));
	strbuf_addch(url, '/');
	url_encode(url, slash + 1, strlen(slash + 1));
	strbuf_addf(url, "/issues/%ld/comments", number);
}

enum github_result github_list_comments(struct github *gh, long number,
					struct github_comments *out, struct strbuf *err)
{
	struct strbuf first = STRBUF_INIT, what = STRBUF_INIT;
	struct json_object *root = NULL;
	enum github_result res = GITHUB_OK;
	char *url, *prev = NULL;
	size_t pages = 0, i;

	memset(out, 0, sizeof(*out));
	strbuf_addf(&what, "cannot list the comments on %s#%ld", gh->repo, number);
	comments_url(&first, gh, number);
	strbuf_addf(&first, "?per_page=%d", GITHUB_PAGE_SIZE);
	url = strbuf_detach(&first, NULL);
	while (url) {
		struct http_response resp;
		char *next;

		if (++pages > GITHUB_MAX_PAGES || (prev && !strcmp(prev, url))) {
			strbuf_addf(err, "%s: ", what.buf);
			if (pages > GITHUB_MAX_PAGES)
				strbuf_addf(err, "more than %d pages of comments", GITHUB_MAX_PAGES);
			else
				strbuf_addf(err, "page %zu is page %zu again", pages, pages - 1);
			strbuf_addstr(err, "; not posting, so as not to add a second comment");
			res = GITHUB_BAD_RESPONSE;
			goto out;
		}
		http_response_init(&resp);
		res = call(gh, CALL_LIST, "GET", url, what.buf, NULL, json_type_array, &root, &resp,
			   err);
		if (res) {
			http_response_release(&resp);
			goto out;
		}
		for (i = 0; i < json_object_array_length(root); i++) {
			ALLOC_GROW(out->items, out->nr + 1, out->alloc);
			if (parse_comment(json_object_array_get_idx(root, i), &out->items[out->nr]))
				out->nr++;
			else
				github_comment_release(&out->items[out->nr]);
		}
		json_object_put(root);
		root = NULL;
		next = github_link_next(resp.link, gh->base_url);
		http_response_release(&resp);
		free(prev);
		prev = url;
		url = next;
	}
out:
	json_object_put(root);
	free(url);
	free(prev);
	strbuf_release(&what);
	if (res)
		github_comments_release(out);
	return res;
}

static void comment_payload(struct strbuf *payload, const char *body)
{
	strbuf_addstr(payload, "{\"body\":");
	json_add_cstr(payload, body);
	strbuf_addstr(payload, "}");
}

/* method url {"body": body} for call, what saying what failed; the
 * answer into *out when not NULL. */
static enum github_result send_comment(struct github *gh, enum github_call kind,
				       const char *method, const char *url, const char *what,
				       const char *body, struct github_comment *out,
				       struct strbuf *err)
{
	struct strbuf payload = STRBUF_INIT;
	struct http_response resp;
	struct json_object *root = NULL;
	struct github_comment ignored;
	enum github_result res;

	http_response_init(&resp);
	comment_payload(&payload, body);
	res = call(gh, kind, method, url, what, &payload, json_type_object, &root, &resp, err);
	if (res)
		goto out;
	if (!parse_comment(root, out ? out : &ignored)) {
		github_comment_release(out ? out : &ignored);
		strbuf_addf(err, "%s: the answer is not a comment", what);
		res = GITHUB_BAD_RESPONSE;
		goto out;
	}
	if (!out)
		github_comment_release(&ignored);
out:
	http_response_release(&resp);
	json_object_put(root);
	strbuf_release(&payload);
	return res;
}

enum github_result github_create_comment(struct github *gh, long number, const char *body,
					 struct github_comment *out, struct strbuf *err)
{
	struct strbuf url = STRBUF_INIT, what = STRBUF_INIT;
	enum github_result res;

	comments_url(&url, gh, number);
	strbuf_addf(&what, "cannot comment on %s#%ld", gh->repo, number);
	res = send_comment(gh, CALL_CREATE, "POST", url.buf, what.buf, body, out, err);
	strbuf_release(&url);
	strbuf_release(&what);
	return res;
}

enum github_result github_update_comment(struct github *gh, long number, long long id,
					 const char *body, struct github_comment *out,
					 struct strbuf *err)
{
	struct strbuf url = STRBUF_INIT, what = STRBUF_INIT;
	const char *slash = strchr(gh->repo, '/');
	enum github_result res;

	strbuf_addf(&url, "%s/repos/", gh->base_url);
	url_encode(&url, gh->repo, (size_t)(slash - gh->repo));
	strbuf_addch(&url, '/');
	url_encode(&url, slash + 1, strlen(slash + 1));
	strbuf_addf(&url, "/issues/comments/%lld", id);
	strbuf_addf(&what, "cannot update comment %lld on %s#%ld", id, gh->repo, number);
	res = send_comment(gh, CALL_UPDATE, "PATCH", url.buf, what.buf, body, out, err);
	strbuf_release(&url);
	strbuf_release(&what);
	return res;
}

void github_comment_release(struct github_comment *c)
{
	free(c->login);
	free(c->body);
	free(c->html_url);
	free(c->updated_at);
	memset(c, 0, sizeof(*c));
}

void github_comments_release(struct github_comments *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		github_comment_release(&c->items[i]);
	free(c->items);
	memset(c, 0, sizeof(*c));
}
