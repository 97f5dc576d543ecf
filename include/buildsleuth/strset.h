/* strset.h - a set of strings: open addressing with linear probing, for
 * "have I seen this one before" over many strings (the nextTokens of a log
 * paging). Ownership: the set owns copies of the strings added;
 * strset_release frees them and re-inits. Allocation goes through util.h's
 * x* functions (exit on out-of-memory), so no call fails. */
#ifndef BUILDSLEUTH_STRSET_H
#define BUILDSLEUTH_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **slots;  /* alloc slots, NULL when empty; alloc is 0 or a power of 2 */
	size_t nr, alloc;
};

#define STRSET_INIT { NULL, 0, 0 }

void strset_init(struct strset *set);
void strset_release(struct strset *set);
/* Whether s is in the set. */
bool strset_contains(const struct strset *set, const char *s);
/* Add a copy of s: true when it was new, false when it was there already. */
bool strset_add(struct strset *set, const char *s);

#endif
