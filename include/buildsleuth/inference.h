/* inference.h - the data tables that infer a failure's category when no
 * rule names it (DESIGN.md "Ranking"): the failing step's instruction, the
 * tool its command runs, its exit code, and wording classes of its last
 * error lines. Loaded from the "inference" object of rule files and merged
 * across files like rules.
 * Ownership: struct inference owns its entries, strings and PCRE2 codes;
 * entries handed out are borrowed until inference_free. */
#ifndef BUILDSLEUTH_INFERENCE_H
#define BUILDSLEUTH_INFERENCE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>

#include "category.h"
#include "cause.h"

enum inference_table {
	INFER_INSTRUCTION, /* key: a Dockerfile instruction, "FROM" */
	INFER_TOOL,        /* key: a program's name, "apt-get" */
	INFER_EXIT_CODE,   /* key: a decimal exit code, "137" */
	INFER_WORDING,     /* key: a wording class, "network"; has patterns */
	INFER__COUNT
};

struct inference_entry {
	enum inference_table table;
	char *key;
	enum category category;
	char *title;            /* names the finding: "Network failure" */
	char *hint;             /* what to do about it */
	char *origin;           /* the file it came from */
	char **patterns;        /* INFER_WORDING only */
	size_t patterns_nr;
	pcre2_code *code;       /* the patterns as one alternation */
};

struct inference {
	struct inference_entry **entries[INFER__COUNT];
	size_t nr[INFER__COUNT], alloc[INFER__COUNT];
};

struct inference *inference_new(void);
void inference_free(struct inference *inf);

/* Load the "inference" object of one rule file; a later entry with a key
 * already present replaces it only with "override": true. Problems are added
 * to causes (origin, table, key, field); returns false when it added one.
 * builtin: the file is compiled into the binary, and its patterns are
 * compiled only together (each alone places an error in a user's file). */
struct json_object;
bool inference_load(struct inference *inf, const char *origin, struct json_object *obj,
		    bool builtin, struct causes *causes);

/* The entry of table for key, or NULL. */
const struct inference_entry *inference_find(const struct inference *inf,
					     enum inference_table table, const char *key,
					     size_t key_len);

/* Wording classes read at most this much of a line. */
#define INFERENCE_LINE_MAX 8192

/* The first wording class (in table order) that matches the normalised line
 * s[0..len) (its first INFERENCE_LINE_MAX bytes), or NULL. */
const struct inference_entry *inference_wording(const struct inference *inf,
						const char *s, size_t len);

/*
 * The known tools the shell command cmd runs, in order: each command of a
 * list or pipeline (split on &&, ||, ;, |), past "sudo", "env", variable
 * assignments, a shell's "-c" and "python -m", by its program's base name
 * (or that name without its version suffix); of a pipeline only the last
 * command counts, as its status is the pipeline's. Fills up to max entries
 * into out; returns how many.
 */
size_t inference_tools(const struct inference *inf, const char *cmd,
		       const struct inference_entry **out, size_t max);

/* "instructions", "tools", "exit_codes", "wordings". */
const char *inference_table_name(enum inference_table t);

#endif
