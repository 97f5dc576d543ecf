/* normalize.c - the line normaliser: what a terminal would have shown, minus
 * the CodeBuild and BuildKit prefixes, so rules match the tool's own words. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buildsleuth/normalize.h"
#include "buildsleuth/util.h"

static const char replacement[] = "\xef\xbf\xbd";

/* Length of the escape sequence starting at s[0] == ESC. */
static size_t escape_length(const unsigned char *s, size_t n)
{
	size_t i;

	if (n < 2)
		return 1;
	switch (s[1]) {
	case '[': /* CSI: parameters, intermediates, one final byte */
		for (i = 2; i < n && s[i] >= 0x30 && s[i] <= 0x3f; i++)
			;
		for (; i < n && s[i] >= 0x20 && s[i] <= 0x2f; i++)
			;
		return i < n && s[i] >= 0x40 && s[i] <= 0x7e ? i + 1 : i;
	case ']': case 'P': case 'X': case '^': case '_':
		/* OSC and other strings: up to BEL or ESC '\' */
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b)
				return i + 1 < n && s[i + 1] == '\\' ? i + 2 : i;
		}
		return n;
	default:
		/* ESC, intermediates, one final byte: ESC ( B, ESC 7, ESC = */
		for (i = 1; i < n && s[i] >= 0x20 && s[i] <= 0x2f; i++)
			;
		return i < n ? i + 1 : i;
	}
}

/*
 * Overlay the segment out[seg_start..len) onto out[base..seg_start): the text
 * written after a '\r' replaces the start of the line as on a terminal, and
 * the old tail stays visible past it (cut at a character boundary).
 */
static void overlay(struct strbuf *out, size_t base, size_t seg_start)
{
	size_t seg = out->len - seg_start;
	size_t keep = base + seg;

	if (keep > seg_start)
		keep = seg_start;
	while (keep < seg_start && (out->buf[keep] & 0xc0) == 0x80)
		keep++;
	memmove(out->buf + base, out->buf + seg_start, seg);
	/* the old tail moves only when the segment ended inside a character:
	 * a progress bar redrawn a million times must not copy the line each time */
	if (keep != base + seg)
		memmove(out->buf + base + seg, out->buf + keep, seg_start - keep);
	strbuf_setlen(out, base + seg + (seg_start - keep));
}

/* Whether the 8 bytes of w are all printable ASCII (0x20..0x7e). */
static bool printable8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	/* some byte < 0x20 ("hasless" from Bit Twiddling Hacks), or >= 0x7f
	 * (its high bit is set, or adding one sets it) */
	return !(((w - 0x20 * ones) & ~w & highs) | ((w | (w + ones)) & highs));
}

/* Past the blocks of 16 printable ASCII bytes (0x20..0x7e) from s[i]: the
 * whole of most lines, tested with SSE2 (every x86-64 has it) where the
 * compiler targets it. */
static size_t printable_ascii_end(const unsigned char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i below = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);

	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* signed: 0x80..0xff are negative, so below 0x20 too */
		__m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, below), _mm_cmpeq_epi8(v, del));

		if (_mm_movemask_epi8(bad))
			break;
	}
	/* the last few: the 16 bytes that end the text, when they are all
	 * printable, hold them */
	if (i < len && i + 16 > len && len >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
		__m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, below), _mm_cmpeq_epi8(v, del));

		if (!_mm_movemask_epi8(bad))
			i = len;
	}
#endif
	return i;
}

/* Past the copies of the 3-byte character at s[i] that follow it (a
 * progress bar's U+2501 repeated): where the last whole copy begins. */
static size_t repeated3_end(const unsigned char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	/* s[i..i+18) equal to s[i+3..i+21) is 6 copies from s[i]; 15 bytes,
	 * 5 whole copies, are skipped at a time */
	while (i + 21 <= len) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 3));

		if (_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) != 0xffff)
			break;
		i += 15;
	}
#endif
	while (i + 6 <= len && s[i + 3] == s[i] && s[i + 4] == s[i + 1] && s[i + 5] == s[i + 2])
		i += 3;
	return i;
}

/* Where the run of characters from s[i] that clean_line copies unchanged
 * (printable ASCII, tabs, valid UTF-8 other than C1 controls and the
 * invisible characters of utf8_invisible_len) ends. */
