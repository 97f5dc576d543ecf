/* rank.c - ranking (DESIGN.md "Ranking"): orders findings (causes before
 * what they explain; specific, inferred, fallback; the failing step's first;
 * priority; the failed phase's first; earliest), keeps a finding of a step
 * that succeeded out when the failing step has its own, infers the category
 * of a failure no rule names from what the failing step shows, and finds the
 * likeliest error lines when nothing is known. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/inference.h"
#include "buildsleuth/prefilter.h"
#include "buildsleuth/rank.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

/* Lines that look like an error: one of these words (whose literals the
 * search looks for)... */
#define ERROR_WORDS \
	"(?i)\\berror\\b|\\bfatal\\b|\\bfailed\\b|\\bfailure\\b|traceback|" \
	"exception\\b|\\bpanic:|not found|no such file|\\bcannot\\b|can't|" \
	"could not|couldn't|unable to|denied|\\binvalid\\b|" \
	"\\bkilled\\b|exit code|exit status|non-zero|\\bfault\\b|\\babort|giving up"
/* ...or these, whose literals ("refu", "err!", "E: ") are too short for a
 * scan that reads every other byte: "refused" is looked for as "refus" and
 * "refu\u017f" (the long s is a caseless s), "err!" from its '!', "E: " at
 * line starts */
#define ERROR_SHORT_WORDS "|refused|\\berr!|^E: "
static const char error_pattern[] = ERROR_WORDS ERROR_SHORT_WORDS;
static const char error_words[] = ERROR_WORDS;
/* ...but are generic exit lines or known-harmless noise. */
static const char noise_pattern[] =
	"Command did not exit successfully|"
	"dependency resolver does not currently take into account|"
	"^WARNING: Retrying|debconf:|npm WARN|^\\[notice\\]|"
	"Running pip as the 'root' user|did not complete successfully: exit code|"
	"returned a non-zero code|executor failed running|COMMAND_EXECUTION_ERROR|"
	"\\b0 (?:errors?|failed)\\b|\\berrors?: 0\\b";

void diagnoses_release(struct diagnoses *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		rule_hits_release(&d->items[i].hits);
		free(d->items[i].summary);
		free(d->items[i].hint);
		free(d->items[i].subject);
	}
	free(d->items);
	d->items = NULL;
	d->nr = 0;
}

bool diagnoses_known_cause(const struct diagnoses *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		if (d->items[i].category != CATEGORY_UNKNOWN)
			return true;
	return false;
}

char *fill_placeholders(const char *text, const struct rule_hits *h)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *open = strchr(p, '{'), *end;
		size_t i;

		if (!open) {
			strbuf_addstr(&sb, p);
			break;
		}
		strbuf_add(&sb, p, (size_t)(open - p));
		for (end = open + 1; *end && *end != '}' && *end != '{'; end++)
			;
		if (*end != '}') {
			strbuf_addch(&sb, '{');
			p = open + 1;
			continue;
		}
		for (i = 0; i < h->captures_nr; i++) {
			const struct capture *c = &h->captures[i];

			if (strlen(c->name) == (size_t)(end - open - 1) &&
			    !memcmp(c->name, open + 1, (size_t)(end - open - 1)))
				break;
		}
		if (i == h->captures_nr) {
			strbuf_add(&sb, open, (size_t)(end - open + 1)); /* not ours */
		} else {
			const struct capture *c = &h->captures[i];

			strbuf_addstr(&sb, c->first ? c->first :
				      c->values.nr ? c->values.items[0] : "?");
		}
		p = end + 1;
	}
	return strbuf_detach(&sb, NULL);
}

static pcre2_code *compile_static(const char *src)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
					 RULE_PCRE2_FLAGS | PCRE2_DUPNAMES, &err, &off, NULL);

	if (!code)
		BUG("built-in pattern does not compile at offset %zu", (size_t)off);
	/* the interpreter needs seconds for the error pattern's alternatives
	 * on a multi-megabyte line; JIT falls back to it when unavailable */
	if (pcre2_jit_wanted())
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/* The error and noise patterns, compiled once per process when the first
 * log needs them, and the literals of the error words and of "refused"
 * (one of which every error line holds, but for those short_error_word()
 * finds). Never freed: they are the process's constants, shared by the
 * audit's threads. */
static struct {
	pthread_once_t once;
	pcre2_code *error, *noise;
	struct prefilter words;
} error_search_patterns = { PTHREAD_ONCE_INIT, NULL, NULL, { NULL, 0, NULL, 0, 0, NULL } };

static void error_search_setup(void)
{
	struct literal_set set = { NULL, 0, 0 };

	error_search_patterns.error = compile_static(error_pattern);
	error_search_patterns.noise = compile_static(noise_pattern);
	if (!pattern_required_literals(error_words, &set))
		BUG("the error words have no literals");
	literal_set_add(&set, "refus", 5, true);
	literal_set_add(&set, "refu\xc5\xbf", 6, true);
	prefilter_init_literals(&error_search_patterns.words, &set, 1);
}

