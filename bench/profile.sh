#!/usr/bin/env bash
# bench/profile.sh [LOG] - what `make bench-profile` runs: repeatable
# instruction counts of one `analyze` with valgrind's callgrind (the total
# and the functions that dominate), then bench/rule_cost.c on the same log:
# the match with and without the literal prefilter, and the rules that cost
# most when they must scan everything.
. "$(dirname "$0")/lib.sh"
LOG=${1:-$OUT/lines-100k.log}
[ -f "$LOG" ] || python3 bench/gen_corpus.py all "$OUT" rules || exit 1
if ! have valgrind; then
	if [ "$(id -u)" = 0 ] && have apt-get; then
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends valgrind) >/dev/null 2>&1
	fi
	have valgrind || { echo "bench: install valgrind: sudo apt-get install -y valgrind" >&2; exit 1; }
fi
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
	"$BS" analyze --format json "$LOG" >/dev/null 2>"$OUT/callgrind.err" || exit 1
echo "callgrind: $BS analyze --format json $LOG"
sed -n 's/.*Collected : \([0-9]*\)/instructions: \1/p' "$OUT/callgrind.err"
callgrind_annotate --inclusive=no "$OUT/callgrind.out" 2>/dev/null |
	sed -n '/file:function/,$p' | sed -n '3,17p' | sed 's/ \[[^]]*\]$//'
echo
lib=$(dirname "$BS")/libbuildsleuth.a
${CC:-cc} -std=gnu11 -O2 -Iinclude -o "$OUT/rule_cost" bench/rule_cost.c "$lib" \
	$(pkg-config --cflags --libs libcurl json-c libpcre2-8) || exit 1
"$OUT/rule_cost" "$LOG" 15
