#!/usr/bin/env bash
# Self-test of the fake Pipecat Cloud API (tests/fake_api/fake_pipecat.py).
# Loopback only; needs python3, curl and jq.  Prints "N passed, 0 failed".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SERVER="$HERE/fake_pipecat.py"
KEY=test-key-123
T=$(mktemp -d "${TMPDIR:-/tmp}/fake_pipecat_selftest.XXXXXX")
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass=0
fail=0

check() { # name actual expected
	if [ "$2" == "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL: %s\n  expected: %s\n  actual:   %s\n' "$1" "$3" "$2" >&2
	fi
}

check_true() { # name command...
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL: %s (%s)\n' "$name" "$*" >&2
	fi
}

# start NAME ARGS... : starts a server, sets ${NAME}_PORT and ${NAME}_PID
start() {
	local name=$1
	shift
	python3 "$SERVER" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	local pid=$!
	PIDS+=("$pid")
	local i
	for i in $(seq 1 100); do
		if grep -q '^PORT ' "$T/$name.out" 2>/dev/null; then
			break
		fi
		sleep 0.05
	done
	local port
	port=$(awk '/^PORT /{print $2}' "$T/$name.out")
	if [ -z "$port" ]; then
		echo "could not start server $name:" >&2
		cat "$T/$name.err" >&2
		exit 1
	fi
	printf -v "${name}_PORT" '%s' "$port"
	printf -v "${name}_PID" '%s' "$pid"
}

# req METHOD URL [curl args...] : sets STATUS, BODY (file $T/body), HDRS (file $T/hdrs), RC
req() {
	local method=$1 url=$2
	shift 2
	STATUS=$(curl -sS -o "$T/body" -D "$T/hdrs" -w '%{http_code}' -X "$method" "$@" "$url" 2>"$T/curl.err")
	RC=$?
	BODY=$(cat "$T/body" 2>/dev/null)
}

# api PATH [curl args...] : authenticated GET on server A
api() {
	local p=$1
	shift
	req GET "$A/$p" -H "Authorization: Bearer $KEY" "$@"
}

hdr() { # header value from $T/hdrs
	tr -d '\r' <"$T/hdrs" | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" \
		'{ split($0, a, ": "); if (tolower(a[1]) == h) { sub(/^[^:]*: /, ""); print; exit } }'
}

faults() { # POST /_faults on server A with JSON list $1
	req POST "http://127.0.0.1:$A_PORT/_faults" -H 'Content-Type: application/json' --data-binary "$1"
	if [ "$STATUS" != 200 ]; then
		echo "setting faults failed: $BODY" >&2
		fail=$((fail + 1))
	fi
}

now() { python3 -c 'import time; print(time.time())'; }
elapsed_ge() { python3 -c "import sys; sys.exit(0 if $1 - $2 >= $3 else 1)"; }

SUCCESS=6f1c2a3b-0001-4a5b-8c6d-000000000001
COPYREQ=6f1c2a3b-0002-4a5b-8c6d-000000000002
CLOUDINIT=123e4567-e89b-12d3-a456-426614174000
TIMEOUT=6f1c2a3b-0004-4a5b-8c6d-000000000004
SCRIPTED=6f1c2a3b-0005-4a5b-8c6d-000000000005
PLAINLOG=6f1c2a3b-0006-4a5b-8c6d-000000000006
BIG=00000000-0000-4000-8000-000000025000

# ---------------------------------------------------------------- start-up
start A --generate 20 --big 1000 --page-cap 300 --record "$T/record.jsonl" --port-file "$T/port"
A="http://127.0.0.1:$A_PORT/v1"
check "stdout is exactly one PORT line" "$(wc -l <"$T/A.out" | tr -d ' ')" "1"
check "port file" "$(cat "$T/port")" "$A_PORT"
check "no stray port temp files" "$(ls "$T" | grep -c '^port\.tmp')" "0"

# ---------------------------------------------------------------- auth
req GET "$A/builds/$COPYREQ"
check "no key -> 401" "$STATUS" 401
check "401 body" "$(jq -c . <<<"$BODY")" '{"error":"Unauthorized","code":"UNAUTHORIZED"}'
req GET "$A/builds/$COPYREQ" -H "Authorization: Bearer wrong"
check "wrong key -> 401" "$STATUS" 401
req GET "$A/builds/$COPYREQ" -H "Authorization: $KEY"
check "key without Bearer -> 401" "$STATUS" 401

# ---------------------------------------------------------------- GET /builds/{id}
api "builds/$COPYREQ"
check "get build 200" "$STATUS" 200
check "get build id" "$(jq -r .build.id <<<"$BODY")" "$COPYREQ"
check "get build errorMessage" "$(jq -r .build.errorMessage <<<"$BODY")" \
	"Docker build failed: COPY failed - file not found: requirements.txt"
check "content type json" "$(hdr Content-Type)" "application/json; charset=utf-8"
api "builds/not-a-uuid"
check "bad id -> 400" "$STATUS" 400
check "bad id body" "$(jq -c . <<<"$BODY")" '{"error":"Invalid build ID","code":"BAD_REQUEST"}'
api "builds/00000000-0000-4000-8000-00000000dead"
check "unknown build -> 404" "$STATUS" 404
check "unknown build body" "$(jq -c . <<<"$BODY")" '{"error":"Build not found","code":"NOT_FOUND"}'
api "builds/$(tr a-f A-F <<<"$COPYREQ")"
check "upper-case id accepted" "$STATUS" 200
api "builds/$CLOUDINIT"
check ".log + .build.json record" "$(jq -r '[.build.status,.build.region]|join(" ")' <<<"$BODY")" "failed eu-central"
api "builds/$PLAINLOG"
check ".log only -> synthesised record" "$(jq -c '.build' <<<"$BODY")" \
	'{"id":"'$PLAINLOG'","status":"failed","region":"us-west","createdAt":"2026-03-04T10:00:00.000Z"}'
api "builds/$SUCCESS"
check "success build" "$(jq -r .build.status <<<"$BODY")" "success"
api "builds/$TIMEOUT"
check "timeout build" "$(jq -r .build.status <<<"$BODY")" "timeout"
api "builds/$BIG"
check "big build record" "$(jq -r '[.build.status, .build["x-fake-error-line"]]|join(" ")' <<<"$BODY")" "failed 986"

# ---------------------------------------------------------------- logs
api "builds/$COPYREQ/logs" -G --data-urlencode limit=10000
check "logs 200" "$STATUS" 200
check "logs count" "$(jq '.logs|length' <<<"$BODY")" 56
check "small log has no nextToken" "$(jq 'has("nextToken")' <<<"$BODY")" false
check "logs are strings" "$(jq -r '[.logs[]|type]|unique|join(",")' <<<"$BODY")" string
api "builds/$CLOUDINIT/logs?limit=10000"
check ".log file served line by line" "$(jq -r '.logs|length' <<<"$BODY")" \
	"$(wc -l <"$HERE/builds/$CLOUDINIT.log" | tr -d ' ')"
check "cloud-init error line" "$(jq -r '.logs[]|select(test("No matching distribution found for cloud-init==20.4$"))' <<<"$BODY" | head -1)" \
	"#8 7.814 ERROR: No matching distribution found for cloud-init==20.4"
api "builds/$TIMEOUT/logs?limit=10000"
check "stored object entries served as objects" "$(jq -c '.logs[0]|keys' <<<"$BODY")" '["log","timestamp"]'
check "stored object entries (message)" "$(jq -c '.logs[1]|keys' <<<"$BODY")" '["message","timestamp"]'
for bad in 0 10001 abc -1 ''; do
	api "builds/$COPYREQ/logs?limit=$bad"
	check "logs limit=$bad -> 400" "$STATUS" 400
done
check "limit 400 code" "$(jq -r .code <<<"$BODY")" BAD_REQUEST
api "builds/not-a-uuid/logs"
check "logs bad id -> 400" "$STATUS" 400
api "builds/00000000-0000-4000-8000-00000000dead/logs"
check "logs unknown -> 404" "$(jq -c . <<<"$BODY")" '{"error":"Build not found","code":"NOT_FOUND"}'
api "builds/$COPYREQ/logs"
check "default limit 500 (whole small log)" "$(jq '.logs|length' <<<"$BODY")" 56

# paging through the big build (1000 lines, page cap 300)
: >"$T/paged"
token=""
pages=0
tokens=""
while :; do
	if [ -z "$token" ]; then
		api "builds/$BIG/logs" -G --data-urlencode limit=10000
	else
		api "builds/$BIG/logs" -G --data-urlencode limit=10000 --data-urlencode "nextToken=$token"
	fi
	[ "$STATUS" = 200 ] || break
	pages=$((pages + 1))
	jq -r '.logs[]' <<<"$BODY" >>"$T/paged"
	token=$(jq -r '.nextToken // empty' <<<"$BODY")
	tokens="$tokens $token"
	[ -n "$token" ] || break
	[ $pages -lt 10 ] || break
done
check "big: 4 pages of <= 300" "$pages" 4
check "big: all 1000 lines" "$(wc -l <"$T/paged" | tr -d ' ')" 1000
check "big: error line 986" "$(sed -n 986p "$T/paged")" "#9 7.814 ERROR: No matching distribution found for cloud-init==20.4"
check "big: phase complete after error" "$(grep -n 'Phase complete: BUILD State: FAILED' "$T/paged" | cut -d: -f1)" 994
check "big: tokens need URL-encoding" "$(tr ' ' '\n' <<<"$tokens" | grep -c '[+/=]')" 3
api "builds/$BIG/logs?limit=2"
tok=$(jq -r .nextToken <<<"$BODY")
api "builds/$BIG/logs?limit=2&nextToken=$tok"
check "unencoded token ('+' -> space) -> 400" "$STATUS" 400
check "bad token body" "$(jq -c . <<<"$BODY")" '{"error":"Invalid nextToken","code":"BAD_REQUEST"}'
api "builds/$BIG/logs" -G --data-urlencode limit=2 --data-urlencode "nextToken=$tok"
check "page 2 continues at entry 3" "$(jq -r '.logs[0]' <<<"$BODY")" "$(sed -n 3p "$T/paged")"
api "builds/$COPYREQ/logs" -G --data-urlencode limit=2 --data-urlencode "nextToken=$tok"
check "token of another build -> 400" "$STATUS" 400

# ---------------------------------------------------------------- list
api "builds?status=failed&limit=100"
check "list 200" "$STATUS" 200
# failed: 20 generated + big + copyreq + cloudinit + plainlog
check "list total failed" "$(jq .total <<<"$BODY")" 24
check "list echoes limit/offset" "$(jq -c '[.limit,.offset]' <<<"$BODY")" '[100,0]'
check "list sorted by createdAt desc" "$(jq '[.builds[].createdAt] == ([.builds[].createdAt]|sort|reverse)' <<<"$BODY")" true
check "list only failed" "$(jq -r '[.builds[].status]|unique|join(",")' <<<"$BODY")" failed
all_ids=$(jq -r '[.builds[].id]|join(",")' <<<"$BODY")
api "builds?status=failed&limit=5&offset=5"
check "list offset" "$(jq -r '[.builds[].id]|join(",")' <<<"$BODY")" "$(cut -d, -f6-10 <<<"$all_ids")"
api "builds?status=failed&region=eu-central&limit=100"
check "list region filter" "$(jq -r '[.builds[].region]|unique|join(",")' <<<"$BODY")" eu-central
check "list region total" "$(jq .total <<<"$BODY")" 6
api "builds?contextHash=986c0dc956dc822b5d8f698661b9eb1ef880786f"
check "list contextHash filter" "$(jq -r '[.total, .builds[].id]|join(",")' <<<"$BODY")" \
	"1,123e4567-e89b-12d3-a456-426614174000"
api "builds?status=success&contextHash=986c0dc956dc822b5d8f698661b9eb1ef880786f"
check "list contextHash and status" "$(jq .total <<<"$BODY")" 0
api "builds?status=success"
check "list success" "$(jq -r '[.builds[].id]|join(",")' <<<"$BODY")" "$SUCCESS"
check "list default limit 20" "$(jq .limit <<<"$BODY")" 20
for bad in 0 101 x; do
	api "builds?limit=$bad"
	check "list limit=$bad -> 400" "$STATUS" 400
done
api "builds?status=failed&limit=100"
check "generated kinds" "$(jq -r '[.builds[]|.["x-fake-kind"]|select(.)]|group_by(.)|map("\(.[0])=\(length)")|join(",")' <<<"$BODY")" \
	"copy-missing-file=4,missing-requirements=4,no-matching-distribution=8,unclassifiable=2,unknown-instruction=2"
gen0=$(python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("6b1d3a52-8c4e-4f0a-9d2b-5e7f1a0c3b94"), "buildsleuth-fake/1/0"))')
api "builds/$gen0"
check "generated id formula" "$(jq -r '.build["x-fake-kind"]' <<<"$BODY")" no-matching-distribution

