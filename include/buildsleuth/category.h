/* category.h - the fixed vocabulary of failure categories (DESIGN.md).
 * Ownership: names are static strings. */
#ifndef BUILDSLEUTH_CATEGORY_H
#define BUILDSLEUTH_CATEGORY_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum category {
	CATEGORY_REQUIREMENTS,
	CATEGORY_DEPENDENCY_RESOLUTION,
	CATEGORY_PACKAGE_BUILD,
	CATEGORY_PYTHON_ENVIRONMENT,
	CATEGORY_DOCKERFILE,
	CATEGORY_BUILD_CONTEXT,
	CATEGORY_BASE_IMAGE,
	CATEGORY_PLATFORM,
	CATEGORY_SYSTEM_PACKAGES,
	CATEGORY_NETWORK,
	CATEGORY_RESOURCES,
	CATEGORY_TIMEOUT,
	CATEGORY_APPLICATION,
	CATEGORY_UNKNOWN,
	CATEGORY__COUNT
};

/* "dependency-resolution", ... */
const char *category_name(enum category c);
/* Whether name is a category; *out set when it is. */
bool category_from_name(const char *name, enum category *out);
/* Append every category name to out, for a message: "requirements, ...,
 * application or unknown". */
void category_list(struct strbuf *out);

#endif
