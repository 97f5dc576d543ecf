#!/usr/bin/env bash
# tests/e2e/test_audit.sh - `buildsleuth audit` against the fake Pipecat API
# (tests/fake_api): the listing (pages, filters, --max), concurrency the
# server can see, the global 429 pause, partial and total failure, resume
# after Ctrl-C, shards that cover every build once, --from-reports equal to
# one run byte for byte, --logs-dir over fixtures/, the formats, progress
# and the key's safety. Checks exit codes, outputs and what the server
# recorded.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

KEY=bs-audit-Key-5e8d1f6a90
export PIPECAT_API_KEY=$KEY
unset PIPECAT_CLOUD_API_KEY PIPECAT_API_URL
export NO_COLOR=1
ALL=$T/all-output       # every stdout and stderr, grepped for the key at the end
: >"$ALL"
GEN=250                 # generated failed builds: three list pages of 100
FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002
PIPFAIL=123e4567-e89b-12d3-a456-426614174000
SUCCESS=6f1c2a3b-0001-4a5b-8c6d-000000000001
MISSING=6f1c2a3b-0009-4a5b-8c6d-000000000009

# --- the fake server -----------------------------------------------------------------
start_fake FAKE tests/fake_api/fake_pipecat.py --key "$KEY" --generate $GEN
PORT=$FAKE_PORT
CTL=http://127.0.0.1:$PORT
export PIPECAT_API_URL=$CTL/v1

# every failed build as the API lists it (the key from the environment, never argv)
python3 - "$PIPECAT_API_URL" >"$T/listed.json" <<'EOF'
import json, os, sys, urllib.request as u
out, off = [], 0
while True:
    r = u.Request("%s/builds?status=failed&limit=100&offset=%d" % (sys.argv[1], off),
                  headers={"Authorization": "Bearer " + os.environ["PIPECAT_API_KEY"]})
    page = json.load(u.urlopen(r, timeout=5))
    out += page["builds"]
    off += len(page["builds"])
    if not page["builds"] or off >= page["total"]:
        break
json.dump(out, sys.stdout)
EOF
NFAILED=$(jq length "$T/listed.json")
jq -r '.[].id' "$T/listed.json" | sort >"$T/listed-ids.txt"

