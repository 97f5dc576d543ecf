#!/usr/bin/env bash
# tests/e2e/test_api.sh - `diagnose`, `fetch` and `watch` against the fake
# Pipecat API (tests/fake_api): paging, retries, Retry-After, faults, the
# key's safety, build states, watch's stitching, and the fetch -> analyze
# round trip. Checks exit codes, outputs and what the server recorded.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

KEY=bs-e2e-Key-7f3a9c21d0
export PIPECAT_API_KEY=$KEY
unset PIPECAT_CLOUD_API_KEY PIPECAT_API_URL
export NO_COLOR=1
ALL=$T/all-output       # every stdout and stderr, grepped for the key at the end
: >"$ALL"
VERSION=$("$BS" --version | sed 's/^buildsleuth //')

FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002     # COPY requirements.txt missing
PIPFAIL=123e4567-e89b-12d3-a456-426614174000    # no matching distribution
SUCCESS=6f1c2a3b-0001-4a5b-8c6d-000000000001
TIMEOUT=6f1c2a3b-0004-4a5b-8c6d-000000000004
BIG=00000000-0000-4000-8000-000000025000
UNKNOWN=7a000000-0000-4000-8000-0000000000ff
WATCH=7a000000-0000-4000-8000-000000000001      # building -> building -> failed
GAP=7a000000-0000-4000-8000-000000000002        # a step larger than the window
WAIT=7a000000-0000-4000-8000-000000000003       # pending -> building -> failed
BUILDING=7a000000-0000-4000-8000-000000000004   # stays building

# --- our scripted builds ---------------------------------------------------------
mkdir -p "$T/builds"
python3 - "$T/builds" <<'EOF'
import json, sys
d = sys.argv[1]
lines = [
    "[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD",
    "[Container] 2026/03/04 12:00:00.100000 Running command docker build -t $IMAGE_URI .",
    "#1 [internal] load build definition from Dockerfile",
    "#1 DONE 0.0s",
    {"message": "#2 [1/3] FROM docker.io/library/python:3.12-slim", "timestamp": "2026-03-04T12:00:01.000Z"},
    "#2 DONE 1.2s",
    "#3 [2/3] COPY requirements.txt .",
    {"log": "#1 DONE 0.0s", "timestamp": "2026-03-04T12:00:01.500Z"},
    "#4 [3/3] RUN pip install -r requirements.txt",
    "#4 2.101 ERROR: Could not find a version that satisfies the requirement cloud-init==20.4 (from versions: none)",
    {"message": "#4 2.102 ERROR: No matching distribution found for cloud-init==20.4", "timestamp": "2026-03-04T12:00:02.102Z"},
    "#4 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1",
    "[Container] 2026/03/04 12:00:03.000000 Phase complete: BUILD State: FAILED",
    "[Container] 2026/03/04 12:00:03.100000 Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: docker build -t $IMAGE_URI .. Reason: exit status 1",
]
def build(i, status, **kw):
    b = {"id": "7a000000-0000-4000-8000-00000000000%d" % i, "status": status, "region": "us-west"}
    b.update(kw)
    return b
fail = {"status": "failed", "errorMessage": "Docker build failed: pip install failed (exit code 1)"}
json.dump({"build": build(1, "building"), "logs": lines, "window": 8,
           "script": [{"status": "building", "log_lines": 4}, {"status": "building", "log_lines": 9},
                      dict(fail, log_lines=14)]}, open(d + "/7a000000-0000-4000-8000-000000000001.json", "w"))
json.dump({"build": build(2, "building"), "logs": ["gap line %02d" % i for i in range(1, 21)], "window": 4,
           "script": [{"status": "building", "log_lines": 3}, {"status": "failed", "log_lines": 20}]},
          open(d + "/7a000000-0000-4000-8000-000000000002.json", "w"))
json.dump({"build": build(3, "pending"), "logs": lines, "window": 8, "full_when_done": True,
           "script": [{"status": "pending", "log_lines": 0}, {"status": "building", "log_lines": 5},
                      dict(fail, log_lines=14)]}, open(d + "/7a000000-0000-4000-8000-000000000003.json", "w"))
json.dump({"build": build(4, "building"), "logs": lines[:3]},
          open(d + "/7a000000-0000-4000-8000-000000000004.json", "w"))
# what watch must print: each entry's text, once, in order
with open(d + "/../watch-lines.txt", "w") as f:
    for e in lines:
        f.write((e if isinstance(e, str) else e.get("message", e.get("log"))) + "\n")
EOF

# --- the fake server ---------------------------------------------------------------
start_fake FAKE tests/fake_api/fake_pipecat.py --key "$KEY" --big \
	--data tests/fake_api/builds --data "$T/builds"
PORT=$FAKE_PORT
CTL=http://127.0.0.1:$PORT
export PIPECAT_API_URL=$CTL/v1