/* The agent's and the builder's own lines, and its success lines: never
 * the likeliest error line. */
static bool is_framing(const struct log *log, size_t i)
{
	/* CodeBuild's phase lines, also when a copy lost the "[Container]" prefix */
	static const char *const starts[] = {
		"Entering phase", "Phase is ", "Phase complete:", "Phase context status code",
		"Running command", "Waiting for",
	};
	const char *s = log_line_norm(log, i);
	size_t k;

	if (log->lines[i].kind != LINE_OUTPUT)
		return true;
	for (k = 0; k < ARRAY_SIZE(starts); k++)
		if (!strncmp(s, starts[k], strlen(starts[k])))
			return true;
	return false;
}

static bool line_matches(const pcre2_code *code, pcre2_match_data *md,
			 const struct log *log, size_t i)
{
	return pcre2_match(code, (PCRE2_SPTR)log_line_norm(log, i),
			   log->lines[i].norm_length, 0, PCRE2_NO_UTF_CHECK, md, NULL) > 0;
}

/* What a line reads as, found once per line (see classify_before). */
enum line_class { CLASS_UNSEEN, CLASS_PLAIN, CLASS_ERROR, CLASS_NOISY_ERROR };

/* The first chunk of lines classified at once, and the most: the search
 * usually stops within the last few lines, and doubling the chunk keeps
 * the per-chunk cost small on a log where it does not. */
#define CLASS_CHUNK_MIN (16 * 1024)
#define CLASS_CHUNK_MAX (1024 * 1024)

/* The search for error lines from the end of a log backwards: each line is
 * classified at most once, whichever ranges and passes ask for it. */
struct error_search {
	const struct log *log;
	unsigned char *cls;   /* enum line_class, one per line */
	pcre2_match_data *md;
	size_t chunk;         /* bytes to classify next time */
};

static void error_search_init(struct error_search *es, const struct log *log)
{
	pthread_once(&error_search_patterns.once, error_search_setup);
	es->log = log;
	es->cls = xcalloc(log->nr ? log->nr : 1, 1);
	es->md = pcre2_match_data_create(4, NULL);
	es->chunk = CLASS_CHUNK_MIN;
}

static void error_search_release(struct error_search *es)
{
	free(es->cls);
	pcre2_match_data_free(es->md);
}

/* Whether line i may match one of ERROR_SHORT_WORDS but "refused": "E: "
 * at its start, or "err!" (caseless; 'r' has no other case in UTF-8). */
static bool short_error_word(const struct log *log, size_t i)
{
	const char *s = log_line_norm(log, i), *p = s;
	size_t n = log->lines[i].norm_length;

	if (n >= 3 && (s[0] | 0x20) == 'e' && s[1] == ':' && s[2] == ' ')
		return true;
	while ((p = memchr(p, '!', (size_t)(s + n - p)))) {
		if (p - s >= 3 && (p[-3] | 0x20) == 'e' && (p[-2] | 0x20) == 'r' && (p[-1] | 0x20) == 'r')
			return true;
		p++;
	}
	return false;
}

/*
 * Classify line last and the unclassified lines before it, about a chunk's
 * bytes: one pass of the error words' literals over their text, then the
 * error pattern on the lines holding one (or a short word), then the
 * noise pattern on the lines that read as errors. The literals never hold
 * '\n', so an occurrence lies within one line.
 */
static void classify_before(struct error_search *es, size_t last)
{
	const struct log *log = es->log;
	const struct log_line *lines = log->lines;
	struct prefilter pf;
	const struct prefilter_rule *r;
	size_t first = last, bytes = lines[last].norm_length + 1, base, i, k = 0;

	while (first > 0 && es->cls[first - 1] == CLASS_UNSEEN && bytes < es->chunk)
		bytes += lines[--first].norm_length + 1;
	if (es->chunk < CLASS_CHUNK_MAX)
		es->chunk *= 2;
	base = lines[first].norm_offset;
	prefilter_copy(&pf, &error_search_patterns.words);
	prefilter_scan(&pf, log_line_norm(log, first),
		       lines[last].norm_offset + lines[last].norm_length - base);
	r = &pf.rules[0];
	for (i = first; i <= last; i++) {
		size_t off = lines[i].norm_offset - base;
		bool candidate = !r->filtered || short_error_word(log, i);

		while (k < r->starts_nr && r->starts[k] < off)
			k++;
		if (k < r->starts_nr && r->starts[k] < off + lines[i].norm_length)
			candidate = true;
		if (!candidate || !line_matches(error_search_patterns.error, es->md, log, i))
			es->cls[i] = CLASS_PLAIN;
		else if (line_matches(error_search_patterns.noise, es->md, log, i))
			es->cls[i] = CLASS_NOISY_ERROR;
		else
			es->cls[i] = CLASS_ERROR;
	}
	prefilter_release(&pf);
}