# audit ARGS...: run the binary (killed after 30 s: a hang fails, never blocks
# the suite), keep its output for the key check
audit() { timeout $((30 * ${TIME_FACTOR:-1})) "$BS" audit "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; cat "$OUT" "$ERR" >>"$ALL"; }
# ids of the builds a --per-build file holds, sorted
ids_of() { jq -r '.build.id // .build_id // .source.path' "$1" | sort; }

assert_eq "the fake API lists the generated builds and the failed samples" $((GEN + 3)) "$NFAILED"

# --- usage and bad input: nothing is fetched ------------------------------------------
reset
audit
assert_rc "nothing to audit: exit" 2
assert_contains "nothing to audit: says what to give" "nothing to audit: give BUILD_IDs" "$ERR"
audit --status pending
assert_rc "--status pending: exit" 2
audit --region us-west $FAILED
assert_rc "--region without --status: exit" 2
audit --status failed --format github
assert_rc "--format github: exit" 2
assert_contains "--format github: formats named" "unknown format 'github' (text, markdown, json or csv)" "$ERR"
audit --status failed --shard 3/3
assert_rc "--shard 3/3: exit" 2
audit --status failed --since yesterday
assert_rc "--since yesterday: exit" 2
audit --refresh $FAILED
assert_rc "--refresh without --save-dir: exit" 2
audit --from-reports
assert_rc "--from-reports without files: exit" 2
audit --logs-dir fixtures/logs $FAILED
assert_rc "--logs-dir with a build ID: exit" 2
audit --exit-code $FAILED
assert_rc "--exit-code: exit" 2
printf '%s\n# a comment\nnot-an-id\n\n%s extra\n' "$FAILED" "$PIPFAIL" >"$T/bad-ids.txt"
audit --ids-from "$T/bad-ids.txt" 6f1c2a3b-0002-4a5b-8c6d-00000000000 ""
assert_rc "bad IDs: exit" 3
assert_eq "bad IDs: every one named, then a count" "buildsleuth: invalid build ID '6f1c2a3b-0002-4a5b-8c6d-00000000000': expected a UUID such as 123e4567-e89b-12d3-a456-426614174000
buildsleuth: invalid build ID '': expected a UUID such as 123e4567-e89b-12d3-a456-426614174000
buildsleuth: $T/bad-ids.txt:3: not a build ID: 'not-an-id' (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000)
buildsleuth: $T/bad-ids.txt:5: not a build ID: '$PIPFAIL extra' (expected a UUID such as 123e4567-e89b-12d3-a456-426614174000)
buildsleuth: 4 bad build IDs; nothing was fetched" "$(cat "$ERR")"
printf '%s\n' "$KEY" >"$T/pasted-key.txt"
audit --ids-from "$T/pasted-key.txt" "x$KEY"
assert_rc "the key pasted as an ID: exit" 3
assert_eq "the key pasted as an ID: never shown" "buildsleuth: a build ID was not shown: it holds the API key
buildsleuth: a build ID was not shown: it holds the API key
buildsleuth: 2 bad build IDs; nothing was fetched" "$(cat "$ERR")"
requests
rq "usage and bad input: no request" '.requests | length' 0

# --- the listing: pages, filters, --max --------------------------------------------------
reset
faults '[{"kind": "latency", "delay": 0.02}]'
audit --status failed --format json --per-build "$T/all.jsonl"
assert_rc "listing: exit" 0
cp "$OUT" "$T/single.json"
jq_eq "listing: every failed build analysed" '.builds.total, .builds.analysed, .builds.not_fetched' "$NFAILED
$NFAILED
0"
jq_eq "listing: schema" '.schema' "buildsleuth.audit/v1"
requests
rq "listing: three pages of 100, in order" '[.requests[] | select(.path == "/v1/builds") | .query_string] | join(" ")' \
	"limit=100&offset=0&status=failed limit=100&offset=100&status=failed limit=100&offset=200&status=failed"
rq "listing: one logs request per build" '[.requests[] | select(.path | endswith("/logs"))] | length' "$NFAILED"
rq "listing: records come from the listing, not fetched again" \
	'[.requests[] | select(.path | test("^/v1/builds/[^/]+$"))] | length' 0
rq "listing: logs asked with limit=10000" '[.requests[] | select(.path | endswith("/logs")) | .query.limit] | unique | join(",")' 10000
rq "listing: every request authorised" '[.requests[] | .auth_ok] | all' true
assert_eq "listing: --per-build holds one report per build" "$(cat "$T/listed-ids.txt")" "$(ids_of "$T/all.jsonl")"
assert_eq "listing: --per-build lines are buildsleuth.report/v1" "buildsleuth.report/v1" \
	"$(jq -rs 'map(.schema) | unique | join(",")' "$T/all.jsonl")"
assert_eq "listing: classification rate is classified / analysed" \
	"$(jq -r '.builds.classified / .builds.analysed * 10000 | round' "$T/single.json")" \
	"$(jq -r '.classification_rate * 10000 | round' "$T/single.json")"
assert_eq "listing: unknown builds are listed, each with an excerpt" \
	"$(jq -r '.builds.unknown' "$T/single.json") true" \
	"$(jq -r '(.unknown | length | tostring) + " " + ([.unknown[] | (.excerpt | length) > 0 and any(.excerpt[]; .evidence)] | all | tostring)' "$T/single.json")"
assert_eq "listing: categories cover every analysed build" true \
	"$(jq -r '([.categories[].builds] | add) == .builds.analysed' "$T/single.json")"
assert_eq "listing: a rule's builds never exceed its matches" true \
	"$(jq -r '[.rules[] | .builds <= .matched] | all' "$T/single.json")"
# the generated pattern: 4 in 10 are pip's no-matching-distribution
jq_eq "listing: the commonest rule" '.rules[0].rule + " " + (.rules[0].examples | length | tostring)' \
	"pip.no-matching-distribution 3" "$T/single.json"
jq_eq "listing: the commonest subject is a package name" '.rules[0].subjects[0].name' "package" "$T/single.json"
timeout 30 "$BS" diagnose --format json $FAILED >"$T/diagnosed.json" 2>>"$ALL"
assert_eq "listing: a --per-build line is what diagnose --format json says" "$(jq -S . "$T/diagnosed.json")" \
	"$(grep -F "\"build_id\":\"$FAILED\"" "$T/all.jsonl" | jq -S .)"