# api ARGS...: run the binary (killed after 20 s: a hang fails, never blocks
# the suite), keep its output for the key check
api() { timeout 20 "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; cat "$OUT" "$ERR" >>"$ALL"; }
elapsed() { python3 -c 'import sys, time; print(int((time.time() - float(sys.argv[1])) * 1000))' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

# --- diagnose a failed build ------------------------------------------------------
reset
api diagnose --format json $FAILED
assert_rc "failed: exit" 0
jq_eq "failed: source" '.source.kind + " " + .source.build_id' "api $FAILED"
jq_eq "failed: build record" '.build.status + " | " + .build.errorMessage + " | " + .build.region' \
	"failed | Docker build failed: COPY failed - file not found: requirements.txt | us-west"
jq_eq "failed: lines" '.lines' 56
jq_eq "failed: top rule" '.diagnoses[0].rule + " " + (.diagnoses[0].first_line | tostring)' \
	"docker.copy-source-missing 37"
assert_eq "failed: stderr empty" "" "$(cat "$ERR")"
requests
rq "failed: two requests" '[.requests[] | .path + "?" + .query_string] | join(" ")' \
	"/v1/builds/$FAILED? /v1/builds/$FAILED/logs?limit=10000"
rq "failed: key sent and accepted" '[.requests[] | .auth_ok] | all' true
rq "failed: user agent" '.requests[0].user_agent' "buildsleuth/$VERSION"
rq "failed: headers sent" '.requests[0].header_names | map(select(. == "accept-encoding" or . == "authorization" or . == "accept")) | sort | join(",")' \
	"accept,accept-encoding,authorization"
rq "failed: one connection at a time" '.max_concurrent' 1

api diagnose $FAILED
assert_rc "failed text: exit" 0
assert_eq "failed text: header" "build $FAILED: failed (us-west), 56 log lines, failed in phase BUILD" "$(head -1 "$OUT")"
assert_eq "failed text: error message, wrapped at 80 columns" "error message: Docker build failed: COPY failed - file not found:
  requirements.txt" "$(sed -n 2,3p "$OUT")"

api diagnose --format markdown $FAILED
assert_eq "failed markdown: marker" "<!-- buildsleuth:report -->" "$(head -1 "$OUT")"
api diagnose --exit-code $FAILED
assert_rc "failed: --exit-code" 1

# --- 25,000 lines in pages of 10,000 ------------------------------------------------
reset
api diagnose --format json $BIG
assert_rc "big: exit" 0
cp "$OUT" "$T/big-diagnose.json"
jq_eq "big: lines" '.lines' 25000
jq_eq "big: top rule" '.diagnoses[0].rule + " " + (.diagnoses[0].first_line | tostring)' \
	"pip.no-matching-distribution 24985"
requests
rq "big: three log pages" '[.requests[] | select(.path | endswith("/logs"))] | length' 3
rq "big: limit=10000 on every page" '[.requests[] | select(.path | endswith("/logs")) | .query.limit] | unique | join(",")' 10000
rq "big: every page once" '[.requests[] | select(.path | endswith("/logs")) | .query_string] | unique | length' 3
rq "big: pages 2 and 3 send a token" '[.requests[] | select(.path | endswith("/logs")) | .query.nextToken != null] | map(tostring) | join(",")' "false,true,true"
rq "big: all answered 200" '[.requests[] | .status] | unique | map(tostring) | join(",")' 200

api fetch -o "$T/big.json" $BIG
assert_rc "big fetch: exit" 0
assert_eq "big fetch: no temp file left" "" "$(ls "$T" | grep 'big.json.tmp')"
jq_eq "big fetch: entries" '.logs | length' 25000 "$T/big.json"
api analyze --format json "$T/big.json"
assert_rc "big analyze: exit" 0
jq_eq "big analyze: lines" '.lines' 25000
assert_eq "big analyze: same diagnoses as diagnose" "$(jq -c '[.failed_phase, .diagnoses]' "$T/big-diagnose.json")" \
	"$(jq -c '[.failed_phase, .diagnoses]' "$OUT")"
# the full log as plain text gives the same top diagnosis too
jq -r '.logs[]' "$T/big.json" >"$T/big.log"
api analyze --format json "$T/big.log"
jq_eq "big plain text: lines" '.lines' 25000
assert_eq "big plain text: same top diagnosis" "$(jq -c '.diagnoses[0]' "$T/big-diagnose.json")" "$(jq -c '.diagnoses[0]' "$OUT")"

# --- retries ---------------------------------------------------------------------
reset
faults '[{"path": "/v1/builds/*", "kind": "status", "status": 429, "retry_after": "2", "times": 1}]'
api diagnose --format json --retries 2 $FAILED
assert_rc "429 then 200: exit" 0
jq_eq "429 then 200: report" '.diagnoses[0].rule' docker.copy-source-missing
assert_eq "429 then 200: retry warning" \
	"buildsleuth: warning: cannot get build $FAILED: HTTP 429 too many requests; retry 1 of 2 in 2.0 s" \
	"$(cat "$ERR")"
requests
rq "429 then 200: statuses" '[.requests[] | select(.path == "/v1/builds/'$FAILED'") | .status] | map(tostring) | join(",")' 429,200
rq "429 then 200: waited Retry-After" '[.requests[] | select(.path == "/v1/builds/'$FAILED'")] | (.[1].start - .[0].end) >= 2' true

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "html", "status": 503, "times": 2}]'
api diagnose --format json --retries 2 -q $FAILED
assert_rc "503 html twice: exit" 0
jq_eq "503 html twice: lines" '.lines' 56
requests
rq "503 html twice: statuses" '[.requests[] | select(.path | endswith("/logs")) | .status] | map(tostring) | join(",")' 503,503,200

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "html", "status": 503}]'
api diagnose --retries 1 -q $FAILED
assert_rc "503 html always: exit" 4
assert_stderr "503 html always: one line" \
	"buildsleuth: cannot get the log of build $FAILED: HTTP 503 service unavailable; retried 1 time (the server failed: try again later)"
