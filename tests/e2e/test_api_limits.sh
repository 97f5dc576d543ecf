#!/usr/bin/env bash
# tests/e2e/test_api_limits.sh - the API client's limits against the fake
# Pipecat API: a log that never ends (every page one new line and a new
# nextToken) stops at 1,000 pages with a warning, keeping every line, in
# diagnose, fetch, watch and audit; a Retry-After date in the past never
# makes a retry come sooner than its backoff (one client and the audit's
# pool), measured by the server's own request times.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
TF=${TIME_FACTOR:-1}

KEY=bs-limits-Key-6d02e1
export PIPECAT_API_KEY=$KEY NO_COLOR=1
unset PIPECAT_CLOUD_API_KEY
FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002

start_fake FAKE tests/fake_api/fake_pipecat.py --key "$KEY"
CTL=http://127.0.0.1:$FAKE_PORT
export PIPECAT_API_URL=$CTL/v1

# api SECONDS ARGS...: run the binary, killed after SECONDS (scaled): a
# paging that does not end fails here, it never blocks the suite
api() { local s=$1; shift; timeout $((s * TF)) "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }

# --- a log that never ends ------------------------------------------------------------
endless() { reset; faults '[{"path": "/v1/builds/*/logs", "kind": "endless_token"}]'; }
CAPPED="the log of build $FAILED: page 1000 still sent a nextToken, and a build's log is read to at most 1000 pages; stopping with the 1000 log entries fetched so far (the log may be incomplete)"
log_pages() { requests; rq "$1: 1000 log pages asked" '[.requests[] | select(.path | endswith("/logs"))] | length' 1000; }

endless
api 60 diagnose --format json $FAILED
assert_rc "endless diagnose: exit" 0
assert_stderr "endless diagnose: warning" "buildsleuth: warning: $CAPPED"
jq_eq "endless diagnose: every line kept" '.lines' 1000
log_pages "endless diagnose"
rq "endless diagnose: the last page sent the 999th token" \
	'[.requests[] | select(.path | endswith("/logs")) | .query.nextToken != null] | map(select(.)) | length' 999

endless
api 60 fetch -o "$T/endless.json" $FAILED
assert_rc "endless fetch: exit" 0
assert_stderr "endless fetch: warning" "buildsleuth: warning: $CAPPED"
jq_eq "endless fetch: entries" '[(.logs | length), .logs[0], .logs[999]] | map(tostring) | join(" | ")' \
	"1000 | endless line 1 | endless line 1000" "$T/endless.json"
log_pages "endless fetch"

endless
api 60 watch $FAILED
assert_rc "endless watch: exit" 0
assert_contains "endless watch: warning" "buildsleuth: warning: $CAPPED" "$ERR"
assert_eq "endless watch: every line shown once" "1000 endless line 1000" \
	"$(grep -c '^endless line ' "$OUT") $(grep '^endless line ' "$OUT" | tail -1)"
log_pages "endless watch"

endless
api 60 audit --format json --per-build "$T/endless.jsonl" $FAILED
assert_rc "endless audit: exit" 0
assert_contains "endless audit: warning" "buildsleuth: warning: build $FAILED: $CAPPED" "$ERR"
jq_eq "endless audit: every line kept" '.lines' 1000 "$T/endless.jsonl"
log_pages "endless audit"

# --- Retry-After with a date in the past ------------------------------------------------
# Four 429s whose Retry-After lies in the past, then the answer. Each retry
# waits the backoff it would have used without the header (random in [0, 0.5 s),
# [0, 1 s), [0, 2 s), [0, 4 s)): the warnings give each wait, the server's own
# times show it was kept, and the four waits together are not nothing (they
# were 0.0 s when a past date meant "now"; four backoffs under 0.1 s in all
# come once in a million).
PAST='Wed, 21 Oct 2015 07:28:00 GMT'
# check_waits NAME PATH REGEX: the waits the warnings announce (the REGEX's
# first group) against the gaps between the requests to PATH
check_waits() {
	local name=$1 path=$2 waits
	waits=$(sed -n "s/$3/\1/p" "$ERR" | paste -sd, -)
	assert_eq "$name: four retries announced" 4 "$(echo "$waits" | tr ',' '\n' | grep -c .)"
	requests
	jq -r --arg p "$path" --argjson waits "[${waits:-0}]" '
		[.requests[] | select(.path == $p)] as $r
		| [range(1; $r | length) | $r[.].start - $r[. - 1].end] as $gaps
		| "\($r | length) \([range(0; $gaps | length) | $gaps[.] >= $waits[.] - 0.06] | all) \($waits | add)"' \
		"$T/req.json" >"$T/waits"
	read -r n kept total <"$T/waits"
	assert_eq "$name: five requests" 5 "$n"
	assert_eq "$name: each announced wait kept (waits $waits)" true "$kept"
	assert_eq "$name: the waits are backoffs, not zero (total $total s)" true \
		"$(python3 -c 'import sys; print(str(0.1 <= float(sys.argv[1]) < 7.5).lower())' "$total")"
}

reset
faults '[{"path": "/v1/builds/*", "kind": "status", "status": 429, "retry_after": "'"$PAST"'", "times": 4}]'
start=$(date +%s)
api 60 diagnose --format json --retries 4 $FAILED
assert_rc "past Retry-After: exit" 0
jq_eq "past Retry-After: the report" '.diagnoses[0].rule' docker.copy-source-missing
assert_contains "past Retry-After: warning form" \
	"buildsleuth: warning: cannot get build $FAILED: HTTP 429 too many requests; retry 1 of 4 in " "$ERR"
check_waits "past Retry-After" "/v1/builds/$FAILED" '.*; retry [0-9] of 4 in \([0-9.]*\) s$'
assert_eq "past Retry-After: within bounds" true "$([ $(($(date +%s) - start)) -lt $((15 * TF)) ] && echo true)"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 429, "retry_after": "'"$PAST"'", "times": 4}]'
start=$(date +%s)
api 60 audit --format json --retries 4 $FAILED
assert_rc "past Retry-After, audit: exit" 0
assert_contains "past Retry-After, audit: warning form" \
	"buildsleuth: warning: cannot get the log of build $FAILED: HTTP 429 too many requests; retry 1 of 4; pausing all requests for " "$ERR"
check_waits "past Retry-After, audit" "/v1/builds/$FAILED/logs" '.*; pausing all requests for \([0-9.]*\) s$'
assert_eq "past Retry-After, audit: within bounds" true "$([ $(($(date +%s) - start)) -lt $((15 * TF)) ] && echo true)"

finish
