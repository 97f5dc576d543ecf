/* subject.c - what a finding's user must fix (DESIGN.md "Ranking",
 * subjects): a rule's capture, what the tool was working on (pip's
 * "Collecting X", dpkg's failed package), the host of a network failure
 * (from its evidence, the lines just before or the RUN's command), a URL
 * with its path, the command that ran out of time, the file of the first
 * compiler or runtime error, or the failing step's own words (a FROM's
 * image, a COPY's sources, a RUN's command); and what a summary adds
 * beside it (subject_add_context). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/error_lines.h"
#include "buildsleuth/step.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/subject.h"
#include "buildsleuth/util.h"

/* Whether t[0..n) holds one of marks[0..nr). */
static bool has_any(const char *t, size_t n, const char *const *marks, size_t nr)
{
	size_t k;

	for (k = 0; k < nr; k++)
		if (memmem(t, n, marks[k], strlen(marks[k])))
			return true;
	return false;
}

/* The name of the capture that says what to fix: the rule's subject, else
 * its first named group. */
static char *subject_of(const struct diagnosis *d)
{
	const char *want = d->rule->subject ? d->rule->subject : NULL;
	size_t i;

	for (i = 0; i < d->hits.captures_nr; i++) {
		const struct capture *c = &d->hits.captures[i];
		const char *v = c->first ? c->first : c->values.nr ? c->values.items[0] : NULL;

		if (want && strcmp(c->name, want))
			continue;
		if (v)
			return xstrdup(v);
		if (want)
			break;
	}
	return NULL;
}

/* The host a network error line names ("HTTPSConnectionPool(host='pypi.org'",
 * "Could not resolve host: github.com", "resolving 'deb.debian.org'",
 * "lookup registry-1.docker.io on ...", "getaddrinfo EAI_AGAIN
 * registry.npmjs.org", a URL), or NULL: for a network failure, that host is
 * what the user must look at. */
/* Whether s[0..n) reads as a host name: letters, digits, '-', '_' and
 * dots, with a dot inside ("lookup" may name a path, "Resolving" may be
 * git's "deltas:" or "dependencies..."). */
static bool host_name(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || n > 253 || s[0] == '.' || s[n - 1] == '.' || !memchr(s, '.', n))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* A URL whose host is host[0..end): the URL itself when it goes on to a
 * path, which says more than its host (a 404's file name, an index's
 * path), else the host. From the scheme to the first space or quote, less
 * trailing punctuation ("https://dl-cdn.alpinelinux.org/alpine/v3.18/main:"). */
static char *url_at(const char *s, const char *host, const char *end, const char *limit)
{
	const char *a = host - 3, *b = end;

	while (a > s && (isalnum((unsigned char)a[-1]) || a[-1] == '+' || a[-1] == '-' || a[-1] == '.'))
		a--;
	if (a == host - 3 || b >= limit || *b != '/')
		return xstrndup(host, (size_t)(end - host));
	while (b < limit && !isspace((unsigned char)*b) && !strchr("\"'<>`", *b))
		b++;
	while (b > end && strchr(".,:;)", b[-1]))
		b--;
	return b - end > 1 ? xstrndup(a, (size_t)(b - a)) : xstrndup(host, (size_t)(end - host));
}

static char *host_in(const char *s, size_t n)
{
	static const struct { const char *before; const char *stops; } forms[] = {
		{ "host='", "'" }, { "resolve host: ", " ;,)" }, { "host address '", "'" },
		{ "host address \xe2\x80\x98", "\xe2" }, { "resolving '", "'" },
		{ "Could not resolve '", "'" }, { "lookup ", " :" }, { "EAI_AGAIN ", " :" },
		{ "ENOTFOUND ", " :" }, { "Connection to ", " " }, { "Connecting to ", " " },
		/* curl's "Failed to connect to github.com port 443", apt's "Could
		 * not connect to archive.ubuntu.com:80" and "Cannot initiate the
		 * connection to deb.debian.org:80", wget's "Resolving github.com
		 * (github.com)... failed" */
		{ "connect to ", " :" }, { "connection to ", " :" }, { "Resolving ", " " },
		/* ssh's "Could not resolve hostname github.com: Temporary failure
		 * in name resolution" and "connect to host github.com port 22:
		 * Connection timed out" (a git clone over ssh), busybox wget's
		 * "bad address 'github.com'", Java's "UnknownHostException:
		 * services.gradle.org" */
		{ "resolve hostname ", " :" }, { "connect to host ", " :" }, { "bad address '", "'" },
		{ "UnknownHostException: ", " :" },
		{ "://", "/:\"' )" },
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(forms); k++) {
		const char *p = memmem(s, n, forms[k].before, strlen(forms[k].before)), *q;
		size_t len;

		if (!p)
			continue;
		p += strlen(forms[k].before);
		for (q = p; q < s + n && !strchr(forms[k].stops, *q) && *q != '\t'; q++)
			;
		len = (size_t)(q - p);
		if (!host_name(p, len))
			continue;
		if (*forms[k].before == ':')
			return url_at(s, p, q, s + n);
		return xstrndup(p, len);
	}
	return NULL;
}

/*
 * What the failing step itself says to fix, for a finding of a category the
 * step's instruction explains that captured no subject: a FROM's image (a
 * base image, platform or registry failure), a COPY/ADD's sources (the
 * build context) or its whole arguments (a Dockerfile mistake in it), a
 * RUN's command (killed, out of time, the project's own
 * script failing: "/usr/bin/env: 'bash\r'" names no script, or a package
 * manager failing without naming a package), any other instruction's
 * arguments for a Dockerfile mistake in it ("FROM ${BASE}"). Flags
 * ("--platform=...", "--from=...") are skipped; a JSON-array COPY is left
 * alone. NULL when the step says nothing useful.
 */
static char *step_subject(const struct build_step *st, enum category cat)
{
	const char *s = st->command, *w, *last = NULL, *first = NULL;
	size_t n = 0;
	bool copy;

	if (!st->instruction || !s)
		return NULL;
	copy = !strcmp(st->instruction, "COPY") || !strcmp(st->instruction, "ADD");
	/* a Dockerfile mistake in any other instruction: its arguments
	 * ("FROM ${BASE}" with "invalid reference format") */
	if (cat == CATEGORY_DOCKERFILE && !copy)
		return xstrdup(s);
	if (!strcmp(st->instruction, "RUN"))
		return cat == CATEGORY_RESOURCES || cat == CATEGORY_TIMEOUT ||
		       cat == CATEGORY_APPLICATION || cat == CATEGORY_SYSTEM_PACKAGES ? xstrdup(s) : NULL;
	/* a COPY the Dockerfile gets wrong (several sources to a file): all of
	 * it, the destination too */
	if (copy && cat == CATEGORY_DOCKERFILE) {
		w = step_next_arg(s, &n);
		return w && *w != '[' ? xstrdup(w) : NULL;
	}
	if (copy ? cat != CATEGORY_BUILD_CONTEXT :
	    strcmp(st->instruction, "FROM") || (cat != CATEGORY_BASE_IMAGE &&
						cat != CATEGORY_PLATFORM && cat != CATEGORY_NETWORK))
		return NULL;
	for (w = step_next_arg(s, &n); w; w = step_next_arg(w + n, &n)) {
		if (*w == '[')
			return NULL;
		if (!copy)
			return xstrndup(w, n);
		if (!first)
			first = w;
		last = w;
	}
	/* COPY: every word but the destination */
	if (!first || first == last)
		return NULL;
	while (last > first && (last[-1] == ' ' || last[-1] == '\t'))
		last--;
	return xstrndup(first, (size_t)(last - first));
}