assert_eq "503 html always: no report" "" "$(cat "$OUT")"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "truncate", "times": 1}]'
api diagnose --format json --retries 1 -q $FAILED
assert_rc "truncated body: exit" 0
jq_eq "truncated body: lines" '.lines' 56
requests
rq "truncated body: retried once" '[.requests[] | select(.path | endswith("/logs")) | .fault] | map(tostring) | join(",")' truncate,null

reset
faults '[{"path": "/v1/builds/*", "kind": "status", "status": 500, "error": "boom"}]'
api diagnose --retries 0 $FAILED
assert_rc "500 with --retries 0: exit" 4
assert_stderr "500 with --retries 0: message" "buildsleuth: cannot get build $FAILED: HTTP 500 internal server error: boom (the server failed: try again later)"
requests
rq "500 with --retries 0: one request" '.requests | length' 1

reset
faults '[{"path": "/v1/builds/*", "kind": "message", "status": 400, "message": "bad\nthing"}]'
api diagnose --retries 3 $FAILED
assert_rc "400 message: exit" 4
assert_stderr "400 message: one line, API text" "buildsleuth: cannot get build $FAILED: HTTP 400 bad request: bad thing (the API refused the build ID or a parameter)"
requests
rq "400 message: not retried" '.requests | length' 1

api diagnose --api-url http://127.0.0.1:1/v1 --retries 1 -q $FAILED
assert_rc "refused: exit" 4
assert_stderr "refused: message" \
	"buildsleuth: cannot get build $FAILED: cannot connect to 127.0.0.1:1 (connection refused); retried 1 time (check --api-url)"

reset
faults '[{"path": "/v1/builds/*", "kind": "trickle", "delay": 0.5}]'
start=$(now)
api diagnose --timeout 1 --retries 0 $FAILED
assert_rc "trickle: exit" 4
assert_stderr "trickle: timed out" "buildsleuth: cannot get build $FAILED: timed out waiting for 127.0.0.1:$PORT (--timeout 1)"
assert_eq "trickle: within 3 s" true "$([ "$(elapsed "$start")" -lt $((3000 * ${TIME_FACTOR:-1})) ] && echo true)"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "huge_body", "size": 67108865}]'
api diagnose --retries 2 $FAILED
assert_rc "huge body: exit" 4
assert_stderr "huge body: message" "buildsleuth: cannot get the log of build $FAILED: the answer is larger than 64 MiB"
requests
rq "huge body: not retried" '[.requests[] | select(.path | endswith("/logs"))] | length' 1

reset
faults '[{"path": "/v1/builds/*", "kind": "redirect", "location": "http://127.0.0.1:9{path}"}]'
api diagnose $FAILED
assert_rc "redirect: exit" 4
assert_stderr "redirect: not followed" \
	"buildsleuth: cannot get build $FAILED: HTTP 302 redirect to '127.0.0.1:9' not followed (point the API URL at the final address)"

# --- wrong answers ----------------------------------------------------------------
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "wrong_types"}]'
api diagnose $FAILED
assert_rc "wrong types: exit" 4
assert_stderr "wrong types: message" \
	"buildsleuth: cannot get the log of build $FAILED: unexpected answer: \"logs\" is missing or not an array"
reset
faults '[{"path": "/v1/builds/*", "kind": "wrong_types"}]'
api diagnose $FAILED
assert_rc "wrong build type: exit" 4
assert_stderr "wrong build type: message" \
	"buildsleuth: cannot get build $FAILED: unexpected answer: \"build\" is missing or not an object"
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "invalid_json"}]'
api diagnose $FAILED
assert_rc "invalid json: exit" 4
assert_eq "invalid json: message" "buildsleuth: cannot get the log of build $FAILED: the answer is not JSON" \
	"$(sed 's/ (line.*//' "$ERR")"
