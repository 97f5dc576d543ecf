# tests/lib.sh - assertions for the end-to-end test scripts (sourced).
# Each script: . tests/lib.sh; run checks; finish.
# Every check prints "ok"/"FAIL" lines; finish prints "N passed, M failed" and
# exits non-zero on any failure.

set -u
: "${BUILDSLEUTH:?set BUILDSLEUTH to the binary under test}"
BS=$BUILDSLEUTH
case $BS in /*) ;; *) BS=$PWD/$BS ;; esac
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/buildsleuth-test.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT
OUT=$TEST_TMP/stdout
ERR=$TEST_TMP/stderr
passed=0
failed=0
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}

pass() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $TEST_NAME: $*"; return 0; }
fail() { failed=$((failed + 1)); echo "FAIL $TEST_NAME: $*"; return 0; }

# run CMD...: run the binary with args, stdout to $OUT, stderr to $ERR, status in $RC
run() { "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
# run_stdin FILE CMD...: the same with FILE on stdin
run_stdin() { local f=$1; shift; "$BS" "$@" >"$OUT" 2>"$ERR" <"$f"; RC=$?; }

assert_rc() { # NAME EXPECTED
	if [ "$RC" = "$2" ]; then pass "$1"; else fail "$1: exit $RC, expected $2 (stderr: $(head -c 300 "$ERR"))"; fi
}
assert_eq() { # NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
assert_contains() { # NAME NEEDLE FILE
	if grep -qF -- "$2" "$3"; then pass "$1"; else fail "$1: [$2] not in $(basename "$3"): $(head -c 300 "$3")"; fi
}
assert_not_contains() { # NAME NEEDLE FILE
	if grep -qF -- "$2" "$3"; then fail "$1: [$2] found in $(basename "$3")"; else pass "$1"; fi
}
# assert_stderr NAME EXACT-LINE: stderr is exactly this one line
assert_stderr() {
	local got; got=$(cat "$ERR")
	if [ "$got" = "$2" ]; then pass "$1"; else fail "$1: stderr [$got], expected [$2]"; fi
}
assert_same_file() { # NAME EXPECTED-FILE ACTUAL-FILE
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1: $3 differs from $2:"; diff -u "$2" "$3" | head -20; fi
}
jq_eq() { # NAME JQ-FILTER EXPECTED [FILE]
	local got; got=$(jq -r "$2" "${4:-$OUT}" 2>&1)
	assert_eq "$1" "$3" "$got"
}

finish() {
	echo "$TEST_NAME: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}
