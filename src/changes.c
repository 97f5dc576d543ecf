/* changes.c - the differences between a failed build's log and a baseline
 * that worked. Every extractor reads the normalised lines once; the tools'
 * wordings are those they print on success:
 *   pip    "Collecting x==1.2", "Downloading x-1.2-py3-none-any.whl",
 *          "Using cached x-1.2.tar.gz", "Successfully installed x-1.2 y-3"
 *   uv     " + x==1.2", "Building x==1.2", "Built x==1.2"
 *   poetry "  - Installing x (1.2)", "  - Updating x (1.1 -> 1.2)"
 *   apt    "Get:3 URL suite/main arm64 libx arm64 1.2-3 [12 kB]",
 *          "Unpacking libx:arm64 (1.2-3) ...", "Setting up libx:arm64 (1.2-3) ..."
 * and BuildKit's "FROM ref@sha256:..." / the legacy builder's
 * "Digest: sha256:..." for base images. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buildsleuth/changes.h"
#include "buildsleuth/cluster.h"
#include "buildsleuth/strset.h"
#include "buildsleuth/util.h"

struct pkg {
	const char *manager;
	char *name, *version;
	size_t seq; /* order seen: the last one of a name wins */
};

struct pkgs {
	struct pkg *items;
	size_t nr, alloc;
	/* the managers that finished an install in this log */
	bool pip_done, uv_done, poetry_done;
};

struct image {
	char *ref, *digest;
};

struct images {
	struct image *items;
	size_t nr, alloc;
};

void changes_init(struct changes *c)
{
	memset(c, 0, sizeof(*c));
}

void changes_release(struct changes *c)
{
	size_t i;

	free(c->baseline_id);
	free(c->baseline_created);
	free(c->baseline_path);
	free(c->same_context_id);
	free(c->same_context_created);
	free(c->note);
	for (i = 0; i < c->packages_nr; i++) {
		free(c->packages[i].name);
		free(c->packages[i].before);
		free(c->packages[i].after);
	}
	free(c->packages);
	for (i = 0; i < c->images_nr; i++) {
		free(c->images[i].ref);
		free(c->images[i].before_digest);
		free(c->images[i].after_digest);
	}
	free(c->images);
	for (i = 0; i < c->steps_added_nr; i++)
		free(c->steps_added[i]);
	free(c->steps_added);
	for (i = 0; i < c->steps_removed_nr; i++)
		free(c->steps_removed[i]);
	free(c->steps_removed);
	free(c->new_lines);
	changes_init(c);
}

bool changes_any(const struct changes *c)
{
	return c->packages_nr || c->images_nr || c->steps_added_nr || c->steps_removed_nr ||
	       c->new_lines_nr || c->same_context_id;
}

/* --- packages ------------------------------------------------------------------- */

static bool starts(const char *s, size_t len, const char *prefix, size_t *rest)
{
	size_t n = strlen(prefix);

	if (len < n || memcmp(s, prefix, n))
		return false;
	*rest = n;
	return true;
}

/* Whether word is in s, in any case. */
static bool has_caseless(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, word, n))
			return true;
	return false;
}

/* PEP 503: lower case, runs of '-', '_', '.' as one '-'. */
static char *pip_name(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '_' || c == '.' || c == '-') {
			if (n && out[n - 1] != '-')
				out[n++] = '-';
			continue;
		}
		out[n++] = (char)tolower((unsigned char)c);
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	return out;
}

static void add_pkg(struct pkgs *p, const char *manager, char *name, const char *ver,
		    size_t ver_len)
{
	struct pkg *k;

	if (!*name || !ver_len || !isdigit((unsigned char)ver[0])) {
		free(name);
		return;
	}
	ALLOC_GROW(p->items, p->nr + 1, p->alloc);
	k = &p->items[p->nr];
	k->manager = manager;
	k->name = name;
	k->version = xstrndup(ver, ver_len);
	k->seq = p->nr++;
}

/* "name==version" up to the first space, '(' or ';'. */
static void add_pinned(struct pkgs *p, const char *manager, const char *s, size_t len)
{
	const char *eq = NULL;
	size_t i;

	for (i = 0; i < len && s[i] != ' ' && s[i] != '(' && s[i] != ';'; i++)
		if (!eq && i + 1 < len && s[i] == '=' && s[i + 1] == '=')
			eq = s + i;
	if (!eq || eq == s)
		return;
	add_pkg(p, manager, pip_name(s, (size_t)(eq - s)), eq + 2, (size_t)(s + i - eq - 2));
}