static enum line_class line_class(struct error_search *es, size_t i)
{
	if (es->cls[i] == CLASS_UNSEEN)
		classify_before(es, i);
	return (enum line_class)es->cls[i];
}

/* The text of line i without a bare leading "<seconds> " (BuildKit repeats a
 * failed step's last lines in its error summary that way). */
static const char *without_time(const struct log *log, size_t i, size_t *len)
{
	const char *s = log_line_norm(log, i);
	size_t n = log->lines[i].norm_length, k = 0;

	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	if (k && k < n && s[k] == '.') {
		size_t j = k + 1;

		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j > k + 1 && j < n && s[j] == ' ') {
			*len = n - j - 1;
			return s + j + 1;
		}
	}
	*len = n;
	return s;
}

/* Whether line i repeats the text of an earlier chosen line. */
static bool repeats(const struct log *log, const size_t *chosen, size_t nr, size_t i)
{
	size_t k, n, m;
	const char *s = without_time(log, i, &n);

	for (k = 0; k < nr; k++) {
		const char *t = without_time(log, chosen[k], &m);

		if (m == n && !memcmp(s, t, n))
			return true;
	}
	return false;
}

/* Of newest[0..nr) (newest first), up to UNKNOWN_EVIDENCE_MAX lines into
 * out, oldest first, dropping repeats (BuildKit's error summary repeats a
 * step's lines); the latest lines win. Returns how many. */
static size_t keep_latest(const struct log *log, const size_t *newest, size_t nr, size_t *out)
{
	size_t i, k = 0;

	for (i = nr; i-- > 0;) {
		if (repeats(log, out, k, newest[i]))
			continue;
		if (k == UNKNOWN_EVIDENCE_MAX) {
			memmove(out, out + 1, (k - 1) * sizeof(*out));
			k--;
		}
		out[k++] = newest[i];
	}
	return k;
}

enum pick { PICK_ERRORS, PICK_ANY_ERRORS, PICK_ANY_TEXT };

/* Pick up to UNKNOWN_EVIDENCE_MAX lines of [first, last], the latest ones
 * matching what `how` asks for, returned in line order. */
static size_t pick_lines(struct error_search *es, size_t first, size_t last,
			 enum pick how, size_t *out)
{
	const struct log *log = es->log;
	size_t picked[UNKNOWN_EVIDENCE_MAX * 4], nr = 0, i;

	for (i = last + 1; i-- > first && nr < ARRAY_SIZE(picked);) {
		/* the class first: it is known, and most lines fail it */
		if (how == PICK_ERRORS && line_class(es, i) != CLASS_ERROR)
			continue;
		if (how == PICK_ANY_ERRORS && line_class(es, i) == CLASS_PLAIN)
			continue;
		if (!log->lines[i].norm_length || is_framing(log, i))
			continue;
		picked[nr++] = i;
	}
	return keep_latest(log, picked, nr, out);
}

static const char *const inferred_ids[CATEGORY__COUNT] = {
	[CATEGORY_REQUIREMENTS] = "inferred.requirements",
	[CATEGORY_DEPENDENCY_RESOLUTION] = "inferred.dependency-resolution",
	[CATEGORY_PACKAGE_BUILD] = "inferred.package-build",
	[CATEGORY_PYTHON_ENVIRONMENT] = "inferred.python-environment",
	[CATEGORY_DOCKERFILE] = "inferred.dockerfile",
	[CATEGORY_BUILD_CONTEXT] = "inferred.build-context",
	[CATEGORY_BASE_IMAGE] = "inferred.base-image",
	[CATEGORY_PLATFORM] = "inferred.platform",
	[CATEGORY_SYSTEM_PACKAGES] = "inferred.system-packages",
	[CATEGORY_NETWORK] = "inferred.network",
	[CATEGORY_RESOURCES] = "inferred.resources",
	[CATEGORY_TIMEOUT] = "inferred.timeout",
	[CATEGORY_APPLICATION] = "inferred.application",
	[CATEGORY_UNKNOWN] = "unknown",
};

const char *inferred_id(enum category c)
{
	return c < CATEGORY__COUNT ? inferred_ids[c] : "unknown";
}

/* Where the failure is: the failing step, else the failed CodeBuild phase,
 * else the whole log (DESIGN.md "Ranking"). */
struct scope {
	size_t step;            /* index + 1 of the failing step, or 0 */
	enum build_phase phase; /* the failed phase, or PHASE_NONE */
	size_t first, last;     /* its line range */
};