reset
audit --status failed --region eu-central --format json
assert_rc "--region: exit" 0
jq_eq "--region: the region's failed builds" '.builds.analysed' \
	"$(jq '[.[] | select(.region == "eu-central")] | length' "$T/listed.json")"
requests
rq "--region: sent to the API" '[.requests[] | select(.path == "/v1/builds") | .query.region] | unique | join(",")' eu-central

SINCE=2026-02-10T00:00:00Z UNTIL=2026-02-20
audit --status failed --since $SINCE --until $UNTIL --format json --per-build "$T/window.jsonl"
assert_rc "--since/--until: exit" 0
jq_eq "--since/--until: createdAt in [since, until)" '.builds.analysed' \
	"$(jq '[.[] | select(.createdAt >= "2026-02-10T00:00:00" and .createdAt < "2026-02-20")] | length' "$T/listed.json")"
assert_eq "--since/--until: every build inside the window" true \
	"$(jq -s '[.[] | .build.createdAt >= "2026-02-10" and .build.createdAt < "2026-02-20"] | all' "$T/window.jsonl")"

reset
audit --status failed --max 7 --format json
assert_rc "--max: exit" 0
jq_eq "--max: seven builds" '.builds.total' 7
requests
rq "--max: one list page is enough" '[.requests[] | select(.path == "/v1/builds")] | length' 1
rq "--max: seven logs fetched" '[.requests[] | select(.path | endswith("/logs"))] | length' 7

# --- IDs: arguments, --ids-from, duplicates, a build that did not fail -----------------
reset
UPPER=$(echo $PIPFAIL | tr a-f A-F)
printf '# builds to audit\n%s   # the COPY one\n\n%s\r\n%s\n' "$FAILED" "$UPPER" "$SUCCESS" >"$T/ids.txt"
audit --ids-from "$T/ids.txt" $PIPFAIL $FAILED --format json
assert_rc "ids: exit" 0
jq_eq "ids: three builds once each, one with nothing to diagnose" '[.builds.total, .builds.analysed, .builds.no_diagnosis] | map(tostring) | join(" ")' "3 2 1"
jq_eq "ids: the successful build" '.no_diagnosis[0].build_id + " " + .no_diagnosis[0].status' "$SUCCESS success"
requests
rq "ids: each record once, logs only of failed builds" '[.requests[] | .path] | sort | join(" ")' \
	"/v1/builds/$PIPFAIL /v1/builds/$PIPFAIL/logs /v1/builds/$SUCCESS /v1/builds/$FAILED /v1/builds/$FAILED/logs"
printf '%s\n' "$FAILED" | timeout 30 "$BS" audit --ids-from - --format json >"$OUT" 2>"$ERR"
RC=$?
assert_rc "--ids-from -: exit" 0
jq_eq "--ids-from -: the build" '.categories[0].examples[0]' "$FAILED"

# --- concurrency the server can see ------------------------------------------------------
reset
faults '[{"kind": "latency", "delay": 0.05}]'
jq -r '.[].id' "$T/listed.json" | head -40 >"$T/forty.txt"
audit --ids-from "$T/forty.txt" --jobs 8 --format json
assert_rc "jobs 8: exit" 0
requests
MAXC=$(jq .max_concurrent "$T/req.json")
assert_eq "jobs 8: requests overlap (2..8 at once)" true "$([ "$MAXC" -ge 2 ] && [ "$MAXC" -le 8 ] && echo true)"
rq "jobs 8: record and logs of each build" '.requests | length' 80
reset
audit --ids-from "$T/forty.txt" --jobs 1 --format json
requests
rq "jobs 1: one at a time" '.max_concurrent' 1
cp "$OUT" "$T/forty-1.json"
audit --ids-from "$T/forty.txt" --jobs 16 --format json
assert_same_file "jobs: the report does not depend on --jobs" "$T/forty-1.json" "$OUT"

