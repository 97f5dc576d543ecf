/* cause.c - collecting every problem found while loading, so one run reports
 * all of them. */
#include <stdarg.h>
#include <stdlib.h>

#include "buildsleuth/cause.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

void causes_add(struct causes *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(c->items, c->nr + 1, c->alloc);
	c->items[c->nr++] = strbuf_detach(&sb, NULL);
}

void causes_print(const struct causes *c, FILE *out)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		fprintf(out, "buildsleuth: %s\n", c->items[i]);
}

void causes_release(struct causes *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		free(c->items[i]);
	free(c->items);
	c->items = NULL;
	c->nr = c->alloc = 0;
}