static void scope_init(const struct log *log, size_t failed_step, struct scope *sc)
{
	sc->step = failed_step;
	sc->phase = log->phases.failed;
	sc->first = 0;
	sc->last = log->nr ? log->nr - 1 : 0;
	if (failed_step) {
		sc->first = log->steps.steps[failed_step - 1].first_line;
		sc->last = log->steps.steps[failed_step - 1].last_line;
	} else if (sc->phase != PHASE_NONE) {
		sc->first = log->phases.failed_first_line;
		sc->last = log->phases.failed_last_line;
	}
}

static bool line_in_scope(const struct log *log, const struct scope *sc, size_t line)
{
	/* CodeBuild's own verdict on the failed phase (TIMED_OUT, CLIENT_ERROR)
	 * is about the step that was running in it */
	if (sc->step && log->lines[line].kind == LINE_AGENT && sc->phase != PHASE_NONE)
		return log->lines[line].phase == sc->phase;
	if (sc->step)
		return log->lines[line].step == sc->step;
	if (sc->phase != PHASE_NONE)
		return log->lines[line].phase == sc->phase;
	return true;
}

static bool in_scope(const struct log *log, const struct scope *sc, const struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->hits.lines_nr; i++)
		if (line_in_scope(log, sc, d->hits.lines[i]))
			return true;
	return false;
}

/* Whether every occurrence kept lies in a step that succeeded. */
static bool only_in_good_steps(const struct log *log, const struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->hits.lines_nr; i++)
		if (!step_succeeded(&log->steps, log->lines[d->hits.lines[i]].step))
			return false;
	return d->hits.lines_nr > 0;
}

static bool is_specific(const struct diagnosis *d)
{
	return d->rule && !d->fallback;
}

/* specific rules, then inferred diagnoses (and the timeout), then fallback */
static int rank_class(const struct diagnosis *d)
{
	if (d->fallback)
		return 2;
	return d->rule ? 0 : 1;
}

static int compare(const void *a, const void *b)
{
	const struct diagnosis *x = a, *y = b;

	if (rank_class(x) != rank_class(y))
		return rank_class(x) < rank_class(y) ? -1 : 1;
	if (x->in_failed_step != y->in_failed_step)
		return x->in_failed_step ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->hits.in_failed_phase != y->hits.in_failed_phase)
		return x->hits.in_failed_phase ? -1 : 1;
	if (x->first_line != y->first_line)
		return x->first_line < y->first_line ? -1 : 1;
	if (x->rule && y->rule)
		return x->rule->index < y->rule->index ? -1 : x->rule->index > y->rule->index;
	return 0;
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

/* --- Python errors outside the project ------------------------------------------ */

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

/*
 * A traceback, SyntaxError or ImportError whose frames are all third-party
 * (site-packages, pip's build directories, a dependency's setup.py,
 * get-pip.py) is not the project's code: package-build when it was raised
 * while building a package, python-environment otherwise. A
 * python-environment finding keeps its category and hint (the image's
 * Python is what its rule is about: `No module named 'imp'` in a package's
 * setup.py) and names the package it was raised in.
 */
static void attribute_python(const struct log *log, const struct inference *inf,
			     struct diagnosis *d)
{
	const struct inference_entry *e;
	size_t line, k, frames = 0, theirs = 0, building = 0;
	char *package = NULL;
	struct strbuf sb = STRBUF_INIT;

