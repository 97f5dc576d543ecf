/* fuzz_log.c - libFuzzer target: arbitrary bytes as a saved build log (plain
 * text or API JSON) through the whole pipeline with the built-in rules and
 * all four reports, whose output properties are checked (harness.c). */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = harness_log(data, size);

	if (why) {
		fprintf(stderr, "fuzz_log: property broken: %s\n", why);
		abort();
	}
	return 0;
}