/*
 * The failing step's own line, for a finding whose rule does not say which
 * capture is its subject, where that line is what the user changes whatever
 * else the message names: a FROM's image for a base-image or platform
 * finding ("no matching manifest for linux/arm64/v8 in the manifest list
 * entries" names only the platform), a COPY's or ADD's arguments for a
 * Dockerfile mistake in it ("When using COPY with more than one source
 * file, the destination must be a directory" names only the instruction).
 * A network finding keeps the host its rule captured.
 */
static char *line_subject(const struct build_step *st, enum category cat)
{
	if (!st->instruction)
		return NULL;
	if (!strcmp(st->instruction, "FROM") ?
	    cat != CATEGORY_BASE_IMAGE && cat != CATEGORY_PLATFORM :
	    (strcmp(st->instruction, "COPY") && strcmp(st->instruction, "ADD")) ||
	    cat != CATEGORY_DOCKERFILE)
		return NULL;
	return step_subject(st, cat);
}

/* How many output lines before a network finding may name its host. */
#define HOST_LOOKBACK 5

/*
 * What the tool was working on when it failed, from the progress lines it
 * prints before an error that does not name it: the package pip was
 * building ("Building wheel for X (pyproject.toml)", "Running setup.py
 * install for X", or the "Collecting X" that starts a package's download
 * and metadata; its verdicts "× Building wheel for X" and "Failed building
 * wheel for X"), uv's "Failed to build `x==1.0`" and "Failed to fetch
 * wheel: x==1.0", poetry's "- Installing x (1.0)", cargo's "failed to run
 * custom build command for `x v1.0`", npm's and node-gyp's dependency
 * folder (node_module_dir), for a package build; the first package dpkg lists under
 * "Errors were encountered while processing:", for a system package
 * failure. Searched backwards from the finding, within the failing step.
 */
#define PROGRESS_LOOKBACK 400

/* The name a progress line gives after its prefix ("Collecting numpy==2.0"
 * → "numpy==2.0"): up to a space, '(' or ':'; NULL when the line does not
 * start with the prefix or names nothing. */
static const char *named_after(const char *t, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	if ((size_t)(end - t) <= n || memcmp(t, prefix, n) || t[n] == ' ' || t[n] == '(' || t[n] == ':')
		return NULL;
	return t + n;
}

static size_t name_len(const char *w, const char *end)
{
	const char *s = w;

	while (s < end && *s != ' ' && *s != '(' && *s != ':' && *s != '`')
		s++;
	return (size_t)(s - w);
}

/* The package an npm install script or node-gyp ran in: "npm ERR! path
 * /app/node_modules/bcrypt" (npm 7+, "npm error path" in npm 10), "gyp ERR!
 * cwd /app/node_modules/sharp" (node-gyp under npm 6); the package after
 * the last node_modules/, with its scope. NULL for another line. */
static char *node_module_dir(const char *t, const char *end)
{
	static const char *const prefixes[] = { "npm ERR! path ", "npm error path ", "gyp ERR! cwd " };
	static const char nm[] = "node_modules/";
	const char *w = NULL, *q, *p;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(prefixes) && !w; k++)
		w = named_after(t, end, prefixes[k]);
	if (!w)
		return NULL;
	for (q = w; (p = memmem(q, (size_t)(end - q), nm, sizeof(nm) - 1)); q = p + sizeof(nm) - 1)
		;
	if (q == w)
		return NULL;
	for (p = q; p < end && *p != ' ' && (*p != '/' || (*q == '@' && !memchr(q, '/', (size_t)(p - q)))); p++)
		;
	return p > q && *q != '.' ? xstrndup(q, (size_t)(p - q)) : NULL;
}

/* The package a progress line names (see progress_subject), or NULL. */
static char *progress_name(const char *t, const char *end)
{
	static const char *const pip[] = {
		"Building wheel for ", "Running setup.py install for ", "Collecting ",
		/* pip's verdicts, pip 9's legacy build, uv's (old and new),
		 * poetry's installer */
		"\xc3\x97 Building wheel for ", "Failed building wheel for ",
		"Running setup.py bdist_wheel for ", "\xc3\x97 Failed to build `", "Failed to build `",
		"error: Failed to build: ", "error: Failed to download and build: ", "- Installing ",
		/* uv 0.2's "Caused by: Failed to fetch wheel: pyaudio==0.2.14";
		 * cargo's crate whose build script or compilation failed */
		"Caused by: Failed to fetch wheel: ", "Caused by: Failed to build: ",
		"error: failed to run custom build command for `", "error: failed to compile `",
		"error: could not compile `",
	};
	const char *w;
	size_t k;

	while (t < end && (*t == ' ' || *t == '\t'))
		t++;
	for (k = 0; k < ARRAY_SIZE(pip); k++)
		if ((w = named_after(t, end, pip[k])) && name_len(w + (*w == '`'), end))
			return xstrndup(w + (*w == '`'), name_len(w + (*w == '`'), end));
	return node_module_dir(t, end);
}

/* Whether a line shows pip running a package's build: its verdicts and
 * the box of the build's own output ("× Getting requirements to build
 * wheel did not run successfully.", "╰─> [27 lines of output]", pip 9's
 * "Complete output from command ..."). */
static bool build_marker(const char *t, size_t n)
{
	static const char *const marks[] = {
		"did not run successfully", " lines of output]", "Complete output from command",
		"Building wheel for ", "Running setup.py install for ",
	};

	return has_any(t, n, marks, ARRAY_SIZE(marks));
}

static char *progress_subject(const struct log *log, const struct scope *sc,
			      const struct diagnosis *d)
{
	static const char dpkg[] = "Errors were encountered while processing:";
	size_t i, stop;
	bool building = false;
	char *name;

	if (d->category != CATEGORY_PACKAGE_BUILD && d->category != CATEGORY_SYSTEM_PACKAGES)
		return NULL;
	stop = d->first_line > PROGRESS_LOOKBACK ? d->first_line - PROGRESS_LOOKBACK : 0;
	if (sc->step && sc->first > stop)
		stop = sc->first;
	for (i = d->first_line + 1; i-- > stop;) {
		const char *t = log_line_norm(log, i), *end = t + log->lines[i].norm_length, *w;

		while (t < end && (*t == ' ' || *t == '\t'))
			t++;
		if (d->category == CATEGORY_SYSTEM_PACKAGES) {
			/* a program missing inside a package's build ("/bin/sh:
			 * 1: pkg-config: not found" in pip's box) names the
			 * package too */
			building = building || build_marker(t, (size_t)(end - t));
			if (building && (name = progress_name(t, end)))
				return name;
			if ((size_t)(end - t) != sizeof(dpkg) - 1 || memcmp(t, dpkg, sizeof(dpkg) - 1) ||
			    i + 1 >= log->nr)
				continue;
			t = log_line_norm(log, i + 1);
			end = t + log->lines[i + 1].norm_length;
			while (t < end && *t == ' ')
				t++;
			for (w = t; w < end && *w != ' '; w++)
				;
			return w > t ? xstrndup(t, (size_t)(w - t)) : NULL;
		}
		if ((name = progress_name(t, end)))
			return name;
	}
	return NULL;
}

