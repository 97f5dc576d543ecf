# bench/lib.sh - sourced by every bench/*.sh: paths, tool checks and the one
# timing function (hyperfine's median when it is installed, else a Python
# loop that does the same).
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
BS=${BUILDSLEUTH:-build/buildsleuth}
OUT=bench/out
RES=$OUT/results
mkdir -p "$RES"

have() { command -v "$1" >/dev/null 2>&1; }

# bench_time RUNS WARMUP CMD [ARG...]: print the median wall time in seconds.
bench_time() {
	local runs=$1 warmup=$2
	shift 2
	if have hyperfine; then
		hyperfine -N -i --style none --warmup "$warmup" --runs "$runs" \
			--export-json "$OUT/hyperfine.json" -- "$*" >/dev/null 2>&1 &&
			python3 bench/stats.py median "$OUT/hyperfine.json" && return
	fi
	python3 bench/stats.py time "$runs" "$warmup" "$@"
}

# ms SECONDS: milliseconds with one decimal.
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The patterns exactly as `buildsleuth rules list --patterns` exports them,
# and the same lines as ripgrep must get them: rg -P joins -f lines with a
# bare '|', so each is wrapped in (?:...) (else a leading (?i) would carry
# into every later pattern, as PCRE2 options do across alternatives) and the
# whole gets (?J), PCRE2's inline PCRE2_DUPNAMES, because several patterns
# use the same group name. buildsleuth compiles each rule the same way:
# (?:p1)|(?:p2) with PCRE2_DUPNAMES.
export_patterns() {
	"$BS" rules list --patterns >"$OUT/patterns.txt" || exit 1
	sed 's/.*/(?:&)/; 1s/^/(?J)/' "$OUT/patterns.txt" >"$OUT/patterns-rg.txt"
	# The same with named groups made non-capturing (no (?J) needed), in
	# parts of RG_PART patterns: PCRE2 refuses the whole pack as one
	# expression ("regular expression is too large") since it passed about
	# 500 patterns, so ripgrep runs once per part (rg_all below).
	rm -f "$OUT"/patterns-rg-part.*
	sed 's/(?P\?<\([A-Za-z_][A-Za-z0-9_]*\)>/(?:/g; s/.*/(?:&)/' "$OUT/patterns.txt" |
		split -l "${RG_PART:-100}" -d - "$OUT/patterns-rg-part."
}

# rg_all LOG: one command (for hyperfine -N and bench/stats.py pairs) that
# runs `rg -P -f PART LOG` for each part of the patterns in turn.
rg_all() {
	local f cmd=""
	for f in "$OUT"/patterns-rg-part.*; do
		cmd="$cmd${cmd:+; }rg -P -f $f $1"
	done
	echo "sh -c '$cmd'"
}

need_rg() {
	if ! have rg; then
		echo "bench: ripgrep is missing; install it with: sudo apt-get install -y ripgrep" >&2
		return 1
	fi
}
