/* regex_syntax.c - reading PCRE2 pattern syntax by hand (regex_syntax.h). */
#include <string.h>

#include "buildsleuth/regex_syntax.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t regex_read_quantifier(const char *p, const char *end, struct regex_quantifier *q)
{
	const char *k = p;

	memset(q, 0, sizeof(*q));
	if (k >= end)
		return 0;
	if (*k == '?' || *k == '*' || *k == '+') {
		q->at_least_one = *k == '+';
		q->unbounded = *k != '?';
		k++;
	} else if (*k == '{') {
		bool nonzero = false;

		for (k++; k < end && is_digit(*k); k++)
			nonzero |= *k != '0';
		if (k == p + 1) {
			q->odd_brace = true;
			return 0;
		}
		q->at_least_one = nonzero;
		q->unbounded = k + 1 < end && k[0] == ',' && k[1] == '}';
		if (k < end && *k == ',')
			for (k++; k < end && is_digit(*k); k++)
				;
		if (k >= end || *k != '}') {
			q->odd_brace = true;
			q->at_least_one = q->unbounded = false;
			return 0;
		}
		k++;
	} else {
		return 0;
	}
	q->possessive = k < end && *k == '+';
	if (k < end && (*k == '+' || *k == '?'))
		k++;
	return (size_t)(k - p);
}

size_t regex_escape_len(const char *p, const char *end)
{
	const char *k;
	char c;

	if (end - p < 2)
		return (size_t)(end - p);
	c = p[1];
	if (c == 'Q') {
		for (k = p + 2; k + 1 < end; k++)
			if (k[0] == '\\' && k[1] == 'E')
				return (size_t)(k + 2 - p);
		return (size_t)(end - p);
	}
	if (c && strchr("xopPNgk", c) && p + 2 < end && p[2] == '{') {
		k = memchr(p + 3, '}', (size_t)(end - (p + 3)));
		return k ? (size_t)(k + 1 - p) : (size_t)(end - p);
	}
	if ((c == 'k' || c == 'g') && p + 2 < end && (p[2] == '<' || p[2] == '\'')) {
		k = memchr(p + 3, p[2] == '<' ? '>' : '\'', (size_t)(end - (p + 3)));
		return k ? (size_t)(k + 1 - p) : (size_t)(end - p);
	}
	if (c == 'c' && p + 2 < end)
		return 3;
	k = p + 2;
	while (k < end && (*k & 0xc0) == 0x80) /* the rest of an escaped UTF-8 character */
		k++;
	return (size_t)(k - p);
}

size_t regex_class_len(const char *p, const char *end)
{
	const char *k = p + 1;

	if (k < end && *k == '^')
		k++;
	if (k < end && *k == ']')
		k++; /* a leading ']' is literal */
	while (k < end && *k != ']') {
		if (*k == '\\') {
			if (k + 1 < end && (k[1] == 'Q' || k[1] == 'E'))
				return 0;
			k += regex_escape_len(k, end);
		} else if (*k == '[' && k + 1 < end && (k[1] == ':' || k[1] == '.' || k[1] == '=')) {
			const char *close = k + 2;

			while (close + 1 < end && !(close[0] == k[1] && close[1] == ']'))
				close++;
			if (close + 1 >= end)
				return 0;
			k = close + 2;
		} else {
			k++;
		}
	}
	return k < end ? (size_t)(k + 1 - p) : 0;
}