# ---------------------------------------------------------------- unknown paths
api "nope"
check "unknown path -> 404" "$STATUS" 404
check "unknown path JSON" "$(jq -r .code <<<"$BODY")" NOT_FOUND
req GET "http://127.0.0.1:$A_PORT/" -H "Authorization: Bearer $KEY"
check "root -> 404" "$STATUS" 404
req POST "$A/builds/$COPYREQ" -H "Authorization: Bearer $KEY" --data '{}'
check "POST on API -> 405" "$STATUS" 405

# ---------------------------------------------------------------- recording
req GET "http://127.0.0.1:$A_PORT/_requests"
check "_requests 200" "$STATUS" 200
check "_requests: no key stored" "$(grep -c "$KEY" "$T/body")" 0
check "_requests: first is unauthenticated" "$(jq -c '.requests[0]|[.method,.path,.auth_present,.auth_ok,.status]' <<<"$BODY")" \
	'["GET","/v1/builds/'$COPYREQ'",false,false,401]'
check "_requests: wrong key recorded as present, not ok" "$(jq -c '.requests[1]|[.auth_present,.auth_ok]' <<<"$BODY")" '[true,false]'
check "_requests: query parsed" "$(jq -r '[.requests[]|select(.path=="/v1/builds/'$BIG'/logs" and .query.nextToken)][0].query.nextToken' <<<"$BODY")" \
	"$(cut -d' ' -f2 <<<"$tokens")"
