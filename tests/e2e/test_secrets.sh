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
start_fake api tests/fake_api/fake_pipecat.py --key "$KEY" \
	--fault '{"kind": "slow", "delay": 30, "before_auth": true}'
PORT=$api_PORT
CMD_PID=
# (a bare "wait" would wait for the fake server too, which outlives nothing)
trap 'if [ -n "$CMD_PID" ]; then kill "$CMD_PID" 2>/dev/null; wait "$CMD_PID" 2>/dev/null; fi; stop_fakes; rm -rf "$TEST_TMP"' EXIT
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

# --- invisible characters and NULs from the log, in every format ---------------------
# RLO (U+202E) in a package name, each other bidirectional control and
# zero-width character on line 3, a NUL inside a capture in a second log,
# and an errorMessage of a saved API document carrying RLO and LRI.
printf 'ERROR: Could not find a version that satisfies the requirement evil\342\200\256gnp.exe (from versions: none)\nERROR: No matching distribution found for evil\342\200\256gnp.exe\nzero\342\200\213 \342\200\214 \342\200\215 \342\200\216 \342\200\217 \342\200\252 \342\200\253 \342\200\254 \342\200\255 \342\201\240 \342\201\246 \342\201\247 \342\201\250 \342\201\251 \357\273\277 \330\234end\n' >"$T/bidi.log"
printf 'ERROR: Could not find a version that satisfies the requirement a\000b (from versions: none)\nERROR: No matching distribution found for a\000b\n' >"$T/nul.log"
printf '{"build": {"id": "x", "status": "failed", "errorMessage": "pip failed: \\u202eexe.txt \\u2066x\\u2069"}, "logs": ["ERROR: No matching distribution found for evil\\u202egnp.exe"]}\n' >"$T/api.json"
R=$'\xef\xbf\xbd' # U+FFFD, as controls are shown
# no_invisible NAME FILE: none of the characters' UTF-8 bytes is in FILE
no_invisible() {
	if LC_ALL=C grep -qaP '\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0\xa6-\xa9]|\xef\xbb\xbf|\xd8\x9c|\x00' "$2"; then
		fail "$1: an invisible character or a NUL is in the output: $(LC_ALL=C grep -aoP '.{0,20}(\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0\xa6-\xa9]|\xef\xbb\xbf|\xd8\x9c).{0,10}' "$2" | head -3)"
	else
		pass "$1"
	fi
}
for f in text markdown json github; do
	run analyze --format $f "$T/bidi.log"
	assert_rc "bidi $f: exit" 0
	no_invisible "bidi $f: no bidirectional or zero-width character" "$OUT"
	assert_contains "bidi $f: the summary shows RLO as U+FFFD" "release of evil${R}gnp.exe" "$OUT"
	# wide enough that no hint wraps between the words looked for
	COLUMNS=1000 run analyze --format $f "$T/nul.log"
	no_invisible "nul $f: no NUL" "$OUT"
	assert_contains "nul $f: the NUL in the capture is shown in the summary" "release of a${R}b for" "$OUT"
	assert_contains "nul $f: and in the hint" "pip index versions a${R}b" "$OUT"
	assert_not_contains "nul $f: not dropped" "pip index versions ab" "$OUT"
	run analyze --format $f "$T/api.json"
	no_invisible "api $f: no bidirectional character" "$OUT"
done
run analyze "$T/bidi.log"
assert_contains "bidi text: every character of line 3 shown" \
	"zero$R $R $R $R $R $R $R $R $R $R $R $R $R $R $R ${R}end" "$OUT"
run analyze --format json "$T/bidi.log"
jq_eq "bidi json: capture as the evidence shows it" '.diagnoses[0].captures.package' "evil${R}gnp.exe"
run analyze --format json "$T/nul.log"
jq_eq "nul json: capture as the evidence shows it" '.diagnoses[0].captures.package + " " + .diagnoses[0].evidence[1].text' \
	"a${R}b ERROR: No matching distribution found for a${R}b"
run analyze --format json "$T/api.json"
assert_contains "api json: the build record's RLO and LRI escaped, as controls are" \
	'"pip failed: \u202eexe.txt \u2066x\u2069"' "$OUT"
run analyze "$T/api.json"
assert_contains "api text: the build record's bidirectional controls shown" "pip failed: ${R}exe.txt ${R}x${R}" "$OUT"
run analyze --format markdown "$T/api.json"
assert_contains "api markdown: the build record's bidirectional controls shown" "pip failed: ${R}exe.txt ${R}x${R}" "$OUT"

# the audit's formats, over the logs and over reports that carry raw RLO
mkdir -p "$T/logs"
cp "$T/bidi.log" "$T/nul.log" "$T/logs/"
run audit --logs-dir "$T/logs" --per-build "$T/reports.jsonl" --format json
assert_rc "audit: exit" 0
sed "s/$R/\\\\u202e/g" "$T/reports.jsonl" >"$T/raw-rlo.jsonl"
assert_contains "audit: the crafted reports carry an escaped RLO" 'evil\u202egnp.exe' "$T/raw-rlo.jsonl"
for f in text markdown json csv; do
	run audit --logs-dir "$T/logs" --format $f
	no_invisible "audit $f: no bidirectional or zero-width character" "$OUT"
	run audit --from-reports "$T/raw-rlo.jsonl" --format $f
	assert_rc "audit --from-reports $f: exit" 0
	no_invisible "audit --from-reports $f: RLO neutralised" "$OUT"
	case $f in
	json) assert_contains "audit json: RLO escaped" 'evil\u202egnp.exe' "$OUT" ;;
	*) assert_contains "audit $f: RLO shown as U+FFFD" "evil${R}gnp.exe" "$OUT" ;;
	esac
done

finish
