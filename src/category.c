/* category.c - names of the fixed failure categories that reports and
 * audits group by. */
#include <string.h>

#include "buildsleuth/category.h"
#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

static const char *const names[CATEGORY__COUNT] = {
	[CATEGORY_REQUIREMENTS] = "requirements",
	[CATEGORY_DEPENDENCY_RESOLUTION] = "dependency-resolution",
	[CATEGORY_PACKAGE_BUILD] = "package-build",
	[CATEGORY_PYTHON_ENVIRONMENT] = "python-environment",
	[CATEGORY_DOCKERFILE] = "dockerfile",
	[CATEGORY_BUILD_CONTEXT] = "build-context",
	[CATEGORY_BASE_IMAGE] = "base-image",
	[CATEGORY_PLATFORM] = "platform",
	[CATEGORY_SYSTEM_PACKAGES] = "system-packages",
	[CATEGORY_NETWORK] = "network",
	[CATEGORY_RESOURCES] = "resources",
	[CATEGORY_TIMEOUT] = "timeout",
	[CATEGORY_APPLICATION] = "application",
	[CATEGORY_UNKNOWN] = "unknown",
};

const char *category_name(enum category c)
{
	return c < CATEGORY__COUNT ? names[c] : "unknown";
}

bool category_from_name(const char *name, enum category *out)
{
	size_t i;

	for (i = 0; i < CATEGORY__COUNT; i++)
		if (!strcmp(names[i], name)) {
			*out = (enum category)i;
			return true;
		}
	return false;
}

void category_list(struct strbuf *out)
{
	strbuf_add_list(out, names, CATEGORY__COUNT);
}
