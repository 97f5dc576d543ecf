/* suggest.c - "did you mean": finds the names closest to a mistyped command
 * or option by edit distance, and says them the way git does. */
#include <stdint.h>
#include <string.h>

#include "buildsleuth/suggest.h"
#include "buildsleuth/util.h"

/* Shown at most; more ties than this are no useful suggestion anyway. */
#define SUGGEST_SHOWN 5

size_t suggest_distance(const char *a, const char *b)
{
	/* three rows of the dynamic programme: the one before last is for swaps */
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *two_back = rows[0], *prev = rows[1], *cur = rows[2], *t;
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    two_back[j - 2] + 1 < best)
				best = two_back[j - 2] + 1;
			cur[j] = best;
		}
		t = two_back;
		two_back = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* How close candidate is to word: 0 for a start of it, else the distance;
 * SIZE_MAX when it is not close enough to be a typo. */
static size_t closeness(const char *word, const char *candidate)
{
	size_t len = strlen(word), limit = len / 3, d;

	if (len >= 2 && !strncmp(candidate, word, len))
		return 0;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	d = suggest_distance(word, candidate);
	return d <= limit ? d : SIZE_MAX;
}

size_t suggest_closest(const char *word, const char *const *candidates,
		       const char **out, size_t max)
{
	size_t best = SIZE_MAX, nr = 0, i, c;

	for (i = 0; candidates[i]; i++) {
		c = closeness(word, candidates[i]);
		if (c == SIZE_MAX || c > best)
			continue;
		if (c < best) {
			best = c;
			nr = 0;
		}
		if (nr < max)
			out[nr++] = candidates[i];
	}
	return nr;
}

size_t suggest_print(FILE *f, const char *word, const char *const *candidates,
		     const char *kind, const char *prefix)
{
	const char *names[SUGGEST_SHOWN];
	size_t nr = suggest_closest(word, candidates, names, ARRAY_SIZE(names)), i;

	if (!nr)
		return 0;
	if (nr == 1)
		fprintf(f, "\nThe most similar %s is\n", kind);
	else
		fprintf(f, "\nThe most similar %ss are\n", kind);
	for (i = 0; i < nr; i++)
		fprintf(f, "\t%s%s\n", prefix, names[i]);
	return nr;
}
