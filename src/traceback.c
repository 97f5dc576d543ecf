/* traceback.c - Python errors raised outside the project: a traceback,
 * SyntaxError or ImportError whose frames all lie in the image's Python,
 * installed packages or pip's and uv's build directories is the
 * dependency's (package-build while building it, python-environment
 * otherwise), and names the package it was raised in. */
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/inference.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/traceback.h"
#include "buildsleuth/util.h"

static bool has(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

/* Paths of an image's Python, of installed packages and of pip's and uv's
 * build directories: not the project's files. */
static bool third_party_path(const char *p, size_t n)
{
	static const char *const marks[] = {
		"site-packages/", "dist-packages/", "/tmp/pip-", "pip-build-env", "pip-req-build",
		"pip-install-", "get-pip.py", "/.cache/uv/", "/.cache/pip/", "/.cache/pypoetry/",
		"/usr/lib/python", "/usr/local/lib/python", "/opt/conda/lib/python",
		"/lib/python2.", "/lib/python3.", "/.pyenv/versions/",
		/* installed entry points ("/usr/local/bin/pip") and temporary
		 * folders: the project is copied into the image, not there */
		"/usr/local/bin/", "/usr/bin/", "/tmp/",
		/* a script piped into python ("curl .../get-pip.py | python") */
		"/dev/stdin",
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(marks); k++)
		if (has(p, n, marks[k]))
			return true;
	return false;
}

/* A frame of a Cython-compiled package, which names its source relative
 * and its function qualified by the package: 'File "pydantic/main.py",
 * line 341, in pydantic.main.BaseModel.__init__' (pydantic 1.x), 'File
 * "src/lxml/parser.pxi", line 1916, in lxml.etree._parseMemoryDocument',
 * 'File "pandas/_libs/parsers.pyx", line 551, in pandas._libs.parsers...'.
 * The package's name (the function's first component, a folder of the
 * path), or NULL for another frame: the project's own frames have an
 * absolute path or an unqualified function. q is the path's closing
 * quote. */
static char *compiled_frame(const char *path, const char *q, const char *end)
{
	const char *in = memmem(q, (size_t)(end - q), ", in ", 5), *fn, *dot, *c;
	size_t n;

	if (*path == '/' || *path == '.' || !in || !memchr(path, '/', (size_t)(q - path)))
		return NULL;
	fn = in + 5;
	for (dot = fn; dot < end && *dot != '.' && *dot != ' '; dot++)
		;
	if (dot >= end || *dot != '.' || dot == fn)
		return NULL;
	n = (size_t)(dot - fn);
	/* the package is a folder of the path: "<pkg>/..." or ".../<pkg>/..." */
	for (c = path; c + n < q; c++)
		if ((c == path || c[-1] == '/') && !memcmp(c, fn, n) && c[n] == '/')
			return xstrndup(fn, n);
	return NULL;
}

/* Where a package is being built rather than run: pip's and uv's build
 * environments and a dependency's setup.py. */
static bool build_path(const char *p, size_t n)
{
	static const char *const marks[] = {
		"pip-build-env", "/tmp/pip-", "pip-req-build", "pip-install-", "/.cache/uv/",
		"setup.py", "pyproject_hooks", "_in_process.py", "build_meta.py", "/build-env",
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(marks); k++)
		if (has(p, n, marks[k]))
			return true;
	return false;
}

/* The start of the package folder in uv's cache of source distributions,
 * ".../.cache/uv/sdists-v6/pypi/<name>/<version>/..." or
 * ".../sdists-v9/index/<index digest>/<name>/...": uv builds them there.
 * NULL for any other path (a URL's or git checkout's folder names no
 * package). */
static const char *uv_source_dir(const char *p, size_t n)
{
	static const char *const buckets[] = { "/sdists-v", "/built-wheels-v" };
	const char *q = NULL, *end = p + n;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(buckets) && !q; k++)
		q = memmem(p, n, buckets[k], strlen(buckets[k]));
	if (!q || !(q = memchr(q + 1, '/', (size_t)(end - q - 1))))
		return NULL;
	q++;
	if ((size_t)(end - q) > 5 && !memcmp(q, "pypi/", 5))
		return q + 5;
	if ((size_t)(end - q) > 6 && !memcmp(q, "index/", 6) &&
	    (q = memchr(q + 6, '/', (size_t)(end - q - 6))))
		return q + 1;
	return NULL;
}

