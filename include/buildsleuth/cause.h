/* cause.h - a list of error messages collected before failing once (tmux's
 * cfg_add_cause / cfg_print_causes).
 * Ownership: the list owns its strings; causes_release frees them. */
#ifndef BUILDSLEUTH_CAUSE_H
#define BUILDSLEUTH_CAUSE_H

#include <stddef.h>
#include <stdio.h>

struct causes {
	char **items;
	size_t nr, alloc;
};

#define CAUSES_INIT { NULL, 0, 0 }

void causes_add(struct causes *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print each cause as "buildsleuth: <cause>\n". */
void causes_print(const struct causes *c, FILE *out);
void causes_release(struct causes *c);

#endif
