/* http.c - the HTTP client on libcurl: one reused handle, bearer auth, a
 * capped body, retries with full-jitter backoff and Retry-After, and failure
 * messages that name the request but never the key. The attempt functions
 * are lent to the pool (http_pool.c) through http_internal.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buildsleuth/curl_lazy.h"
#include "buildsleuth/http.h"
#include "buildsleuth/http_internal.h"
#include "buildsleuth/json.h"
#include "buildsleuth/url.h"
#include "buildsleuth/normalize.h"
#include "buildsleuth/version.h"
#include "buildsleuth/util.h"

bool http_global_init(const char **why)
{
	if (!curl_lazy_load(why))
		return false;
	*why = "curl_global_init failed";
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

const char *http_strerror(enum http_result r)
{
	switch (r) {
	case HTTP_OK: return "no error";
	case HTTP_INIT: return "cannot set up the HTTP client";
	case HTTP_BAD_URL: return "bad URL";
	case HTTP_CONNECT: return "cannot connect";
	case HTTP_TIMEOUT: return "timed out";
	case HTTP_TRANSFER: return "transfer failed";
	case HTTP_TLS: return "TLS failure";
	case HTTP_TOOBIG: return "the answer is too large";
	case HTTP_REDIRECT: return "redirect not followed";
	case HTTP_STATUS: return "HTTP error status";
	}
	return "unknown HTTP result";
}

const char *http_status_text(long status)
{
	static const struct { long status; const char *text; } texts[] = {
		{ 300, "multiple choices" }, { 301, "moved permanently" }, { 302, "found" },
		{ 303, "see other" }, { 304, "not modified" }, { 307, "temporary redirect" },
		{ 308, "permanent redirect" }, { 400, "bad request" }, { 401, "unauthorized" },
		{ 403, "forbidden" }, { 404, "not found" }, { 405, "method not allowed" },
		{ 408, "request timeout" }, { 409, "conflict" }, { 410, "gone" },
		{ 413, "content too large" }, { 414, "uri too long" }, { 422, "unprocessable content" },
		{ 429, "too many requests" }, { 500, "internal server error" },
		{ 501, "not implemented" }, { 502, "bad gateway" }, { 503, "service unavailable" },
		{ 504, "gateway timeout" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (texts[i].status == status)
			return texts[i].text;
	return "";
}

bool http_status_retryable(long status)
{
	return status == 429 || status == 500 || status == 502 || status == 503 ||
	       status == 504;
}

bool http_parse_retry_after(const char *value, time_t now, long *seconds)
{
	const char *p = value, *end;
	time_t when;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
			   end[-1] == '\n'))
		end--;
	if (end == p)
		return false;
	if (isdigit((unsigned char)*p)) {
		long n = 0;
		const char *q;

		for (q = p; q < end; q++) {
			if (!isdigit((unsigned char)*q))
				return false;
			if (n < HTTP_RETRY_AFTER_MAX)
				n = n * 10 + (*q - '0');
		}
		*seconds = n < HTTP_RETRY_AFTER_MAX ? n : HTTP_RETRY_AFTER_MAX;
		return true;
	}
	{
		char *date = xstrndup(p, (size_t)(end - p));

		/* curl_getdate reads the three HTTP-date forms of RFC 9110 */
		when = curl_getdate(date, NULL);
		free(date);
	}
	if (when == -1)
		return false;
	if (when <= now)
		*seconds = 0;
	else if (when - now >= HTTP_RETRY_AFTER_MAX)
		*seconds = HTTP_RETRY_AFTER_MAX;
	else
		*seconds = (long)(when - now);
	return true;
}

double http_backoff_delay(int attempt, double base, double cap, double unit_random)
{
	double ceiling = base;
	int i;

	for (i = 0; i < attempt && ceiling < cap; i++)
		ceiling *= 2;
	if (ceiling > cap)
		ceiling = cap;
	if (unit_random < 0)
		unit_random = 0;
	if (unit_random >= 1)
		unit_random = 0.999999;
	return unit_random * ceiling;
}