	if (!d->rule || (d->category != CATEGORY_APPLICATION &&
			 d->category != CATEGORY_PYTHON_ENVIRONMENT) || !d->hits.lines_nr)
		return;
	line = d->hits.lines[0];
	for (k = line + 1; k-- > 0 && line - k < 80;) {
		const char *s = log_line_norm(log, k), *path, *q;
		size_t n = log->lines[k].norm_length;

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
		if (third_party_path(path, (size_t)(q - path)) ||
		    (has(path, (size_t)(q - path), "setup.py") && frames && k != line &&
		     has(path, (size_t)(q - path), "/tmp/"))) {
			theirs++;
			if (build_path(path, (size_t)(q - path)))
				building++;
			/* the innermost frame (the first met going up) names it */
			if (!package)
				package = package_of(path, (size_t)(q - path));
		}
	}
	if (!frames || theirs != frames) {
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

/* --- the failing step's own words ------------------------------------------------ */

/* Up to max of the failing step's latest output lines (newest first). */
static size_t step_output(const struct log *log, const struct scope *sc, size_t *out, size_t max)
{
	size_t k, nr = 0;

	if (!sc->step)
		return 0;
	for (k = sc->last + 1; k-- > sc->first && nr < max && sc->last - k < 200000;)
		if (log->lines[k].step == sc->step && log->lines[k].kind == LINE_OUTPUT &&
		    log->lines[k].norm_length)
			out[nr++] = k;
	return nr;
}

/* The likeliest error lines of the scope, oldest first: the failing step's
 * last output, else lines that read as errors near the failure. */
static size_t likeliest_lines(const struct log *log, const struct scope *sc, size_t *out)
{
	struct error_search es;
	size_t newest[UNKNOWN_EVIDENCE_MAX * 4], nr, k, ranges[3][2];

	nr = step_output(log, sc, newest, ARRAY_SIZE(newest));
	if (nr)
		return keep_latest(log, newest, nr, out);
	if (!log->nr)
		return 0;
	error_search_init(&es, log);
	/* the failing step, then the failed phase, then the whole log */
	ranges[0][0] = sc->first;
	ranges[0][1] = sc->last;
	ranges[1][0] = sc->phase != PHASE_NONE ? log->phases.failed_first_line : sc->first;
	ranges[1][1] = sc->phase != PHASE_NONE ? log->phases.failed_last_line : sc->last;
	ranges[2][0] = 0;
	ranges[2][1] = log->nr - 1;
	for (k = 0; k < ARRAY_SIZE(ranges) && !nr; k++) {
		/* a range already searched (no step, or no phase) is not again */
		if (k && ranges[k][0] == ranges[k - 1][0] && ranges[k][1] == ranges[k - 1][1])
			continue;
		if (k == 2 && ranges[2][0] == ranges[0][0] && ranges[2][1] == ranges[0][1])
			continue;
		nr = pick_lines(&es, ranges[k][0], ranges[k][1], PICK_ERRORS, out);
	}
	if (!nr)
		nr = pick_lines(&es, ranges[1][0], ranges[1][1], PICK_ANY_ERRORS, out);
	if (!nr)
		nr = pick_lines(&es, ranges[1][0], ranges[1][1], PICK_ANY_TEXT, out);
	error_search_release(&es);
	return nr;
}

/* Lines at the end of a failing step read as one message. */
#define WORDING_TAIL 12

/* Of the classes that match one of lines[0..nr) (newest first), the one that
 * comes first in the table; *at is the newest line it matched. */
static const struct inference_entry *first_class(const struct log *log,
						 const struct inference *inf,
						 const size_t *lines, size_t nr, size_t *at)
{
	const struct inference_entry *best = NULL;
	size_t k, best_rank = SIZE_MAX, r;

	for (k = 0; k < nr; k++) {
		const struct inference_entry *e = inference_wording(inf, log_line_norm(log, lines[k]),
								    log->lines[lines[k]].norm_length);

		if (!e)
			continue;
		for (r = 0; r < inf->nr[INFER_WORDING] && inf->entries[INFER_WORDING][r] != e; r++)
			;
		if (r < best_rank) {
			best_rank = r;
			best = e;
			*at = lines[k];
		}
	}
	return best;
}

/*
 * What the tables say of the failure: the wording class of the step's last
 * output lines (see first_class, then the newest line that has one), else the step's instruction,
 * else its exit code, else the last known tool its command runs. *at is the
 * line a wording class matched, or SIZE_MAX.
 */
static const struct inference_entry *infer(const struct log *log, const struct inference *inf,
					   const struct scope *sc, const size_t *lines, size_t nr,
					   size_t *at)
{
	const struct inference_entry *e, *tools[16];
	const struct build_step *st = sc->step ? &log->steps.steps[sc->step - 1] : NULL;
	size_t recent[40], k, n;

	*at = SIZE_MAX;
	n = step_output(log, sc, recent, ARRAY_SIZE(recent));
	/* the step's last few lines hold the cause and its symptoms together
	 * (apt's DNS error, then "E: Some index files failed"): there the
	 * class that comes first in the table wins; further up, the newest
	 * line with a class (a retry that recovered long before is not it) */
	if ((e = first_class(log, inf, recent, n < WORDING_TAIL ? n : WORDING_TAIL, at)))
		return e;
	for (k = 0; k < n; k++)
		if ((e = inference_wording(inf, log_line_norm(log, recent[k]),
					   log->lines[recent[k]].norm_length))) {
			*at = recent[k];
			return e;
		}
	for (k = nr; !n && k-- > 0;)
		if ((e = inference_wording(inf, log_line_norm(log, lines[k]),
					   log->lines[lines[k]].norm_length))) {
			*at = lines[k];
			return e;
		}
	if (!st)
		return NULL;
	if (st->instruction &&
	    (e = inference_find(inf, INFER_INSTRUCTION, st->instruction, strlen(st->instruction))))
		return e;
	if (st->exit_code >= 0) {
		char code[16];
		int len = snprintf(code, sizeof(code), "%d", st->exit_code);

		if ((e = inference_find(inf, INFER_EXIT_CODE, code, (size_t)len)))
			return e;
	}
	if (st->instruction && !strcmp(st->instruction, "RUN") &&
	    (n = inference_tools(inf, st->command, tools, ARRAY_SIZE(tools))))
		return tools[n - 1];
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
 * manager failing without naming a package). Flags
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
	if (!strcmp(st->instruction, "RUN"))
		return cat == CATEGORY_RESOURCES || cat == CATEGORY_TIMEOUT ||
		       cat == CATEGORY_APPLICATION || cat == CATEGORY_SYSTEM_PACKAGES ? xstrdup(s) : NULL;
	copy = !strcmp(st->instruction, "COPY") || !strcmp(st->instruction, "ADD");
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
 * and metadata), for a package build; the first package dpkg lists under
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

