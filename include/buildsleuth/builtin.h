/* builtin.h - the default rule files, embedded at build time from rules/ by
 * the generator in src/gen/ (so a binary copied alone still has its rules).
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

#endif
