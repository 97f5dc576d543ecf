#!/usr/bin/env bash
# bench/ratios.sh - the targets of issue 17, each a ratio of two commands run
# in turn (A B A B ...) in one go, taken pair by pair (bench/stats.py pairs),
# so that a machine whose speed drifts moves both sides of each ratio:
#
#   - the 100 MB log against `wc -l` on the same file (target <= 10x), and
#     buildsleuth's peak RSS against the log's size (target <= 1.5x);
#   - a log no rule matches against the same log with its error lines
#     (target <= 1.3x), at 5,000 lines and at 100 MB;
#   - a whole diagnosis against `rg -P -f` with the same patterns (named
#     groups stripped, each pattern wrapped): 5,000 lines (target <= 0.1x)
#     and 100 lines (target <= 0.6x).
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-10}
export_patterns
nparts=$(ls "$OUT"/patterns-rg-part.* | wc -l)
head -74 "$OUT/typical-5k.log" >"$OUT/typical-100.log"
tail -26 "$OUT/typical-5k.log" >>"$OUT/typical-100.log"

# pair NAME TARGET 'A' 'B' [B_SHOWN]: one row of the table
pair() {
	local name=$1 target=$2 a=$3 b=$4 shown=${5:-\`$4\`} out
	out=$(python3 bench/stats.py pairs "$RUNS" 2 "$a" "$b") || return 1
	set -- $out
	echo "| $name | \`$a\` | $shown | **$(printf '%.2f' "$1")x** ($(printf '%.2f' "$2")-$(printf '%.2f' "$3")) | $(ms "$4") / $(ms "$5") ms | $target: $(awk -v r="$1" -v t="${target#<= }" 'BEGIN { print (r <= t) ? "met" : "NOT met" }') |"
}

big=$OUT/scan-100mb.log
{
	echo "### Ratios (issue 17): two commands in turn, $RUNS pairs after 2 warm-up pairs"
	echo
	echo "| what | A | B | A / B: median (min-max) | medians A / B | target |"
	echo "|---|---|---|---:|---:|---|"
	pair "100 MB log vs counting its lines" "<= 10" "$BS analyze --format json $big" "wc -l $big"
	pair "no rule matches vs the same log with its error lines, 5,000 lines" "<= 1.3" \
		"$BS analyze --format json $OUT/nomatch-typical-5k.log" "$BS analyze --format json $OUT/typical-5k.log"
	pair "no rule matches vs the same log with its error lines, 100 MB" "<= 1.3" \
		"$BS analyze --format json $OUT/nomatch-scan-100mb.log" "$BS analyze --format json $big"
	if need_rg; then
		pair "5,000-line diagnosis vs ripgrep, same patterns" "<= 0.1" \
			"$BS analyze --format json $OUT/typical-5k.log" "$(rg_all "$OUT/typical-5k.log")" \
			"\`rg -P -f PART $OUT/typical-5k.log\` for each of the $nparts parts"
		pair "100-line diagnosis vs ripgrep, same patterns" "<= 0.6" \
			"$BS analyze --format json $OUT/typical-100.log" "$(rg_all "$OUT/typical-100.log")" \
			"\`rg -P -f PART $OUT/typical-100.log\` for each of the $nparts parts"
	fi
	echo
	size=$(wc -c <"$big")
	if [ -x /usr/bin/time ]; then
		peak=0
		for _ in 1 2 3; do
			kb=$( { /usr/bin/time -f '%M' "$BS" analyze --format json "$big" >/dev/null; } 2>&1 | tail -1)
			[ "$kb" -gt "$peak" ] && peak=$kb
		done
		echo "Peak RSS of \`$BS analyze --format json $big\` (largest of 3, \`/usr/bin/time -f %M\`):"
		echo "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }') MiB for a $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB log:" \
			"**$(awk -v k="$peak" -v s="$size" 'BEGIN { printf "%.2f", k * 1024 / s }')x** its size" \
			"(target <= 1.5x: $(awk -v k="$peak" -v s="$size" 'BEGIN { print (k * 1024 <= 1.5 * s) ? "met" : "NOT met" }'))."
		echo
	fi
	echo "The no-match logs are the match logs without the failing step's lines, the errors"
	echo "BuildKit repeats and every step header (\`bench/gen_corpus.py\`, \`write_no_match\`): no"
	echo "rule matches and no step is known to have failed, so the likeliest error lines are"
	echo "searched for over the whole failed phase, the unknown path's worst case. ripgrep gets"
	echo "\`rules list --patterns\` with named groups made non-capturing, each wrapped in \`(?:...)\`,"
	echo "in $nparts parts of ${RG_PART:-100} (\`$OUT/patterns-rg-part.NN\`) run one after the other in one"
	echo "\`sh -c\`: PCRE2 refuses all $(wc -l <"$OUT/patterns.txt") patterns as one expression (\"regular"
	echo "expression is too large\"), so ripgrep pays its start-up $nparts times."
	echo
} >"$RES/ratios.md"
cat "$RES/ratios.md"