static size_t plain_run_end(const unsigned char *s, size_t i, size_t len)
{
	while (i < len) {
		unsigned char c;
		size_t k;
		uint64_t w;

		/* sixteen, then eight bytes at a time while they are all
		 * plain ASCII (not tried inside a run of other characters,
		 * such as a progress bar's) */
		if (s[i] < 0x80) {
			i = printable_ascii_end(s, i, len);
			for (; i + 8 <= len; i += 8) {
				memcpy(&w, s + i, sizeof(w));
				if (!printable8(w))
					break;
			}
			if (i >= len)
				break;
		}
		c = s[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			i++;
			continue;
		}
		if (c < 0x80)
			break;
		/* the common valid sequences inline (U+00C0..U+07FF and
		 * U+1000..U+CFFF, such as the progress bar's U+2501), the
		 * rest (overlongs, surrogates, C1, U+0600..U+063F and
		 * U+2000..U+207F, where the invisible characters are)
		 * checked in full */
		if (c >= 0xc3 && c <= 0xdf && c != 0xd8 && i + 2 <= len &&
		    (s[i + 1] & 0xc0) == 0x80) {
			i += 2;
			continue;
		}
		if (c >= 0xe1 && c <= 0xec && i + 3 <= len && (s[i + 1] & 0xc0) == 0x80 &&
		    (s[i + 2] & 0xc0) == 0x80 && !(c == 0xe2 && s[i + 1] <= 0x81)) {
			i = repeated3_end(s, i, len) + 3;
			continue;
		}
		k = utf8_valid_len(s + i, len - i);
		if (!k || (k == 2 && c == 0xc2 && s[i + 1] < 0xa0) ||
		    utf8_invisible_len(s + i, len - i))
			break;
		i += k;
	}
	return i;
}

/*
 * Append raw[0..len) to out with escapes removed, invalid UTF-8 as U+FFFD,
 * other control characters (C0, DEL, C1) and the invisible bidirectional and
 * zero-width characters dropped, or shown as U+FFFD when show_controls, and
 * each '\r' treated as a return to column 0 that later text overwrites.
 */
static void clean_line(const char *raw, size_t len, struct strbuf *out,
		       bool show_controls)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t base = out->len, i = 0;
	size_t seg_start = base; /* where the text after the last '\r' began */
	bool returned = false;

	while (i < len) {
		unsigned char c = s[i];
		size_t k;

		if (c == 0x1b) {
			i += escape_length(s + i, len - i);
			continue;
		}
		if (c == '\r') {
			if (returned)
				overlay(out, base, seg_start);
			returned = true;
			seg_start = out->len;
			i++;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			if (show_controls)
				strbuf_add(out, replacement, 3);
			i++;
			continue;
		}
		k = utf8_valid_len(s + i, len - i);
		if (!k) {
			strbuf_add(out, replacement, 3);
			i++;
			continue;
		}
		if (k == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
			/* U+0080..U+009F: C1 controls, which terminals that honour
			 * them treat as ESC sequences (U+009B is CSI) */
			if (show_controls)
				strbuf_add(out, replacement, 3);
			i += 2;
			continue;
		}
		if (utf8_invisible_len(s + i, len - i)) {
			/* bidirectional controls can reorder what a reviewer
			 * reads, zero-width characters hide text: shown as the
			 * controls are, and not matched (rules see what the
			 * line shows) */
			if (show_controls)
				strbuf_add(out, replacement, 3);
			i += k;
			continue;
		}
		/* copy the whole run of characters that need nothing done at
		 * once: most lines are nothing else */
		k = plain_run_end(s, i + k, len);
		strbuf_add(out, raw + i, k - i);
		i = k;
	}
	if (returned)
		overlay(out, base, seg_start);
}

/* Length of Go's log time stamp "YYYY/MM/DD HH:MM:SS[.ffffff]" and its
 * space at s (the whole of s when nothing follows it), or 0: the standard
 * log package's flags, which CodeBuild's agent and Go tools that log a
 * build's lines print before each. */