/* What a step was fetching when its network failed, for a failure that
 * names no host: uv's "Downloading cpython-3.11.11-linux-x86_64-gnu
 * (download) (20.5MiB)", pip's "Downloading numpy-2.0.0-...whl (13.5 MB)"
 * or "Collecting Flask (from -r requirements.txt (line 1))" before a retry
 * that names only the index path. lines[] holds the step's output, newest
 * first. */
static char *download_subject(const struct log *log, const size_t *lines, size_t n)
{
	static const char *const fetching[] = { "Downloading ", "Collecting " };
	size_t i, k;

	for (i = 0; i < n; i++) {
		const char *t = log_line_norm(log, lines[i]), *end = t + log->lines[lines[i]].norm_length, *w;

		while (t < end && (*t == ' ' || *t == '\t'))
			t++;
		for (k = 0; k < ARRAY_SIZE(fetching); k++)
			if ((w = named_after(t, end, fetching[k])))
				return xstrndup(w, name_len(w, end));
	}
	return NULL;
}

/* The host a network finding's evidence names, newest line first; else the
 * host of the few output lines of the same step just before it, since
 * downloaders name the host as they connect ("Connecting to
 * objects.githubusercontent.com (185.199.110.133:443)") and give only the
 * address when it fails ("wget: can't connect to remote host (185.199.110.133)");
 * host_in() gives a URL whole when it goes on to a path. */
static char *host_of(const struct log *log, const struct diagnosis *d)
{
	char *host = NULL;
	size_t i, k, first = d->hits.lines_nr ? d->hits.lines[0] : 0, seen = 0;

	for (i = d->hits.lines_nr; i-- > 0 && !host;)
		host = host_in(log_line_norm(log, d->hits.lines[i]),
			       log->lines[d->hits.lines[i]].norm_length);
	for (k = first; !host && d->hits.lines_nr && k-- > 0 && seen < HOST_LOOKBACK;) {
		if (log->lines[k].step != log->lines[first].step ||
		    log->lines[k].phase != log->lines[first].phase)
			break;
		if (log->lines[k].kind != LINE_OUTPUT)
			continue;
		seen++;
		host = host_in(log_line_norm(log, k), log->lines[k].norm_length);
	}
	return host;
}

/* The host or URL a failing RUN's own command names ("curl -fsSL
 * https://github.com/o/r/..." failing with "curl: (56) Recv failure:
 * Connection reset by peer", "git clone https://git.launchpad.net/..."
 * with "error: RPC failed; curl 56 ..."), for a network failure whose
 * output names none. */
static char *command_host(const struct build_step *st)
{
	if (!st->instruction || strcmp(st->instruction, "RUN") || !st->command)
		return NULL;
	return host_in(st->command, strlen(st->command));
}

/* The image kaniko was fetching before a registry or layer failure that
 * names none: the newest "Retrieving image manifest nginx:latest" (or
 * "Retrieving image nginx:latest from registry index.docker.io") above
 * the finding, within PROGRESS_LOOKBACK lines. kaniko has no FROM step
 * framing to take it from. */
static char *kaniko_image(const struct log *log, const struct diagnosis *d)
{
	static const char *const forms[] = { "Retrieving image manifest ", "Retrieving image " };
	size_t i, k, stop = d->first_line > PROGRESS_LOOKBACK ? d->first_line - PROGRESS_LOOKBACK : 0;

	for (i = d->first_line + 1; i-- > stop;) {
		const char *t = log_line_norm(log, i), *end = t + log->lines[i].norm_length, *p, *q;

		for (k = 0; k < ARRAY_SIZE(forms); k++) {
			if (!(p = memmem(t, (size_t)(end - t), forms[k], strlen(forms[k]))))
				continue;
			p += strlen(forms[k]);
			for (q = p; q < end && *q != ' '; q++)
				;
			if (q > p)
				return xstrndup(p, (size_t)(q - p));
		}
	}
	return NULL;
}

/* How many lines before a CI's time-limit message may name the command. */
#define CI_COMMAND_LOOKBACK 400

/*
 * The command a CI was running when its time limit ran out, for a log
 * with no builder step: travis_wait's "Still running (41 of 60): cabal
 * build", else the newest command the CI echoed (Travis's and GitLab's "$
 * docker build .", GitHub Actions' "##[group]Run docker build ."). NULL
 * when none is printed before the finding.
 */
static char *ci_command(const struct log *log, const struct diagnosis *d)
{
	static const char *const echoed[] = { "$ ", "##[group]Run " };
	size_t i, k, stop = d->first_line > CI_COMMAND_LOOKBACK ? d->first_line - CI_COMMAND_LOOKBACK : 0;

	for (i = d->first_line + 1; i-- > stop;) {
		const char *t = log_line_norm(log, i), *end = t + log->lines[i].norm_length, *w;

		if (log->lines[i].kind != LINE_OUTPUT)
			continue;
		if ((w = memmem(t, (size_t)(end - t), "Still running (", 15)) &&
		    (w = memmem(w, (size_t)(end - w), "): ", 3)) && end - w > 3)
			return xstrndup(w + 3, (size_t)(end - w - 3));
		for (k = 0; k < ARRAY_SIZE(echoed); k++)
			if ((w = named_after(t, end, echoed[k])))
				return xstrndup(w, (size_t)(end - w));
	}
	return NULL;
}

/*
 * What ran out of time, for a timeout finding: the failing RUN's command
 * (the step to speed up, split or cache), else the command the CI was
 * running; the time limit stays in the summary. NULL when neither is known.
 */
static char *timeout_subject(const struct log *log, const struct build_step *st,
			     const struct diagnosis *d)
{
	if (st)
		return st->instruction && !strcmp(st->instruction, "RUN") && st->command ?
		       xstrdup(st->command) : NULL;
	return ci_command(log, d);
}

/* Whether t[0..n) is digits, and how many. */
static size_t digits(const char *t, const char *end)
{
	const char *p = t;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return (size_t)(p - t);
}

/* Whether a path is a dependency's, not the project's: installed
 * packages (node_modules, site-packages, Go's module cache, cargo's
 * registry) and the system's libraries. */
static bool dependency_path(const char *p, size_t n)
{
	static const char *const marks[] = {
		"node_modules/", "site-packages/", "dist-packages/", "/usr/lib/", "/usr/local/lib/",
		"/go/pkg/mod/", "/.cargo/registry/", "/usr/include/",
		/* Poetry's own frames ("at /root/.poetry/lib/poetry/...") */
		"/.poetry/", "/pypoetry/",
	};

	return has_any(p, n, marks, ARRAY_SIZE(marks));
}

