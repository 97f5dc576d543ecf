/* regex_syntax.h - reading PCRE2 pattern syntax by hand, shared by the
 * prefilter's literal extraction (prefilter.c) and the `rules check` lint
 * (cmd_rules.c), so both read a quantifier the same way. The patterns are
 * known to compile: these readers only classify. */
#ifndef BUILDSLEUTH_REGEX_SYNTAX_H
#define BUILDSLEUTH_REGEX_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

struct regex_quantifier {
	bool at_least_one; /* its minimum is not zero: +, {n...} with n > 0 */
	bool unbounded;    /* +, *, {n,} */
	bool possessive;   /* a trailing '+' (a trailing '?' makes it lazy) */
	bool odd_brace;    /* a '{' that is not {n}, {n,} or {n,m}: PCRE2 reads
			    * "{", "{,n}" and "{ n }" as literal text or, in
			    * newer versions, as a quantifier */
};

/* The bytes the escape at p[0] == '\\' takes: \Q...\E, \x{...} (and \o, \p,
 * \P, \N, \g, \k with braces), \g<name>, \k'name', \cX, or a backslash
 * and one character (UTF-8: all of it); all that is left when it does not
 * close. */
size_t regex_escape_len(const char *p, const char *end);

/* The bytes the character class at p[0] == '[' takes, through its ']'
 * (a leading ']' and POSIX [:name:], [.x.], [=x=] inside it read as PCRE2
 * reads them), or 0 when it is not understood: it does not close, or it
 * quotes with \Q...\E. */
size_t regex_class_len(const char *p, const char *end);

/* Read the quantifier at p[0..end - p): the bytes it takes (0: none, and
 * then odd_brace says whether a '{' stands there). */
size_t regex_read_quantifier(const char *p, const char *end, struct regex_quantifier *q);

#endif