reset
api diagnose $UNKNOWN
assert_rc "404: exit" 4
assert_stderr "404: message" "buildsleuth: cannot get build $UNKNOWN: HTTP 404 not found: Build not found (no such build: check the ID and the API key's organisation)"

# --- errors in words: what failed, why, the fix -------------------------------------
# each failure is one line naming what failed ("cannot get build ID"), never
# the method or a URL; the server's own text (JSON "error" or "message", an
# HTML page's title, plain text) quoted on one line and cut; the fix last
err_case() { # name, fault JSON, expected stderr, command args...
	local name=$1 fault=$2 want=$3
	shift 3
	reset
	faults "$fault"
	api "$@"
	assert_rc "$name: exit" 4
	assert_stderr "$name: message" "$want"
}
err_case "401 with the API's text" '[{"path": "/v1/builds/*", "kind": "status", "status": 401, "error": "Invalid API key"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 401 unauthorized: Invalid API key (is PIPECAT_API_KEY a private key?)" \
	diagnose $FAILED
reset
PIPECAT_API_KEY=wrong api diagnose --token-file "$T/token" $FAILED 2>/dev/null
printf '%s\n' wrong-key >"$T/wrong-token"
chmod 600 "$T/wrong-token"
api diagnose --token-file "$T/wrong-token" $FAILED
assert_rc "401, key from --token-file: exit" 4
assert_stderr "401, key from --token-file: names it" \
	"buildsleuth: cannot get build $FAILED: HTTP 401 unauthorized (is the key in --token-file a private key?)"
env -u PIPECAT_API_KEY PIPECAT_CLOUD_API_KEY=wrong-key timeout 20 "$BS" diagnose $FAILED >"$OUT" 2>"$ERR"
assert_stderr "401, key from PIPECAT_CLOUD_API_KEY: names it" \
	"buildsleuth: cannot get build $FAILED: HTTP 401 unauthorized (is PIPECAT_CLOUD_API_KEY a private key?)"
err_case "403" '[{"path": "/v1/builds/*", "kind": "status", "status": 403}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 403 forbidden (the API key may not read this: is it a private key of the build's organisation?)" \
	diagnose $FAILED
err_case "404 of the log" '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 404}]' \
	"buildsleuth: cannot get the log of build $FAILED: HTTP 404 not found (no such build: check the ID and the API key's organisation)" \
	diagnose $FAILED
err_case "400 from the API" '[{"path": "/v1/builds/*", "kind": "status", "status": 400, "error": "Invalid build ID", "code": "BAD_REQUEST"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 400 bad request: Invalid build ID (the API refused the build ID or a parameter)" \
	diagnose $FAILED
err_case "429 with Retry-After" '[{"path": "/v1/builds/*", "kind": "status", "status": 429, "retry_after": "1"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 429 too many requests; retried 1 time, the server asking to wait 1 s (rate limited: try again later)" \
	diagnose --retries 1 -q $FAILED
err_case "429 without Retry-After" '[{"path": "/v1/builds/*", "kind": "status", "status": 429, "error": "Slow down"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 429 too many requests: Slow down; retried 2 times (rate limited: try again later)" \
	diagnose --retries 2 -q $FAILED
err_case "429, no retry" '[{"path": "/v1/builds/*", "kind": "status", "status": 429}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 429 too many requests (rate limited: try again later)" \
	diagnose --retries 0 $FAILED
err_case "502 html page: its title" '[{"path": "/v1/builds/*/logs", "kind": "html", "status": 502, "body": "<html><head><title>Upstream down</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"}]' \
	"buildsleuth: cannot get the log of build $FAILED: HTTP 502 bad gateway: Upstream down (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "503 html page: no title, its h1" '[{"path": "/v1/builds/*", "kind": "html", "status": 503, "body": "<html><body><h1>Down for\n maintenance</h1><p>back soon</p></body></html>"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 503 service unavailable: Down for maintenance (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "500 html page saying only the status" '[{"path": "/v1/builds/*", "kind": "html", "status": 500, "body": "<html><body><h1>500 Internal Server Error</h1></body></html>"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 500 internal server error (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "html page without title or h1" '[{"path": "/v1/builds/*", "kind": "html", "status": 503, "body": "<html><body><script>alert(1)</script></body></html>"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 503 service unavailable (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "not JSON: the text, one line" '[{"path": "/v1/builds/*", "kind": "invalid_json", "status": 502, "body": "upstream connect error\r\nor disconnect/reset before headers\n"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 502 bad gateway: upstream connect error or disconnect/reset before headers (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "{\"message\": ...}" '[{"path": "/v1/builds/*", "kind": "message", "status": 404, "message": "No build with that ID in this organization"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 404 not found: No build with that ID in this organization (no such build: check the ID and the API key's organisation)" \
	diagnose $FAILED
err_case "control characters shown safely" '[{"path": "/v1/builds/*", "kind": "status", "status": 400, "error": "bad \u001b[31mred\u001b[0m\u0007 id\u2028x"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 400 bad request: bad red"$'\xef\xbf\xbd'" id x (the API refused the build ID or a parameter)" \
	diagnose $FAILED
LONG=$(printf 'y%.0s' $(seq 1 5000))
err_case "a huge error text: cut" '[{"path": "/v1/builds/*", "kind": "status", "status": 500, "error": "'"$LONG"'"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 500 internal server error: ${LONG:0:200} [... 4800 more bytes] (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "a huge error body: read, cut" '[{"path": "/v1/builds/*", "kind": "invalid_json", "status": 500, "body": "'"$LONG$LONG$LONG$LONG"'"}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 500 internal server error: ${LONG:0:200} [... 19800 more bytes] (the server failed: try again later)" \
	diagnose --retries 0 $FAILED
err_case "dropped connection" '[{"path": "/v1/builds/*/logs", "kind": "truncate"}]' \
	"buildsleuth: cannot get the log of build $FAILED: 127.0.0.1:$PORT dropped the connection before the answer was complete; retried 1 time" \
	diagnose --retries 1 -q $FAILED