/* The URL as shown in -v lines: cut after HTTP_URL_SHOWN_MAX bytes. */
static void add_shown_url(struct strbuf *out, const char *url)
{
	size_t len = strlen(url);

	if (len <= HTTP_URL_SHOWN_MAX) {
		strbuf_add_utf8_clean(out, url, len);
		return;
	}
	strbuf_add_utf8_clean(out, url, HTTP_URL_SHOWN_MAX);
	strbuf_addf(out, "... (%zu bytes)", len);
}

/* --- the real clock ---------------------------------------------------- */

static void real_sleep(void *ctx, double seconds)
{
	struct timespec ts, rem;

	(void)ctx;
	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) && errno == EINTR)
		ts = rem;
}

static time_t real_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

/* splitmix64: jitter needs spread, not secrecy */
static double seeded_random(void *ctx)
{
	unsigned long long *state = ctx, z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

/* --- the client -------------------------------------------------------- */


static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct http_transfer *t = userp;
	size_t len = size * n;

	/* the cap holds after decompression, so a small compressed body
	 * cannot grow into an out-of-memory */
	if (strbuf_add(&t->resp->body, data, len)) {
		t->toobig = true;
		return 0; /* CURLE_WRITE_ERROR */
	}
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	struct http_transfer *t = userp;
	size_t len = size * n;
	static const char name[] = "retry-after:", link[] = "link:";

	if (len > 5 && !memcmp(data, "HTTP/", 5)) {
		t->resp->retry_after = -1; /* a new response (after 100 Continue) */
		free(t->resp->link);
		t->resp->link = NULL;
	} else if (len > sizeof(link) - 1 && !strncasecmp(data, link, sizeof(link) - 1)) {
		const char *v = data + sizeof(link) - 1, *end = data + len;

		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
			end--;
		free(t->resp->link);
		t->resp->link = xstrndup(v, (size_t)(end - v));
	} else if (len > sizeof(name) - 1 && !strncasecmp(data, name, sizeof(name) - 1)) {
		char *value = xstrndup(data + sizeof(name) - 1, len - (sizeof(name) - 1));
		long seconds;
		time_t now = t->client->clock.now(t->client->clock.ctx);

		if (http_parse_retry_after(value, now, &seconds))
			t->resp->retry_after = seconds;
		free(value);
	}
	return len;
}

void http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->body, 0);
	r->retry_after = -1;
}

void http_response_release(struct http_response *r)
{
	strbuf_release(&r->body);
	free(r->location);
	r->location = NULL;
	free(r->link);
	r->link = NULL;
}

#define SETOPT(h, opt, val) \
	do { \
		if (curl_easy_setopt((h), (opt), (val)) != CURLE_OK) \
			return false; \
	} while (0)

/* Everything a handle of client c needs, whichever path drives it: the one
 * place the request options are decided. False when libcurl refused one. */
