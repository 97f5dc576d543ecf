/* banned.h - functions that are too easy to misuse, turned into compile
 * errors (git's banned.h). The Makefile puts it in front of every
 * translation unit (-include), so it first includes the headers that declare
 * them: a declaration read after these macros would be rewritten by them. */
#ifndef BUILDSLEUTH_BANNED_H
#define BUILDSLEUTH_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)

#endif