err_case "dropped on page 2" '[{"path": "/v1/builds/*/logs", "kind": "truncate", "skip": 1}]' \
	"buildsleuth: cannot get the log of build $BIG (page 2): 127.0.0.1:$PORT dropped the connection before the answer was complete" \
	diagnose --retries 0 $BIG
err_case "--latest: the listing fails" '[{"path": "/v1/builds", "kind": "status", "status": 503}]' \
	"buildsleuth: cannot list the builds: HTTP 503 service unavailable (the server failed: try again later)" \
	diagnose --latest --retries 0
err_case "fetch: 401" '[{"path": "/v1/builds/*", "kind": "status", "status": 401}]' \
	"buildsleuth: cannot get build $FAILED: HTTP 401 unauthorized (is PIPECAT_API_KEY a private key?)" \
	fetch -o "$T/never.json" $FAILED
reset
api diagnose --api-url "https://127.0.0.1:$PORT/v1" --retries 0 $FAILED
assert_rc "TLS to a plain HTTP server: exit" 4
# then the TLS library's own words, which differ between libraries
assert_eq "TLS to a plain HTTP server: names the host and the setting" \
	"buildsleuth: cannot get build $FAILED: TLS failure with 127.0.0.1:$PORT: ... (check --api-url)" \
	"$(sed 's/\(TLS failure with [^ ]*\) .* (check/\1 ... (check/' "$ERR")"
reset
PIPECAT_API_URL=http://127.0.0.1:1/v1 api diagnose --retries 0 $FAILED
assert_rc "refused, URL from PIPECAT_API_URL: exit" 4
assert_stderr "refused, URL from PIPECAT_API_URL: names the setting" \
	"buildsleuth: cannot get build $FAILED: cannot connect to 127.0.0.1:1 (connection refused) (check PIPECAT_API_URL)"

# --- paging that does not end -------------------------------------------------------
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "repeat_token"}]'
start=$(now)
api diagnose --format json $BIG
assert_rc "repeating token: exit" 0
assert_eq "repeating token: within 5 s" true "$([ "$(elapsed "$start")" -lt $((5000 * ${TIME_FACTOR:-1})) ] && echo true)"
jq_eq "repeating token: keeps the first page" '.lines' 10000
assert_stderr "repeating token: warning" \
	"buildsleuth: warning: the log of build $BIG: page 2 repeated an earlier nextToken; stopping with the 10000 log entries fetched so far (the log may be incomplete)"
requests
rq "repeating token: two pages" '[.requests[] | select(.path | endswith("/logs"))] | length' 2

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "wrong_types", "body": {"logs": ["same line"], "nextToken": "t1"}, "times": 1},
	{"path": "/v1/builds/*/logs", "kind": "wrong_types", "body": {"logs": ["same line"], "nextToken": "t2"}, "times": 1}]'
api diagnose --format json $FAILED
assert_rc "same page, new token: exit" 0
jq_eq "same page, new token: kept once" '.lines' 1
assert_stderr "same page, new token: warning" \
	"buildsleuth: warning: the log of build $FAILED: page 2 repeated the previous page; stopping with the 1 log entries fetched so far (the log may be incomplete)"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "empty_page"}]'
api diagnose --format json $FAILED
assert_rc "empty page: exit" 0
jq_eq "empty page: no lines" '.lines' 0
assert_stderr "empty page: warning" \
	"buildsleuth: warning: the log of build $FAILED: page 1 brought no log entries but a nextToken; stopping with the 0 log entries fetched so far (the log may be incomplete)"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "huge_token", "size": 20000}]'
