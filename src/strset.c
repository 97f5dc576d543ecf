/* strset.c - a set of strings in one open-addressing table (linear probing,
 * FNV-1a hashes, at most half full), so a lookup costs the same whether the
 * set holds ten strings or ten thousand. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildsleuth/strset.h"
#include "buildsleuth/util.h"

#define STRSET_MIN_ALLOC 16

void strset_init(struct strset *set)
{
	set->slots = NULL;
	set->nr = 0;
	set->alloc = 0;
}

void strset_release(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->alloc; i++)
		free(set->slots[i]);
	free(set->slots);
	strset_init(set);
}

static uint64_t hash(const char *s)
{
	return fnv1a_add(FNV1A_INIT, s, strlen(s));
}

/* The slot holding s, or the empty slot where it would go; alloc > 0 and
 * the table is never full, so the probe ends. */
static size_t find(char *const *slots, size_t alloc, const char *s)
{
	size_t i = (size_t)hash(s) & (alloc - 1);

	while (slots[i] && strcmp(slots[i], s))
		i = (i + 1) & (alloc - 1);
	return i;
}

bool strset_contains(const struct strset *set, const char *s)
{
	return set->alloc && set->slots[find(set->slots, set->alloc, s)];
}

static void grow(struct strset *set)
{
	size_t alloc = set->alloc ? set->alloc * 2 : STRSET_MIN_ALLOC, i;
	char **slots = xcalloc(alloc, sizeof(*slots));

	for (i = 0; i < set->alloc; i++)
		if (set->slots[i])
			slots[find(slots, alloc, set->slots[i])] = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->alloc = alloc;
}

bool strset_add(struct strset *set, const char *s)
{
	size_t i;

	/* keep it at most half full: probes stay short */
	if (2 * (set->nr + 1) > set->alloc)
		grow(set);
	i = find(set->slots, set->alloc, s);
	if (set->slots[i])
		return false;
	set->slots[i] = xstrdup(s);
	set->nr++;
	return true;
}