/* Whether t[0..n) starts with prefix; then *rest is what follows. */
static bool starts(const char *t, const char *end, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if ((size_t)(end - t) <= n || memcmp(t, prefix, n))
		return false;
	*rest = t + n;
	return true;
}

/* Whether a line holds a position below a file named alone above it
 * (ESLint's "  5:3  error ...", create-react-app's "  Line 5:3:  ..."). */
static bool position_line(const char *t, size_t n)
{
	const char *end = t + n, *q;
	size_t k;

	if (!n || (*t != ' ' && *t != '\t'))
		return false;
	while (t < end && (*t == ' ' || *t == '\t'))
		t++;
	if (starts(t, end, "Line ", &q))
		t = q;
	return (k = digits(t, end)) && t + k < end && t[k] == ':' && digits(t + k + 1, end);
}

/* t[0..p) as a location; *strong also when the line's own prefix marked
 * it an error (rustc's "-->", Maven's "[ERROR]", "Error: ", a panic). */
static char *located(const char *t, const char *p, bool marked, bool *strong)
{
	if (marked)
		*strong = true;
	return xstrndup(t, (size_t)(p - t));
}

/* Whether a stack frame's qualified method is the runtime's or a
 * framework's ("java.lang.Thread.run", "org.springframework..."), not the
 * project's. */
static bool runtime_frame(const char *t, const char *end)
{
	static const char *const marks[] = {
		"java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
		"org.springframework.", "org.apache.", "org.junit.", "org.gradle.", "groovy.",
		"org.codehaus.", "node:", "internal/",
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(marks); k++)
		if ((size_t)(end - t) > strlen(marks[k]) && !memcmp(t, marks[k], strlen(marks[k])))
			return true;
	return false;
}

/*
 * The file of a stack frame below an exception, innermost first: Node's
 * "at buildRoutes (/app/scripts/build.js:44:23)", "at /app/x.js:3:9" and
 * "at file:///app/x.mjs:3:9", Java's "at com.acme.Config.load(Config.java:42)";
 * NULL for the runtime's own frames, a dependency's and "(Native Method)".
 * t is after "at ".
 */
static char *frame_location(const char *t, const char *end)
{
	const char *open = NULL, *p, *q, *dot = NULL;

	if (end > t && end[-1] == ')') {
		for (p = end - 1; p > t && p[-1] != '('; p--)
			;
		if (p == t)
			return NULL;
		open = p - 1;
		if (runtime_frame(t, open))
			return NULL;
		t = p;
		end--;
	}
	if (starts(t, end, "file://", &q))
		t = q;
	if (runtime_frame(t, end))
		return NULL;
	for (p = t; p < end && *p != ':' && *p != ' '; p++)
		if (*p == '.')
			dot = p;
		else if (*p == '/')
			dot = NULL;
	if (!dot || dot == t || dot == p - 1 || p == end || *p != ':' || !digits(p + 1, end) ||
	    dependency_path(t, (size_t)(p - t)) || (!open && *t != '/' && *t != '.'))
		return NULL;
	return xstrndup(t, (size_t)(p - t));
}

/* A monorepo runner's task prefix skipped: Turborepo's "@norish/web:build:
 * ./packages/x.ts:8:14" (package, ':', task, ':', a space); t when the line
 * has none ("src/main.ts:3:7: error" has a line number for a task). */
static const char *after_task_prefix(const char *t, const char *end)
{
	const char *p, *colon = NULL;

	for (p = t; p < end && *p != ' '; p++)
		if (*p == ':' && !colon)
			colon = p;
	if (!colon || colon == t || p == end || p - colon < 3 || p[-1] != ':' ||
	    !isalpha((unsigned char)colon[1]) || memchr(colon + 1, ':', (size_t)(p - 2 - colon)) ||
	    memchr(t, '.', (size_t)(colon - t)))
		return t;
	return p + 1;
}

/* The file a bundler could not load or resolve an import from: Vite's and
 * Rollup's "[UNLOADABLE_DEPENDENCY] Error: Could not load src/index.css",
 * "[vite:load-fallback] Could not load /app/src/x.ts (imported by ...)",
 * '[vite]: Rollup failed to resolve import "axios" from
 * "/app/src/api/client.ts".', Rollup's 'Could not resolve "./x" from
 * "src/main.ts"'. Its start, *end_out its end; NULL for another line. */
static const char *bundler_location(const char *t, const char *end, const char **end_out)
{
	const char *p, *q;

	if ((p = memmem(t, (size_t)(end - t), "Could not load ", 15))) {
		p += 15;
		for (q = p; q < end && *q != ' ' && *q != ':'; q++)
			;
	} else if ((memmem(t, (size_t)(end - t), "failed to resolve import \"", 26) ||
		    memmem(t, (size_t)(end - t), "Could not resolve \"", 19)) &&
		   (p = memmem(t, (size_t)(end - t), "\" from \"", 8))) {
		p += 8;
		if (!(q = memchr(p, '"', (size_t)(end - p))))
			return NULL;
	} else {
		return NULL;
	}
	if (q == p || !memchr(p, '.', (size_t)(q - p)))
		return NULL;
	*end_out = q;
	return p;
}

/* The end of an exception's name and its ": " ("SyntaxError: /app/x.js:
 * ..." → "/app/x.js: ..."), or NULL when t does not start with one. */
static const char *error_name_end(const char *t, const char *end)
{
	const char *p = t;

	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
		p++;
	if (p - t < 6 || memcmp(p - 5, "Error", 5) || end - p < 3 || p[0] != ':' || p[1] != ' ')
		return NULL;
	return p + 2;
}

/* PHP's fatal and parse errors name the file after " in ": "PHP Parse
 * error:  syntax error, unexpected token "}" in /var/www/html/config/app.php
 * on line 57", "PHP Fatal error:  Uncaught Error: Class "X" not found in
 * /var/www/html/app/x.php:12". The start of that file; end when the line
 * is such an error naming no file; NULL when it is none. */
static const char *php_location(const char *t, const char *end)
{
	const char *p = NULL, *q;

	if (!memmem(t, (size_t)(end - t), "Parse error: ", 13) &&
	    !memmem(t, (size_t)(end - t), "Fatal error: ", 13))
		return NULL;
	for (q = t; (q = memmem(q, (size_t)(end - q), " in /", 5)); q += 5)
		p = q + 4;
	return p && !dependency_path(p, (size_t)(end - p)) && !memmem(p, (size_t)(end - p), "/vendor/", 8) ?
	       p : end;
}

/* The end of the file php_location found: before " on line " or ":12". */
static const char *php_end(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ' && *q != ':')
		q++;
	return q;
}