static size_t go_log_prefix(const char *s, size_t n)
{
	static const char shape[] = "dddd/dd/dd dd:dd:dd";
	size_t i, j;

	for (i = 0, j = 0; shape[j]; j++, i++) {
		if (i >= n)
			return 0;
		if (shape[j] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[j])
			return 0;
	}
	if (i < n && s[i] == '.') {
		size_t k = i + 1;

		while (k < n && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == i + 1)
			return 0;
		i = k;
	}
	if (i < n && s[i] == ' ')
		return i + 1;
	return i == n ? i : 0;
}

/* Length of "[Container] YYYY/MM/DD HH:MM:SS[.ffffff] " at s, or 0. */
static size_t codebuild_prefix(const char *s, size_t n)
{
	static const char tag[] = "[Container] ";
	size_t i = sizeof(tag) - 1, t;

	if (n < i || memcmp(s, tag, i) || !(t = go_log_prefix(s + i, n - i)))
		return 0;
	return i + t;
}

static bool digits(const char *s, size_t n, size_t *i, size_t count)
{
	size_t k;

	for (k = 0; k < count; k++, (*i)++)
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return false;
	return true;
}

/* Length of an ISO 8601 time stamp at s ("2024-03-05T10:11:12.1234567Z",
 * "2021-06-30T21:57:08.467247+00:00"), or 0. */
static size_t timestamp_length(const char *s, size_t n)
{
	size_t i = 0;

	if (!digits(s, n, &i, 4) || i >= n || s[i++] != '-' || !digits(s, n, &i, 2) ||
	    i >= n || s[i++] != '-' || !digits(s, n, &i, 2) || i >= n || s[i++] != 'T' ||
	    !digits(s, n, &i, 2) || i >= n || s[i++] != ':' || !digits(s, n, &i, 2) ||
	    i >= n || s[i++] != ':' || !digits(s, n, &i, 2))
		return 0;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		size_t k = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == k)
			return 0;
	}
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		i++;
		if (!digits(s, n, &i, 2))
			return 0;
		if (i < n && s[i] == ':')
			i++;
		if (!digits(s, n, &i, 2))
			return 0;
	}
	return i;
}

/* Length of a time stamp and its space as CI systems put before each line:
 * bare ("2024-03-05T10:11:12.1234567Z ", GitHub Actions), or in brackets
 * ("[2024-03-05T10:11:12.123Z] ", Jenkins' Timestamper) after an optional
 * bracketed source tag ("[build] [2021-06-30T21:57:08.467247+00:00] ");
 * else 0. */
static size_t timestamp_prefix(const char *s, size_t n)
{
	size_t i = 0, t;
	const char *close;

	if ((t = timestamp_length(s, n)))
		return t < n && s[t] == ' ' ? t + 1 : 0;
	/* a one-word tag: no space inside, at most 32 bytes */
	if (n > 2 && s[0] == '[' && s[1] != '[' && (close = memchr(s, ']', n < 34 ? n : 34)) &&
	    !memchr(s, ' ', (size_t)(close - s)) && (size_t)(close - s) + 2 < n &&
	    close[1] == ' ' && close[2] == '[')
		i = (size_t)(close - s) + 2;
	if (i >= n || s[i] != '[' || !(t = timestamp_length(s + i + 1, n - i - 1)))
		return 0;
	i += 1 + t;
	return i + 1 < n && s[i] == ']' && s[i + 1] == ' ' ? i + 2 : 0;
}

/* Length of Cloud Build's "Step #3 - \"build\": " (or "Step #3: ") at s, or 0. */
static size_t cloudbuild_prefix(const char *s, size_t n)
{
	size_t i = 6, k;

	if (n < 8 || memcmp(s, "Step #", 6))
		return 0;
	k = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == k)
		return 0;
	if (i + 4 < n && !memcmp(s + i, " - \"", 4)) {
		const char *q = memchr(s + i + 4, '"', n - i - 4);

		if (!q)
			return 0;
		i = (size_t)(q - s) + 1;
	}
	return i + 1 < n && s[i] == ':' && s[i + 1] == ' ' ? i + 2 : 0;
}

