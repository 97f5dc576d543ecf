/* builtin.h - the default rule files, embedded at build time from rules/ by
 * the generators in src/gen/ (so a binary copied alone still has its rules),
 * and their patterns compiled at build time.
 * Ownership: static data. */
#ifndef BUILDSLEUTH_BUILTIN_H
#define BUILDSLEUTH_BUILTIN_H

#include <stddef.h>

struct builtin_file {
	const char *path;      /* "rules/pip.json" */
	const unsigned char *data;
	size_t len;
};

extern const struct builtin_file builtin_rule_files[];
extern const size_t builtin_rule_files_nr;

/* The built-in rules' combined patterns compiled at build time by
 * src/gen/serialize.c (pcre2_serialize_encode), and the pattern each code
 * was compiled from (rule_combined_pattern), in the same order. */
extern const unsigned char builtin_codes[];
extern const size_t builtin_codes_len;
extern const char *const builtin_code_sources[];
extern const size_t builtin_code_sources_nr;

#endif
