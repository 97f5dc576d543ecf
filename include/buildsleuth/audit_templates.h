/* audit_templates.h - the audit's unknown and inferred builds grouped by the
 * template of their likeliest error line (cluster.h): per group the
 * template, its builds, when they were seen, an example build, a few of the
 * real lines, the category a rule for it would take, and the id and pattern
 * of the draft rule `audit --suggest-rules` writes for it. Order-independent
 * like the rest of the aggregate: the lines are clustered only at
 * audit_templates_finish, in the order the builds were created (then by
 * ID), so merged shards give the groups one run gives.
 * Ownership: struct audit_templates owns copies of everything it keeps. */
#ifndef BUILDSLEUTH_AUDIT_TEMPLATES_H
#define BUILDSLEUTH_AUDIT_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>
struct json_object; /* json-c's: the .c files that use it include it */

#include "audit.h"
#include "rules.h"

#define AUDIT_TEMPLATE_LINES 5       /* distinct real lines kept per group */
#define AUDIT_TEMPLATE_ID_PREFIX "suggested."
/* The category of a group whose builds were all unknown: the project's own
 * code or scripts (DESIGN.md's `application`) is what no rule or tool
 * table recognises most often; the draft says to check it. */
#define AUDIT_TEMPLATE_GUESS "application"

struct audit_template {
	char *id;                 /* "suggested.<FNV-1a of the template, 16 hex digits>" */
	char *template;           /* as shown: "asset-gate: <NUM> of <NUM> assets drifted" */
	char *pattern;            /* its PCRE2 pattern, or NULL when it holds no literal word */
	struct string_list names; /* the pattern's named groups, in order */
	char *placeholders;       /* the template with {name} for each mask, or NULL */
	const char *category;     /* the commonest inferred category, else AUDIT_TEMPLATE_GUESS */
	size_t builds, unknown, inferred;
	struct audit_time first, last; /* created_at, over the builds that have one */
	char *example;            /* the newest build (one without a date counts oldest) */
	char *lines[AUDIT_TEMPLATE_LINES]; /* distinct, as reports quote them, first seen first */
	size_t lines_nr;
	size_t first_index;       /* its first build in creation order: ties first seen first */
};

struct audit_template_item;

struct audit_templates {
	struct audit_template_item *items; /* one per build added */
	size_t items_nr, items_alloc;
	struct audit_template *groups;     /* after finish: most builds first, then
					    * first seen, then by template */
	size_t nr;
	size_t grouped;                    /* builds in a group */
	bool finished;
};

struct audit_templates *audit_templates_new(void);
/* audit_templates_free(NULL) is a no-op. */
void audit_templates_free(struct audit_templates *t);

/*
 * Add build id (created when given) whose top diagnosis diag (a report/v1
 * diagnosis, borrowed) is unknown or inferred: its likeliest error line is
 * the last of its evidence (rank.c's likeliest lines, oldest first; for an
 * unknown build the line its summary quotes). A diagnosis without evidence
 * is not grouped.
 */
void audit_templates_add(struct audit_templates *t, const char *id,
			 const struct audit_time *created, struct json_object *diag);

/* Cluster the lines and sort the groups; add must not follow. */
void audit_templates_finish(struct audit_templates *t);

#endif