bool http_setup_handle(struct http_client *c, CURL *h)
{
	long low_time = c->timeout < HTTP_LOW_SPEED_TIME ? c->timeout : HTTP_LOW_SPEED_TIME;

	SETOPT(h, CURLOPT_NOSIGNAL, 1L);
	SETOPT(h, CURLOPT_USERAGENT, "buildsleuth/" BUILDSLEUTH_VERSION);
	SETOPT(h, CURLOPT_HTTPHEADER, c->headers);
	/* "": every encoding this libcurl can decode */
	SETOPT(h, CURLOPT_ACCEPT_ENCODING, "");
	SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* a redirect could carry the key to another host: never follow */
	SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
	SETOPT(h, CURLOPT_CONNECTTIMEOUT, c->timeout);
	SETOPT(h, CURLOPT_TIMEOUT, c->timeout);
	SETOPT(h, CURLOPT_LOW_SPEED_LIMIT, HTTP_LOW_SPEED_LIMIT);
	SETOPT(h, CURLOPT_LOW_SPEED_TIME, low_time);
	SETOPT(h, CURLOPT_TCP_KEEPALIVE, 1L);
	SETOPT(h, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(h, CURLOPT_HEADERFUNCTION, on_header);
	if (c->key) {
		/* libcurl writes the Authorization header; we never build it */
		SETOPT(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		SETOPT(h, CURLOPT_XOAUTH2_BEARER, c->key);
	}
	return true;
}

enum http_result http_client_init(struct http_client *c, const char *key, long timeout,
				  long retries, struct strbuf *err)
{
	memset(c, 0, sizeof(*c));
	c->timeout = timeout;
	c->retries = retries;
	c->max_body = HTTP_MAX_BODY;
	c->clock.sleep = real_sleep;
	c->clock.random = seeded_random;
	c->clock.now = real_now;
	c->seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32) ^
		  (unsigned long long)(uintptr_t)c;
	c->clock.ctx = &c->seed;
	c->curl = curl_easy_init();
	if (!c->curl)
		goto fail;
	if (key)
		c->key = xstrdup(key);
	c->headers = curl_slist_append(NULL, "Accept: application/json");
	if (!c->headers || !http_setup_handle(c, c->curl))
		goto fail;
	return HTTP_OK;
fail:
	strbuf_addstr(err, "cannot set up libcurl (is it too old? 7.85 or later is needed)");
	return HTTP_INIT;
}

void http_client_release(struct http_client *c)
{
	/* We wipe our copy of the key. libcurl keeps its own: the
	 * CURLOPT_XOAUTH2_BEARER string of each handle and the Authorization
	 * header it builds per request, which it frees without clearing
	 * (resetting the option to NULL only frees it sooner), and the TLS
	 * library's record buffers. Those are out of our reach; what covers
	 * them is the command having turned core dumps and ptrace off first
	 * (secret_protect_process). */
	if (c->curl)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
	curl_slist_free_all(c->headers);
	c->headers = NULL;
	if (c->key) {
		explicit_bzero(c->key, strlen(c->key));
		free(c->key);
		c->key = NULL;
	}
}

/* What one attempt came to, and whether another attempt may help. */
static enum http_result classify(CURLcode code, bool toobig, long status, bool *retry)
{
	*retry = false;
	switch (code) {
	case CURLE_OK:
		if (status >= 200 && status < 300)
			return HTTP_OK;
		if (status >= 300 && status < 400)
			return HTTP_REDIRECT;
		*retry = http_status_retryable(status);
		return HTTP_STATUS;
	case CURLE_WRITE_ERROR:
		return toobig ? HTTP_TOOBIG : HTTP_TRANSFER;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return HTTP_BAD_URL;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_CONNECT; /* a typo does not heal by waiting */
	case CURLE_COULDNT_CONNECT:
		*retry = true;
		return HTTP_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		*retry = true;
		return HTTP_TIMEOUT;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		*retry = true;
		return HTTP_TRANSFER;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_USE_SSL_FAILED:
		return HTTP_TLS;
	default:
		return HTTP_TRANSFER;
	}
}

/* The length of the white space or line break at s (left bytes), 0 when
 * there is none: ASCII's, NEL, and U+2028 and U+2029, which would break a
 * line in some viewers. */
static size_t space_len(const char *s, size_t left)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r' || *u == '\f' || *u == '\v')
		return 1;
	if (left >= 2 && u[0] == 0xc2 && u[1] == 0x85)
		return 2;
	if (left >= 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
		return 3;
	return 0;
}

/* Append server text (untrusted) as one line: runs of white space (line
 * breaks included) made one space, the key (if it shows up) replaced,
 * escapes and other control characters shown safely, cut after max bytes. */
static void add_safe_text(struct strbuf *out, const struct http_client *c,
			  const char *text, size_t len, size_t max)
{
	struct strbuf flat = STRBUF_INIT;
	size_t i, space, klen = c->key ? strlen(c->key) : 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (klen && len - i >= klen && !memcmp(text + i, c->key, klen)) {
			strbuf_addstr(&flat, "[redacted]");
			i += klen - 1;
		} else if ((space = space_len(text + i, len - i))) {
			i += space - 1;
			if (flat.len && flat.buf[flat.len - 1] != ' ')
				strbuf_addch(&flat, ' ');
		} else {
			strbuf_addch(&flat, ch);
		}
	}
	while (flat.len && flat.buf[flat.len - 1] == ' ')
		strbuf_setlen(&flat, flat.len - 1);
	display_line(flat.buf, flat.len, max, out);
	strbuf_release(&flat);
}