	while (s < end && *s != ' ' && *s != '(' && *s != ':')
		s++;
	return (size_t)(s - w);
}

static char *progress_subject(const struct log *log, const struct scope *sc,
			      const struct diagnosis *d)
{
	static const char *const pip[] = {
		"Building wheel for ", "Running setup.py install for ", "Collecting ",
	};
	static const char dpkg[] = "Errors were encountered while processing:";
	size_t i, k, stop;

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
		for (k = 0; k < ARRAY_SIZE(pip); k++)
			if ((w = named_after(t, end, pip[k])))
				return xstrndup(w, name_len(w, end));
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

/* "`pip install x` (step 5/9) exited with code 1 after printing: " */
static void describe_step(struct strbuf *sb, const struct build_step *st)
{
	strbuf_addch(sb, '`');
	build_step_text(st, true, sb);
	strbuf_addch(sb, '`');
	if (st->index > 0 && st->total > 0)
		strbuf_addf(sb, " (step %d/%d)", st->index, st->total);
	else if (st->index > 0)
		strbuf_addf(sb, " (step %d)", st->index);
	if (st->exit_code >= 0)
		strbuf_addf(sb, " exited with code %d after printing: ", st->exit_code);
	else
		strbuf_addstr(sb, " failed after printing: ");
}

static void add_line_text(struct strbuf *sb, const struct log *log, size_t line)
{
	size_t n, cut = 0;
	const char *s = without_time(log, line, &n);

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;

	while (cut < n && cut < 200)
		cut++;
	while (cut < n && (s[cut] & 0xc0) == 0x80)
		cut++;
	strbuf_add(sb, s, cut);
	if (cut < n)
		strbuf_addstr(sb, "...");
}

/*
 * The failing step's own finding when no rule named one there: inferred
 * from the tables, or unknown when they know nothing. Quotes the step's last
 * output (or the likeliest error lines).
 */
static void add_inferred(const struct log *log, const struct inference *inf,
			 const struct scope *sc, struct diagnoses *out)
{
	const struct build_step *st = sc->step ? &log->steps.steps[sc->step - 1] : NULL;
	const struct inference_entry *e;
	size_t lines[UNKNOWN_EVIDENCE_MAX], nr, i, at;
	struct strbuf sb = STRBUF_INIT;
	struct diagnosis *d;

	nr = likeliest_lines(log, sc, lines);
	e = infer(log, inf, sc, lines, nr, &at);
	if (at != SIZE_MAX) {
		/* the line that told the class is quoted too */
		for (i = 0; i < nr && lines[i] != at; i++)
			;
		if (i == nr) {
			if (nr == UNKNOWN_EVIDENCE_MAX)
				memmove(lines, lines + 1, --nr * sizeof(*lines));
			for (i = nr; i > 0 && lines[i - 1] > at; i--)
				lines[i] = lines[i - 1];
			lines[i] = at;
			nr++;
		}
	}
	d = &out->items[out->nr++];
	memset(d, 0, sizeof(*d));
	if (e) {
		d->id = inferred_id(e->category);
		d->title = e->title;
		d->category = e->category;
		d->inferred = true;
		d->hint = xstrdup(e->hint);
	} else {
		d->id = "unknown";
		d->title = "Unrecognised failure";
		d->category = CATEGORY_UNKNOWN;
		d->hint = xstrdup("Read the quoted lines and the context around them. If this failure "
				  "recurs, write a rule for it (a JSON file given with --rules DIR; RULE FILES "
				  "in 'man buildsleuth' shows how) so the next report names the cause.");
		strbuf_addstr(&sb, "No known failure signature matched; ");
	}
	if (st)
		describe_step(&sb, st);
	else if (nr)
		strbuf_addstr(&sb, "the likeliest error line is: ");
	if (nr)
		add_line_text(&sb, log, at != SIZE_MAX ? at : lines[nr - 1]);
	else if (!st)
		strbuf_addstr(&sb, e ? "the log holds no error lines" :
			      "No known failure signature matched and the log holds no error lines");
	else
		strbuf_addstr(&sb, "(nothing)");
	if (!e && !st && !nr) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "No known failure signature matched and the log holds no error lines");
	}
	d->summary = strbuf_detach(&sb, NULL);
	if (e && e->category == CATEGORY_NETWORK) {
		size_t recent[40], n = step_output(log, sc, recent, ARRAY_SIZE(recent));

		/* the newest line that names a host: the step's, else the quoted */
		for (i = 0; i < n && !d->subject; i++)
			d->subject = host_in(log_line_norm(log, recent[i]), log->lines[recent[i]].norm_length);
		for (i = nr; i-- > 0 && !d->subject;)
			d->subject = host_in(log_line_norm(log, lines[i]), log->lines[lines[i]].norm_length);
		if (!d->subject)
			d->subject = download_subject(log, recent, n);
	}
	if (!d->subject && st && st->command)
		d->subject = xstrdup(st->command);
	d->hits.count = nr ? 1 : 0; /* one failure, quoted by nr lines */
	d->hits.lines_nr = nr;
	for (i = 0; i < nr; i++)
		d->hits.lines[i] = lines[i];
	d->first_line = nr ? lines[0] : 0;
	d->phase = nr ? (enum build_phase)log->lines[lines[0]].phase : PHASE_NONE;
	d->step = sc->step;
	d->in_failed_step = sc->step != 0;
	d->priority = 0;
	d->hits.in_failed_phase = nr && log->phases.failed != PHASE_NONE &&
				  d->phase == log->phases.failed;
}

