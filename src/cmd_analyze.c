/* cmd_analyze.c - `buildsleuth analyze`: diagnose saved logs (plain text or
 * API JSON) or stdin, one report per input. */
#include <stdio.h>
#include <unistd.h>

#include "buildsleuth/analysis.h"
#include "buildsleuth/changes.h"
#include "buildsleuth/cli.h"
#include "buildsleuth/util.h"

enum exit_code cmd_analyze(const struct command *cmd, int argc, char **argv)
{
	struct options options, *opts = &options;
	struct ruleset rs;
	enum exit_code rc;
	int first, i, nr_inputs;
	bool found = false, bad = false;
	char *stdin_only[] = { "-" };
	struct source baseline;
	char **inputs;

	rc = options_parse(cmd, argc, argv, opts, &first);
	if (rc || opts->help)
		goto out_options;
	nr_inputs = argc - first;
	inputs = argv + first;
	if (!nr_inputs) {
		if (isatty(STDIN_FILENO)) {
			rc = usage_msg(cmd->name, "no input: give a log FILE, or pipe a log into "
				       "'buildsleuth analyze -'");
			goto out_options;
		}
		inputs = stdin_only;
		nr_inputs = 1;
	}
	ruleset_init(&rs);
	source_init(&baseline, SOURCE_FILE);
	rc = load_rules(opts, &rs);
	if (rc)
		goto out;
	if (opts->baseline) {
		struct strbuf err = STRBUF_INIT;

		if (source_read_path(&baseline, opts->baseline, &err)) {
			error_msg("baseline: %s", err.buf);
			rc = EXIT_BAD_INPUT;
		}
		strbuf_release(&err);
		if (rc)
			goto out;
	}
	for (i = 0; i < nr_inputs; i++) {
		struct source src;
		struct strbuf err = STRBUF_INIT;
		struct causes warnings = CAUSES_INIT;
		struct diagnoses diags = { NULL, 0, OUTCOME_FAILED, 0 };
		struct changes changes;

		changes_init(&changes);
		source_init(&src, SOURCE_FILE);
		if (source_read_path(&src, inputs[i], &err)) {
			error_msg("%s", err.buf);
			bad = true;
			goto next;
		}
		analysis_run(&rs, &src, &diags, &warnings);
		print_warnings(opts, &warnings);
		/* what changed since the baseline explains a failure only */
		if (opts->baseline && diags.outcome == OUTCOME_FAILED) {
			changes_compute(&src.log, &baseline.log, &changes);
			changes.baseline_path = xstrdup(opts->baseline);
		}
		if (!print_report(opts, &src, &diags, changes.baseline_path ? &changes : NULL,
				  nr_inputs > 1, i > 0)) {
			rc = EXIT_BAD_INPUT;
			goto next;
		}
		found |= diagnoses_known_cause(&diags);
next:
		changes_release(&changes);
		diagnoses_release(&diags);
		causes_release(&warnings);
		strbuf_release(&err);
		source_release(&src);
		if (rc)
			break;
	}
	if (!rc)
		rc = bad ? EXIT_BAD_INPUT : opts->exit_code && found ? EXIT_FOUND : EXIT_DONE;
out:
	source_release(&baseline);
	ruleset_release(&rs);
out_options:
	options_release(opts);
	return rc;
}