/*
 * The source file (or test) a compiler's, runtime's or test runner's error
 * line names, or NULL: gcc's and clang's "main.c:12:5: error: ..." (Go's
 * "./main.go:10:2: undefined: x"), tsc's "src/index.ts:3:7 - error TS2322"
 * (Angular's with "Error: " before it) and "src/main.ts(3,7): error
 * TS2322" (C#'s too), rustc's " --> src/main.rs:2:5" and a panic's
 * "panicked at src/main.rs:3:5", javac's through Maven "[ERROR]
 * /app/src/App.java:[10,5] cannot find symbol", webpack's "ERROR in
 * ./src/index.js 5:0-24", Ruby's "/app/config/application.rb:10:in `...'",
 * Node's "/app/index.js:5" above its code frame, Next.js's
 * "./app/page.tsx:12:7" alone above its "Type error:", a file named alone
 * above ESLint's or create-react-app's positions (next[0..next_n), the line
 * after, says so); jest's "FAIL src/App.test.js", pytest's "FAILED
 * tests/x.py::test_y", Go's "--- FAIL: TestHandler"; javac's and mypy's
 * "App.java:10: error:", Kotlin's "e: file:///app/App.kt:10:5 ..." and "e:
 * /app/App.kt: (10, 5): ...", Babel's "SyntaxError: /app/src/App.js:
 * Unexpected token (12:5)", PHP's "... in /var/www/html/x.php on line 57",
 * Gradle's "Build file '/app/build.gradle' line: 42", Maven surefire's
 * "[ERROR]   AppTest.testAdd:14 expected:<4> ...", a stack frame of the
 * project (frame_location). A warning's or note's
 * location is not it; the file must have an extension.
 */
static char *source_location(const char *t, size_t n, const char *next, size_t next_n, bool *strong)
{
	const char *end = t + n, *p, *q, *dot = NULL;
	bool webpack = false, marked = false, babel = false;
	size_t k;

	*strong = true;

	while (t < end && (*t == ' ' || *t == '\t'))
		t++;
	t = after_task_prefix(t, end);
	if ((p = bundler_location(t, end, &q)))
		return dependency_path(p, (size_t)(q - p)) ? NULL : located(p, q, true, strong);
	/* Gradle's "* Where:" block: "Build file '/app/build.gradle' line: 42" */
	if (starts(t, end, "Build file '", &q) || starts(t, end, "Settings file '", &q) ||
	    starts(t, end, "Script '", &q)) {
		p = memchr(q, '\'', (size_t)(end - q));
		return p && p > q && starts(p, end, "' line: ", &dot) ? located(q, p, true, strong) : NULL;
	}
	if (starts(t, end, "at ", &q)) {
		*strong = false;
		return frame_location(q, end);
	}
	if (starts(t, end, "--- FAIL: ", &q)) {
		for (p = q; p < end && *p != ' '; p++)
			;
		return p > q ? xstrndup(q, (size_t)(p - q)) : NULL;
	}
	if (starts(t, end, "FAIL ", &q) || starts(t, end, "FAILED ", &q)) {
		for (p = t = q; p < end && *p != ' ' && *p != ':'; p++)
			if (*p == '.')
				dot = p;
		if (!dot || dot == t || dot >= p - 1)
			return NULL;
		/* pytest's node id names the test too: "tests/x.py::test_y" */
		if (end - p > 2 && p[0] == ':' && p[1] == ':')
			while (p < end && *p != ' ')
				p++;
		return located(t, p, marked, strong);
	}
	if ((q = memmem(t, (size_t)(end - t), "panicked at ", 12))) {
		/* "panicked at 'msg', src/main.rs:3:5": after the last ", " */
		t = q + 12;
		marked = true;
		if (t < end && *t == '\'')
			for (q = end; q > t + 1; q--)
				if (q[-2] == ',' && q[-1] == ' ') {
					t = q;
					break;
				}
	}
	if ((q = php_location(t, end)))
		return q == end ? NULL : located(q, php_end(q, end), true, strong);
	if (starts(t, end, "--> ", &q) || starts(t, end, "[ERROR] ", &q) || starts(t, end, "Error: ", &q) ||
	    starts(t, end, "e: ", &q))
		t = q, marked = true;
	else if (starts(t, end, "ERROR in ", &q))
		t = q, webpack = true;
	else if ((q = error_name_end(t, end)) && (*q == '/' || *q == '.'))
		t = q, marked = babel = true;
	if (marked && starts(t, end, "file://", &q))
		t = q;
	/* Maven surefire's "[ERROR]   AppTest.testAdd:14 expected:<4> but was:<3>" */
	while (marked && t < end && *t == ' ')
		t++;
	for (p = t; p < end && !strchr(" \t:(\"'", *p); p++)
		if (*p == '.')
			dot = p;
		else if (*p == '/')
			dot = NULL;
	if (p == t || !dot || dot == p - 1 || dot == t || dependency_path(t, (size_t)(p - t)))
		return NULL;
	*strong = false;
	if (p == end) {
		/* a file alone on its line, its positions below (a path:
		 * create-react-app 4+ prints "src/App.tsx") */
		return memchr(t, '/', (size_t)(p - t)) && next &&
		       position_line(next, next_n) ?
		       located(t, p, marked, strong) : NULL;
	}
	q = p;
	*strong = true;
	if (webpack)
		return *q == ' ' ? located(t, p, marked, strong) : NULL;
	if (*q == '(') {
		/* "(3,7): error" */
		if (!(k = digits(++q, end)) || (q += k) >= end || *q != ',' ||
		    !(k = digits(++q, end)) || (q += k) >= end || *q != ')')
			return NULL;
		q++;
		return (size_t)(end - q) > 8 && !memcmp(q, ": error", 7) ? located(t, p, marked, strong) : NULL;
	}
	/* ":12:5" or ":[10,5]" */
	*strong = false;
	if (*q != ':' || ++q >= end)
		return NULL;
	/* Babel's "SyntaxError: /app/src/App.js: Unexpected token (12:5)",
	 * Kotlin's "e: /app/App.kt: (10, 5): Unresolved reference: foo" */
	if (*q == ' ' && (babel || (marked && end - q > 2 && q[1] == '(' && digits(q + 2, end)))) {
		*strong = true;
		return end[-1] == ')' || q[1] == '(' ? located(t, p, marked, strong) : NULL;
	}
	if (*q == '[') {
		*strong = true;
		if (!(k = digits(++q, end)) || (q += k) >= end || *q != ',')
			return NULL;
		return located(t, p, marked, strong);
	}
	if (!(k = digits(q, end)))
		return NULL;
	q += k;
	/* Node's "/app/index.js:5" above its code frame; Ruby's ":10:in `" */
	if (q == end)
		return *t == '/' || (p - t > 2 && t[0] == '.' && t[1] == '/') ?
		       located(t, p, marked, strong) : NULL;
	if (starts(q, end, ":in `", &dot) || (marked && *q == ' '))
		return located(t, p, marked, strong);
	/* javac's and mypy's "App.java:10: error: ...", old gcc's without a
	 * column */
	if (starts(q, end, ": error", &dot) || starts(q, end, ": fatal error", &dot) ||
	    starts(q, end, ": Error", &dot)) {
		*strong = true;
		return located(t, p, marked, strong);
	}
	if (*q != ':' || !(k = digits(++q, end)))
		return NULL;
	q += k;
	if (q == end)
		return located(t, p, marked, strong);
	*strong = (end - q >= 8 && !memcmp(q, " - error", 8)) ||
		  (end - q >= 8 && !memcmp(q, ": error", 7)) ||
		  (end - q >= 14 && !memcmp(q, ": fatal error", 13));
	/* Kotlin's "e: file:///app/App.kt:10:5 Unresolved reference: foo" */
	if (*strong || (marked && *q == ' '))
		return located(t, p, marked, strong);
	if (*q != ':' || (end - q >= 9 && !memcmp(q, ": warning", 9)) ||
	    (end - q >= 6 && !memcmp(q, ": note", 6)))
		return NULL;
	return located(t, p, marked, strong);
}