check "_requests: times are floats in order" "$(jq '[.requests[]|(.end >= .start)]|all' <<<"$BODY")" true
check "_requests: seq" "$(jq '[.requests[].seq] == ([range(1; (.requests|length)+1)])' <<<"$BODY")" true
n_req=$(jq '.requests|length' <<<"$BODY")
check "--record file has every request" "$(wc -l <"$T/record.jsonl" | tr -d ' ')" "$n_req"
check "--record file has no key" "$(grep -c "$KEY" "$T/record.jsonl")" 0
req POST "http://127.0.0.1:$A_PORT/_reset"
req GET "http://127.0.0.1:$A_PORT/_requests"
check "_reset clears" "$(jq -c . <<<"$BODY")" '{"requests":[],"max_concurrent":0}'

# ---------------------------------------------------------------- faults
faults '[{"path": "/v1/builds/*/logs", "kind": "status", "status": 429, "retry_after": "2", "times": 1}]'
api "builds/$COPYREQ/logs"
check "429 status" "$STATUS" 429
check "429 body" "$(jq -c . <<<"$BODY")" '{"error":"Too many requests","code":"RATE_LIMITED"}'
check "429 Retry-After" "$(hdr Retry-After)" 2
api "builds/$COPYREQ/logs"
check "times:1 -> second request ok" "$STATUS" 200
api "builds/$COPYREQ"
check "glob does not match other paths" "$STATUS" 200
req GET "http://127.0.0.1:$A_PORT/_faults"
check "_faults shows hits" "$(jq -c '.faults[0]|[.kind,.hits,.remaining]' <<<"$BODY")" '["status",1,0]'

