/* location.c - resolves a rule's location templates for one finding: fills
 * them from the captures of its first occurrence and turns the file into a
 * path relative to the build context (see location.h for the rules). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/location.h"
#include "buildsleuth/rank.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

#define DOCKERFILE_PLACEHOLDER "{dockerfile}"

/* Top-level folders of an image that never hold the build context. */
static const char *const system_dirs[] = {
	"usr", "tmp", "var", "opt", "etc", "root", "home", "bin", "sbin", "lib",
	"lib32", "lib64", "libx32", "proc", "sys", "dev", "run", "kaniko", "workspace",
};

/* The capture of h called name[0..len), or NULL. */
static const struct capture *find_capture(const struct rule_hits *h, const char *name,
					  size_t len)
{
	size_t i;

	for (i = 0; i < h->captures_nr; i++)
		if (strlen(h->captures[i].name) == len && !memcmp(h->captures[i].name, name, len))
			return &h->captures[i];
	return NULL;
}

/* Whether every capture text names took part in the first occurrence, so
 * that fill_placeholders() takes all of them from that one line. */
static bool captures_set(const char *text, const struct rule_hits *h)
{
	const char *p = text;

	while ((p = strchr(p, '{'))) {
		const char *end = p + 1 + strcspn(p + 1, "{}");
		const struct capture *c;

		if (*end != '}') {
			p++;
			continue;
		}
		c = find_capture(h, p + 1, (size_t)(end - p - 1));
		if (c && !c->first)
			return false;
		p = end + 1;
	}
	return true;
}

/* text with {dockerfile} replaced by dockerfile and the other placeholders
 * by captures; NULL when a capture did not take part. */
static char *fill(const char *text, const struct rule_hits *h, const char *dockerfile)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	if (!captures_set(text, h))
		return NULL;
	for (;;) {
		const char *at = strstr(p, DOCKERFILE_PLACEHOLDER);
		char *piece = at ? xstrndup(p, (size_t)(at - p)) : xstrdup(p);
		char *filled = fill_placeholders(piece, h);

		strbuf_addstr(&sb, filled);
		free(filled);
		free(piece);
		if (!at)
			break;
		strbuf_addstr(&sb, dockerfile);
		p = at + strlen(DOCKERFILE_PLACEHOLDER);
	}
	return strbuf_detach(&sb, NULL);
}

static bool is_system_dir(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(system_dirs); i++)
		if (strlen(system_dirs[i]) == len && !memcmp(system_dirs[i], name, len))
			return true;
	return false;
}

static const char *skip_dot_slash(const char *p)
{
	while (p[0] == '.' && p[1] == '/') {
		p += 2;
		while (*p == '/')
			p++;
	}
	return p;
}

/* path relative to the build context, or NULL when it is not in it. */
static char *context_relative(const char *path)
{
	const char *p = skip_dot_slash(path), *part;

	if (!strncmp(p, "/app/", 5)) {
		p += 5;
	} else if (*p == '/') {
		while (*p == '/')
			p++;
		if (is_system_dir(p, strcspn(p, "/")))
			return NULL;
	}
	p = skip_dot_slash(p);
	for (part = p; *part; ) {
		size_t len = strcspn(part, "/");

		if (len == 2 && part[0] == '.' && part[1] == '.')
			return NULL;
		part += len;
		while (*part == '/')
			part++;
	}
	return *p ? xstrdup(p) : NULL;
}

/* A positive decimal number, or 0. */
static unsigned long parse_line(const char *s)
{
	unsigned long n;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end)
		return 0;
	return n;
}

bool rule_location_resolve(const struct rule *r, const struct rule_hits *h,
			   const char *dockerfile_path, struct resolved_location *out)
{
	char *file, *line;

	memset(out, 0, sizeof(*out));
	if (!r || !r->location)
		return false;
	if (!dockerfile_path || !*dockerfile_path)
		dockerfile_path = LOCATION_DEFAULT_DOCKERFILE;
	file = fill(r->location->file, h, dockerfile_path);
	if (!file)
		return false;
	out->file = context_relative(file);
	free(file);
	if (!out->file)
		return false;
	if (r->location->line) {
		line = fill(r->location->line, h, dockerfile_path);
		out->line = parse_line(line);
		free(line);
	}
	return true;
}

void resolved_location_release(struct resolved_location *loc)
{
	free(loc->file);
	loc->file = NULL;
	loc->line = 0;
}

bool location_normalize_dir(const char *dir, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *part = dir;

	*out = NULL;
	if (*dir == '/')
		return false;
	while (*part) {
		size_t len = strcspn(part, "/");

		if (len == 2 && part[0] == '.' && part[1] == '.') {
			strbuf_release(&sb);
			return false;
		}
		if (len && !(len == 1 && part[0] == '.')) {
			if (sb.len)
				strbuf_addch(&sb, '/');
			strbuf_add(&sb, part, len);
		}
		part += len;
		while (*part == '/')
			part++;
	}
	*out = strbuf_detach(&sb, NULL);
	return true;
}
