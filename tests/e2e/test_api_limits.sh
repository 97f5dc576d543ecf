#!/usr/bin/env bash
# tests/e2e/test_api_limits.sh - the API client's limits against the fake
# Pipecat API: a log that never ends (every page one new line and a new
# nextToken) stops at 1,000 pages with a warning, keeping every line, in
# diagnose, fetch, watch and audit.
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

ctl() {
	python3 -c 'import sys, urllib.request as u
r = u.Request(sys.argv[2], method=sys.argv[1], data=sys.argv[3].encode() if len(sys.argv) > 3 else None)
sys.stdout.write(u.urlopen(r, timeout=30).read().decode())' "$1" "$CTL$2" "${@:3}"
}
reset() { ctl POST '/_reset?all=1' >/dev/null; }
faults() { ctl POST /_faults "$1" >/dev/null; }
requests() { ctl GET /_requests >"$T/req.json"; }
rq() { jq_eq "$1" "$2" "$3" "$T/req.json"; }
# api SECONDS ARGS...: run the binary, killed after SECONDS (scaled): a
# paging that does not end fails here, it never blocks the suite
api() { local s=$1; shift; timeout $((s * TF)) "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }

# --- a log that never ends ------------------------------------------------------------
endless() { reset; faults '[{"path": "/v1/builds/*/logs", "kind": "endless_token"}]'; }
CAPPED="GET /v1/builds/$FAILED/logs: page 1000 still sent a nextToken, and a build's log is read to at most 1000 pages; stopping with the 1000 log entries fetched so far (the log may be incomplete)"
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

finish