faults '[{"path": "/v1/builds/**", "kind": "status", "status": 429, "retry_after": "Wed, 21 Oct 2026 07:28:00 GMT", "error": "Slow down", "code": "RATE"}]'
api "builds/$COPYREQ/logs"
check "** glob + custom error" "$(jq -c . <<<"$BODY")" '{"error":"Slow down","code":"RATE"}'
check "HTTP-date Retry-After" "$(hdr Retry-After)" "Wed, 21 Oct 2026 07:28:00 GMT"
api "builds/$COPYREQ"
check "unlimited times" "$STATUS" 429

faults '[{"path": "/v1/builds/*", "kind": "html", "status": 503}]'
api "builds/$COPYREQ"
check "html status" "$STATUS" 503
check "html body" "$BODY" "<html><body><h1>503 Service Unavailable</h1></body></html>"
check "html content type" "$(hdr Content-Type)" "text/html"

faults '[{"regex": "^/v1/builds/[^/]+$", "kind": "message", "status": 500, "message": "Internal failure"}]'
api "builds/$COPYREQ"
check "message fault" "$STATUS $(jq -c . <<<"$BODY")" '500 {"message":"Internal failure"}'
api "builds/$COPYREQ/logs"
check "regex does not match logs path" "$STATUS" 200

faults '[{"path": "/v1/builds/*", "kind": "truncate"}]'
api "builds/$COPYREQ"
check "truncate -> curl partial file (18)" "$RC" 18
check "truncate sent less than Content-Length" "$(($(wc -c <"$T/body") < $(hdr Content-Length)))" 1

