/* bench/rule_cost.c - where the matcher's time goes: loads a log and the
 * rules as buildsleuth does, then times the load, the whole match with and
 * without the literal prefilter, and each rule alone scanning the whole log
 * (what it costs when the prefilter cannot help), with what PCRE2 knows of
 * the rule's combined pattern (first code unit, required last code unit)
 * and the literals the prefilter found for it.
 *   rule_cost [--rules DIR] LOG [TOP] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buildsleuth/match.h"
#include "buildsleuth/literals.h"
#include "buildsleuth/source.h"
#include "buildsleuth/util.h"

struct cost {
	const struct rule *rule;
	double seconds;
	size_t count;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_seconds(const void *a, const void *b)
{
	const struct cost *x = a, *y = b;

	return x->seconds < y->seconds ? 1 : x->seconds > y->seconds ? -1 : 0;
}

static const char *first_type(const pcre2_code *code)
{
	uint32_t type = 0;
	const uint8_t *bitmap = NULL;

	pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type);
	if (type == 1)
		return "unit";
	if (type == 2)
		return "bol";
	pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap);
	return bitmap ? "bitmap" : "none";
}

int main(int argc, char **argv)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	struct source src;
	struct strbuf err = STRBUF_INIT;
	struct match_result all = { NULL, 0, 0 };
	struct cost *costs;
	double t0, t_rules, t_log, t_match, t_scan_all, sum = 0;
	size_t i, top;
	int a = 1;

	ruleset_init(&rs);
	t0 = now();
	if (argc > 2 && !strcmp(argv[1], "--rules")) {
		ruleset_load_dir(&rs, argv[2], &causes);
		a = 3;
	} else {
		ruleset_load_builtin(&rs, &causes);
	}
	t_rules = now() - t0;
	if (causes.nr || argc - a < 1) {
		causes_print(&causes, stderr);
		fprintf(stderr, "usage: rule_cost [--rules DIR] LOG [TOP]\n");
		return 2;
	}
	top = argc - a > 1 ? strtoul(argv[a + 1], NULL, 10) : 25;
	source_init(&src, SOURCE_FILE);
	t0 = now();
	if (source_read_path(&src, argv[a], &err)) {
		fprintf(stderr, "rule_cost: %s\n", err.buf);
		return 3;
	}
	t_log = now() - t0;

	costs = xcalloc(rs.nr, sizeof(*costs));
	for (i = 0; i < rs.nr; i++) {
		struct ruleset one = rs;
		struct match_result res = { NULL, 0, 0 };
		struct causes warnings = CAUSES_INIT;

		one.rules = &rs.rules[i];
		one.nr = 1;
		t0 = now();
		match_log_scan_all(&one, &src.log, &res, &warnings);
		costs[i].seconds = now() - t0;
		costs[i].rule = rs.rules[i];
		costs[i].count = res.nr ? res.hits[0].count : 0;
		sum += costs[i].seconds;
		match_result_release(&res);
		causes_release(&warnings);
	}
	t0 = now();
	{
		struct causes warnings = CAUSES_INIT;

		match_log(&rs, &src.log, &all, &warnings);
		causes_release(&warnings);
	}
	t_match = now() - t0;
	t0 = now();
	{
		struct causes warnings = CAUSES_INIT;
		struct match_result res = { NULL, 0, 0 };

		match_log_scan_all(&rs, &src.log, &res, &warnings);
		match_result_release(&res);
		causes_release(&warnings);
	}
	t_scan_all = now() - t0;

	printf("log: %zu lines, %zu bytes normalised\n", src.log.nr, src.log.norm.len);
	printf("load rules: %.1f ms (%zu rules)\n", t_rules * 1e3, rs.nr);
	printf("load log:   %.1f ms\n", t_log * 1e3);
	printf("match, with the prefilter:    %.1f ms\n", t_match * 1e3);
	printf("match, every rule scanning:   %.1f ms (rules alone, summed: %.1f ms)\n",
	       t_scan_all * 1e3, sum * 1e3);
	qsort(costs, rs.nr, sizeof(*costs), by_seconds);
	printf("\nrules scanning the whole log alone, slowest first (first: what PCRE2 knows of\n"
	       "the first code unit; last: a required last code unit):\n");
	printf("%9s %6s %7s %-6s %-4s  %-40s %s\n", "ms", "share", "hits", "first", "last", "rule",
	       "prefilter literals");
	for (i = 0; i < rs.nr && i < top; i++) {
		const struct rule *r = costs[i].rule;
		struct literal_set set = { NULL, 0, 0 };
		uint32_t last = 0;
		size_t k;

		for (k = 0; k < r->patterns_nr; k++)
			if (!pattern_required_literals(r->patterns[k], &set))
				break;
		pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODETYPE, &last);
		printf("%9.2f %5.1f%% %7zu %-6s %-4s  %-40s ", costs[i].seconds * 1e3,
		       100 * costs[i].seconds / sum, costs[i].count, first_type(r->code),
		       last ? "yes" : "no", r->id);
		if (k < r->patterns_nr)
			printf("(none: scans everything)\n");
		else
			for (k = 0; k < set.nr; k++)
				printf("%s\"%s\"%s", set.items[k].caseless ? "(?i)" : "",
				       set.items[k].text, k + 1 < set.nr ? " " : "\n");
		literal_set_release(&set);
	}
	free(costs);
	match_result_release(&all);
	source_release(&src);
	ruleset_release(&rs);
	causes_release(&causes);
	strbuf_release(&err);
	return 0;
}
