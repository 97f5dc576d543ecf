/* unit.h - what every cmocka unit test includes: cmocka's required headers in
 * the right order, and the library's headers. */
#ifndef BUILDSLEUTH_UNIT_H
#define BUILDSLEUTH_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buildsleuth/http.h"
#include "buildsleuth/rank.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

/* Group set-up and tear-down of the tests that talk HTTP: libcurl's global
 * state once per binary, as main() does it for the commands. */
static inline int http_group_setup(void **state)
{
	const char *why;

	(void)state;
	return http_global_init(&why) ? 0 : -1;
}

static inline int http_group_teardown(void **state)
{
	(void)state;
	http_global_cleanup();
	return 0;
}

/* Fail (naming the table's row) unless d's top finding has rule id id and
 * subject subject (NULL: none). */
static inline void assert_top_finding(const struct diagnoses *d, size_t row, const char *id,
				      const char *subject)
{
	if (!d->nr || strcmp(d->items[0].id, id))
		fail_msg("row %zu: top finding %s, want %s", row, d->nr ? d->items[0].id : "none", id);
	if (subject ? !d->items[0].subject || strcmp(d->items[0].subject, subject) :
	    d->items[0].subject != NULL)
		fail_msg("row %zu: subject [%s], want [%s]", row,
			 d->items[0].subject ? d->items[0].subject : "(none)",
			 subject ? subject : "(none)");
}

#endif