faults '[{"path": "/v1/builds/*", "kind": "slow", "delay": 1.5}]'
t0=$(now)
api "builds/$COPYREQ" --max-time 0.4
check "slow -> client timeout (28)" "$RC" 28
t1=$(now)
check_true "slow: timed out quickly" elapsed_ge 1.0 "($t1 - $t0)" 0

faults '[{"path": "/v1/nothing-here", "kind": "trickle", "delay": 0.01}]'
t0=$(now)
api "nothing-here"
t1=$(now)
check "trickle: full body arrives" "$STATUS $(jq -r .code <<<"$BODY")" "404 NOT_FOUND"
check_true "trickle: took >= 0.3 s" elapsed_ge "$t1" "$t0" 0.3

faults '[{"path": "/v1/builds/*", "kind": "latency", "delay": 0.3}, {"path": "/v1/builds/*", "kind": "status", "status": 500, "times": 1}]'
t0=$(now)
api "builds/$COPYREQ"
t1=$(now)
check "latency stacks with a status fault" "$STATUS" 500
check_true "latency: >= 0.3 s" elapsed_ge "$t1" "$t0" 0.3
api "builds/$COPYREQ"
check "latency alone -> normal answer" "$STATUS" 200

# concurrency: 6 requests in flight at once
req POST "http://127.0.0.1:$A_PORT/_reset"
faults '[{"path": "/v1/builds/*", "kind": "latency", "delay": 0.5}]'
cpids=()
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -H "Authorization: Bearer $KEY" "$A/builds/$COPYREQ" &
	cpids+=($!)
done
wait "${cpids[@]}"
req GET "http://127.0.0.1:$A_PORT/_requests"
check "max_concurrent" "$(jq .max_concurrent <<<"$BODY")" 6
check "6 recorded, with fault" "$(jq -r '[.requests[]|.fault]|join(",")' <<<"$BODY")" "latency,latency,latency,latency,latency,latency"

