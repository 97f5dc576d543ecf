/* fuzz_json.c - libFuzzer target: arbitrary bytes as a Pipecat Cloud API
 * response: the JSON parser, the {"logs": [...]} and {"build", "logs"}
 * shapes and single log entries, then the pipeline and reports (harness.c). */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = harness_json(data, size);

	if (why) {
		fprintf(stderr, "fuzz_json: property broken: %s\n", why);
		abort();
	}
	return 0;
}