api diagnose --format json $BIG
assert_rc "huge token: exit" 0
jq_eq "huge token: first page kept" '.lines' 10000
assert_stderr "huge token: warning" \
	"buildsleuth: warning: the log of build $BIG: page 1 sent a nextToken longer than 16 KiB; stopping with the 10000 log entries fetched so far (the log may be incomplete)"

# --- the key ----------------------------------------------------------------------
reset
PIPECAT_API_KEY=wrong-Key-0b7e55 api diagnose $FAILED
assert_rc "wrong key: exit" 4
assert_stderr "wrong key: one line" "buildsleuth: cannot get build $FAILED: HTTP 401 unauthorized (is PIPECAT_API_KEY a private key?)"
assert_not_contains "wrong key: key not shown" "wrong-Key-0b7e55" "$ERR"
requests
rq "wrong key: not retried" '.requests | length' 1

reset
env -u PIPECAT_API_KEY timeout 20 "$BS" diagnose $FAILED >"$OUT" 2>"$ERR"; RC=$?
assert_rc "no key: exit" 2
assert_stderr "no key: message" \
	"buildsleuth: no API key: set PIPECAT_API_KEY (or PIPECAT_CLOUD_API_KEY) to a Pipecat Cloud private API key, or use --token-file FILE"
env -u PIPECAT_API_KEY PIPECAT_CLOUD_API_KEY=$KEY timeout 20 "$BS" diagnose --format json $FAILED >"$OUT" 2>"$ERR"; RC=$?
cat "$OUT" "$ERR" >>"$ALL"
assert_rc "PIPECAT_CLOUD_API_KEY: exit" 0
PIPECAT_API_KEY= PIPECAT_CLOUD_API_KEY=$KEY api diagnose --format json $FAILED
assert_rc "empty PIPECAT_API_KEY counts as unset" 0

printf '%s\n' "$KEY" >"$T/token"
chmod 600 "$T/token"
PIPECAT_API_KEY=wrong api diagnose --token-file "$T/token" --format json $FAILED
assert_rc "token file: exit" 0
assert_eq "token file: no warning" "" "$(cat "$ERR")"
chmod 644 "$T/token"
PIPECAT_API_KEY=wrong api diagnose --token-file "$T/token" --format json $FAILED
assert_rc "token file readable by others: exit" 0
assert_stderr "token file readable by others: warning" \
	"buildsleuth: warning: token file '$T/token' is accessible by group or others (mode 0644); run: chmod 600 '$T/token'"
: >"$T/empty-token"
chmod 600 "$T/empty-token"
api diagnose --token-file "$T/empty-token" $FAILED
assert_rc "empty token file: exit" 2
assert_stderr "empty token file: message" "buildsleuth: token file '$T/empty-token' is empty"

reset
faults '[{"path": "/v1/builds/*", "kind": "status", "status": 403, "error": "key '"$KEY"' may not read builds"}]'
api diagnose $FAILED
assert_rc "key echoed by the API: exit" 4
assert_stderr "key echoed by the API: redacted" \
	"buildsleuth: cannot get build $FAILED: HTTP 403 forbidden: key [redacted] may not read builds (the API key may not read this: is it a private key of the build's organisation?)"

api diagnose --token "$KEY" $FAILED
assert_rc "--token refused: exit" 2
assert_not_contains "--token refused: key not echoed" "$KEY" "$ERR"

# -v: each request on stderr, never a header
reset
api diagnose -v -v --format json $BIG
assert_rc "-v: exit" 0
assert_eq "-v: one line per request" 4 "$(grep -c '^buildsleuth: GET http://127.0.0.1:'"$PORT"'/v1/builds/' "$ERR")"
assert_eq "-v: first line" "buildsleuth: GET $CTL/v1/builds/$BIG: 200" "$(head -1 "$ERR" | sed 's/, [0-9]* bytes, [0-9.]* s$//')"
assert_eq "-v: bytes and time" 4 "$(grep -cE ', [0-9]+ bytes, [0-9]+\.[0-9]{3} s$' "$ERR")"
assert_not_contains "-v: no Authorization header" "uthorization" "$ERR"
assert_not_contains "-v: no Bearer" "Bearer" "$ERR"

# --- refused before any request ----------------------------------------------------
reset
api diagnose not-a-uuid
assert_rc "invalid id: exit" 3
assert_stderr "invalid id: message" \
	"buildsleuth: invalid build ID 'not-a-uuid': expected a UUID such as 123e4567-e89b-12d3-a456-426614174000"
api fetch "$FAILED/../x"
assert_rc "invalid id (fetch): exit" 3
api watch ""
assert_rc "invalid id (watch): exit" 3
assert_stderr "invalid id (watch): empty id quoted" \
	"buildsleuth: invalid build ID '': expected a UUID such as 123e4567-e89b-12d3-a456-426614174000"
