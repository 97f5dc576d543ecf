/* unit.h - what every cmocka unit test includes: cmocka's required headers in
 * the right order, and the library's headers. */
#ifndef BUILDSLEUTH_UNIT_H
#define BUILDSLEUTH_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buildsleuth/strbuf.h"
#include "buildsleuth/util.h"

#endif
