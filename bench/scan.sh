#!/usr/bin/env bash
# bench/scan.sh - scan throughput: the 100 MB log with the full built-in rule
# pack, `buildsleuth analyze --format json` against `rg -P -c -f PATTERNS`
# with the very same patterns. Target: buildsleuth's time <= ripgrep's.
. "$(dirname "$0")/lib.sh"
LOG=$OUT/scan-100mb.log
export_patterns
npat=$(wc -l <"$OUT/patterns.txt")
size=$(wc -c <"$LOG")
mb=$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1e6 }')
bs_cmd="$BS analyze --format json $LOG"
rg_cmd="rg -P -c -f $OUT/patterns-rg.txt $LOG"

# Does ripgrep take every pattern? PCRE2 (-P) must; its default engine has
# no look-around, possessive quantifiers or \h, so it cannot.
pcre_ok=0 rust_ok=0 joined="n/a"
if need_rg; then
	while IFS= read -r p; do
		rg -P --regexp="$p" /dev/null >/dev/null 2>&1
		[ $? = 1 ] && pcre_ok=$((pcre_ok + 1))
		rg --regexp="$p" /dev/null >/dev/null 2>&1
		[ $? = 1 ] && rust_ok=$((rust_ok + 1))
	done <"$OUT/patterns.txt"
	rg -P -f "$OUT/patterns-rg.txt" /dev/null >/dev/null 2>&1
	[ $? = 1 ] && joined=yes || joined=NO
fi

bs_t=$(bench_time 5 1 $bs_cmd)
top=$($bs_cmd | python3 -c 'import json,sys; d=json.load(sys.stdin)["diagnoses"]; print(d[0]["rule"] if d else "-")')
# ripgrep at about 3 MB/s takes 35 s a run on 100 MB: timed only while it
# takes the pack as one expression (run in parts it would take minutes)
if have rg && [ "$joined" = yes ]; then
	rg_t=$(bench_time 3 0 $rg_cmd)
	rg_lines=$($rg_cmd)
fi

{
	echo "### Scan throughput: $mb MB log, full rule pack"
	echo
	echo "| tool | command | median | throughput | vs ripgrep |"
	echo "|---|---|---:|---:|---:|"
	echo "| buildsleuth | \`$bs_cmd\` | $(ms "$bs_t") ms | $(awk -v m="$mb" -v t="$bs_t" 'BEGIN { printf "%.0f", m / t }') MB/s | $(if [ -n "${rg_t:-}" ]; then echo "$(ratio "$bs_t" "$rg_t")x"; else echo n/a; fi) |"
	if [ -n "${rg_t:-}" ]; then
		echo "| ripgrep (PCRE2) | \`$rg_cmd\` | $(ms "$rg_t") ms | $(awk -v m="$mb" -v t="$rg_t" 'BEGIN { printf "%.1f", m / t }') MB/s | 1.00x |"
	else
		echo "| ripgrep | $(if have rg; then echo "not timed: PCRE2 refuses the $npat patterns as one expression"; else echo "not installed"; fi) | n/a | n/a | n/a |"
	fi
	echo
	echo "Target: buildsleuth <= ripgrep: **$(if [ -n "${rg_t:-}" ]; then awk -v a="$bs_t" -v b="$rg_t" 'BEGIN { print (a <= b) ? "met" : "NOT met" }'; else echo "not measured"; fi)**."
	echo "buildsleuth's top diagnosis: \`$top\`; ripgrep: ${rg_lines:-n/a} matching lines."
	echo "The $npat patterns come from \`buildsleuth rules list --patterns\`; ripgrep's PCRE2 engine"
	echo "accepts $pcre_ok of them one by one and all of them joined (wrapped as described in"
	echo "bench/lib.sh): $joined. Its default engine accepts $rust_ok (it has no look-around,"
	echo "\`\\h\` or possessive quantifiers), so the comparison uses \`rg -P\`."
	echo
} >"$RES/scan.md"
cat "$RES/scan.md"