api diagnose "x$KEY"
assert_rc "invalid id holding the key: exit" 3
assert_stderr "invalid id holding the key: not echoed" \
	"buildsleuth: invalid build ID (not shown: it holds the API key): expected a UUID such as 123e4567-e89b-12d3-a456-426614174000"
requests
rq "invalid ids: no request made" '.requests | length' 0

api diagnose --api-url http://example.com/v1 $FAILED
assert_rc "http non-loopback: exit" 2
assert_stderr "http non-loopback: message" \
	"buildsleuth: --api-url 'http://example.com/v1': plain http:// would send the API key unencrypted; use https:// (http:// is only for 127.0.0.0/8, localhost and [::1])"
PIPECAT_API_URL=http://10.1.2.3/v1 api diagnose $FAILED
assert_rc "http non-loopback from the environment: exit" 2
assert_stderr "http non-loopback from the environment: message" \
	"buildsleuth: PIPECAT_API_URL 'http://10.1.2.3/v1': plain http:// would send the API key unencrypted; use https:// (http:// is only for 127.0.0.0/8, localhost and [::1])"
api diagnose --api-url "http://localhost:$PORT/v1/" --format json $FAILED
assert_rc "http://localhost allowed" 0
api diagnose $FAILED $SUCCESS
assert_rc "two ids: usage" 2

# --- build states ----------------------------------------------------------------
reset
api diagnose $SUCCESS
assert_rc "success: exit" 0
assert_stderr "success: nothing on stderr" ""
assert_eq "success: the report says so" "No failure found: the build succeeded." "$(sed -n 3p "$OUT")"
api diagnose --format json --exit-code $SUCCESS
assert_rc "success, --exit-code: exit" 0
jq_eq "success: json outcome" '.outcome' success
jq_eq "success: json no diagnoses" '.diagnoses | length' 0
jq_eq "success: json failed_step" '.failed_step' null
api diagnose $BUILDING
assert_rc "building: exit" 0
assert_stderr "building: suggests --wait" \
	"buildsleuth: build $BUILDING is still building: nothing to diagnose yet (use --wait to wait for it to end)"
assert_eq "building: the report says so" "No failure found: the build is still running." "$(sed -n 3p "$OUT")"
api diagnose --format json $BUILDING
jq_eq "building: json outcome" '.outcome' running
jq_eq "building: json no diagnoses" '.diagnoses | length' 0
requests
rq "success, building: no logs fetched" '[.requests[] | select(.path | endswith("/logs"))] | length' 0

api diagnose --format json $TIMEOUT
assert_rc "timeout: exit" 0
jq_eq "timeout: category on top" '.diagnoses[0].category + " " + .diagnoses[0].rule' "timeout build.timeout"
jq_eq "timeout: evidence is the last line" '.diagnoses[0].evidence[0].line' 45
jq_eq "timeout: object entries read" '.lines' 45
jq_eq "timeout: error message" '.build.errorMessage' "Build timed out after 1800 seconds"

reset
start=$(now)
api diagnose --wait --interval 1 --format json $WAIT
assert_rc "--wait: exit" 0
jq_eq "--wait: whole log" '.lines' 14
jq_eq "--wait: diagnosis" '.diagnoses[0].rule + " " + .build.status' "pip.no-matching-distribution failed"
assert_eq "--wait: progress" "buildsleuth: build $WAIT is pending; checking again every 1 s
buildsleuth: build $WAIT is building; checking again every 1 s" "$(cat "$ERR")"
assert_eq "--wait: about 2 s" true "$(t=$(elapsed "$start"); [ "$t" -ge 2000 ] && [ "$t" -lt $((6000 * ${TIME_FACTOR:-1})) ] && echo true)"
requests
rq "--wait: three build polls" '[.requests[] | select(.path == "/v1/builds/'$WAIT'")] | length' 3

reset
api diagnose $WAIT
assert_rc "pending: exit" 0
assert_stderr "pending: suggests --wait" \
	"buildsleuth: build $WAIT is still pending: nothing to diagnose yet (use --wait to wait for it to end)"

# --- fetch -> analyze ----------------------------------------------------------------
reset
api diagnose --format json $PIPFAIL
cp "$OUT" "$T/pip-diagnose.json"
api fetch -o "$T/pip.json" $PIPFAIL
assert_rc "fetch: exit" 0
assert_eq "fetch: nothing on stdout" "" "$(cat "$OUT")"
jq_eq "fetch: shape" '[(.build | type), (.logs | length), .build.id] | map(tostring) | join(" ")' \
	"object 53 $PIPFAIL" "$T/pip.json"
api analyze --format json "$T/pip.json"
assert_rc "fetch -> analyze: exit" 0
assert_eq "fetch -> analyze: same report but the source" \
	"$(jq -c 'del(.source)' "$T/pip-diagnose.json")" "$(jq -c 'del(.source)' "$OUT")"

