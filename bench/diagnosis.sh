#!/usr/bin/env bash
# bench/diagnosis.sh - one diagnosis: a typical 5,000-line failed log, the
# whole process (start-up, loading and compiling the rules, reading and
# normalising the log, matching, ranking, the JSON report) against
# `rg -P -f PATTERNS` on the same file. Target: <= 2x ripgrep's time.
. "$(dirname "$0")/lib.sh"
LOG=$OUT/typical-5k.log
export_patterns
bs_cmd="$BS analyze --format json $LOG"
rules_cmd="$BS rules list"
# ripgrep once per part of the patterns (see export_patterns in lib.sh)
rg_cmd=$(rg_all "$LOG")
rg0_cmd=$(rg_all /dev/null)

bs_t=$(bench_time 40 5 $bs_cmd)
rules_t=$(bench_time 40 5 $rules_cmd)
if have rg; then
	rg_t=$(bench_time 20 3 $rg_cmd)
	rg0_t=$(bench_time 20 3 $rg0_cmd)
fi
row() { # name command seconds
	echo "| $1 | \`$2\` | $(ms "$3") ms | $(if [ -n "${rg_t:-}" ]; then echo "$(ratio "$3" "$rg_t")x"; else echo n/a; fi) |"
}
{
	echo "### One diagnosis: $(wc -l <"$LOG") lines ($(($(wc -c <"$LOG") / 1000)) kB), whole process"
	echo
	echo "| what | command | median | vs ripgrep |"
	echo "|---|---|---:|---:|"
	row "buildsleuth, whole diagnosis" "$bs_cmd" "$bs_t"
	row "buildsleuth start-up: load and compile the rules" "$rules_cmd" "$rules_t"
	if [ -n "${rg_t:-}" ]; then
		row "ripgrep (PCRE2), same patterns, once per part" "$rg_cmd" "$rg_t"
		row "ripgrep start-up: compile the patterns" "$rg0_cmd" "$rg0_t"
	else
		echo "| ripgrep | not installed | n/a | n/a |"
	fi
	echo
	echo "Target: buildsleuth <= 2x ripgrep: **$(if [ -n "${rg_t:-}" ]; then awk -v a="$bs_t" -v b="$rg_t" 'BEGIN { print (a <= 2 * b) ? "met" : "NOT met" }'; else echo "not measured"; fi)**."
	echo
} >"$RES/diagnosis.md"
cat "$RES/diagnosis.md"
