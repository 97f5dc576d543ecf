/* subject.h - what the user must fix, named in a finding's summary and the
 * report's "subject" (a package and version, a file, an image and tag, a
 * host or URL, a command). Strings returned are the caller's to free. */
#ifndef BUILDSLEUTH_SUBJECT_H
#define BUILDSLEUTH_SUBJECT_H

#include <stddef.h>

#include "category.h"
#include "log.h"
#include "rank.h"
#include "scope.h"

/* For the finding d of a rule (d->rule set; its hits, category and
 * first_line filled): the rule's subject capture, else what the log says
 * around it; NULL when nothing names one. */
char *subject_of_finding(const struct log *log, const struct scope *sc, const struct diagnosis *d);

/* What the tool was working on, added to the summary of d when neither it
 * nor the subject names it: the package a package build was building
 * ("while building psutil"), what a network or timeout failure was
 * fetching, from which host and for which image ("while fetching flask from
 * pypi.org", "for node:12-slim"), the compiler's first error under a
 * failing script ("first error: src/main.ts(70,33): error TS2307 ..."),
 * the solver's reason for a dependency conflict ("pandas 2.0.0 depends on
 * numpy>=1.23.2", apt's unmet dependency, conda's missing spec). Rule and
 * inferred findings alike. */
void subject_add_context(const struct log *log, const struct scope *sc, struct diagnosis *d);

/* For a finding of category cat inferred from the failing step (or
 * unknown), quoting lines[0..nr): a network failure's host, URL or
 * download; an application, package-build or unknown failure's file of
 * the first compiler, runtime or test error; else the failing step's
 * command; NULL without a step. */
char *subject_of_inferred(const struct log *log, const struct scope *sc, enum category cat,
			  const size_t *lines, size_t nr);

#endif
