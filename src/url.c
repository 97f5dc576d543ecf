/* url.c - URLs on libcurl's URL API (url.h). */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buildsleuth/url.h"
#include "buildsleuth/util.h"

bool url_host_is_loopback(const char *host)
{
	struct in_addr v4;
	struct in6_addr v6;
	size_t len = strlen(host);

	if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
		return true;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
		char *bare = xstrndup(host + 1, len - 2);
		int ok = inet_pton(AF_INET6, bare, &v6);

		free(bare);
		return ok == 1 && !memcmp(&v6, &in6addr_loopback, sizeof(v6));
	}
	if (inet_pton(AF_INET6, host, &v6) == 1)
		return !memcmp(&v6, &in6addr_loopback, sizeof(v6));
	return false;
}

bool url_secret_is_clean(const char *secret, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)secret[i];

		if (c <= 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

/* Whether the URL part is set (and not just empty). */
static bool url_has(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	bool has = curl_url_get(u, part, &v, 0) == CURLUE_OK && v && *v;

	curl_free(v);
	return has;
}

/* A parsed absolute URL, or NULL (*res says why). */
static CURLU *parse(const char *url, enum url_result *res)
{
	CURLU *u = curl_url();

	*res = URL_NOMEM;
	if (!u)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(u);
		*res = URL_INVALID;
		return NULL;
	}
	*res = URL_OK;
	return u;
}

enum url_result url_check_base(const char *url, char **out)
{
	enum url_result res;
	CURLU *u = parse(url, &res);
	char *scheme = NULL, *host = NULL;
	size_t len;

	*out = NULL;
	if (!u)
		return res;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		res = URL_INVALID;
	else if (url_has(u, CURLUPART_USER) || url_has(u, CURLUPART_PASSWORD))
		res = URL_CREDENTIALS;
	else if (url_has(u, CURLUPART_QUERY) || url_has(u, CURLUPART_FRAGMENT))
		res = URL_QUERY;
	else if (strcmp(scheme, "https") && strcmp(scheme, "http"))
		res = URL_SCHEME;
	else if (!strcmp(scheme, "http") && !url_host_is_loopback(host))
		res = URL_PLAIN_HTTP;
	if (!res) {
		len = strlen(url);
		while (len && url[len - 1] == '/')
			len--;
		*out = xstrndup(url, len);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return res;
}

void url_encode(struct strbuf *out, const char *s, size_t len)
{
	char *e;

	if (!len)
		return;
	if (len > INT_MAX)
		BUG("a URL part of %zu bytes", len);
	e = curl_easy_escape(NULL, s, (int)len);
	if (!e)
		die_oom();
	strbuf_addstr(out, e);
	curl_free(e);
}

void url_path(struct strbuf *out, const char *url)
{
	enum url_result res;
	CURLU *u = parse(url, &res);
	char *path = NULL;

	if (u && curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK && *path)
		strbuf_addstr(out, path);
	else
		strbuf_addch(out, '/');
	curl_free(path);
	curl_url_cleanup(u);
}

bool url_host(struct strbuf *out, const char *url)
{
	enum url_result res;
	CURLU *u = parse(url, &res);
	char *host = NULL, *port = NULL;
	bool ok = u && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host;

	if (ok) {
		strbuf_add_utf8_clean(out, host, strlen(host));
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			strbuf_addf(out, ":%s", port);
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}
