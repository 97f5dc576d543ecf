/* traceback.h - Python errors whose frames are all third-party. */
#ifndef BUILDSLEUTH_TRACEBACK_H
#define BUILDSLEUTH_TRACEBACK_H

#include "log.h"
#include "rank.h"

struct inference;

/*
 * When the application or python-environment finding d of a rule quotes a
 * Python error whose frames (searched up to 80 lines back within its step)
 * all lie outside the project: an application finding becomes
 * package-build (raised while building a package) or python-environment,
 * with that wording class's hint from inf; either names the package it was
 * raised in as its subject and in its summary. Otherwise d is unchanged.
 */
void traceback_attribute(const struct log *log, const struct inference *inf, struct diagnosis *d);

#endif
