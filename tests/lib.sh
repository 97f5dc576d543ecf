# tests/lib.sh - assertions for the end-to-end test scripts (sourced).
# Each script: . tests/lib.sh; run checks; finish.
# Every check prints "ok"/"FAIL" lines; finish prints "N passed, M failed" and
# exits non-zero on any failure.

set -u
: "${BUILDSLEUTH:?set BUILDSLEUTH to the binary under test}"
BS=$BUILDSLEUTH
# Text reports wrap to COLUMNS: a developer's shell must not change them.
unset COLUMNS
case $BS in /*) ;; *) BS=$PWD/$BS ;; esac
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/buildsleuth-test.XXXXXX")
FAKE_PIDS=()
# On exit: stop the fake servers this test started, then remove TEST_TMP.
stop_fakes() {
	local pid
	for pid in ${FAKE_PIDS[@]+"${FAKE_PIDS[@]}"}; do kill "$pid" 2>/dev/null; done
	for pid in ${FAKE_PIDS[@]+"${FAKE_PIDS[@]}"}; do wait "$pid" 2>/dev/null; done
	FAKE_PIDS=()
}
trap 'stop_fakes; rm -rf "$TEST_TMP"' EXIT
# a test stopped by a signal cleans up too (bash runs no EXIT trap for one)
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
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

# start_fake NAME SERVER.py ARGS...: start a fake server (tests/fake_api/
# fake_pipecat.py, tests/fake_github/fake_github.py) on an ephemeral loopback
# port, wait until it listens, and set ${NAME}_PORT and ${NAME}_PID; its
# stdout and stderr go to $TEST_TMP/NAME.out and .err. It lives exactly as
# long as this test: stopped when the test exits (the EXIT trap above), and
# it exits by itself if this shell dies first; never a wall-clock lifetime.
# Not in $(...): the server would belong to that subshell. A server that does
# not start fails the test, which ends here.
start_fake() {
	local name=$1 server=$2 pid port i
	shift 2
	python3 "$server" "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" </dev/null &
	pid=$!
	FAKE_PIDS+=("$pid")
	for i in $(seq $((400 * ${TIME_FACTOR:-1}))); do
		grep -q '^PORT ' "$TEST_TMP/$name.out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	port=$(awk '/^PORT /{print $2; exit}' "$TEST_TMP/$name.out")
	if [ -z "$port" ]; then
		fail "fake server $name ($server) did not start: $(head -c 300 "$TEST_TMP/$name.err")"
		finish
		exit 1
	fi
	printf -v "${name}_PORT" '%s' "$port"
	printf -v "${name}_PID" '%s' "$pid"
}

# The control endpoints of the fake server at $CTL (tests/fake_api and
# tests/fake_github both have them): ctl METHOD PATH [BODY] prints the answer;
# reset forgets everything, faults JSON sets the faults to inject, requests
# saves what the server recorded to $TEST_TMP/req.json, and
# rq NAME JQ-FILTER EXPECTED checks it.
ctl() {
	python3 -c 'import sys, urllib.request as u
r = u.Request(sys.argv[2], method=sys.argv[1], data=sys.argv[3].encode() if sys.argv[3] else None)
sys.stdout.write(u.urlopen(r, timeout=float(sys.argv[4])).read().decode())' \
		"$1" "$CTL$2" "${3:-}" "$((30 * ${TIME_FACTOR:-1}))"
}
reset() { ctl POST '/_reset?all=1' >/dev/null; }
faults() { ctl POST /_faults "$1" >/dev/null; }
requests() { ctl GET /_requests >"$TEST_TMP/req.json"; }
rq() { jq_eq "$1" "$2" "$3" "$TEST_TMP/req.json"; }

# The commands and options as the binary has them, for the tests that check
# that --help, the man page and the completion name them all.
BS_SRC=$PWD/src
# commands: every command of `buildsleuth --help`, one a line
commands() { "$BS" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'; }
# parser_options: every long option of the parser's table (src/cli.c
# long_options[]), as --name, one a line
parser_options() {
	sed -n '/^static const struct option long_options/,/^};/s/^\t{ "\([a-z-]*\)".*/--\1/p' \
		"$BS_SRC/cli.c"
}
# takes CMD OPTION: CMD does not call OPTION unknown. Given as --name=x and
# then --help, nothing runs: the value is refused, the option takes none, or
# the help is printed.
takes() {
	timeout $((20 * ${TIME_FACTOR:-1})) "$BS" "$1" "$2=x" --help </dev/null >/dev/null \
		2>"$TEST_TMP/takes.err"
	! grep -q "unknown option '$2'" "$TEST_TMP/takes.err"
}
# options_taken CMD: every long option of the parser that CMD takes, one a line
options_taken() {
	local opt
	parser_options | while read -r opt; do
		if takes "$1" "$opt"; then echo "$opt"; fi
	done
}

finish() {
	echo "$TEST_NAME: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}