/* Length of a Tekton task log's "[task : step] " (after any indent), or 0. */
static size_t tekton_prefix(const char *s, size_t n)
{
	size_t i = 0;
	const char *close, *sep;

	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '[' || !(close = memchr(s + i, ']', n - i)))
		return 0;
	sep = memmem(s + i, (size_t)(close - s) - i, " : ", 3);
	if (!sep || memchr(s + i, ' ', (size_t)(sep - s) - i) ||
	    memchr(sep + 3, ' ', (size_t)(close - sep) - 3))
		return 0;
	i = (size_t)(close - s) + 1;
	return i < n && s[i] == ' ' ? i + 1 : 0;
}

/* The prefixes other CI systems and wrappers put before each line (time
 * stamps, step and task names): set aside, as CodeBuild's is, so rules and
 * the step tracker read the tool's words. Each begins with a digit, '[',
 * 'S' or a space: most lines (BuildKit's '#') are told by their first byte. */
static size_t ci_prefix(const char *s, size_t n)
{
	size_t cut;

	if (!n || !(s[0] == '[' || s[0] == ' ' || s[0] == 'S' || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	cut = timestamp_prefix(s, n);

	if (!cut)
		cut = go_log_prefix(s, n);

	cut += cloudbuild_prefix(s + cut, n - cut);
	if (!cut)
		cut = tekton_prefix(s, n);
	return cut;
}

/* Length of "#<step> <seconds>.<fraction> " at s, or 0. */
static size_t buildkit_prefix(const char *s, size_t n)
{
	size_t i = 1, k;

	if (n < 2 || s[0] != '#')
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 1 || i >= n || s[i] != ' ')
		return 0;
	k = ++i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == k || i >= n || s[i] != '.')
		return 0;
	k = ++i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == k)
		return 0;
	if (i < n && s[i] == ' ')
		return i + 1;
	return i == n ? i : 0;
}

/* The digits at s as strtoul() reads them, cast to unsigned as the step. */
static unsigned step_number(const char *s)
{
	unsigned long v = 0;

	/* the exact test of overflow only where it may overflow */
	for (; *s >= '0' && *s <= '9'; s++)
		v = v > (ULONG_MAX - 9) / 10 && v > (ULONG_MAX - (unsigned long)(*s - '0')) / 10 ?
		    ULONG_MAX : v * 10 + (unsigned long)(*s - '0');
	return (unsigned)v;
}

void normalize_line(const char *raw, size_t len, struct strbuf *out,
		    struct normalized_line *info)
{
	size_t base = out->len, codebuild, ci, buildkit, cut;
	/* Most lines need no cleaning: then the prefixes are found in raw and
	 * the rest is copied once, instead of cleaning a copy and cutting it */
	bool plain = plain_run_end((const unsigned char *)raw, 0, len) == len;
	const char *text = raw;

	if (!plain) {
		clean_line(raw, len, out, false);
		text = out->buf + base;
		len = out->len - base;
	}
	codebuild = codebuild_prefix(text, len);
	ci = codebuild ? 0 : ci_prefix(text, len);
	buildkit = buildkit_prefix(text + codebuild + ci, len - codebuild - ci);
	if (info) {
		info->codebuild = codebuild > 0;
		info->buildkit = buildkit > 0;
		info->step = buildkit ? step_number(text + codebuild + ci + 1) : 0;
	}
	cut = codebuild + ci + buildkit;
	if (plain) {
		strbuf_add(out, raw + cut, len - cut);
	} else if (cut) {
		memmove(out->buf + base, out->buf + base + cut, out->len - base - cut);
		strbuf_setlen(out, out->len - cut);
	}
	if (out->len - base > NORMALIZE_MAX_LINE) {
		size_t keep = base + NORMALIZE_MAX_LINE;

		while (keep > base && (out->buf[keep] & 0xc0) == 0x80)
			keep--;
		strbuf_setlen(out, keep);
	}
}

void display_line(const char *raw, size_t len, size_t max, struct strbuf *out)
{
	size_t base = out->len;

	clean_line(raw, len, out, true);
	if (max && out->len - base > max) {
		size_t keep = base + max, dropped;

		while (keep > base && (out->buf[keep] & 0xc0) == 0x80)
			keep--;
		dropped = out->len - keep;
		strbuf_setlen(out, keep);
		strbuf_addf(out, " [... %zu more bytes]", dropped);
	}
}