# --- 429: the whole audit pauses --------------------------------------------------------
reset
# Retry-After stretches with TIME_FACTOR (1 s, 4 s under memcheck): there a
# request can take longer than a 1 s pause, and a 429 answered after it would
# start a second
RA=$(( (${TIME_FACTOR:-1} + 9) / 10 ))
faults '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 429, "retry_after": "'"$RA"'", "times": 3},
	 {"kind": "latency", "delay": 0.02}]'
audit -v --ids-from "$T/forty.txt" --jobs 8 --format json
assert_rc "429: exit" 0
jq_eq "429: every build analysed" '.builds.analysed' 40
requests
rq "429: three answered 429" '[.requests[] | select(.status == 429)] | length' 3
rq "429: each retried once, no more" '.requests | length' 83
# nothing starts until Retry-After has passed since the first 429 (but
# what was sent before the answer arrived: 0.2 s of slack for that)
rq "429: the audit paused" '[.requests[] | select(.status == 429)][0].end as $t | [.requests[] | select(.start > $t + 0.2 * '"$RA"' and .start < $t + '"$RA"' - 0.05)] | length' 0
rq "429: the throttled builds waited for Retry-After" '[.requests[] | select(.status == 429)] as $r | $r[0].end as $t | [.requests[] | select(.start > $t) | .path] as $later | [$r[] | .path as $p | ($later | index($p)) != null] | all' true
assert_eq "429: one pause announced, not one per worker" 1 "$(grep -c "pausing all requests for $RA.0 s" "$ERR")"
assert_contains "429: -v counts them" "3 answered 429 (1 pauses)" "$ERR"

# --- partial and total failure ------------------------------------------------------------
reset
BAD1=$(sed -n 3p "$T/forty.txt") BAD2=$(sed -n 9p "$T/forty.txt")
faults '[{"regex": "'"$BAD1"'/logs|'"$BAD2"'/logs", "kind": "status", "status": 500}]'
audit --ids-from "$T/forty.txt" $MISSING --retries 1 --format json
assert_rc "partial: exit 5" 5
jq_eq "partial: the rest analysed" '.builds.analysed' 38
jq_eq "partial: the failed IDs, sorted, with why" '.not_fetched[] | .build_id + " " + (.error | sub(": .*"; ""))' \
	"$(printf '%s\n' "$BAD1 cannot get the log of build $BAD1" "$BAD2 cannot get the log of build $BAD2" "$MISSING cannot get build $MISSING" | sort)"
jq_eq "partial: 500 retried, 404 not" '[.not_fetched[].error | sub(".*: HTTP "; "HTTP ")] | sort | join(" | ")' \
	"HTTP 404 not found: Build not found (no such build: check the ID and the API key's organisation) | HTTP 500 internal server error; retried 1 time (the server failed: try again later) | HTTP 500 internal server error; retried 1 time (the server failed: try again later)"
assert_contains "partial: says so on stderr" "buildsleuth: 3 of 41 builds could not be fetched (listed in the report)" "$ERR"
audit --ids-from "$T/forty.txt" $MISSING --retries 1
assert_rc "partial text: exit 5" 5
assert_contains "partial text: listed" "Not fetched: 3 builds" "$OUT"
assert_contains "partial text: the 404" "  cannot get build $MISSING: HTTP 404 not found: Build not found (no such build: check the ID and the API key's organisation)" "$OUT"
assert_not_contains "partial text: an ID the error names is not shown twice" "$MISSING: cannot get build $MISSING" "$OUT"
audit --ids-from "$T/forty.txt" $MISSING --retries 1 --format markdown
assert_contains "partial markdown: listed" "3 builds could not be fetched</summary>" "$OUT"
assert_contains "partial markdown: the 404, its ID once" "- \`cannot get build $MISSING: HTTP 404 not found" "$OUT"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 503}]'
audit $FAILED $PIPFAIL --retries 0 --format json
assert_rc "none fetched: exit 4" 4
jq_eq "none fetched: both listed" '.builds.not_fetched' 2

