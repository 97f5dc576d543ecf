/* error_lines.c - the likeliest error lines of a failure no rule names:
 * the failing step's last output, else lines that read as errors (an error
 * word, not known noise) found from the end of its scope backwards, a chunk
 * at a time: the prefilter's scan of the error words' literals, then the
 * error and noise patterns (compiled once per process) only on the lines
 * holding one, each line classified once. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/error_lines.h"
#include "buildsleuth/phase.h"
#include "buildsleuth/prefilter.h"
#include "buildsleuth/rules.h"
#include "buildsleuth/util.h"

/* Lines that look like an error: one of these words (whose literals the
 * search looks for)... */
#define ERROR_WORDS \
	"(?i)\\berror\\b|\\bfatal\\b|\\bfailed\\b|\\bfailure\\b|traceback|" \
	"exception\\b|\\bpanic:|not found|no such file|\\bcannot\\b|can't|" \
	"could not|couldn't|unable to|denied|\\binvalid\\b|" \
	"\\bkilled\\b|exit code|exit status|non-zero|\\bfault\\b|\\babort|giving up"
/* ...or these, which the error words' literals do not cover: "refused" is
 * looked for as "refus" and "refu\u017f" (the long s is a caseless s),
 * "err!" as itself ('r' has no other case in UTF-8), "E: " (too short for
 * a literal) at line starts */
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
 * log needs them, and the literals of the error words, of "refused" and of
 * "err!" (one of which every error line holds, but for those
 * short_error_word() finds). Never freed: they are the process's constants, shared by the
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
	literal_set_add(&set, "err!", 4, true);
	prefilter_init_literals(&error_search_patterns.words, &set, 1);
}

/* The agent's and the builder's own lines, and its success lines: never
 * the likeliest error line. */
static bool is_framing(const struct log *log, size_t i)
{
	return log->lines[i].kind != LINE_OUTPUT ||
	       phase_agent_line(log_line_norm(log, i), log->lines[i].norm_length);
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
#define CLASS_CHUNK_MAX (32 * 1024 * 1024)

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

/* Whether line i begins with "E: " (in any case), which ERROR_SHORT_WORDS
 * holds and no literal of the error words' search covers. */
static bool short_error_word(const struct log *log, size_t i)
{
	const char *s = log_line_norm(log, i);

	return log->lines[i].norm_length >= 3 && (s[0] | 0x20) == 'e' && s[1] == ':' && s[2] == ' ';
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
const char *line_without_time(const struct log *log, size_t i, size_t *len)
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
	const char *s = line_without_time(log, i, &n);

	for (k = 0; k < nr; k++) {
		const char *t = line_without_time(log, chosen[k], &m);

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

/* Whether line i is a Dockerfile excerpt's line: "   4 | >>> COPY a b". */
static bool excerpt_line(const struct log *log, size_t i)
{
	const char *s = log_line_norm(log, i);
	size_t n = log->lines[i].norm_length, k = 0, d;

	while (k < n && s[k] == ' ')
		k++;
	for (d = k; k < n && s[k] >= '0' && s[k] <= '9'; k++)
		;
	return k > d && k + 1 < n && s[k] == ' ' && s[k + 1] == '|';
}

/* Whether line i is exactly the text rule[0..n). */
static bool line_is(const struct log *log, size_t i, const char *rule, size_t n)
{
	return log->lines[i].norm_length == n && !memcmp(log_line_norm(log, i), rule, n);
}

/*
 * Whether line i is the builder's own failure message, whatever its words:
 * BuildKit prints it right below the Dockerfile excerpt of its error summary
 * (its closing "--------------------" under "   4 | >>> COPY ..."), or,
 * without the excerpt, right below the summary's closing "------" (the
 * opening one is followed by " > [2/4] COPY ...:", never by output), where
 * a message without an error word ("When using COPY with more than one
 * source file, the destination must be a directory and end with a /") would
 * otherwise not be taken. The legacy builder's and kaniko's last lines are
 * the failing step's output, quoted as such.
 */
static bool builder_failure_line(const struct log *log, size_t i)
{
	static const char excerpt_rule[] = "--------------------", summary_rule[] = "------";
	const char *s = log_line_norm(log, i);
	size_t n = log->lines[i].norm_length;

	if (i < 1 || log->lines[i].kind != LINE_OUTPUT || !n)
		return false;
	if (line_is(log, i - 1, excerpt_rule, sizeof(excerpt_rule) - 1))
		return i >= 2 && excerpt_line(log, i - 2);
	return line_is(log, i - 1, summary_rule, sizeof(summary_rule) - 1) &&
	       !(n > 11 && !memcmp(s, "Dockerfile:", 11)) && !(n > 3 && !memcmp(s, " > ", 3));
}

/* Whether line i holds text once BuildKit's repeated "<seconds> " and
 * blanks are set aside: its error summary repeats a step's blank last line
 * as "24.21 ", which quotes nothing. */
static bool has_text(const struct log *log, size_t i)
{
	size_t n;
	const char *t = line_without_time(log, i, &n);

	while (n && (*t == ' ' || *t == '\t'))
		t++, n--;
	return n != 0;
}

size_t error_lines_quote(const struct log *log, const size_t *lines, size_t nr)
{
	pcre2_match_data *md;
	size_t i, text = SIZE_MAX, found = SIZE_MAX;

	pthread_once(&error_search_patterns.once, error_search_setup);
	md = pcre2_match_data_create(4, NULL);
	for (i = nr; i-- > 0 && found == SIZE_MAX;) {
		if (!has_text(log, lines[i]))
			continue;
		if (text == SIZE_MAX)
			text = lines[i];
		if (!line_matches(error_search_patterns.noise, md, log, lines[i]))
			found = lines[i];
	}
	pcre2_match_data_free(md);
	if (found != SIZE_MAX)
		return found;
	return text != SIZE_MAX ? text : lines[nr - 1];
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
		if (how == PICK_ERRORS && line_class(es, i) != CLASS_ERROR &&
		    !builder_failure_line(log, i))
			continue;
		if (how == PICK_ANY_ERRORS && line_class(es, i) == CLASS_PLAIN)
			continue;
		if (!log->lines[i].norm_length || is_framing(log, i))
			continue;
		picked[nr++] = i;
	}
	return keep_latest(log, picked, nr, out);
}

/* The likeliest error lines of the scope, oldest first: the failing step's
 * last output, else lines that read as errors near the failure. */
size_t error_lines_likeliest(const struct log *log, const struct scope *sc, size_t *out)
{
	struct error_search es;
	size_t newest[UNKNOWN_EVIDENCE_MAX * 4], nr, k, ranges[3][2];

	nr = scope_step_output(log, sc, newest, ARRAY_SIZE(newest));
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
		/* a failed phase's own last lines come before other phases'
		 * errors: what runs after the failure (POST_BUILD's "docker
		 * build failed") or before it is not its cause */
		if (k == 2 && sc->phase != PHASE_NONE)
			break;
		nr = pick_lines(&es, ranges[k][0], ranges[k][1], PICK_ERRORS, out);
	}
	if (!nr)
		nr = pick_lines(&es, ranges[1][0], ranges[1][1], PICK_ANY_ERRORS, out);
	if (!nr)
		nr = pick_lines(&es, ranges[1][0], ranges[1][1], PICK_ANY_TEXT, out);
	if (!nr && sc->phase != PHASE_NONE)
		nr = pick_lines(&es, ranges[2][0], ranges[2][1], PICK_ERRORS, out);
	error_search_release(&es);
	return nr;
}
