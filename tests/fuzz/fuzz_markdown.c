/* fuzz_markdown.c - libFuzzer target: arbitrary bytes as a log (and an
 * errorMessage) rendered as a pull-request comment; aborts when input text
 * escapes its code fence, opens HTML, mentions someone or outgrows GitHub's
 * comment size limit (harness.c check_markdown). */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = harness_markdown(data, size);

	if (why) {
		fprintf(stderr, "fuzz_markdown: property broken: %s\n", why);
		abort();
	}
	return 0;
}
