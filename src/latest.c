/* latest.c - `--latest`: the newest build of GET /builds matching statuses,
 * a region, a Dockerfile path and a --since bound, found with as few list
 * pages as the newest-first order allows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buildsleuth/audit.h"
#include "buildsleuth/latest.h"
#include "buildsleuth/util.h"

/* The furthest back a relative --since counts: a century. */
#define SINCE_MAX_SECONDS (100.0 * 366 * 86400)

bool latest_add_status(struct latest_query *q, enum build_status status)
{
	size_t i;

	if (!build_status_name(status))
		return false;
	for (i = 0; i < q->statuses_nr; i++)
		if (q->statuses[i] == status)
			return true;
	if (q->statuses_nr >= LATEST_STATUSES_MAX)
		BUG("more distinct statuses than the API has");
	q->statuses[q->statuses_nr++] = status;
	return true;
}

/* audit_parse_time lets timegm() roll 2026-02-31 over into March: a date
 * that does not exist is a typo, not a bound. s has passed it already, so
 * it starts with YYYY-MM-DD. */
static bool date_exists(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int year = (int)strtol(s, NULL, 10), mon = (s[5] - '0') * 10 + (s[6] - '0'),
	    day = (s[8] - '0') * 10 + (s[9] - '0');
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return day <= days[mon - 1] + (mon == 2 && leap);
}

bool latest_parse_since(const char *arg, double now, double *seconds, bool *relative)
{
	size_t len = strlen(arg);
	char *digits;
	double unit;
	long n;
	bool ok;

	*relative = false;
	if (len >= 2 && arg[0] >= '0' && arg[0] <= '9') {
		switch (arg[len - 1]) {
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: unit = 0; break;
		}
		if (unit) {
			/* digits only: parse_long would take a sign or spaces */
			digits = xstrndup(arg, len - 1);
			ok = strspn(digits, "0123456789") == len - 1 &&
			     parse_long(digits, 1, 1000000000L, &n) && n * unit <= SINCE_MAX_SECONDS;
			free(digits);
			if (!ok)
				return false;
			*seconds = now - (double)n * unit;
			*relative = true;
			return true;
		}
	}
	return audit_parse_time(arg, seconds) && date_exists(arg);
}

/* "./docker/Dockerfile" and "docker/Dockerfile" name the same file. */
static const char *without_dot_slash(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

struct best {
	struct build *build; /* taken from its page */
	double created;
};

/* Whether (created, id) is newer than the best so far. */
static bool newer(const struct best *best, double created, const char *id)
{
	if (!best->build || created > best->created)
		return true;
	return created == best->created && strcasecmp(id, best->build->id) > 0;
}

/* One listing: the builds with status, newest first, page by page until
 * nothing further down can beat best. */
static enum api_result scan_status(struct api *api, const struct latest_query *q,
				   double before, const char *status, struct best *best,
				   size_t *requests, struct causes *warnings, struct strbuf *err)
{
	struct api_build_page page;
	long offset = 0;
	size_t pages = 0, i, n;
	enum api_result res;
	bool stop = false;

	while (!stop) {
		if (pages == LATEST_MAX_PAGES) {
			causes_add(warnings, "the %s builds fill more than %d pages: only the newest "
				   "%ld were read", status, LATEST_MAX_PAGES, offset);
			break;
		}
		res = api_list_builds(api, status, q->region, q->context_hash, LATEST_LIST_LIMIT,
				      offset, &page, err);
		if (res)
			return res;
		pages++;
		(*requests)++;
		n = page.nr;
		for (i = 0; i < n && !stop; i++) {
			const char *id = page.builds[i]->id;
			const char *created = page.builds[i]->created_at;
			const char *dockerfile = page.builds[i]->dockerfile_path;
			double t;

			if (!created || !audit_parse_time(created, &t))
				continue;
			/* newest first: everything after this is older still */
			if ((q->since && t < q->since_seconds) ||
			    (best->build && t < best->created)) {
				stop = true;
				break;
			}
			if (q->before && t >= before)
				continue;
			if (q->dockerfile && (!dockerfile || strcmp(without_dot_slash(dockerfile),
								    without_dot_slash(q->dockerfile))))
				continue;
			if (newer(best, t, id)) {
				build_free(best->build);
				best->build = page.builds[i];
				page.builds[i] = NULL;
				best->created = t;
			}
		}
		offset += (long)n;
		if (!n || offset >= page.total)
			stop = true;
		api_build_page_release(&page);
	}
	return API_OK;
}

enum api_result latest_find_build(struct api *api, const struct latest_query *q,
				  struct build **found, size_t *requests,
				  struct causes *warnings, struct strbuf *err)
{
	struct best best = { NULL, 0 };
	enum api_result res = API_OK;
	size_t i, count = 0;
	double before = 0;

	*found = NULL;
	if (requests)
		*requests = 0;
	/* a bound that cannot be read leaves nothing known to be before it */
	if (q->before && !audit_parse_time(q->before, &before))
		return API_OK;
	for (i = 0; i < q->statuses_nr && !res; i++)
		res = scan_status(api, q, before, build_status_name(q->statuses[i]), &best,
				  &count, warnings, err);
	if (requests)
		*requests = count;
	if (res) {
		build_free(best.build);
		return res;
	}
	*found = best.build;
	return API_OK;
}

enum api_result latest_find(struct api *api, const struct latest_query *q, char **id,
			    size_t *requests, struct causes *warnings, struct strbuf *err)
{
	struct build *found;
	enum api_result res;

	*id = NULL;
	res = latest_find_build(api, q, &found, requests, warnings, err);
	if (!res && found)
		*id = xstrdup(found->id);
	build_free(found);
	return res;
}

static void add_statuses(const struct latest_query *q, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < q->statuses_nr; i++) {
		if (i)
			strbuf_addstr(out, i + 1 == q->statuses_nr ? " or " : ", ");
		strbuf_addstr(out, build_status_name(q->statuses[i]));
	}
}

void latest_describe_filters(const struct latest_query *q, struct strbuf *out)
{
	strbuf_addstr(out, "status ");
	add_statuses(q, out);
	if (q->region)
		strbuf_addf(out, ", region %s", q->region);
	if (q->dockerfile)
		strbuf_addf(out, ", dockerfile %s", q->dockerfile);
	if (q->since)
		strbuf_addf(out, ", since %s%s", q->since, q->since_relative ? " ago" : "");
}

void latest_since_iso(const struct latest_query *q, struct strbuf *out)
{
	double whole = (double)(time_t)q->since_seconds;
	time_t t = (time_t)q->since_seconds;
	struct tm tm;
	long ms;
	char buf[64];

	if (whole > q->since_seconds) { /* before 1970: round down */
		whole -= 1;
		t -= 1;
	}
	ms = (long)((q->since_seconds - whole) * 1000 + 0.5);
	if (ms >= 1000) {
		ms -= 1000;
		t += 1;
	}
	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		BUG("cannot format a --since bound");
	strbuf_addstr(out, buf);
	if (ms)
		strbuf_addf(out, ".%03ld", ms);
	strbuf_addch(out, 'Z');
}

void latest_describe_choice(const struct latest_query *q, struct strbuf *out)
{
	strbuf_addstr(out, "newest ");
	add_statuses(q, out);
	strbuf_addstr(out, " build");
	if (q->region)
		strbuf_addf(out, " in %s", q->region);
	if (q->dockerfile)
		strbuf_addf(out, " with dockerfile %s", q->dockerfile);
	if (q->since) {
		strbuf_addstr(out, " since ");
		latest_since_iso(q, out);
	}
}