faults '[{"path": "/v1/builds/*/logs", "kind": "repeat_token"}]'
api "builds/$COPYREQ/logs?limit=5"
t1=$(jq -r .nextToken <<<"$BODY")
first1=$(jq -c .logs <<<"$BODY")
api "builds/$COPYREQ/logs" -G --data-urlencode limit=5 --data-urlencode "nextToken=$t1"
check "repeat_token: same token" "$(jq -r .nextToken <<<"$BODY")" "$t1"
check "repeat_token: same entries" "$(jq -c .logs <<<"$BODY")" "$first1"

faults '[{"path": "/v1/builds/*/logs", "kind": "empty_page"}]'
api "builds/$COPYREQ/logs"
e1=$(jq -r .nextToken <<<"$BODY")
check "empty_page: no entries" "$(jq -c .logs <<<"$BODY")" "[]"
api "builds/$COPYREQ/logs" -G --data-urlencode "nextToken=$e1"
check "empty_page: new token" "$(jq -r '.nextToken != "'"$e1"'" and (.logs == [])' <<<"$BODY")" true

faults '[{"path": "/v1/builds/*/logs", "kind": "object_entries"}]'
api "builds/$COPYREQ/logs?limit=3"
check "object_entries: message+timestamp" "$(jq -c '[.logs[]|keys]' <<<"$BODY")" '[["message","timestamp"],["message","timestamp"],["log","timestamp"]]'
check "object_entries: text kept" "$(jq -r '.logs[0].message' <<<"$BODY")" \
	"$(jq -r '.logs[0]' "$HERE/builds/$COPYREQ.json")"

faults '[{"path": "/v1/builds/*/logs", "kind": "invalid_json"}]'
api "builds/$COPYREQ/logs"
check "invalid_json: 200" "$STATUS" 200
check_true "invalid_json: not JSON" bash -c '! jq . "$1" >/dev/null 2>&1' _ "$T/body"

faults '[{"path": "/v1/builds/**", "kind": "wrong_types"}]'
api "builds/$COPYREQ/logs"
check "wrong_types logs" "$(jq -c . <<<"$BODY")" '{"logs":"nope","nextToken":5}'
api "builds/$COPYREQ"
check "wrong_types build" "$(jq -c . <<<"$BODY")" '{"build":[]}'
faults '[{"path": "/v1/builds", "kind": "wrong_types", "body": {"builds": [1, 2]}}]'
api "builds"
check "wrong_types custom body" "$(jq -c . <<<"$BODY")" '{"builds":[1,2]}'

faults '[{"path": "/v1/builds/*/logs", "kind": "huge_token"}]'
api "builds/$COPYREQ/logs"
check "huge_token: 1 MB" "$(jq '.nextToken|length' <<<"$BODY")" 1048576
check "huge_token: logs still there" "$(jq '.logs|length' <<<"$BODY")" 56

faults '[{"path": "/v1/builds/*/logs", "kind": "huge_body", "size": 1000000}, {"path": "/v1/builds/*", "kind": "huge_body", "size": 300000}]'
api "builds/$COPYREQ/logs"
check "huge_body logs: exact size" "$(wc -c <"$T/body" | tr -d ' ')" 1000000
check "huge_body logs: valid JSON array of strings" "$(jq -r '.logs|type' "$T/body")" array
api "builds/$COPYREQ"
check "huge_body build: exact size" "$(wc -c <"$T/body" | tr -d ' ')" 300000
check "huge_body build: valid JSON" "$(jq -r '.build.id' "$T/body")" "$COPYREQ"

