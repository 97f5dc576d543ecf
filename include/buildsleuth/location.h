/* location.h - where in the user's project a finding's fix goes: a rule's
 * location templates (rules.h, struct rule_location) filled from the
 * captures of the finding's first occurrence, made relative to the build
 * context.
 * Ownership: a resolved_location owns its file; release it with
 * resolved_location_release(). The rule and hits are borrowed. */
#ifndef BUILDSLEUTH_LOCATION_H
#define BUILDSLEUTH_LOCATION_H

#include <stdbool.h>

#include "match.h"
#include "rules.h"

/* The Dockerfile path when the build record names none. */
#define LOCATION_DEFAULT_DOCKERFILE "Dockerfile"

struct resolved_location {
	char *file;          /* relative to the build context, never empty */
	unsigned long line;  /* 1-based; 0 when unknown (JSON null) */
};

/*
 * Resolve r's location for the finding h (r == h->rule, normally). The
 * templates' {name} placeholders take the captures of the first occurrence;
 * {dockerfile} takes dockerfile_path (the build record's dockerfilePath;
 * NULL or "" means LOCATION_DEFAULT_DOCKERFILE).
 *
 * The file is made relative to the build context:
 *   - leading "./" are dropped: "./requirements.txt" -> "requirements.txt";
 *   - a leading "/app/" is dropped: it is the WORKDIR of dailyco/pipecat-base,
 *     where Pipecat projects copy their context, so pip's
 *     "/app/requirements.txt" is the context's "requirements.txt";
 *   - a path under a system folder of the image (/usr, /tmp, /var, /opt,
 *     /etc, /root, /home, /bin, /sbin, /lib, /lib64..., /proc, /sys, /dev, /run,
 *     /kaniko, /workspace) is not in the context: no location;
 *   - any other leading "/" is dropped: BuildKit names COPY sources from the
 *     context's root ("/requirements.txt");
 *   - a path with a ".." part, or nothing left, gives no location.
 * (A context holding an app/ folder of its own is misread: BuildKit's
 * "/app/x" then means "app/x", not "x".)
 *
 * The line is the filled line template when it is a positive decimal
 * number, else 0 (also when the template is absent or a capture in it did
 * not take part in the first occurrence).
 *
 * Returns false, with *out zeroed, when r has no location or a capture of
 * the file template did not take part in the first occurrence; true with
 * out->file set otherwise.
 */
bool rule_location_resolve(const struct rule *r, const struct rule_hits *h,
			   const char *dockerfile_path, struct resolved_location *out);

void resolved_location_release(struct resolved_location *loc);

/*
 * The build context's folder in the repository (--source-dir DIR), made
 * plain: "." parts and repeated, leading "./" and trailing slashes dropped
 * ("./app//src/" -> "app/src", "." -> ""). Returns false when dir is
 * absolute or has a ".." part (a path outside the repository); else true
 * with *out, the caller's to free ("" for the repository's root).
 */
bool location_normalize_dir(const char *dir, char **out);

#endif
