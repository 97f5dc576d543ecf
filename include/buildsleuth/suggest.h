/* suggest.h - "did you mean": the names closest to a mistyped one, as git
 * suggests a command (help.c) after 'git stauts'.
 * Ownership: results borrow the caller's candidate strings. */
#ifndef BUILDSLEUTH_SUGGEST_H
#define BUILDSLEUTH_SUGGEST_H

#include <stddef.h>
#include <stdio.h>

/* Words longer than this are not compared (no suggestion). */
#define SUGGEST_MAX_LEN 64

/*
 * The edit distance of a and b (optimal string alignment: insertions,
 * deletions, substitutions and swaps of two neighbours count 1 each), or
 * SIZE_MAX when either is longer than SUGGEST_MAX_LEN.
 */
size_t suggest_distance(const char *a, const char *b);

/*
 * The candidates (NULL-terminated) closest to word, when close enough to be a
 * typo of it: word is the start of the candidate (2 characters at least), or
 * within an edit distance of a third of word's length (1 at least, 3 at
 * most). Only the closest are kept (a start counts as distance 0), in the
 * candidates' order, at most max of them into out; returns how many.
 */
size_t suggest_closest(const char *word, const char *const *candidates,
		       const char **out, size_t max);

/*
 * After an error about word: "\nThe most similar KIND is\n\tNAME\n" (or
 * "KINDs are", one NAME a line, each after prefix) to f, as git says it;
 * nothing when no candidate is close. Returns how many were printed.
 */
size_t suggest_print(FILE *f, const char *word, const char *const *candidates,
		     const char *kind, const char *prefix);

#endif