/* The file of the first compiler error in the failing step's output
 * (lines[0..n), newest first): the first error is the cause, later ones
 * often follow from it; a line marked an error ("main.c:12:5: error:")
 * wins over a bare location (Node's "/app/index.js:5"). *at is its line
 * when found. */
static char *first_source_location(const struct log *log, const size_t *lines, size_t n,
				   size_t *at)
{
	char *s = NULL, *found;
	bool strong, have_strong = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *next = i ? log_line_norm(log, lines[i - 1]) : NULL;

		found = source_location(log_line_norm(log, lines[i]), log->lines[lines[i]].norm_length,
					next, i ? log->lines[lines[i - 1]].norm_length : 0, &strong);
		/* the oldest error-marked one, else the oldest */
		if (found && (strong || !have_strong)) {
			free(s);
			s = found;
			have_strong = strong;
			if (at)
				*at = lines[i];
		} else {
			free(found);
		}
	}
	return s;
}

/*
 * The Dockerfile line BuildKit marks in the excerpt it prints above a
 * Dockerfile error ("   3 | >>> ENV APP_VERSION ${VERSION" under
 * "Dockerfile:3"): the instruction to change, for a Dockerfile finding
 * that names nothing else (`failed to process "${VERSION": syntax error`).
 * The first marked line, less a continuation's backslash; NULL without
 * one.
 */
static char *marked_line(const struct log *log)
{
	size_t i;

	for (i = 0; i < log->nr; i++) {
		const char *t = log_line_norm(log, i), *end = t + log->lines[i].norm_length, *q;
		size_t k;

		while (t < end && *t == ' ')
			t++;
		if (!(k = digits(t, end)) || !starts(t + k, end, " | >>> ", &q))
			continue;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		while (end > q && (end[-1] == ' ' || end[-1] == '\\'))
			end--;
		if (end > q)
			return xstrndup(q, (size_t)(end - q));
	}
	return NULL;
}

/*
 * What the user must fix for a rule's finding d: for a timeout, what ran
 * out of time (timeout_subject); else the rule's own subject; else what
 * the tool was working on (progress_subject); else the failing step's line
 * where that is what changes (line_subject); else the rule's first
 * capture; else, for a network finding, the host its evidence names, else
 * the one its RUN's command names; for the project's own failure, the file
 * of the first compiler or runtime error; else what the failing step says
 * (step_subject). NULL when none says.
 */
char *subject_of_finding(const struct log *log, const struct scope *sc, const struct diagnosis *d)
{
	const struct build_step *st = sc->step && (!d->step || d->step == sc->step) ?
				      &log->steps.steps[sc->step - 1] : NULL;
	char *s = d->category == CATEGORY_TIMEOUT ? timeout_subject(log, st, d) : NULL;

	if (!s && d->rule->subject)
		s = subject_of(d);
	if (!s)
		s = progress_subject(log, sc, d);
	if (!s && st)
		s = line_subject(st, d->category);
	if (!s)
		s = subject_of(d);
	if (!s && d->category == CATEGORY_NETWORK)
		s = host_of(log, d);
	if (!s && d->category == CATEGORY_NETWORK && st)
		s = command_host(st);
	if (!s && !st && (d->category == CATEGORY_NETWORK || d->category == CATEGORY_BASE_IMAGE ||
			  d->category == CATEGORY_PLATFORM))
		s = kaniko_image(log, d);
	if (!s && d->category == CATEGORY_APPLICATION && st) {
		size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent));

		s = first_source_location(log, recent, n, NULL);
	}
	if (!s && st)
		s = step_subject(st, d->category);
	if (!s && d->category == CATEGORY_DOCKERFILE)
		s = marked_line(log);
	return s;
}

/* At most 200 bytes of t[0..n), not cutting a UTF-8 character; "..."
 * when cut. */
static void add_clipped(struct strbuf *sb, const char *t, size_t n)
{
	size_t cut;

	for (cut = n < 200 ? n : 200; cut < n && (t[cut] & 0xc0) == 0x80; cut++)
		;
	strbuf_add(sb, t, cut);
	if (cut < n)
		strbuf_addstr(sb, "...");
}

/* Whether the summary or subject of d names s already (case aside). */
static bool names(const struct diagnosis *d, const char *s)
{
	return (d->summary && strcasestr(d->summary, s)) || (d->subject && strcasestr(d->subject, s));
}

/* The host the failing step's latest output names (newest first), for a
 * network finding whose own lines name none. */
static char *step_host(const struct log *log, const struct scope *sc)
{
	size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent)), i;
	char *s = NULL;

	for (i = 0; i < n && !s; i++)
		s = host_in(log_line_norm(log, recent[i]), log->lines[recent[i]].norm_length);
	return s;
}

/* A line's text without its indentation and npm's "npm ERR! " or "npm
 * error " prefix, into *t and *n. */
static void solver_text(const struct log *log, size_t line, const char **t, size_t *n)
{
	static const char *const prefixes[] = { "npm ERR! ", "npm error " };
	size_t k;

	*t = line_without_time(log, line, n);
	for (k = 0; k < ARRAY_SIZE(prefixes); k++)
		if (*n > strlen(prefixes[k]) && !memcmp(*t, prefixes[k], strlen(prefixes[k]))) {
			*t += strlen(prefixes[k]);
			*n -= strlen(prefixes[k]);
		}
	while (*n && (**t == ' ' || **t == '\t' || **t == '-'))
		(*t)++, (*n)--;
	while (*n && ((*t)[*n - 1] == ' ' || (*t)[*n - 1] == ':'))
		(*n)--;
}

/*
 * The solver's own reason for a dependency conflict, from the failing
 * step's output (lines[0..nr), newest first), added to the summary: the
 * first line saying what depends on what (pip's "pandas 2.0.0 depends on
 * numpy>=1.23.2" under "The conflict is caused by:", poetry's and uv's
 * "Because requests (2.20.0) depends on urllib3 (...)"), the line after a
 * solver's heading (apt's "The following packages have unmet
 * dependencies:", conda's "ResolvePackageNotFound:", npm's "Could not
 * resolve dependency:") and npm's "Found: react@18.2.0". Each at most once
 * and only when the summary does not hold it.
 */