/* A wheel or sdist file name, or a URL ending in one: the name and version. */
static void add_distribution(struct pkgs *p, const char *s, size_t len)
{
	size_t end = 0, start, dash, n;
	const char *f;

	while (end < len && s[end] != ' ')
		end++;
	for (start = end; start > 0 && s[start - 1] != '/'; start--)
		;
	f = s + start;
	n = end - start;
	if (n > 4 && !memcmp(f + n - 4, ".whl", 4)) {
		/* name-version-python-abi-platform.whl: the name has no '-' */
		const char *d1 = memchr(f, '-', n), *d2;

		if (!d1)
			return;
		d2 = memchr(d1 + 1, '-', (size_t)(f + n - d1 - 1));
		if (d2)
			add_pkg(p, "pip", pip_name(f, (size_t)(d1 - f)), d1 + 1, (size_t)(d2 - d1 - 1));
		return;
	}
	if (n > 7 && !memcmp(f + n - 7, ".tar.gz", 7))
		n -= 7;
	else if (n > 4 && !memcmp(f + n - 4, ".zip", 4))
		n -= 4;
	else
		return;
	for (dash = n; dash > 0 && f[dash - 1] != '-'; dash--)
		;
	if (dash > 1)
		add_pkg(p, "pip", pip_name(f, dash - 1), f + dash, n - dash);
}

/* "x-1.2 y_z-3.0": each word split at its last '-'. */
static void add_installed(struct pkgs *p, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t w = i, dash = 0;

		while (i < len && s[i] != ' ') {
			if (s[i] == '-')
				dash = i;
			i++;
		}
		if (dash > w)
			add_pkg(p, "pip", pip_name(s + w, dash - w), s + dash + 1, i - dash - 1);
		while (i < len && s[i] == ' ')
			i++;
	}
}

/* "name (1.2)" or "name (1.1 -> 1.2)": poetry's, and apt's "name:arch (1.2-3) ...". */
static void add_parenthesised(struct pkgs *p, const char *manager, const char *s, size_t len)
{
	const char *open = memchr(s, '(', len), *close, *arrow, *ver, *name_end;

	if (!open || open == s || open[-1] != ' ')
		return;
	close = memchr(open, ')', (size_t)(s + len - open));
	if (!close)
		return;
	ver = open + 1;
	for (arrow = ver; arrow + 3 < close; arrow++)
		if (!memcmp(arrow, " -> ", 4)) {
			ver = arrow + 4;
			break;
		}
	name_end = open - 1;
	if (!strcmp(manager, "apt")) {
		const char *colon = memchr(s, ':', (size_t)(name_end - s));

		if (colon)
			name_end = colon;
		add_pkg(p, manager, xstrndup(s, (size_t)(name_end - s)), ver, (size_t)(close - ver));
		return;
	}
	add_pkg(p, manager, pip_name(s, (size_t)(name_end - s)), ver, (size_t)(close - ver));
}

/* apt's "Get:3 URL suite/main arm64 name arm64 1.2-3 [12 kB]" (a package
 * file; index files have no '[size]' after seven words). */
static void add_apt_get(struct pkgs *p, const char *s, size_t len)
{
	const char *w[8];
	size_t wl[8], n = 0, i = 0;

	while (i < len && n < 8) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		w[n] = s + i;
		while (i < len && s[i] != ' ')
			i++;
		wl[n] = (size_t)(s + i - w[n]);
		n++;
	}
	if (n == 8 && w[7][0] == '[' && wl[3] == wl[5] && !memcmp(w[3], w[5], wl[3]))
		add_pkg(p, "apt", xstrndup(w[4], wl[4]), w[6], wl[6]);
}