reset
PIPECAT_API_KEY=wrong-Key-3c9a audit --ids-from "$T/forty.txt" --jobs 2
assert_rc "wrong key: exit 4" 4
assert_contains "wrong key: the 401" ": HTTP 401 unauthorized (is PIPECAT_API_KEY a private key?)" "$ERR"
requests
assert_eq "wrong key: stops instead of trying every build" true "$([ "$(jq '.requests | length' "$T/req.json")" -le 4 ] && echo true)"

reset
faults '[{"path": "/v1/builds", "kind": "status", "status": 500, "skip": 1}]'
audit --status failed --retries 0 --format json
assert_rc "listing fails midway: exit 4" 4
assert_contains "listing fails midway: says so" \
	"buildsleuth: cannot list the builds: HTTP 500 internal server error (the server failed: try again later)" "$ERR"
jq_eq "listing fails midway: the report of what was listed" '.builds.total <= 100 and .builds.total > 0' true

# --- resume after Ctrl-C ----------------------------------------------------------------
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "latency", "delay": 0.25}]'
jq -r '.[].id' "$T/listed.json" | sed -n '41,64p' >"$T/resume.txt"
SAVE=$T/saved
"$BS" audit --ids-from "$T/resume.txt" --save-dir "$SAVE" --jobs 2 --format json \
	--per-build "$T/interrupted.jsonl" >"$T/int.out" 2>"$T/int.err" &
APID=$!
for _ in $(seq $((200 * ${TIME_FACTOR:-1}))); do
	[ "$(ls "$SAVE" 2>/dev/null | grep -c '\.json$')" -ge 5 ] && break
	sleep 0.05
done
kill -INT $APID
wait $APID
RC=$?
cat "$T/int.out" "$T/int.err" >>"$ALL"
assert_rc "interrupted: exit 130" 130
NSAVED=$(ls "$SAVE" | grep -c '\.json$')
assert_eq "interrupted: some saved, not all" true "$([ "$NSAVED" -ge 5 ] && [ "$NSAVED" -lt 24 ] && echo true)"
assert_eq "interrupted: no half file left" "" "$(ls -A "$SAVE" | grep -v '^[0-9a-f-]*\.json$')"
assert_eq "interrupted: every saved file is a whole fetch document" true \
	"$(cat "$SAVE"/*.json | jq -s '[.[] | (.build.id | length) == 36 and (.logs | length) > 40] | all')"
jq_eq "interrupted: the partial report" '.builds.total == 24 and .builds.not_processed > 0 and .builds.analysed >= '"$NSAVED" true "$T/int.out"
assert_contains "interrupted: says so" "buildsleuth: interrupted: " "$T/int.err"
ls "$SAVE" | sed 's/\.json$//' | sort >"$T/saved-ids.txt"
requests
cp "$T/req.json" "$T/req-first.json"
reset
audit --ids-from "$T/resume.txt" --save-dir "$SAVE" --jobs 4 --format json
assert_rc "resumed: exit" 0
jq_eq "resumed: every build" '.builds.analysed' 24
cp "$OUT" "$T/resumed.json"
requests
assert_eq "resumed: nothing saved was fetched again" "" \
	"$(jq -r '.requests[].path | split("/")[3]' "$T/req.json" | sort -u | comm -12 - "$T/saved-ids.txt")"
assert_eq "resumed: the rest fetched once each" "$((24 - NSAVED))" "$(jq '[.requests[] | select(.path | endswith("/logs"))] | length' "$T/req.json")"
assert_eq "resumed: the first run fetched nothing twice" "" \
	"$(jq -r '.requests[] | select(.status == 200) | .path' "$T/req-first.json" | sort | uniq -d)"