static void add_solver_reason(struct strbuf *sb, const struct log *log, const size_t *lines,
			      size_t nr, bool *first)
{
	static const char *const headings[] = {
		"The following packages have unmet dependencies", "ResolvePackageNotFound",
		"Could not resolve dependency", "Conflicting peer dependency",
	};
	bool depends = false, heading = false, found = false, take = false;
	size_t i, k, n;
	const char *t;

	for (i = nr; i-- > 0;) {
		bool add = false;

		solver_text(log, lines[i], &t, &n);
		if (!n)
			continue;
		if (take) {
			take = false;
			add = true;
			heading = true;
		} else if (!depends && memmem(t, n, " depends on ", 12)) {
			depends = add = true;
		} else if (!found && n > 7 && !memcmp(t, "Found: ", 7)) {
			found = add = true;
		} else {
			for (k = 0; k < ARRAY_SIZE(headings) && !heading; k++)
				if (n == strlen(headings[k]) && !memcmp(t, headings[k], n))
					take = true;
			continue;
		}
		if (!add || memmem(sb->buf, sb->len, t, n))
			continue;
		strbuf_addstr(sb, *first ? " (" : "; ");
		add_clipped(sb, t, n);
		*first = false;
	}
}

/* The image a step pulls: a FROM's, or the one BuildKit's "[internal]
 * load metadata for docker.io/library/python:3.12" looks up. */
static char *step_image(const struct build_step *st)
{
	static const char meta[] = "[internal] load metadata for ";

	if (st->instruction && !strcmp(st->instruction, "FROM"))
		return step_subject(st, CATEGORY_NETWORK);
	if (!st->instruction && st->name && !strncmp(st->name, meta, sizeof(meta) - 1) &&
	    st->name[sizeof(meta) - 1])
		return xstrdup(st->name + sizeof(meta) - 1);
	return NULL;
}

/* " (while fetching x" then " from y"...: *part after prefix, when d does
 * not name it already; frees *part. */
static void add_part(struct strbuf *sb, const struct diagnosis *d, char **part, bool *first,
		     const char *prefix)
{
	if (*part && !names(d, *part)) {
		strbuf_addstr(sb, *first ? " (" : " ");
		strbuf_addf(sb, "%s%s", prefix, *part);
		*first = false;
	}
	free(*part);
	*part = NULL;
}

/* What a build tool found missing, from one line: a compiler's "fatal
 * error: Python.h: No such file or directory" (clang's "fatal error:
 * 'Python.h' file not found"), the linker's "cannot find
 * -lpq", psycopg2's "Error: pg_config executable not found.", distutils'
 * "unable to execute 'gcc': No such file or directory" and "command 'gcc'
 * failed: No such file or directory", pkg-config's "Package libffi was not
 * found in the pkg-config search path" and "No package 'cairo' found",
 * autoconf's "Package requirements (oniguruma) were not met", CMake's
 * "Could NOT find OpenSSL" and "provided by \"Boost\"", Meson's
 * "Dependency \"cairo\" not found", setuptools-rust's "can't find Rust
 * compiler". NULL when the line says none. */
static char *missing_in(const char *t, size_t n)
{
	/* the name is from `back` bytes before the end of `before` up to a
	 * byte of `stops`, and `after` must follow it */
	static const struct { const char *before, *stops, *after; size_t back; } forms[] = {
		{ "fatal error: ", ":", ": No such file or directory", 0 },
		{ "fatal error: '", "'", "' file not found", 0 },
		{ "cannot find -l", " ", NULL, 2 },
		{ "unable to execute '", "'", "': No such file or directory", 0 },
		{ "command '", "'", "' failed: No such file or directory", 0 },
		{ "Package ", " ", " was not found in the pkg-config search path", 0 },
		{ "No package '", "'", "' found", 0 },
		{ "Package requirements (", ")", ") were not met", 0 },
		{ "Could NOT find ", " ,(:", NULL, 0 },
		{ "provided by \"", "\"", "\"", 0 },
		{ "Dependency \"", "\"", "\" not found", 0 },
	};
	const char *end = t + n, *p, *q;
	size_t k;

	if ((p = memmem(t, n, " executable not found", 21))) {
		for (q = p; q > t && q[-1] != ' ' && q[-1] != ':'; q--)
			;
		return p > q ? xstrndup(q, (size_t)(p - q)) : NULL;
	}
	if (memmem(t, n, "can't find Rust compiler", 24))
		return xstrdup("Rust compiler");
	for (k = 0; k < ARRAY_SIZE(forms); k++) {
		if (!(p = memmem(t, n, forms[k].before, strlen(forms[k].before))))
			continue;
		p += strlen(forms[k].before);
		for (q = p; q < end && !strchr(forms[k].stops, *q); q++)
			;
		if (q == p || (forms[k].after && ((size_t)(end - q) < strlen(forms[k].after) ||
						  memcmp(q, forms[k].after, strlen(forms[k].after)))))
			continue;
		p -= forms[k].back;
		return xstrndup(p, (size_t)(q - p));
	}
	return NULL;
}

/* The first thing the failing step's output (lines[0..n), newest first)
 * says is missing (missing_in), the cause of a source build failing. */
static char *missing_piece(const struct log *log, const size_t *lines, size_t n)
{
	char *s = NULL;
	size_t i;

	for (i = n; i-- > 0 && !s;)
		s = missing_in(log_line_norm(log, lines[i]), log->lines[lines[i]].norm_length);
	return s;
}

/* The first field pydantic's ValidationError names on the line below
 * "1 validation error for Settings" ("DATABASE_URL", then "  field
 * required (type=value_error.missing)"): a setting, often an environment
 * variable the build does not set. NULL for another finding. */
static char *invalid_field(const struct log *log, const struct diagnosis *d)
{
	size_t k;

	for (k = 0; k < d->hits.lines_nr; k++) {
		size_t i = d->hits.lines[k], n;
		const char *t = log_line_norm(log, i), *p;

		if (!memmem(t, log->lines[i].norm_length, " validation error", 17) || i + 1 >= log->nr)
			continue;
		t = log_line_norm(log, i + 1);
		n = log->lines[i + 1].norm_length;
		for (p = t; p < t + n && !isspace((unsigned char)*p); p++)
			;
		return p == t + n && n ? xstrndup(t, n) : NULL;
	}
	return NULL;
}

/* How many lines below Node's "Cannot find module" its require stack may
 * start. */
#define REQUIRE_STACK_LOOKAHEAD 4

/* The file that required a module Node could not find: the first entry
 * of the "Require stack:" below the finding's first line ("- /usr/src/app/
 * node_modules/core-js-compat/helpers.js"), which is where the broken
 * import is (a dependency's, or the project's own file). NULL without
 * one. */