static void scan_packages(const char *s, size_t len, struct pkgs *p)
{
	size_t r;

	while (len && (*s == ' ' || *s == '\t')) {
		/* uv's install plan keeps its leading space */
		if (len > 3 && !memcmp(s, " + ", 3)) {
			add_pinned(p, "uv", s + 3, len - 3);
			return;
		}
		s++;
		len--;
	}
	if (starts(s, len, "Collecting ", &r))
		add_pinned(p, "pip", s + r, len - r);
	else if (starts(s, len, "Downloading ", &r) || starts(s, len, "Using cached ", &r))
		add_distribution(p, s + r, len - r);
	else if (starts(s, len, "Successfully installed ", &r)) {
		add_installed(p, s + r, len - r);
		p->pip_done = true;
	} else if (starts(s, len, "+ ", &r))
		add_pinned(p, "uv", s + r, len - r);
	else if (starts(s, len, "Building ", &r) || starts(s, len, "Built ", &r))
		add_pinned(p, "uv", s + r, len - r);
	else if (starts(s, len, "Installed ", &r) && len > r && isdigit((unsigned char)s[r]) &&
		 has_caseless(s, len, " package"))
		p->uv_done = true; /* "Installed 42 packages in 1.2s" */
	else if (starts(s, len, "- Installing ", &r) || starts(s, len, "- Updating ", &r) ||
		 starts(s, len, "\xe2\x80\xa2 Installing ", &r) ||
		 starts(s, len, "\xe2\x80\xa2 Updating ", &r))
		add_parenthesised(p, "poetry", s + r, len - r);
	else if (starts(s, len, "Installing the current project: ", &r))
		p->poetry_done = true;
	else if (starts(s, len, "Setting up ", &r) || starts(s, len, "Unpacking ", &r))
		add_parenthesised(p, "apt", s + r, len - r);
	else if (starts(s, len, "Get:", &r))
		add_apt_get(p, s + r, len - r);
}

static int pkg_cmp(const void *a, const void *b)
{
	const struct pkg *x = a, *y = b;
	int c = strcmp(x->manager, y->manager);

	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

/* Sort by manager and name; keep each name's last version. */
static void pkgs_settle(struct pkgs *p)
{
	size_t i, n = 0;

	if (p->nr)
		qsort(p->items, p->nr, sizeof(*p->items), pkg_cmp);
	for (i = 0; i < p->nr; i++) {
		if (n && !strcmp(p->items[n - 1].manager, p->items[i].manager) &&
		    !strcmp(p->items[n - 1].name, p->items[i].name)) {
			free(p->items[n - 1].name);
			free(p->items[n - 1].version);
			n--;
		}
		p->items[n++] = p->items[i];
	}
	p->nr = n;
}

static void pkgs_release(struct pkgs *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		free(p->items[i].name);
		free(p->items[i].version);
	}
	free(p->items);
}

static bool manager_done(const struct pkgs *p, const char *manager)
{
	if (!strcmp(manager, "pip"))
		return p->pip_done;
	if (!strcmp(manager, "uv"))
		return p->uv_done;
	if (!strcmp(manager, "poetry"))
		return p->poetry_done;
	return false; /* apt: no line says it finished */
}

static void add_change(struct changes *c, size_t *alloc, const char *manager, const char *name,
		       const char *before, const char *after)
{
	struct package_change *k;

	ALLOC_GROW(c->packages, c->packages_nr + 1, *alloc);
	k = &c->packages[c->packages_nr++];
	k->manager = manager;
	k->name = xstrdup(name);
	k->before = before ? xstrdup(before) : NULL;
	k->after = after ? xstrdup(after) : NULL;
}

static void diff_packages(struct pkgs *before, struct pkgs *after, struct changes *c)
{
	size_t i = 0, j = 0, alloc = 0;

	pkgs_settle(before);
	pkgs_settle(after);
	while (i < before->nr || j < after->nr) {
		const struct pkg *b = i < before->nr ? &before->items[i] : NULL;
		const struct pkg *a = j < after->nr ? &after->items[j] : NULL;
		int cmp = !b ? 1 : !a ? -1 : strcmp(b->manager, a->manager);

		if (!cmp)
			cmp = strcmp(b->name, a->name);
		if (cmp < 0) {
			if (manager_done(after, b->manager))
				add_change(c, &alloc, b->manager, b->name, b->version, NULL);
			i++;
		} else if (cmp > 0) {
			add_change(c, &alloc, a->manager, a->name, NULL, a->version);
			j++;
		} else {
			if (strcmp(b->version, a->version))
				add_change(c, &alloc, a->manager, a->name, b->version, a->version);
			i++;
			j++;
		}
	}
}

/* --- base images ----------------------------------------------------------------- */

/* "docker.io/library/python:3.12" and "python:3.12" are one image. */
static size_t ref_skip(const char *s, size_t len)
{
	static const char *const prefixes[] = { "docker.io/library/", "docker.io/" };
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (len > n && !memcmp(s, prefixes[i], n))
			return n;
	}
	return 0;
}

static struct image *image_of(struct images *im, const char *ref, size_t len)
{
	size_t i, skip = ref_skip(ref, len);