/* The text between <tag ...> and </tag> of an HTML page, or NULL. */
static const char *html_element(const char *html, size_t len, const char *tag,
				size_t *text_len)
{
	size_t tlen = strlen(tag), i;

	for (i = 0; i + tlen + 2 <= len; i++) {
		const char *start, *end;

		if (html[i] != '<' || strncasecmp(html + i + 1, tag, tlen) ||
		    (html[i + 1 + tlen] != '>' && html[i + 1 + tlen] != ' '))
			continue;
		start = memchr(html + i, '>', len - i);
		if (!start)
			return NULL;
		start++;
		for (end = start; end + tlen + 3 <= html + len; end++)
			if (end[0] == '<' && end[1] == '/' && !strncasecmp(end + 2, tag, tlen)) {
				*text_len = (size_t)(end - start);
				return start;
			}
		return NULL;
	}
	return NULL;
}

/* Whether text says no more than the status line does: "Unauthorized" or
 * "503 Service Unavailable" after "HTTP 503 service unavailable". */
static bool repeats_status(const char *text, size_t len, long status)
{
	const char *reason = http_status_text(status);
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%ld", status);

	while (len && (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')) {
		text++;
		len--;
	}
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (n > 0 && len > (size_t)n && !memcmp(text, digits, (size_t)n) && text[n] == ' ') {
		text += n + 1;
		len -= (size_t)n + 1;
	}
	return *reason && len == strlen(reason) && !strncasecmp(text, reason, len);
}

/* What the server said about an error, when it says more than the status:
 * a JSON object's "error" (else "message"), an HTML page's <title> (else
 * <h1>), or plain text; never raw HTML or JSON. */
static void add_server_text(struct strbuf *out, const struct http_client *c,
			    const struct strbuf *body, long status)
{
	struct strbuf ignored = STRBUF_INIT;
	struct json_object *root = NULL;
	const char *text = NULL, *p = body->buf;
	size_t len = 0, n = body->len;

	while (n && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	if (!n)
		return;
	if (*p == '{' || *p == '[') {
		root = json_parse_buffer(body->buf, body->len, &ignored);
		if (root && json_object_is_type(root, json_type_object)) {
			text = json_get_string(root, "error");
			if (!text || !*text)
				text = json_get_string(root, "message");
			len = text ? strlen(text) : 0;
		}
	} else if (*p == '<') {
		text = html_element(p, n, "title", &len);
		if (!text || !len)
			text = html_element(p, n, "h1", &len);
	} else {
		text = p;
		len = n;
	}
	if (text && len && !repeats_status(text, len, status)) {
		strbuf_addstr(out, ": ");
		add_safe_text(out, c, text, len, HTTP_SERVER_TEXT_MAX);
	}
	json_object_put(root);
	strbuf_release(&ignored);
}

/* Lowercase the word at out->buf[start] when it is a capitalised word
 * ("Failed"), not a name ("OpenSSL", "SSL"). */
static void lowercase_first_word(struct strbuf *out, size_t start)
{
	size_t i;

	if (start >= out->len || !isupper((unsigned char)out->buf[start]))
		return;
	for (i = start + 1; i < out->len && isalpha((unsigned char)out->buf[i]); i++)
		if (isupper((unsigned char)out->buf[i]))
			return;
	out->buf[start] = (char)tolower((unsigned char)out->buf[start]);
}

/* libcurl's own words for a failure, lowercase, without a full stop. */
static void add_curl_text(struct strbuf *err, const struct http_client *c,
			  const char *errbuf, CURLcode code)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(code);
	size_t start = err->len;

	add_safe_text(err, c, why, strlen(why), 300);
	lowercase_first_word(err, start);
	while (err->len > start && (err->buf[err->len - 1] == '.' ||
				    err->buf[err->len - 1] == ' '))
		strbuf_setlen(err, err->len - 1);
}

/* The operating system's word for a socket error, lowercase ("connection refused"). */
static void add_errno_text(struct strbuf *err, long os_errno)
{
	const char *text = strerror((int)os_errno);
	size_t start = err->len;

	strbuf_addstr(err, text);
	lowercase_first_word(err, start);
}

/*
 * The one account of a failed request: "<what>: <why>", why in words —
 * "HTTP 401 unauthorized: <server text>", "cannot connect to HOST
 * (connection refused)", "cannot resolve host 'HOST'", "timed out waiting
 * for HOST", "HOST closed the connection before the answer was complete",
 * "TLS failure with HOST: ...", "the answer is larger than 64 MiB" — then
 * "; retried N times" when it was (with the wait a 429 asked for).
 */
void http_describe_failure(struct strbuf *err, const struct http_client *c,
			   const char *errbuf, const char *what, const char *url,
			   enum http_result res, CURLcode code,
			   const struct http_response *resp)
{
	strbuf_addf(err, "%s: ", what);
	switch (res) {
	case HTTP_STATUS:
		strbuf_addf(err, "HTTP %ld", resp->status);
		if (*http_status_text(resp->status))
			strbuf_addf(err, " %s", http_status_text(resp->status));
		add_server_text(err, c, &resp->body, resp->status);
		break;
	case HTTP_REDIRECT:
		strbuf_addf(err, "HTTP %ld redirect", resp->status);
		if (resp->location) {
			struct strbuf host = STRBUF_INIT;

			if (url_host(&host, resp->location))
				strbuf_addf(err, " to '%s'", host.buf);
			strbuf_release(&host);
		}
		strbuf_addstr(err, " not followed (point the API URL at the final address)");
		break;
	case HTTP_TOOBIG:
		strbuf_addf(err, "the answer is larger than %zu MiB", c->max_body >> 20);
		break;
	case HTTP_CONNECT:
		if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY) {
			strbuf_addstr(err, "cannot resolve host '");
			url_host(err, url);
			strbuf_addch(err, '\'');
			break;
		}
		strbuf_addf(err, "%s to ", http_strerror(res));
		url_host(err, url);
		strbuf_addstr(err, " (");
		if (resp->os_errno)
			add_errno_text(err, resp->os_errno);
		else
			add_curl_text(err, c, errbuf, code);
		strbuf_addch(err, ')');
		break;
	case HTTP_TIMEOUT:
		strbuf_addf(err, "%s waiting for ", http_strerror(res));
		url_host(err, url);
		strbuf_addf(err, " (--timeout %ld)", c->timeout);
		break;
	case HTTP_TLS:
		strbuf_addf(err, "%s with ", http_strerror(res));
		url_host(err, url);
		strbuf_addstr(err, ": ");
		add_curl_text(err, c, errbuf, code);
		break;
	case HTTP_TRANSFER:
		if (code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE ||
		    code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) {
			url_host(err, url);
			strbuf_addstr(err, code == CURLE_GOT_NOTHING ?
				      " closed the connection without answering" :
				      " dropped the connection before the answer was complete");
			break;
		}
		/* fall through */
	default:
		strbuf_addf(err, "%s: ", http_strerror(res));
		add_curl_text(err, c, errbuf, code);
		break;
	}
	if (resp->attempts > 1) {
		strbuf_addf(err, "; retried %d time%s", resp->attempts - 1,
			    resp->attempts == 2 ? "" : "s");
		if (res == HTTP_STATUS && resp->status == 429 && resp->retry_after > 0)
			strbuf_addf(err, ", the server asking to wait %ld s", resp->retry_after);
	}
}