assert_eq "resumed: all saved now" 24 "$(ls "$SAVE" | grep -c '\.json$')"
reset
audit --ids-from "$T/resume.txt" --format json
assert_same_file "resumed: the same report as a fresh run" "$T/resumed.json" "$OUT"
audit --ids-from "$T/resume.txt" --save-dir "$SAVE" --refresh --format json
requests
rq "--refresh: fetches saved builds again" '[.requests[] | select(.path | endswith("/logs"))] | length' 48
faults '[]'
# SIGTERM (Kubernetes stopping a pod) is Ctrl-C too
faults '[{"path": "/v1/builds/*/logs", "kind": "latency", "delay": 0.25}]'
"$BS" audit --ids-from "$T/forty.txt" --save-dir "$T/saved-term" --jobs 2 -q --format json >"$T/term.out" 2>"$T/term.err" &
APID=$!
for _ in $(seq $((200 * ${TIME_FACTOR:-1}))); do
	[ "$(ls "$T/saved-term" 2>/dev/null | grep -c '\.json$')" -ge 2 ] && break
	sleep 0.05
done
kill -TERM $APID
wait $APID
RC=$?
assert_rc "SIGTERM: exit 143" 143
jq_eq "SIGTERM: the partial report" '.builds.not_processed > 0' true "$T/term.out"
cat "$T/term.out" "$T/term.err" >>"$ALL"
assert_eq "SIGTERM: saved files kept, no half file" "" "$(ls -A "$T/saved-term" | grep -v '^[0-9a-f-]*\.json$')"
faults '[]'

# --- shards and --from-reports --------------------------------------------------------------
reset
for k in 0 1 2; do
	audit --status failed --shard $k/3 --per-build "$T/shard$k.jsonl" --format json
	assert_rc "shard $k/3: exit" 0
done
assert_eq "shards: together every build exactly once" "$(cat "$T/listed-ids.txt")" \
	"$(cat "$T"/shard[012].jsonl | jq -r '.build.id' | sort)"
assert_eq "shards: each holds some" true \
	"$(for k in 0 1 2; do [ -s "$T/shard$k.jsonl" ] || echo empty; done; echo true)"
# the documented hash, computed independently: FNV-1a 64 of the lowercase ID, mod N
assert_eq "shards: FNV-1a of the lowercase ID, modulo N" "" "$(for k in 0 1 2; do
	jq -r '.build.id' "$T/shard$k.jsonl" | python3 -c '
import sys
k = int(sys.argv[1])
for line in sys.stdin:
    h = 0xcbf29ce484222325
    for b in line.strip().lower().encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    if h % 3 != k:
        print(line.strip())' $k; done)"
audit --from-reports "$T/shard0.jsonl" "$T/shard1.jsonl" "$T/shard2.jsonl" --format json
assert_rc "--from-reports: exit" 0
assert_same_file "--from-reports over the shards equals the single run (json)" "$T/single.json" "$OUT"
audit --from-reports "$T/shard2.jsonl" "$T/shard0.jsonl" "$T/shard1.jsonl" --format json
assert_same_file "--from-reports: in any order" "$T/single.json" "$OUT"
cat "$T"/shard[210].jsonl | tac | timeout 30 "$BS" audit --from-reports - --format json >"$OUT" 2>"$ERR"
assert_same_file "--from-reports: lines in any order, from stdin" "$T/single.json" "$OUT"
for f in text markdown csv; do
	audit --status failed --format $f
	cp "$OUT" "$T/single.$f"
	audit --from-reports "$T"/shard[012].jsonl --format $f
	assert_same_file "--from-reports equals the single run ($f)" "$T/single.$f" "$OUT"