/* --- cause before consequence ---------------------------------------------------- */

static bool rule_explains(const struct rule *cause, const struct rule *effect)
{
	size_t i;

	if (!cause || !effect || !cause->explains_rules)
		return false;
	for (i = 0; i < cause->explains.nr; i++)
		if (cause->explains_rules[i] == effect)
			return true;
	return false;
}

/* Both in one step, or (without step framing) in one phase. */
static bool same_place(const struct diagnosis *a, const struct diagnosis *b)
{
	if (a->step || b->step)
		return a->step == b->step;
	return a->phase == b->phase;
}

/* Name the consequence's subject in the cause's summary ("header portaudio.h
 * is missing; it led to: Wheel build failed (pyaudio)"): the cause ranks
 * first, and the reader still learns which package it stopped. */
static void name_consequence(struct diagnosis *cause, const struct diagnosis *effect)
{
	struct strbuf sb = STRBUF_INIT;

	if (!effect->subject || strstr(cause->summary, effect->subject) ||
	    strstr(cause->summary, "; it led to: "))
		return;
	strbuf_addstr(&sb, cause->summary);
	strbuf_addf(&sb, "; it led to: %s (%s)", effect->title, effect->subject);
	free(cause->summary);
	cause->summary = strbuf_detach(&sb, NULL);
}

/* Move each cause before the findings it explains and mark them. */
static void order_causes(struct diagnoses *d)
{
	size_t pass, i, j;
	bool moved = true;

	for (pass = 0; moved && pass <= d->nr; pass++) {
		moved = false;
		for (i = 0; i < d->nr; i++) {
			for (j = 0; j < d->nr; j++) {
				struct diagnosis *cause = &d->items[j], *effect = &d->items[i];

				if (i == j || !rule_explains(cause->rule, effect->rule) ||
				    !same_place(cause, effect) || cause->first_line > effect->first_line)
					continue;
				effect->explained_by = cause->id;
				name_consequence(cause, effect);
				if (j > i) {
					struct diagnosis c = *cause;

					memmove(d->items + i + 1, d->items + i, (j - i) * sizeof(*d->items));
					d->items[i] = c;
					moved = true;
				}
				break;
			}
		}
	}
}

static void drop(struct diagnoses *d, size_t i)
{
	rule_hits_release(&d->items[i].hits);
	free(d->items[i].summary);
	free(d->items[i].hint);
	free(d->items[i].subject);
	memmove(d->items + i, d->items + i + 1, (d->nr - i - 1) * sizeof(*d->items));
	d->nr--;
}

void rank_diagnoses(const struct log *log, struct match_result *match,
		    enum outcome outcome, const struct inference *inf,
		    struct diagnoses *out)
{
	struct scope sc;
	size_t i;
	bool own = false, specific = false;