/* One line of -v output or a warning: to the client's hook, else stderr. */
static void emit(const struct http_client *c, const char *line)
{
	if (c->message)
		c->message(c->message_ctx, line);
	else
		fprintf(stderr, "%s\n", line);
}

static void log_attempt(const struct http_client *c, const char *method, const char *url,
			CURLcode code, const struct http_response *resp)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addf(&line, "buildsleuth: %s ", method);
	add_shown_url(&line, url);
	if (code == CURLE_OK)
		strbuf_addf(&line, ": %ld", resp->status);
	else
		strbuf_addf(&line, ": %s", curl_easy_strerror(code));
	strbuf_addf(&line, ", %zu bytes, %.3f s", resp->body.len, resp->seconds);
	emit(c, line.buf);
	strbuf_release(&line);
}


/* Point handle h at request q for attempt number attempt (0 for the
 * first), with t->resp emptied to receive the answer. False when libcurl
 * refused. */
bool http_start_attempt(struct http_client *c, CURL *h, char *errbuf,
			const struct http_request *q, struct http_transfer *t, int attempt)
{
	struct http_response *resp = t->resp;
	bool get = !strcmp(q->method, "GET");

	resp->body.max = c->max_body;
	strbuf_reset(&resp->body);
	free(resp->location);
	resp->location = NULL;
	resp->status = 0;
	resp->os_errno = 0;
	resp->retry_after = -1;
	resp->seconds = 0;
	resp->attempts = attempt + 1;
	t->client = c;
	t->toobig = false;
	errbuf[0] = '\0';
	free(resp->link);
	resp->link = NULL;
	if (curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_URL, q->url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, q->headers) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, t) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HEADERDATA, t) != CURLE_OK ||
	    /* HTTPGET also undoes an earlier request's body */
	    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, get ? NULL : q->method) != CURLE_OK)
		return false;
	if (q->body &&
	    (curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body->len) != CURLE_OK ||
	     curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body->buf) != CURLE_OK))
		return false;
	return true;
}