done
# failures travel through --per-build too
reset
faults '[{"regex": "'"$BAD1"'/logs", "kind": "status", "status": 404}]'
audit --ids-from "$T/forty.txt" --shard 0/2 --per-build "$T/f0.jsonl" --format json
audit --ids-from "$T/forty.txt" --shard 1/2 --per-build "$T/f1.jsonl" --format json
audit --ids-from "$T/forty.txt" --format json
cp "$OUT" "$T/f-single.json"
audit --from-reports "$T/f0.jsonl" "$T/f1.jsonl" --format json
assert_rc "--from-reports with a failure: exit 5" 5
assert_same_file "--from-reports with a failure equals the single run" "$T/f-single.json" "$OUT"
assert_eq "a failure's --per-build line" "buildsleuth.fetch-error/v1 $BAD1" \
	"$(cat "$T/f0.jsonl" "$T/f1.jsonl" | jq -r 'select(.schema != "buildsleuth.report/v1") | .schema + " " + .build_id')"
faults '[]'
printf '{"schema": "buildsleuth.report/v1"}\nnot json\n' >"$T/broken.jsonl"
audit --from-reports "$T/shard0.jsonl" "$T/broken.jsonl"
assert_rc "--from-reports, bad lines: exit 3" 3
assert_eq "--from-reports, bad lines: each named" "buildsleuth: $T/broken.jsonl:1: a report without a build ID or path
buildsleuth: $T/broken.jsonl:2: not JSON (line 1, column 1: unexpected character)
buildsleuth: 2 problems in the reports; nothing was aggregated" "$(sed 's/(line 1, column [0-9]*: [^)]*)/(line 1, column 1: unexpected character)/' "$ERR")"

# --- offline: --logs-dir over the fixtures ----------------------------------------------------
audit --logs-dir fixtures/logs --format json
assert_rc "--logs-dir: exit" 0
# a fixture whose expected category is "none" is a successful build: no diagnosis
assert_eq "--logs-dir: categories match fixtures/expected.tsv" \
	"$(cut -f2 fixtures/expected.tsv | grep -vx none | sort | uniq -c | awk '{print $2 " " $1}')" \
	"$(jq -r '.categories[] | .category + " " + (.builds | tostring)' "$OUT" | sort)"
jq_eq "--logs-dir: every failed fixture analysed" '.builds.analysed' "$(cut -f2 fixtures/expected.tsv | grep -vxc none)"
jq_eq "--logs-dir: the successful ones have no diagnosis" '.builds.no_diagnosis' "$(cut -f2 fixtures/expected.tsv | grep -xc none)"
audit --logs-dir fixtures/logs --max 5 --format json
jq_eq "--logs-dir --max" '.builds.total' 5
mkdir -p "$T/logs"
cp fixtures/logs/pip-missing-requirements-file.log "$T/logs/"
printf '{"logs": oops' >"$T/logs/broken.json"
audit --logs-dir "$T/logs" --format json
assert_rc "--logs-dir with an unreadable file: exit 5" 5
jq_eq "--logs-dir: the bad file listed" '.not_fetched[0].build_id' "$T/logs/broken.json"

# --- formats ----------------------------------------------------------------------------------
audit $FAILED $PIPFAIL --format markdown
assert_eq "markdown: marker first" "<!-- buildsleuth:audit -->" "$(head -1 "$OUT")"
assert_contains "markdown: the classification rate" "**Classification rate: 100.0%**" "$OUT"
assert_contains "markdown: the category table" '| `build-context` | 1 | 50.0% |' "$OUT"
# a log that tries everything: nothing of it may become markup
mkdir -p "$T/hostile"
printf '%s\n' 'Step 1/2 : RUN ./weird.sh' \
	'<script>alert(1)</script> ping @octocat and @org/team about #123 | a | b |' \
	'``` `x` ~~~ <img src=x onerror=alert(1)> mail a@b.com [link](https://evil.example) www.evil.example' \
	'The command '"'"'/bin/sh -c ./weird.sh'"'"' returned a non-zero code: 3' >"$T/hostile/@octocat <b>.log"
audit --logs-dir "$T/hostile" --format markdown
assert_contains "hostile: the build is unknown" "1 unknown build" "$OUT"
cp "$OUT" "$T/hostile.md"
if command -v cmark-gfm >/dev/null 2>&1; then
	cmark-gfm --unsafe -e table -e autolink -e tagfilter -e strikethrough "$T/hostile.md" >"$T/hostile.html"
	assert_eq "hostile: rendered, only our markup, no mention, reference, e-mail or link" "ok" \
		"$(python3 - "$T/hostile.html" <<'EOF2'