reset
faults '[{"path": "/v1/builds/*/logs", "kind": "object_entries"}]'
api fetch $FAILED
assert_rc "fetch objects to stdout: exit" 0
cp "$OUT" "$T/objects.json"
jq_eq "fetch objects: entries as received" '[.logs[0].message, .logs[2].log] | map(type) | join(",")' \
	"string,string" "$T/objects.json"
api analyze --format json "$T/objects.json"
jq_eq "fetch objects -> analyze" '(.lines | tostring) + " " + (.diagnoses[0].first_line | tostring)' "56 37"

echo "old" >"$T/keep.json"
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 404}]'
api fetch -o "$T/keep.json" $FAILED
assert_rc "failed fetch: exit" 4
assert_eq "failed fetch: old file kept" "old" "$(cat "$T/keep.json")"
reset
api fetch -o "$T/no/such/dir.json" $FAILED
assert_rc "fetch to a bad path: exit" 3
assert_stderr "fetch to a bad path: message" "buildsleuth: cannot write '$T/no/such/dir.json': No such file or directory"

# --- watch ------------------------------------------------------------------------
reset
api watch --interval 1 $WATCH
assert_rc "watch: exit" 0
head -14 "$OUT" >"$T/watched.txt"
assert_same_file "watch: every line once, in order" "$T/watch-lines.txt" "$T/watched.txt"
assert_eq "watch: blank line, then the report" "|build $WATCH: failed (us-west), 14 log lines, failed in phase BUILD" \
	"$(sed -n 15p "$OUT")|$(sed -n 16p "$OUT")"
assert_eq "watch: failing step" "failed at step 3/3: \`RUN pip install -r requirements.txt\` (exit code 1)" "$(sed -n 18p "$OUT")"
assert_eq "watch: diagnosis" "1. Requirement not found on the package index [dependency-resolution]" "$(sed -n 20p "$OUT")"
assert_eq "watch: status changes" "buildsleuth: build $WATCH: building
buildsleuth: build $WATCH: failed" "$(cat "$ERR")"
requests
rq "watch: polls" '[.requests[] | .path | sub(".*/"; "")] | join(",")' \
	"$WATCH,logs,$WATCH,logs,$WATCH,logs"

reset
api watch --interval 1 --format json $WAIT
assert_rc "watch pending, full log at the end: exit" 0
assert_same_file "watch pending: every line once (stderr)" "$T/watch-lines.txt" <(grep -v '^buildsleuth: ' "$ERR")
jq_eq "watch pending: report on stdout" '(.lines | tostring) + " " + .diagnoses[0].rule' "14 pip.no-matching-distribution"

reset
api watch --interval 1 $GAP
assert_rc "watch gap: exit" 0
assert_eq "watch gap: lines" "gap line 01,gap line 02,gap line 03,gap line 17,gap line 18,gap line 19,gap line 20" \
	"$(head -7 "$OUT" | paste -sd, -)"
assert_contains "watch gap: warning" \
	"buildsleuth: warning: build $GAP: the latest log lines do not overlap the ones shown before: some lines may have been missed" "$ERR"

reset
api watch $FAILED
assert_rc "watch an ended build: exit" 0
assert_eq "watch an ended build: whole log, a blank line, the report" "58:build $FAILED: failed (us-west), 56 log lines, failed in phase BUILD" \
	"$(grep -n '^build ' "$OUT")"
assert_eq "watch an ended build: the log as it is" "$(jq -r '.logs[] | if type == "string" then . else .message // .log end' "$T/objects.json")" "$(head -56 "$OUT")"
api watch $SUCCESS
assert_rc "watch a successful build: exit" 0
assert_eq "watch a successful build: the report says so" "No failure found: the build succeeded." "$(tail -1 "$OUT")"
api watch --format json $SUCCESS
jq_eq "watch a successful build: json outcome" '.outcome' success

# --- audit: its reports and per-build lines never show the key either ----------------
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 403, "error": "key '"$KEY"' may not read logs"}]'
api audit --format json --per-build "$T/audit.jsonl" $FAILED $PIPFAIL
assert_rc "audit, key echoed by the API: exit" 4
jq_eq "audit, key echoed by the API: redacted" '.not_fetched[0].error' \
	"cannot get the log of build $PIPFAIL: HTTP 403 forbidden: key [redacted] may not read logs (the API key may not read this: is it a private key of the build's organisation?)"
cat "$T/audit.jsonl" >>"$ALL"
reset
api audit -v --format csv --status failed
assert_rc "audit -v: exit" 0
assert_contains "audit -v: logs its requests" "buildsleuth: GET $CTL/v1/builds?limit=100&offset=0&status=failed: 200" "$ERR"

# --- the key never shows -------------------------------------------------------------
assert_eq "output collected" true "$([ -s "$ALL" ] && echo true)"
assert_not_contains "the key appears in no output of any command" "$KEY" "$ALL"
assert_not_contains "nor a part of it" "${KEY:6:10}" "$ALL"

finish
