/* fuzz_rules.c - libFuzzer target: arbitrary bytes as a rule file: the
 * loader's validation and PCRE2 compilation, then the loaded rules' own
 * examples, a log made of them and the reports (harness.c). */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = harness_rules(data, size);

	if (why) {
		fprintf(stderr, "fuzz_rules: property broken: %s\n", why);
		abort();
	}
	return 0;
}