import html.parser, re, sys
allowed = {"h3", "h4", "p", "strong", "code", "table", "thead", "tbody", "tr", "th", "td",
           "details", "summary", "sub", "br", "ul", "li"}
bad = []
class W(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.rows = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in allowed:
            bad.append("tag " + tag)
        if tag == "tr":
            self.rows.append(0)
        if tag in ("td", "th"):
            self.rows[-1] += 1
        if tag != "br":
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
    def handle_data(self, data):
        if "code" in self.stack:
            return
        for what, rx in (("mention", r"(?:^|[^\w`])@[A-Za-z0-9]"), ("reference", r"(?:^|[^\w])#[0-9]"),
                         ("e-mail", r"[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\.[A-Za-z]"),
                         ("url", r"https?://|www\.")):
            if re.search(rx, data):
                bad.append("%s in %r" % (what, data))
w = W()
w.feed(open(sys.argv[1], encoding="utf-8").read())
widths = {n for n in w.rows}
if len(widths) > 1:
    bad.append("table rows of %s cells" % sorted(widths))
print("; ".join(bad) if bad else "ok")
EOF2
)"
fi
cat "$T/hostile.md" >>"$ALL"
audit $FAILED $PIPFAIL --format csv
assert_eq "csv: header" "section,key,category,title,builds,share,matched,first_seen,last_seen,examples,subjects,detail" \
	"$(head -1 "$OUT" | tr -d '\r')"
assert_eq "csv: CRLF line ends" "$(wc -l <"$OUT")" "$(grep -c $'\r$' "$OUT")"
assert_eq "csv: parses as CSV, 12 fields a row" "12" \
	"$(python3 -c 'import csv, sys; print(",".join(sorted({str(len(r)) for r in csv.reader(open(sys.argv[1], newline=""))})))' "$OUT")"
audit $FAILED $PIPFAIL
assert_eq "text: headline" "buildsleuth audit: 2 builds: 2 analysed, 0 not fetched" "$(head -1 "$OUT")"

# --- progress: only on a terminal, never with -q ------------------------------------------------
if script -qc true /dev/null >/dev/null 2>&1; then
	# script(1) gives the command a terminal and records what it shows
	faults '[{"kind": "latency", "delay": 0.05}]'
	script -qec "'$BS' audit --ids-from '$T/forty.txt' --jobs 4 --format json >/dev/null" "$T/tty.log" >/dev/null
	assert_contains "progress: drawn on a terminal" "/40 builds, 0 failed, " "$T/tty.log"
	assert_contains "progress: redrawn in place on one line" $'\r\033[Kbuildsleuth audit: ' "$T/tty.log"
	assert_eq "progress: cleared at the end" True "$(python3 -c 'import sys
d = open(sys.argv[1], "rb").read()
print(d.split(b"\n", 1)[1].rsplit(b"\nScript done", 1)[0].endswith(b"\r\x1b[K"))' "$T/tty.log")"
	script -qec "'$BS' audit -q --ids-from '$T/forty.txt' --format json >/dev/null" "$T/tty-q.log" >/dev/null
	assert_not_contains "progress: not with -q" "buildsleuth audit: " "$T/tty-q.log"
	cat "$T/tty.log" >>"$ALL"
	faults '[]'
fi
audit --ids-from "$T/forty.txt" --format json
assert_eq "progress: not when stderr is not a terminal" "" "$(cat "$ERR")"

# --- the key never shows ------------------------------------------------------------------------
cat "$T"/*.jsonl "$SAVE"/*.json >>"$ALL"
assert_eq "output collected" true "$([ -s "$ALL" ] && echo true)"
assert_not_contains "the key appears in no output, report or saved file" "$KEY" "$ALL"
assert_not_contains "nor a part of it" "${KEY:6:10}" "$ALL"

finish
