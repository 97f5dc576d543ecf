#!/usr/bin/env bash
# tests/run.sh - what `make check` runs: every unit test binary given as an
# argument, then every tests/e2e/test_*.sh against the built binary. Prints
# one closing line "total: N passed, M failed"; exits 1 on any failure.
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
	export TIME_FACTOR=20 # time bounds of the tests stretch under memcheck
fi
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"; [ -n "${wrap_dir:-}" ] && rm -rf "$wrap_dir"' EXIT

for t in "$@"; do
	name=$(basename "$t")
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi  # crashed
	if [ "$f" != 0 ]; then cat "$log"; fi
	echo "$name: $p passed, $f failed"
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done

for t in tests/e2e/test_*.sh; do
	[ -e "$t" ] || continue
	TEST_NAME=$(basename "$t" .sh) bash "$t" >"$log" 2>&1
	rc=$?
	last=$(tail -1 "$log")
	p=$(echo "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$last" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	p=${p:-0}; f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; echo "$t exited $rc"; fi
	grep -v '^ok ' "$log" | sed '$d'
	echo "$last"
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done

echo "total: $total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] && [ "$total_pass" -gt 0 ]