static char *require_origin(const struct log *log, const struct diagnosis *d)
{
	size_t i, first = d->hits.lines_nr ? d->hits.lines[0] : d->first_line;

	for (i = first; i < log->nr && i <= first + REQUIRE_STACK_LOOKAHEAD; i++) {
		const char *t = log_line_norm(log, i), *end = t + log->lines[i].norm_length, *q;

		while (t < end && (*t == ' ' || *t == '\t'))
			t++;
		if (end - t != 14 || memcmp(t, "Require stack:", 14) || i + 1 >= log->nr)
			continue;
		t = log_line_norm(log, i + 1);
		end = t + log->lines[i + 1].norm_length;
		while (t < end && (*t == ' ' || *t == '\t'))
			t++;
		return starts(t, end, "- ", &q) ? xstrndup(q, (size_t)(end - q)) : NULL;
	}
	return NULL;
}

/* The platforms Docker's warning names when an image's platform is not
 * the host's ("WARNING: The requested image's platform (linux/amd64) does
 * not match the detected host platform (linux/arm64/v8) and no specific
 * platform was requested"): "image platform linux/amd64, host
 * linux/arm64/v8", or NULL without the warning. */
static char *platform_mismatch(const struct log *log)
{
	static const char image[] = "The requested image's platform (";
	static const char host[] = ") does not match the detected host platform (";
	size_t i;

	for (i = 0; i < log->nr; i++) {
		const char *t = log_line_norm(log, i), *end = t + log->lines[i].norm_length, *a, *b, *c;

		if (!(a = memmem(t, (size_t)(end - t), image, sizeof(image) - 1)))
			continue;
		a += sizeof(image) - 1;
		if (!(b = memmem(a, (size_t)(end - a), host, sizeof(host) - 1)) ||
		    !(c = memchr(b + sizeof(host) - 1, ')', (size_t)(end - b - (sizeof(host) - 1)))))
			continue;
		return xstrfmt("image platform %.*s, host %.*s", (int)(b - a), a,
			       (int)(c - b - (sizeof(host) - 1)), b + sizeof(host) - 1);
	}
	return NULL;
}

void subject_add_context(const struct log *log, const struct scope *sc, struct diagnosis *d)
{
	const struct build_step *st = sc->step && (!d->step || d->step == sc->step) ?
				      &log->steps.steps[sc->step - 1] : NULL;
	struct strbuf sb = STRBUF_INIT;
	char *what = NULL, *host = NULL, *image = NULL, *missing = NULL, *platform = NULL;
	char *compiling = NULL;
	bool first = true;

	if (!d->summary)
		return;
	if (d->category == CATEGORY_APPLICATION && st) {
		/* a script or make target failing names the compiler's first
		 * error, which is what to fix: "(first error: src/main.ts(70,33):
		 * error TS2307: Cannot find module './ParserDirective'.)" */
		size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent)), at = 0, len;
		char *file = first_source_location(log, recent, n, &at), *origin = require_origin(log, d);
		char *field = invalid_field(log, d);
		const char *t;

		if (origin && !names(d, origin)) {
			strbuf_addf(&sb, "%s (required by %s)", d->summary, origin);
			free(d->summary);
			d->summary = strbuf_detach(&sb, NULL);
		}
		free(origin);
		if (field && !names(d, field)) {
			strbuf_addf(&sb, "%s (field %s)", d->summary, field);
			free(d->summary);
			d->summary = strbuf_detach(&sb, NULL);
		}
		free(field);
		if (file && !names(d, file)) {
			t = line_without_time(log, at, &len);
			while (len && (*t == ' ' || *t == '\t'))
				t++, len--;
			strbuf_addstr(&sb, d->summary);
			strbuf_addstr(&sb, " (first error: ");
			add_clipped(&sb, t, len);
			strbuf_addch(&sb, ')');
			free(d->summary);
			d->summary = strbuf_detach(&sb, NULL);
		}
		free(file);
		return;
	}
	if (d->category == CATEGORY_PACKAGE_BUILD) {
		size_t recent[40], n = st ? scope_step_output(log, sc, recent, ARRAY_SIZE(recent)) : 0;

		what = progress_subject(log, sc, d);
		missing = missing_piece(log, recent, n);
		/* no package named: the file whose compilation failed
		 * ("numpy/core/src/multiarray/numpyos.c:18:10: fatal error") */
		if (!what)
			compiling = first_source_location(log, recent, n, NULL);
	} else if (d->category == CATEGORY_PLATFORM) {
		platform = platform_mismatch(log);
	} else if ((d->category == CATEGORY_NETWORK || d->category == CATEGORY_TIMEOUT) && st) {
		size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent));

		what = download_subject(log, recent, n);
		host = d->rule ? host_of(log, d) : NULL;
		if (!host)
			host = step_host(log, sc);
		image = step_image(st);
	}
	strbuf_addstr(&sb, d->summary);
	if ((d->category == CATEGORY_DEPENDENCY_RESOLUTION || d->category == CATEGORY_SYSTEM_PACKAGES) &&
	    st) {
		size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent));

		add_solver_reason(&sb, log, recent, n, &first);
	}
	add_part(&sb, d, &what, &first,
		 d->category == CATEGORY_PACKAGE_BUILD ? "while building " : "while fetching ");
	add_part(&sb, d, &compiling, &first, "while compiling ");
	add_part(&sb, d, &host, &first, "from ");
	add_part(&sb, d, &image, &first, "for ");
	add_part(&sb, d, &platform, &first, "");
	if (missing && !names(d, missing)) {
		strbuf_addstr(&sb, first ? " (" : ", ");
		strbuf_addf(&sb, "%s not found", missing);
		first = false;
	}
	free(missing);
	if (first) {
		strbuf_release(&sb);
		return;
	}
	strbuf_addch(&sb, ')');
	free(d->summary);
	d->summary = strbuf_detach(&sb, NULL);
}

char *subject_of_inferred(const struct log *log, const struct scope *sc, enum category cat,
			  const size_t *lines, size_t nr)
{
	const struct build_step *st = sc->step ? &log->steps.steps[sc->step - 1] : NULL;
	char *s = NULL;
	size_t i;

	if (cat == CATEGORY_NETWORK) {
		size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent));

		/* the newest line that names a host: the step's, else the quoted */
		s = step_host(log, sc);
		for (i = nr; i-- > 0 && !s;)
			s = host_in(log_line_norm(log, lines[i]), log->lines[lines[i]].norm_length);
		if (!s)
			s = download_subject(log, recent, n);
		if (!s && st)
			s = command_host(st);
	}
	if (!s && (cat == CATEGORY_APPLICATION || cat == CATEGORY_PACKAGE_BUILD ||
		   cat == CATEGORY_UNKNOWN)) {
		size_t recent[40], n = scope_step_output(log, sc, recent, ARRAY_SIZE(recent));

		/* a package build: the package the tool last said it was
		 * building (cargo's "could not compile `x`"), newest first */
		for (i = 0; i < n && !s && cat == CATEGORY_PACKAGE_BUILD; i++)
			s = progress_name(log_line_norm(log, recent[i]),
					  log_line_norm(log, recent[i]) + log->lines[recent[i]].norm_length);
		if (!s)
			s = first_source_location(log, recent, n, NULL);
	}
	if (!s && cat == CATEGORY_DOCKERFILE)
		s = marked_line(log);
	if (!s && st && st->command)
		s = xstrdup(st->command);
	return s;
}
