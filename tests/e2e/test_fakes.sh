#!/usr/bin/env bash
# tests/e2e/test_fakes.sh - the fake servers live exactly as long as the test
# that starts them: start_fake (tests/lib.sh) stops them when the test exits,
# however it exits; a test killed before its cleanup leaves no server behind
# (the fake exits when its parent has gone); and no test gives a fake a
# wall-clock lifetime that a slow run could outlast.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
TF=${TIME_FACTOR:-1}

# gone PID: true once PID has exited, polled for up to 3 s (scaled)
gone() {
	local i
	for i in $(seq $((60 * TF))); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}
# refused PORT: true when nothing listens on 127.0.0.1:PORT any more
refused() {
	python3 -c 'import socket, sys
s = socket.socket()
s.settimeout(2)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$1"
}
# child NAME BODY: a test script that starts both fakes, records their pids
# and ports in $T/NAME.pids, then runs BODY
child() {
	cat >"$T/$1.sh" <<EOF
cd "$PWD" || exit 2
. tests/lib.sh
start_fake GH tests/fake_github/fake_github.py
start_fake PC tests/fake_api/fake_pipecat.py --no-samples
echo "\$GH_PID \$GH_PORT \$PC_PID \$PC_PORT \$TEST_TMP" >"$T/$1.pids"
$2
EOF
}
# check_gone NAME: both servers of child NAME have exited and free their ports
check_gone() {
	local gh_pid gh_port pc_pid pc_port tmp
	read -r gh_pid gh_port pc_pid pc_port tmp <"$T/$1.pids" || { fail "$1: no pids recorded"; return; }
	CHILD_TMP=$tmp
	if gone "$gh_pid" && gone "$pc_pid"; then pass "$1: both servers exited"; else
		fail "$1: a server outlived its test ($(ps -o pid=,args= -p "$gh_pid" -p "$pc_pid" | tr '\n' ';'))"
		kill "$gh_pid" "$pc_pid" 2>/dev/null
	fi
	if refused "$gh_port" && refused "$pc_port"; then pass "$1: ports closed"; else
		fail "$1: a port still answers"; fi
}

# A test that passes and exits: its EXIT trap stops the servers.
child finished 'curl -fsS "http://127.0.0.1:$PC_PORT/v1/builds" -H "Authorization: Bearer test-key-123" >/dev/null && pass up; finish'
TEST_NAME=finished VERBOSE= bash "$T/finished.sh" >"$T/finished.out" 2>&1
RC=$?
assert_eq "finished: the child passed" "0|finished: 1 passed, 0 failed" "$RC|$(cat "$T/finished.out")"
check_gone finished

# A test that fails part-way: the same.
child failed 'exit 3'
TEST_NAME=failed bash "$T/failed.sh" >/dev/null 2>&1
assert_eq "failed: exit status" 3 $?
check_gone failed
assert_eq "failed: its TEST_TMP removed" false "$([ -e "$CHILD_TMP" ] && echo true || echo false)"

# A test stopped by SIGTERM (a timeout): its EXIT trap still runs.
child terminated 'kill -TERM $$; sleep 5'
TEST_NAME=terminated bash "$T/terminated.sh" >/dev/null 2>&1
assert_eq "terminated: exit status" 143 $?
check_gone terminated
assert_eq "terminated: its TEST_TMP removed" false "$([ -e "$CHILD_TMP" ] && echo true || echo false)"

# A test killed outright (no trap runs): the servers notice their parent has
# gone and exit by themselves.
child killed 'kill -KILL $$'
(TEST_NAME=killed bash "$T/killed.sh" >/dev/null 2>&1; exit $?) 2>/dev/null # no "Killed" notice
assert_eq "killed: SIGKILL" 137 $?
check_gone killed

# A server that cannot start fails the test at once, with its message.
cat >"$T/nostart.sh" <<EOF
cd "$PWD" || exit 2
. tests/lib.sh
start_fake PC tests/fake_api/fake_pipecat.py --data /nonexistent
echo "not reached"
EOF
TEST_NAME=nostart bash "$T/nostart.sh" >"$T/nostart.out" 2>&1
assert_eq "no start: exit status" 1 $?
assert_contains "no start: says which server" "FAIL nostart: fake server PC (tests/fake_api/fake_pipecat.py) did not start: fake_pipecat: error:" "$T/nostart.out"
assert_not_contains "no start: the test ends there" "not reached" "$T/nostart.out"

# No test or script gives a fake a wall-clock lifetime.
assert_eq "no --lifetime in the tests" "" "$(grep -ln -- '--lifetime' tests/lib.sh tests/e2e/*.sh tests/demo.sh | grep -v test_fakes.sh)"

finish