/* The package a third-party path belongs to: the folder after
 * site-packages/ or dist-packages/, the source folder in pip's build
 * directory ("pyyaml" of /tmp/pip-install-x/pyyaml_0a1b/setup.py), or the
 * script's name (get-pip.py). NULL when the path says none. */
static char *package_of(const char *p, size_t n)
{
	static const char *const roots[] = { "site-packages/", "dist-packages/" };
	static const char *const pip_dirs[] = { "/tmp/pip-", "/pip-install-", "/pip-build-" };
	const char *start = NULL, *end, *q;
	bool build_dir = false;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(roots) && !start; k++)
		if ((q = memmem(p, n, roots[k], strlen(roots[k]))))
			start = q + strlen(roots[k]);
	if (!start && (start = uv_source_dir(p, n)))
		build_dir = true;
	/* the folder inside pip's own, in whatever TMPDIR:
	 * /tmp/pip-install-x/<pkg_hash>/, macOS's /var/folders/.../T/pip-install-x/ */
	for (k = 0; k < ARRAY_SIZE(pip_dirs) && !start; k++)
		if ((q = memmem(p, n, pip_dirs[k], strlen(pip_dirs[k]))) &&
		    (q = memchr(q + strlen(pip_dirs[k]), '/',
				(size_t)(p + n - q - strlen(pip_dirs[k]))))) {
			start = q + 1;
			build_dir = true;
		}
	if (!start) {
		for (q = p + n; q > p && q[-1] != '/'; q--)
			;
		return p + n - q == 10 && !memcmp(q, "get-pip.py", 10) ? xstrdup("get-pip.py") : NULL;
	}
	end = memchr(start, '/', (size_t)(p + n - start));
	if (!end && build_dir)
		return NULL; /* a file right in pip's folder: no package folder */
	if (!end)
		end = p + n;
	/* "pkg.py" module, "pkg_0a1b2c" build folder, "pkg-1.0.dist-info";
	 * a build folder is named for the requirement ("merkle-proofs") */
	for (q = start; q < end && ((*q != '.' && *q != '-') || build_dir); q++)
		if (*q == '_' && end - q > 6 && q > start) {
			const char *h = q + 1;

			while (h < end && ((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
				h++;
			if (h == end)
				break;
		}
	return q > start ? xstrndup(start, (size_t)(q - start)) : NULL;
}

/* The line number of a frame ('File "/app/main.py", line 3, in <module>')
 * after its path's closing quote q, or NULL. */
static const char *frame_line(const char *q, const char *end, size_t *len)
{
	const char *p = q + 1, *e;

	if (end - p < 7 || memcmp(p, ", line ", 7))
		return NULL;
	p += 7;
	for (e = p; e < end && *e >= '0' && *e <= '9'; e++)
		;
	*len = (size_t)(e - p);
	return e > p ? p : NULL;
}

/*
 * An application finding whose traceback passes through the project's own
 * code names the project's innermost frame, which is what the user fixes:
 * the subject is its file, the summary gains its file and line, and the
 * package the error was raised in when the innermost frame is a
 * dependency's ("(raised in numpy, called from /app/run.py, line 1)").
 */
static void project_frame(struct diagnosis *d, const char *own, size_t own_len,
			  const char *line, size_t line_len, const char *package)
{
	struct strbuf sb = STRBUF_INIT;

	if (d->category != CATEGORY_APPLICATION || !own)
		return;
	strbuf_addstr(&sb, d->summary);
	if (package)
		strbuf_addf(&sb, " (raised in %s, called from %.*s", package, (int)own_len, own);
	else
		strbuf_addf(&sb, " (in %.*s", (int)own_len, own);
	if (line)
		strbuf_addf(&sb, ", line %.*s", (int)line_len, line);
	strbuf_addch(&sb, ')');
	free(d->summary);
	d->summary = strbuf_detach(&sb, NULL);
	free(d->subject);
	d->subject = xstrndup(own, own_len);
}

/*
 * A traceback, SyntaxError or ImportError whose frames are all third-party
 * (site-packages, pip's build directories, a dependency's setup.py,
 * get-pip.py) is not the project's code: package-build when it was raised
 * while building a package, python-environment otherwise. A
 * python-environment finding keeps its category and hint (the image's
 * Python is what its rule is about: `No module named 'imp'` in a package's
 * setup.py) and names the package it was raised in.
 */
void traceback_attribute(const struct log *log, const struct inference *inf,
			     struct diagnosis *d)
{
	const struct inference_entry *e;
	size_t line, k, frames = 0, theirs = 0, building = 0, own_len = 0, own_line_len = 0;
	const char *own = NULL, *own_line = NULL;
	bool inner_theirs = false;
	char *package = NULL;
	struct strbuf sb = STRBUF_INIT;

	if (!d->rule || (d->category != CATEGORY_APPLICATION &&
			 d->category != CATEGORY_PYTHON_ENVIRONMENT) || !d->hits.lines_nr)
		return;
	line = d->hits.lines[0];
	for (k = line + 1; k-- > 0 && line - k < 80;) {
		const char *s = log_line_norm(log, k), *path, *q;
		size_t n = log->lines[k].norm_length;
		char *compiled;

		if (log->lines[k].step != log->lines[line].step)
			continue;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		if (k < line && n >= 9 && !memcmp(s, "Traceback", 9))
			break;
		if (n < 7 || memcmp(s, "File \"", 6))
			continue;
		path = s + 6;
		q = memchr(path, '"', n - 6);
		if (!q || q == path || *path == '<')
			continue; /* "<string>", "<frozen ...>": neither side */
		frames++;
		compiled = compiled_frame(path, q, s + n);
		if (third_party_path(path, (size_t)(q - path)) || compiled ||
		    (has(path, (size_t)(q - path), "setup.py") && frames && k != line &&
		     has(path, (size_t)(q - path), "/tmp/"))) {
			theirs++;
			if (build_path(path, (size_t)(q - path)))
				building++;
			if (frames == 1)
				inner_theirs = true;
			/* the innermost frame (the first met going up) names it */
			if (!package) {
				package = compiled ? compiled : package_of(path, (size_t)(q - path));
				compiled = NULL;
			}
		} else if (!own) {
			/* the project's innermost frame: its file and line */
			own = path;
			own_len = (size_t)(q - path);
			own_line = frame_line(q, s + n, &own_line_len);
		}
		free(compiled);
	}
	if (frames && theirs != frames) {
		project_frame(d, own, own_len, own_line, own_line_len,
			      inner_theirs ? package : NULL);
		free(package);
		return;
	}
	if (!frames) {
		free(package);
		return;
	}
	/* an application rule's hint speaks of the project's code: use the
	 * one the inference tables give the new category's wording class; a
	 * python-environment finding keeps its category and hint, and gains
	 * the package it was raised in */
	if (d->category == CATEGORY_APPLICATION) {
		d->category = building ? CATEGORY_PACKAGE_BUILD : CATEGORY_PYTHON_ENVIRONMENT;
		e = inference_find(inf, INFER_WORDING, category_name(d->category),
				   strlen(category_name(d->category)));
		if (e) {
			free(d->hint);
			d->hint = xstrdup(e->hint);
		}
	}
	if (package) {
		strbuf_addstr(&sb, d->summary);
		strbuf_addf(&sb, " (raised in %s, not in the project's code)", package);
		free(d->summary);
		d->summary = strbuf_detach(&sb, NULL);
		free(d->subject);
		d->subject = package;
	}
}