	out->items = xcalloc(match->nr + 1, sizeof(*out->items));
	out->nr = 0;
	out->outcome = outcome;
	out->failed_step = outcome == OUTCOME_FAILED ? log_failed_step_nr(log) : 0;
	scope_init(log, out->failed_step, &sc);
	for (i = 0; i < match->nr; i++) {
		struct diagnosis *d;
		const struct rule *r = match->hits[i].rule;

		if (outcome != OUTCOME_FAILED) {
			/* a build that did not fail has no causes: warnings,
			 * retries that recovered, notices */
			rule_hits_release(&match->hits[i]);
			continue;
		}
		d = &out->items[out->nr++];
		d->rule = r;
		d->id = r->id;
		d->title = r->title;
		d->category = r->category;
		d->priority = r->priority;
		d->fallback = r->fallback;
		d->docs = r->docs;
		d->hits = match->hits[i];
		d->first_line = d->hits.lines[0];
		d->phase = (enum build_phase)log->lines[d->first_line].phase;
		d->step = log->lines[d->first_line].step;
		d->in_failed_step = sc.step && in_scope(log, &sc, d);
		d->summary = fill_placeholders(r->summary, &d->hits);
		d->hint = fill_placeholders(r->hint, &d->hits);
		/* a rule's own subject; else what the tool was working on;
		 * else the rule's first capture */
		d->subject = r->subject ? subject_of(d) : NULL;
		if (!d->subject)
			d->subject = progress_subject(log, &sc, d);
		if (!d->subject && sc.step && (!d->step || d->step == sc.step))
			d->subject = line_subject(&log->steps.steps[sc.step - 1], d->category);
		if (!d->subject)
			d->subject = subject_of(d);
		if (!d->subject && d->category == CATEGORY_NETWORK)
			d->subject = host_of(log, d);
		if (!d->subject && sc.step && (!d->step || d->step == sc.step))
			d->subject = step_subject(&log->steps.steps[sc.step - 1], d->category);
		attribute_python(log, inf, d);
		if (is_specific(d)) {
			specific = true;
			if (in_scope(log, &sc, d))
				own = true;
		}
	}
	/* the hits moved into out */
	free(match->hits);
	match->hits = NULL;
	match->nr = match->alloc = 0;
	if (outcome != OUTCOME_FAILED)
		return;

	/* no rule named the failure where it happened: infer it there */
	if (!own) {
		add_inferred(log, inf, &sc, out);
		own = out->items[out->nr - 1].inferred;
	}
	for (i = out->nr; i-- > 0;) {
		struct diagnosis *d = &out->items[i];

		/* a step that succeeded did not cause the failure when the
		 * failing step has a finding of its own */
		if (sc.step && own && d->rule && only_in_good_steps(log, d)) {
			drop(out, i);
			continue;
		}
		/* a generic "step exited" finding says nothing the failing step
		 * does not say, and nothing beside a real cause */
		if (d->fallback && (sc.step || specific || own))
			drop(out, i);
	}
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), compare);
	/* unknown: nothing is known, so the likeliest lines lead */
	for (i = 1; i < out->nr; i++) {
		if (!out->items[i].rule && out->items[i].category == CATEGORY_UNKNOWN &&
		    !out->items[i].inferred) {
			struct diagnosis u = out->items[i];

			memmove(out->items + 1, out->items, i * sizeof(*out->items));
			out->items[0] = u;
			break;
		}
	}
	order_causes(out);
}

void rank_add_timeout(const struct log *log, const char *message, struct diagnoses *d)
{
	struct diagnosis *t;
	struct strbuf sb = STRBUF_INIT;
	size_t i, at;

	for (i = 0; i < d->nr; i++)
		if (d->items[i].category == CATEGORY_TIMEOUT)
			return;
	/* the unknown or inferred diagnosis guessed at the cause: the build
	 * record says what it was */
	for (i = 0; i < d->nr; i++) {
		if (d->items[i].rule)
			continue;
		drop(d, i);
		break;
	}
	for (at = 0; at < d->nr; at++)
		if (d->items[at].fallback || d->items[at].priority <= RANK_TIMEOUT_PRIORITY)
			break;
	d->items = xreallocarray(d->items, d->nr + 1, sizeof(*d->items));
	memmove(d->items + at + 1, d->items + at, (d->nr - at) * sizeof(*d->items));
	d->nr++;
	t = &d->items[at];
	memset(t, 0, sizeof(*t));
	t->id = RANK_TIMEOUT_ID;
	t->title = "Build time limit reached";
	t->category = CATEGORY_TIMEOUT;
	t->priority = RANK_TIMEOUT_PRIORITY;
	strbuf_addstr(&sb, "The build was stopped at its time limit");
	if (message && *message) {
		strbuf_addstr(&sb, " (");
		strbuf_addstr(&sb, message);
		strbuf_addch(&sb, ')');
	}
	strbuf_addstr(&sb, "; the log ends in the step that was still running");
	t->summary = strbuf_detach(&sb, NULL);
	t->hint = xstrdup("Look at the last lines of the log: that step was too slow. Usual "
			  "causes are compiling a package from source (pin a version with a "
			  "prebuilt wheel for the image's Python and platform, or start from a "
			  "base image that has it), downloading very large packages (torch or "
			  "CUDA: use the CPU-only index when the GPU build is not needed), or a "
			  "large build context (add a .dockerignore). Then deploy again.");
	for (i = log->nr; i-- > 0;) {
		if (!log->lines[i].norm_length)
			continue;
		t->hits.count = 1;
		t->hits.lines_nr = 1;
		t->hits.lines[0] = i;
		t->first_line = i;
		t->phase = log->lines[i].phase;
		t->hits.in_failed_phase = log->phases.failed != PHASE_NONE &&
					  t->phase == log->phases.failed;
		break;
	}
}