/* What an attempt on h that ended with code came to: the answer's status,
 * time and Location are read into t->resp, -v logs it, and *retry says
 * whether trying again may help. */
enum http_result http_finish_attempt(struct http_client *c, CURL *h,
				     const struct http_request *q, CURLcode code,
				     struct http_transfer *t, bool *retry)
{
	struct http_response *resp = t->resp;
	char *redirect = NULL;

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->seconds);
	if (code == CURLE_COULDNT_CONNECT)
		curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &resp->os_errno);
	if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect)
		resp->location = xstrdup(redirect);
	if (c->verbose)
		log_attempt(c, q->method, q->url, code, resp);
	return classify(code, t->toobig, resp->status, retry);
}

/* How long to wait before retry number attempt (0 for the first): the
 * full-jitter backoff, or longer when the server asked for longer with
 * Retry-After. Never shorter: a date in the past (0 s) or a server saying
 * "0" must not turn the retries into a burst of requests. */
double http_retry_delay(struct http_client *c, const struct http_response *resp, int attempt)
{
	double backoff = http_backoff_delay(attempt, HTTP_BACKOFF_BASE, HTTP_BACKOFF_CAP,
					    c->clock.random(c->clock.ctx));

	if ((double)resp->retry_after > backoff)
		return (double)resp->retry_after;
	return backoff;
}

/* "buildsleuth: warning: cannot get build X: HTTP 503 service unavailable;
 * retry 1 of 4 in 0.3 s" (pause_all: "...; retry 1 of 4; pausing all
 * requests for 2.0 s") unless -q. */
