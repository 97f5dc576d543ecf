/* curl_lazy.h - libcurl opened on first use (see curl_lazy.c): the rest of
 * the tool calls libcurl's API as usual. */
#ifndef BUILDSLEUTH_CURL_LAZY_H
#define BUILDSLEUTH_CURL_LAZY_H

#include <stdbool.h>

/* Open libcurl unless done already; false, with *why (may be NULL) saying
 * what failed, when it cannot be. */
bool curl_lazy_load(const char **why);

/* For tests: open name instead of libcurl.so.4 at the next call (no other
 * thread may be calling libcurl). */
void curl_lazy_use(const char *name);

#endif