	ref += skip;
	len -= skip;
	for (i = 0; i < im->nr; i++)
		if (strlen(im->items[i].ref) == len && !memcmp(im->items[i].ref, ref, len))
			return &im->items[i];
	ALLOC_GROW(im->items, im->nr + 1, im->alloc);
	im->items[im->nr].ref = xstrndup(ref, len);
	im->items[im->nr].digest = NULL;
	return &im->items[im->nr++];
}

static void set_digest(struct image *img, const char *d, size_t len)
{
	free(img->digest);
	img->digest = xstrndup(d, len);
}

/* The image a FROM step names. */
static bool from_ref(const char *cmd, const char **ref, size_t *len)
{
	*ref = step_next_arg(cmd, len);
	return *ref != NULL;
}

static void scan_images(const struct log *log, struct images *im)
{
	static const char digest[] = "@sha256:", pulled[] = "Digest: sha256:";
	size_t i;

	for (i = 0; i < log->steps.nr; i++) {
		const struct build_step *st = &log->steps.steps[i];
		const char *ref;
		size_t len, at;

		if (!st->instruction || strcmp(st->instruction, "FROM") || !st->command ||
		    !from_ref(st->command, &ref, &len))
			continue;
		/* "FROM ref@sha256:..." (BuildKit resolves it on the step line) */
		for (at = 0; at + sizeof(digest) - 1 <= len; at++)
			if (!memcmp(ref + at, digest, sizeof(digest) - 1))
				break;
		if (at + sizeof(digest) - 1 <= len)
			set_digest(image_of(im, ref, at), ref + at + 1, len - at - 1);
		else
			image_of(im, ref, len);
	}
	for (i = 0; i < log->nr; i++) {
		const char *s = log_line_norm(log, i);
		size_t len = log->lines[i].norm_length;
		const struct build_step *st;
		const char *ref;
		size_t rlen, end;

		while (len && *s == ' ') {
			s++;
			len--;
		}
		/* the legacy builder pulling a FROM image: "Digest: sha256:..." */
		if (len <= sizeof(pulled) - 1 || memcmp(s, pulled, sizeof(pulled) - 1) ||
		    !log->lines[i].step)
			continue;
		st = &log->steps.steps[log->lines[i].step - 1];
		if (!st->instruction || strcmp(st->instruction, "FROM") || !st->command ||
		    !from_ref(st->command, &ref, &rlen))
			continue;
		for (end = 8; end < len && s[end] != ' '; end++)
			;
		set_digest(image_of(im, ref, rlen), s + 8, end - 8);
	}
}

static void images_release(struct images *im)
{
	size_t i;

	for (i = 0; i < im->nr; i++) {
		free(im->items[i].ref);
		free(im->items[i].digest);
	}
	free(im->items);
}

static void diff_images(const struct images *before, const struct images *after,
			struct changes *c)
{
	size_t i, j, alloc = 0;

	for (i = 0; i < before->nr + after->nr; i++) {
		const struct image *x = i < before->nr ? &before->items[i] : &after->items[i - before->nr];
		const struct image *b = NULL, *a = NULL;
		struct image_change *k;

		for (j = 0; j < before->nr && !b; j++)
			if (!strcmp(before->items[j].ref, x->ref))
				b = &before->items[j];
		for (j = 0; j < after->nr && !a; j++)
			if (!strcmp(after->items[j].ref, x->ref))
				a = &after->items[j];
		if (i >= before->nr && b)
			continue; /* seen from the baseline's side */
		if (a && b && (!a->digest || !b->digest || !strcmp(a->digest, b->digest)))
			continue; /* the same image, or no digest to compare */
		ALLOC_GROW(c->images, c->images_nr + 1, alloc);
		k = &c->images[c->images_nr++];
		k->ref = xstrdup(x->ref);
		k->before_digest = b && b->digest ? xstrdup(b->digest) : NULL;
		k->after_digest = a && a->digest ? xstrdup(a->digest) : NULL;
		k->change = !b ? "added" : !a ? "removed" : "digest";
	}
}

/* --- steps ----------------------------------------------------------------------- */

/* A step as compared: its instruction and arguments. FROM steps are left
 * to the base images (a new digest is not a new step). */
static bool compared_step(const struct build_step *st)
{
	return st->instruction && strcmp(st->instruction, "FROM");
}

static char *step_text(const struct build_step *st)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s %s", st->instruction, st->command ? st->command : "");
	return strbuf_detach(&sb, NULL);
}