void http_warn_retry(struct http_client *c, const char *errbuf, const struct http_request *q,
		     enum http_result res, CURLcode code, struct http_response *resp,
		     bool pause_all, int attempt, double delay)
{
	struct strbuf line = STRBUF_INIT;
	int attempts = resp->attempts;

	if (c->quiet)
		return;
	resp->attempts = 1; /* no "retried" in a warning */
	strbuf_addstr(&line, "buildsleuth: warning: ");
	http_describe_failure(&line, c, errbuf, q->what, q->url, res, code, resp);
	resp->attempts = attempts;
	if (pause_all)
		strbuf_addf(&line, "; retry %d of %ld; pausing all requests for %.1f s",
			    attempt + 1, c->retries, delay);
	else
		strbuf_addf(&line, "; retry %d of %ld in %.1f s", attempt + 1, c->retries, delay);
	emit(c, line.buf);
	strbuf_release(&line);
}

/* Whether method is safe to send twice: RFC 9110's idempotent methods, and
 * PATCH, which this client only sends to set whole fields (a comment's body),
 * so that a second one leaves the same result. */
static bool idempotent(const char *method)
{
	return !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "PUT") ||
	       !strcmp(method, "DELETE") || !strcmp(method, "OPTIONS") || !strcmp(method, "PATCH");
}

enum http_result http_send(struct http_client *c, const char *method, const char *url,
			   const char *what, const struct strbuf *body,
			   struct http_response *resp, struct strbuf *err)
{
	struct http_transfer t = { c, resp, false };
	struct http_request q = { method, url, what, body, c->headers };
	struct curl_slist *with_type = NULL;
	enum http_result res;
	CURLcode code;
	int attempt;

	if (!c->curl)
		BUG("http_send on a client that failed to initialise");
	if (body) {
		struct curl_slist *h;

		for (h = c->headers; h; h = h->next)
			with_type = curl_slist_append(with_type, h->data);
		with_type = curl_slist_append(with_type, "Content-Type: application/json");
		if (!with_type)
			goto setup_failed;
		q.headers = with_type;
	}
	for (attempt = 0;; attempt++) {
		bool retry;
		double delay;

		if (!http_start_attempt(c, c->curl, c->errbuf, &q, &t, attempt))
			goto setup_failed;
		code = curl_easy_perform(c->curl);
		res = http_finish_attempt(c, c->curl, &q, code, &t, &retry);
		if (res == HTTP_OK)
			break;
		/* a POST may have been acted on unless it never got through
		 * or was turned away: never create a thing twice */
		if (retry && !idempotent(method))
			retry = code == CURLE_COULDNT_CONNECT || resp->status == 429;
		if (!retry || attempt >= c->retries) {
			http_describe_failure(err, c, c->errbuf, what, url, res, code, resp);
			break;
		}
		delay = http_retry_delay(c, resp, attempt);
		http_warn_retry(c, c->errbuf, &q, res, code, resp, false, attempt, delay);
		c->clock.sleep(c->clock.ctx, delay);
	}
	/* the handle must not keep pointers to this call's headers or body */
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_slist_free_all(with_type);
	return res;
setup_failed:
	strbuf_addf(err, "%s: cannot set up the request", what);
	curl_slist_free_all(with_type);
	return HTTP_INIT;
}

enum http_result http_get(struct http_client *c, const char *url, const char *what,
			  struct http_response *resp, struct strbuf *err)
{
	return http_send(c, "GET", url, what, NULL, resp, err);
}

bool http_client_set_header(struct http_client *c, const char *header)
{
	const char *colon = strchr(header, ':');
	size_t name_len = colon ? (size_t)(colon - header) : strlen(header);
	struct curl_slist *h, *list = NULL;

	for (h = c->headers; h; h = h->next) {
		if (!strncasecmp(h->data, header, name_len) && h->data[name_len] == ':')
			continue; /* replaced */
		list = curl_slist_append(list, h->data);
		if (!list)
			return false;
	}
	list = curl_slist_append(list, header);
	if (!list)
		return false;
	if (c->curl && curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, list) != CURLE_OK) {
		curl_slist_free_all(list);
		return false;
	}
	curl_slist_free_all(c->headers);
	c->headers = list;
	return true;
}
