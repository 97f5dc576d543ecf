#!/usr/bin/env bash
# tests/run.sh - what `make check` runs: every unit test binary given as an
# argument and every tests/e2e/test_*.sh against the built binary, as
# independent suites, up to `nproc` at once (JOBS=N to choose). Each suite
# writes to its own file; the results are printed whole, in a fixed order
# (the unit binaries as given, then the scripts by name), each as soon as it
# and every suite before it have finished, then one closing line
# "total: N passed, M failed". Exits 1 on any failure. A unit binary's counts
# are read from cmocka's TAP output (CMOCKA_MESSAGE_OUTPUT=TAP); an e2e
# script's from its last line, "NAME: N passed, M failed" (tests/lib.sh).
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
export BUILDSLEUTH=${BUILDSLEUTH:-$BUILD/buildsleuth}
# VALGRIND=1: every end-to-end run of the binary goes through memcheck; an
# error or a definite leak makes that run exit 99, which fails its check.
if [ -n "${VALGRIND:-}" ] && [ "$VALGRIND" != 0 ]; then
	wrap_dir=$(mktemp -d)
	real=$(cd "$(dirname "$BUILDSLEUTH")" && pwd)/$(basename "$BUILDSLEUTH")
	cat >"$wrap_dir/buildsleuth" <<WRAP
#!/bin/sh
BUILDSLEUTH_NO_JIT=1 exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite "$real" "\$@"
WRAP
	chmod +x "$wrap_dir/buildsleuth"
	export BUILDSLEUTH=$wrap_dir/buildsleuth
	# for a suite that runs the binary thousands of times (test_corpus:
	# the figures from the binary itself, memcheck on a sample)
	export BUILDSLEUTH_UNWRAPPED=$real
	export TIME_FACTOR=40 # time bounds of the tests stretch under memcheck (20-50x slower)
fi
jobs=${JOBS:-$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
case $jobs in '' | *[!0-9]* | 0) jobs=2 ;; esac
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${wrap_dir:-}" ] && rm -rf "$wrap_dir"' EXIT

# The suites, in the order their results are printed.
suites=()
for t in "$@"; do suites+=("unit $t"); done
for t in tests/e2e/test_*.sh; do
	[ -e "$t" ] && suites+=("e2e $t")
done

# run_suite I: run suite I with its output to $out/I.log; $out/I.rc says it ended
run_suite() {
	local kind=${suites[$1]%% *} t=${suites[$1]#* } rc
	if [ "$kind" = unit ]; then
		# cmocka's own machine-readable output: TAP on stdout
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out/$1.log" 2>&1 </dev/null
	else
		TEST_NAME=$(basename "$t" .sh) bash "$t" >"$out/$1.log" 2>&1 </dev/null
	fi
	rc=$?
	echo "$rc" >"$out/$1.rc.tmp" && mv "$out/$1.rc.tmp" "$out/$1.rc"
}

# tap_counts FILE: "PASSED FAILED SKIPPED PLANNED" read from the TAP lines
# in FILE (the plan "1..N", then "ok N - name" or "not ok N - name", a
# "# SKIP" directive marking a skipped test); PLANNED is -1 without a plan
tap_counts() {
	awk 'BEGIN { plan = -1 }
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
	/^(not )?ok [0-9]+/ { if ($0 ~ /^[^#]*# *(SKIP|TODO)/) s++; else if ($1 == "ok") p++; else f++ }
	END { printf "%d %d %d %d\n", p, f, s, plan }' "$1"
}

total_pass=0
total_fail=0
# report I: print suite I's result lines and add its counts to the totals
report() {
	local kind=${suites[$1]%% *} t=${suites[$1]#* } log=$out/$1.log rc p f s plan last
	rc=$(cat "$out/$1.rc")
	if [ "$kind" = unit ]; then
		read -r p f s plan < <(tap_counts "$log")
		# a test the plan announced but that never reported: the binary died
		if [ "$plan" -lt 0 ]; then f=$((f + 1))
		elif [ $((p + f + s)) -lt "$plan" ]; then f=$((f + plan - p - f - s)); fi
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi  # exited non-zero anyway
		if [ "$f" != 0 ]; then cat "$log"; echo "$(basename "$t") exited $rc"; fi
		last="$(basename "$t"): $p passed, $f failed"
		if [ "$s" != 0 ]; then last="$last, $s skipped"; fi
		echo "$last"
	else
		last=$(tail -1 "$log")
		p=$(echo "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
		f=$(echo "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
		p=${p:-0}; f=${f:-0}
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; echo "$t exited $rc"; fi
		grep -v '^ok ' "$log" | sed '$d'
		echo "$last"
	fi
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}

# Start the slowest suites first so that they do not finish last alone; the
# printed order does not depend on it.
order=()
for slow in test_api test_audit test_action test_comment test_accuracy test_fakes test_golden; do
	for i in "${!suites[@]}"; do
		[ "${suites[$i]}" = "e2e tests/e2e/$slow.sh" ] && order+=("$i")
	done
done
for i in "${!suites[@]}"; do
	case " ${order[*]-} " in *" $i "*) ;; *) order+=("$i") ;; esac
done

printed=0
# print the finished suites that are next in the printed order
flush() {
	while [ "$printed" -lt "${#suites[@]}" ] && [ -e "$out/$printed.rc" ]; do
		report "$printed"
		printed=$((printed + 1))
	done
}
running=0
for i in ${order[@]+"${order[@]}"}; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
		flush
	fi
	run_suite "$i" &
	running=$((running + 1))
done
wait
flush

echo "total: $total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] && [ "$total_pass" -gt 0 ]