# redirect to a second server B (started with a CLI fault)
start B --no-samples --generate 2 --fault '{"path": "/v1/builds", "kind": "status", "status": 503, "times": 1}'
faults '[{"path": "/v1/builds/*", "kind": "redirect", "location": "http://127.0.0.1:'"$B_PORT"'{path}"}]'
api "builds/$COPYREQ?x=1"
check "redirect status" "$STATUS" 302
check "redirect Location" "$(hdr Location)" "http://127.0.0.1:$B_PORT/v1/builds/$COPYREQ?x=1"
req GET "http://127.0.0.1:$B_PORT/_faults"
check "CLI --fault listed" "$(jq -c '.faults|map([.kind,.status,.remaining])' <<<"$BODY")" '[["status",503,1]]'
req GET "http://127.0.0.1:$B_PORT/v1/builds" -H "Authorization: Bearer $KEY"
check "CLI --fault applies" "$STATUS" 503
req GET "http://127.0.0.1:$B_PORT/v1/builds" -H "Authorization: Bearer $KEY"
check "B: --no-samples --generate 2" "$(jq .total <<<"$BODY")" 2
curl -s -o /dev/null -L -H "Authorization: Bearer $KEY" "$A/builds/$COPYREQ"
req GET "http://127.0.0.1:$B_PORT/_requests"
check "B saw the redirected request" "$(jq -r '.requests[-1].path' <<<"$BODY")" "/v1/builds/$COPYREQ"
check "B stored no key" "$(grep -c "$KEY" "$T/body")" 0

faults '[{"path": "/v1/builds/*", "kind": "status", "status": 503, "skip": 1, "times": 1}]'
api "builds/$COPYREQ"
s1=$STATUS
api "builds/$COPYREQ"
s2=$STATUS
api "builds/$COPYREQ"
check "skip 1, times 1" "$s1 $s2 $STATUS" "200 503 200"

faults '[{"path": "/v1/builds/*", "kind": "status", "status": 503, "before_auth": true, "times": 1}]'
req GET "$A/builds/$COPYREQ"
check "before_auth fault without key" "$STATUS" 503
req GET "$A/builds/$COPYREQ"
check "then 401" "$STATUS" 401
faults '[{"path": "/v1/builds/*", "kind": "status", "status": 503}]'
req GET "$A/builds/$COPYREQ"
check "default: auth checked before faults" "$STATUS" 401

faults '[{"path": "/v1/builds/*", "kind": "status", "status": 500, "method": "POST"}]'
api "builds/$COPYREQ"
check "method filter" "$STATUS" 200

req POST "http://127.0.0.1:$A_PORT/_faults" --data '[{"path": "/x", "kind": "bogus"}]'
check "bad fault spec -> 400" "$STATUS" 400
req POST "http://127.0.0.1:$A_PORT/_faults" --data 'not json'
check "bad fault JSON -> 400" "$STATUS" 400
faults '[]'
req GET "http://127.0.0.1:$A_PORT/_faults"
check "faults cleared" "$(jq -c . <<<"$BODY")" '{"faults":[]}'

# ---------------------------------------------------------------- scripted build
full=$(jq -c .logs "$HERE/builds/$SCRIPTED.json")
api "builds/$SCRIPTED/logs?limit=10000"
check "scripted: no logs before start" "$(jq -c . <<<"$BODY")" '{"logs":[]}'
api "builds/$SCRIPTED"
check "scripted: GET 1 -> pending" "$(jq -r .build.status <<<"$BODY")" pending
api "builds/$SCRIPTED"
check "scripted: GET 2 -> building" "$(jq -r .build.status <<<"$BODY")" building
api "builds/$SCRIPTED/logs?limit=10000"
check "scripted: first 4 lines" "$(jq -c .logs <<<"$BODY")" "$(jq -c '.[:4]' <<<"$full")"
api "builds/$SCRIPTED/logs?limit=10000"
check "scripted: logs do not advance the script" "$(jq '.logs|length' <<<"$BODY")" 4
api "builds/$SCRIPTED"
api "builds/$SCRIPTED/logs?limit=10000"
check "scripted: sliding tail (lines 3..10)" "$(jq -c .logs <<<"$BODY")" "$(jq -c '.[2:10]' <<<"$full")"
check "scripted: tail has no nextToken" "$(jq 'has("nextToken")' <<<"$BODY")" false
api "builds/$SCRIPTED/logs?limit=3"
check "scripted: min(limit, window)" "$(jq -c .logs <<<"$BODY")" "$(jq -c '.[7:10]' <<<"$full")"
api "builds/$SCRIPTED/logs" -G --data-urlencode limit=4 --data-urlencode "nextToken=$(python3 -B -c "import sys; sys.path.insert(0, '$HERE'); import fake_pipecat as f; print(f.make_token('$SCRIPTED', 0))")"
check "scripted: paging with a token still works" "$(jq -c .logs <<<"$BODY")" "$(jq -c '.[0:4]' <<<"$full")"
req GET "http://127.0.0.1:$A_PORT/v1/builds?status=building" -H "Authorization: Bearer $KEY"
check "scripted: list shows current stage, does not advance" "$(jq -r '.builds[0].id' <<<"$BODY")" "$SCRIPTED"
# rewind, then poll to the end, stitching overlapping tails
req POST "http://127.0.0.1:$A_PORT/_reset?scripts=1"
python3 - "$A" "$KEY" "$SCRIPTED" "$HERE/builds/$SCRIPTED.json" >"$T/stitch" <<'EOF'
import json, sys, urllib.request
base, key, bid, path = sys.argv[1:]
def get(p):
    r = urllib.request.Request(base + p, headers={"Authorization": "Bearer " + key})
    return json.load(urllib.request.urlopen(r))
