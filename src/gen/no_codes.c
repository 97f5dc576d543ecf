/* no_codes.c - no compiled codes for the built-in rules: what
 * src/gen/serialize.c links in place of the codes it generates. */
#include "buildsleuth/builtin.h"

const unsigned char builtin_codes[] = { 0 };
const size_t builtin_codes_len = 0;
const char *const builtin_code_sources[] = { NULL };
const size_t builtin_code_sources_nr = 0;
