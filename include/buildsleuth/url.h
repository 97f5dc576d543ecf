/* url.h - URLs, on libcurl's URL API (CURLU) and curl_easy_escape(): the
 * checks the Pipecat and GitHub clients make of the base URL they send a
 * secret to (one set, so they cannot drift), and the encoding and the parts
 * of URLs the HTTP layer and the clients build and quote. */
#ifndef BUILDSLEUTH_URL_H
#define BUILDSLEUTH_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum url_result {
	URL_OK = 0,
	URL_NOMEM,       /* libcurl has no memory to parse it */
	URL_INVALID,     /* not an absolute URL with a host */
	URL_CREDENTIALS, /* a user name or password in it */
	URL_QUERY,       /* a query or a fragment */
	URL_SCHEME,      /* neither https:// nor http:// */
	URL_PLAIN_HTTP,  /* http:// to a host that is not loopback */
};

/*
 * Check url as the base URL of a client that sends a secret (API key,
 * token): https://, or http:// to a loopback host only; no user name or
 * password (it would show in -v lines and messages), no query or fragment.
 * URL_OK: *out is a copy without trailing slashes (the caller frees it);
 * otherwise *out is NULL and the caller words the message.
 */
enum url_result url_check_base(const char *url, char **out);

/* 127.0.0.0/8, localhost[.], ::1 and [::1]. */
bool url_host_is_loopback(const char *host);

/* Whether a secret may go into a header as it is: no space, control
 * character or non-ASCII byte. */
bool url_secret_is_clean(const char *secret, size_t len);

/* Append s[0..len) percent-encoded (all but A-Z a-z 0-9 - . _ ~), for a path
 * segment or a query value. */
void url_encode(struct strbuf *out, const char *s, size_t len);

/* Append the path of url (no scheme, host, query: "/v1/builds/x"; "/" when
 * it has none or cannot be parsed). */
void url_path(struct strbuf *out, const char *url);

/* Append the host[:port] of an absolute url (never its user or password);
 * false, appending nothing, when it has none. */
bool url_host(struct strbuf *out, const char *url);

#endif