acc = get("/builds/%s/logs?limit=10000" % bid)["logs"]
polls = 0
while True:
    st = get("/builds/" + bid)["build"]["status"]
    tail = get("/builds/%s/logs?limit=10000" % bid)["logs"]
    k = max([k for k in range(min(len(acc), len(tail)) + 1) if acc[len(acc) - k:] == tail[:k]])
    acc += tail[k:]
    polls += 1
    if st in ("failed", "success", "timeout") or polls > 50:
        break
print(st, polls, acc == json.load(open(path))["logs"])
EOF
check "scripted: stitched tails == full log" "$(cat "$T/stitch")" "failed 11 True"
api "builds/$SCRIPTED"
check "scripted: stays on last stage" "$(jq -r '[.build.status,.build.errorMessage]|join(" / ")' <<<"$BODY")" \
	"failed / Docker build failed: pip install failed (exit code 1)"
req POST "http://127.0.0.1:$A_PORT/_reset?scripts=1"
api "builds/$SCRIPTED/logs"
check "_reset?scripts=1 rewinds (logs)" "$(jq -c .logs <<<"$BODY")" "[]"
api "builds/$SCRIPTED"
check "_reset?scripts=1 rewinds" "$(jq -r .build.status <<<"$BODY")" pending

# ---------------------------------------------------------------- misc
req GET "$A/builds/$(head -c 70000 /dev/zero | tr '\0' a)" -H "Authorization: Bearer $KEY"
check "overlong request line -> 414" "$STATUS" 414
req GET "http://127.0.0.1:$A_PORT/_requests"
check "414 recorded" "$(jq -r '.requests[-1].status' <<<"$BODY")" 414

# ---------------------------------------------------------------- shutdown
kill -TERM "$B_PID"
wait "$B_PID"
check "SIGTERM -> exit 0" "$?" 0
kill -INT "$A_PID"
wait "$A_PID"
check "SIGINT -> exit 0" "$?" 0
check "quiet stderr" "$(cat "$T/A.err")" ""
start C --no-samples --lifetime 0.5
t0=$(now)
wait "$C_PID"
rc=$?
t1=$(now)
check "--lifetime -> exits 0" "$rc" 0
check_true "--lifetime -> exits on time" elapsed_ge 2 "($t1 - $t0)" 0
start D --no-samples --lifetime 5 --verbose
req GET "http://127.0.0.1:$D_PORT/v1/builds" -H "Authorization: Bearer $KEY"
kill -TERM "$D_PID"
wait "$D_PID"
check "--verbose logs requests" "$(grep -c 'GET /v1/builds' "$T/D.err")" 1
check "--verbose never logs the key" "$(grep -c "$KEY" "$T/D.err")" 0
check_true "bad --data -> exit 2" bash -c 'python3 "$1" --data /nonexistent >/dev/null 2>&1; test $? -eq 2' _ "$SERVER"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
