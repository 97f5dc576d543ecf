/* github.h - the GitHub REST API for pull-request comments: settings from the
 * environment (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, the Actions
 * event file), the token's login, and listing (every page), creating and
 * editing the comments of an issue or pull request.
 * Ownership: struct github owns its HTTP client (which holds the only copy of
 * the token and wipes it on release), base URL and repository; struct
 * github_comment and struct github_comments own their strings. Arguments are
 * borrowed; every char ** result is the caller's to free. */
#ifndef BUILDSLEUTH_GITHUB_H
#define BUILDSLEUTH_GITHUB_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "strbuf.h"

#define GITHUB_DEFAULT_URL "https://api.github.com"
#define GITHUB_API_VERSION "2022-11-28"
/* Comments per page asked for (GitHub's maximum). */
#define GITHUB_PAGE_SIZE 100
/* Pages followed at most (10,000 comments); more is an error, because
 * missing our own comment would post a second one. */
#define GITHUB_MAX_PAGES 100
/* Who posts with the GITHUB_TOKEN of GitHub Actions. That token is a GitHub
 * App installation token, for which GET /user answers 403. */
#define GITHUB_ACTIONS_LOGIN "github-actions[bot]"

enum github_result {
	GITHUB_OK = 0,
	GITHUB_CONFIG,        /* no token, bad repository or URL, no PR number */
	GITHUB_BAD_EVENT,     /* the event file cannot be read or is not JSON */
	GITHUB_FORBIDDEN,     /* HTTP 403: the token may not do this */
	GITHUB_HTTP,          /* any other failed request (after retries) */
	GITHUB_BAD_RESPONSE,  /* not JSON, or JSON of the wrong shape */
};

struct github_config {
	long timeout;         /* seconds per request */
	long retries;
	int verbose;
	bool quiet;
	/* what the environment said, read by the command line (the library
	 * never reads the environment); NULL when unset */
	const char *token;    /* $GITHUB_TOKEN */
	const char *repo;     /* $GITHUB_REPOSITORY */
	const char *api_url;  /* $GITHUB_API_URL */
	bool in_actions;      /* $GITHUB_ACTIONS is "true" */
};

struct github {
	struct http_client http;  /* holds the only copy of the token */
	char *base_url;           /* without a trailing '/' */
	char *repo;               /* "owner/name" */
	bool in_actions;          /* running in GitHub Actions */
};

struct github_comment {
	long long id;
	char *login;          /* the author's, "" when the API gave none */
	char *body;
	char *html_url;       /* "" when the API gave none */
	char *updated_at;     /* ISO 8601 as sent, "" when none */
};

struct github_comments {
	struct github_comment *items;
	size_t nr, alloc;
};

const char *github_strerror(enum github_result r);

/* A failed request leaves one line in err saying what failed, why and the
 * fix when there is one: "cannot comment on o/r#12: HTTP 403 forbidden:
 * <GitHub's message> (the token needs write access to pull requests: ...)";
 * "cannot list the comments on o/r#12: ...", "cannot update comment N on
 * o/r#12: ...", "cannot tell which GitHub user the token is: ...". */

/*
 * Check cfg's token, repository and API URL (the environment's
 * GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL; default
 * GITHUB_DEFAULT_URL) and set up the HTTP client. On failure err holds one
 * line that never holds the token. github_release is safe after github_init,
 * whatever it returned.
 */
enum github_result github_init(struct github *gh, const struct github_config *cfg,
			       struct strbuf *err);
void github_release(struct github *gh);

/*
 * Check a base URL (origin names it in messages): http(s) only, plain
 * http:// only for a loopback host, no user, password, query or fragment.
 * *out is the URL without trailing '/', the caller's to free.
 */
enum github_result github_resolve_url(const char *url, const char *origin, char **out,
				      struct strbuf *err);

/* Whether repo is "owner/name" as GitHub allows them (letters, digits, '-',
 * '_', '.'; neither part empty, "." or ".."). */
bool github_valid_repository(const char *repo);

/*
 * The pull request (or issue) number from an Actions event file:
 * .pull_request.number, else .issue.number. GITHUB_OK with *number = 0 when
 * the event has neither; GITHUB_BAD_EVENT when the file cannot be read or
 * is not a JSON object.
 */
enum github_result github_event_number(const char *path, long *number, struct strbuf *err);

/*
 * The URL of the rel="next" link of a Link header, or NULL. Only a URL under
 * base_url + "/" is returned: a server must not send the token elsewhere.
 */
char *github_link_next(const char *link, const char *base_url);

/*
 * The login the token posts as: GET /user. In GitHub Actions
 * (GITHUB_ACTIONS=true) a 403 there means the Actions token, whose comments
 * are GITHUB_ACTIONS_LOGIN's.
 */
enum github_result github_login(struct github *gh, char **login, struct strbuf *err);

/* Every comment of issue or pull request number, oldest first, following
 * the Link header page after page (per_page=GITHUB_PAGE_SIZE). */
enum github_result github_list_comments(struct github *gh, long number,
					struct github_comments *out, struct strbuf *err);

/* POST a new comment with body on issue or pull request number; *out (may be
 * NULL) gets what GitHub answered. */
enum github_result github_create_comment(struct github *gh, long number, const char *body,
					 struct github_comment *out, struct strbuf *err);

/* PATCH comment id's body (a comment of issue or pull request number, for
 * messages); *out (may be NULL) gets what GitHub answered. */
enum github_result github_update_comment(struct github *gh, long number, long long id,
					 const char *body, struct github_comment *out,
					 struct strbuf *err);

void github_comment_release(struct github_comment *c);
void github_comments_release(struct github_comments *c);

#endif
