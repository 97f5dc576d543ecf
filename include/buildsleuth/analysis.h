/* analysis.h - the pipeline after the source: matcher then ranking, the one
 * path every subcommand (analyze, diagnose, watch, audit) takes.
 * Ownership: out is the caller's; release with diagnoses_release. */
#ifndef BUILDSLEUTH_ANALYSIS_H
#define BUILDSLEUTH_ANALYSIS_H

#include "cause.h"
#include "rank.h"
#include "rules.h"
#include "source.h"

/*
 * Diagnose src's log with rs. A build record with status failed or timeout
 * means the report is never empty. Matching warnings (a rule that hit the
 * PCRE2 limits) are added to warnings.
 */
void analysis_run(const struct ruleset *rs, const struct source *src,
		  struct diagnoses *out, struct causes *warnings);

#endif