static void diff_steps(const struct log *failed, const struct log *baseline, struct changes *c)
{
	const struct build_step *stop = log_failed_step(failed);
	struct strset fs = STRSET_INIT, bs = STRSET_INIT;
	size_t i, added_alloc = 0, removed_alloc = 0;

	for (i = 0; i < baseline->steps.nr; i++)
		if (compared_step(&baseline->steps.steps[i])) {
			char *t = step_text(&baseline->steps.steps[i]);

			strset_add(&bs, t);
			free(t);
		}
	for (i = 0; i < failed->steps.nr; i++) {
		const struct build_step *st = &failed->steps.steps[i];
		char *t;

		if (!compared_step(st))
			continue;
		t = step_text(st);
		if (strset_add(&fs, t) && !strset_contains(&bs, t)) {
			ALLOC_GROW(c->steps_added, c->steps_added_nr + 1, added_alloc);
			c->steps_added[c->steps_added_nr++] = t;
		} else {
			free(t);
		}
	}
	for (i = 0; i < baseline->steps.nr; i++) {
		const struct build_step *st = &baseline->steps.steps[i];
		char *t;

		/* a step after the failing one was never reached, not removed */
		if (!compared_step(st) || (stop && (stop->index < 0 || st->index < 0 ||
						 st->index >= stop->index)))
			continue;
		t = step_text(st);
		if (!strset_contains(&fs, t)) {
			strset_add(&fs, t); /* once */
			ALLOC_GROW(c->steps_removed, c->steps_removed_nr + 1, removed_alloc);
			c->steps_removed[c->steps_removed_nr++] = t;
		} else {
			free(t);
		}
	}
	strset_release(&fs);
	strset_release(&bs);
}

/* --- new lines ------------------------------------------------------------------- */

static bool error_or_warning(const char *s, size_t len)
{
	return has_caseless(s, len, "error") || has_caseless(s, len, "warning") ||
	       has_caseless(s, len, "fatal") || has_caseless(s, len, "failed");
}

static void diff_lines(const struct log *failed, const struct log *baseline, struct changes *c)
{
	struct strset seen = STRSET_INIT, shown = STRSET_INIT;
	struct strbuf t = STRBUF_INIT;
	struct cluster masks;
	size_t i, alloc = 0;

	/* the audit's templates (cluster.h): numbers, hashes, versions, paths,
	 * URLs and quoted strings masked, so two runs of one failure compare
	 * equal */
	cluster_init(&masks);

	for (i = 0; i < baseline->nr; i++) {
		const char *s = log_line_norm(baseline, i);
		size_t len = baseline->lines[i].norm_length;

		if (baseline->lines[i].kind != LINE_OUTPUT || !error_or_warning(s, len))
			continue;
		strbuf_reset(&t);
		cluster_mask(&masks, s, len, &t);
		strset_add(&seen, t.buf);
	}
	for (i = 0; i < failed->nr; i++) {
		const char *s = log_line_norm(failed, i);
		size_t len = failed->lines[i].norm_length;

		if (failed->lines[i].kind != LINE_OUTPUT || !error_or_warning(s, len))
			continue;
		strbuf_reset(&t);
		cluster_mask(&masks, s, len, &t);
		if (strset_contains(&seen, t.buf) || !strset_add(&shown, t.buf))
			continue;
		c->new_lines_total++;
		if (c->new_lines_nr == CHANGES_NEW_LINES_MAX)
			continue;
		ALLOC_GROW(c->new_lines, c->new_lines_nr + 1, alloc);
		c->new_lines[c->new_lines_nr++] = i;
	}
	strbuf_release(&t);
	cluster_release(&masks);
	strset_release(&seen);
	strset_release(&shown);
}

void changes_compute(const struct log *failed, const struct log *baseline, struct changes *out)
{
	struct pkgs before = { 0 }, after = { 0 };
	struct images ib = { 0 }, ia = { 0 };
	size_t i;

	for (i = 0; i < baseline->nr; i++)
		scan_packages(log_line_norm(baseline, i), baseline->lines[i].norm_length, &before);
	for (i = 0; i < failed->nr; i++)
		scan_packages(log_line_norm(failed, i), failed->lines[i].norm_length, &after);
	diff_packages(&before, &after, out);
	pkgs_release(&before);
	pkgs_release(&after);
	scan_images(baseline, &ib);
	scan_images(failed, &ia);
	diff_images(&ib, &ia, out);
	images_release(&ib);
	images_release(&ia);
	diff_steps(failed, baseline, out);
	diff_lines(failed, baseline, out);
}
