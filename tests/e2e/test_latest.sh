#!/usr/bin/env bash
# tests/e2e/test_latest.sh - `--latest` (DESIGN.md "Which build, without an
# ID") for diagnose, fetch, watch and comment against the fake Pipecat API:
# the newest build matching --status (repeated: one listing per status,
# merged), --region (sent to the API), --dockerfile (filtered here) and
# --since (ISO 8601 and "2h"), ties on createdAt, how few list pages are
# read, no match, usage errors, and the report naming the build chosen.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

KEY=bs-e2e-latest-Key-0c4d
TOKEN=ghs_e2eLatest_77a1
unset PIPECAT_CLOUD_API_KEY GITHUB_EVENT_PATH GITHUB_ACTIONS
export PIPECAT_API_KEY=$KEY GITHUB_TOKEN=$TOKEN GITHUB_REPOSITORY=acme/app NO_COLOR=1
B=7b000000-0000-4000-8000-0000000000

# --- the builds: fixed times on 2026-03-04, two relative to now, 250
# --- generated failed builds (February) behind them ---------------------------------
mkdir -p "$T/builds"
python3 - "$T/builds" <<'EOF'
import datetime as dt, json, sys
d = sys.argv[1]
log = [
    "[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD",
    "#4 [3/3] RUN pip install -r requirements.txt",
    "#4 2.102 ERROR: No matching distribution found for cloud-init==20.4",
    "#4 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1",
    "[Container] 2026/03/04 12:00:03.000000 Phase complete: BUILD State: FAILED",
]
def put(n, status, region, created, dockerfile="Dockerfile", **extra):
    bid = "7b000000-0000-4000-8000-0000000000" + n
    doc = {"build": {"id": bid, "status": status, "region": region, "dockerfilePath": dockerfile,
                     "createdAt": created}, "logs": log}
    doc.update(extra)
    json.dump(doc, open("%s/%s.json" % (d, bid), "w"))
put("01", "failed", "us-west", "2026-03-04T09:00:00.000Z")
put("02", "failed", "us-east", "2026-03-04T11:00:00.000Z")
put("03", "timeout", "us-west", "2026-03-04T10:30:00.000Z")
put("04", "success", "us-west", "2026-03-04T12:00:00.000Z")
put("05", "failed", "us-west", "2026-03-04T08:00:00.000Z", "docker/Dockerfile")
put("06", "building", "us-west", "2026-03-04T12:30:00.000Z", full_when_done=True,
    script=[{"status": "building"}, {"status": "failed"}])
put("07", "pending", "eu-central", "2026-03-04T12:40:00.000Z", full_when_done=True, window=0,
    script=[{"status": "pending", "log_lines": 0}, {"status": "failed"}])
put("08", "failed", "us-west", "2026-03-04T08:59:59.999Z", "api/Dockerfile")
put("09", "failed", "us-west", "2026-03-04T07:00:00.000Z", "api/Dockerfile")
put("10", "success", "us-east", "2026-03-04T10:00:00.000Z")
put("11", "building", "us-east", "2026-03-04T11:30:00.000Z")
put("12", "failed", "us-west", "2026-01-15T00:00:00.000Z", "legacy/Dockerfile")
# a tie on createdAt (written two ways), across the two default statuses
put("c1", "failed", "tie", "2026-03-01T10:00:00Z")
put("c2", "timeout", "tie", "2026-03-01T10:00:00.000Z")
put("c0", "failed", "tie", "2026-03-01T10:00:00Z")
now = dt.datetime.now(dt.timezone.utc)
z = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
put("a1", "failed", "rel", z(now - dt.timedelta(hours=2) + dt.timedelta(minutes=5)))
put("a2", "failed", "rel", z(now - dt.timedelta(hours=2) - dt.timedelta(minutes=5)), "rel/old")
EOF
start_fake PC tests/fake_api/fake_pipecat.py --key "$KEY" --no-samples --data "$T/builds" \
	--generate 250
start_fake GH tests/fake_github/fake_github.py --token "$TOKEN" --login buildsleuth-bot
CTL=http://127.0.0.1:$PC_PORT
export PIPECAT_API_URL=$CTL/v1 GITHUB_API_URL=http://127.0.0.1:$GH_PORT

# lt ARGS...: run the binary (a hang fails after 30 s), after forgetting the
# server's requests
lt() { ctl POST /_reset >/dev/null; timeout 30 "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
# lists: the GET /builds requests of the last run, "offset status region" each
lists() {
	requests
	jq -r '[.requests[] | select(.path == "/v1/builds") |
		"\(.query.offset) \(.query.status) \(.query.region // "-") \(.query.limit)"] | join(", ")' \
		"$TEST_TMP/req.json"
}
first_line() { head -1 "$OUT"; }

# --- the newest failed build among several -----------------------------------------
lt diagnose --latest --status failed --region us-west
assert_rc "failed in us-west: exit" 0
assert_eq "failed in us-west: the newest failed one, said first" \
	"build ${B}01: newest failed build in us-west" "$(first_line)"
assert_contains "failed in us-west: then its report" "build ${B}01: failed (us-west)" "$OUT"
assert_eq "failed in us-west: one page of one listing, region sent" "0 failed us-west 100" "$(lists)"
rq "failed in us-west: then the build and its logs" '[.requests[] | .path] | .[1:] | join(" ")' \
	"/v1/builds/${B}01 /v1/builds/${B}01/logs"

# default statuses (failed and timeout): two listings, merged; each stops on
# its first page although the failed one in us-west runs to two
lt diagnose --latest --region us-west
assert_eq "default statuses: the timeout build is newer" \
	"build ${B}03: newest failed or timeout build in us-west" "$(first_line)"
assert_eq "default statuses: one listing per status, one page each" \
	"0 failed us-west 100, 0 timeout us-west 100" "$(lists)"
total=$(python3 -c 'import sys, urllib.request as u
r = u.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
print(__import__("json").load(u.urlopen(r))["total"])' "$CTL/v1/builds?status=failed&region=us-west&limit=1" "$KEY")
assert_eq "default statuses: the failed listing has more than a page" 1 "$(( total > 100 ))"

# --- --status repeated ----------------------------------------------------------------
lt fetch --latest --status timeout --status failed --status timeout --region us-west
assert_rc "--status twice: exit" 0
jq_eq "--status twice: the newest of either" .build.id "${B}03"
assert_eq "--status twice: each status listed once, in the order given" \
	"0 timeout us-west 100, 0 failed us-west 100" "$(lists)"
lt diagnose --latest --status success --status building --region us-east
assert_eq "--status success --status building" \
	"build ${B}11: newest success or building build in us-east" "$(first_line)"

# --- --dockerfile, on the client ----------------------------------------------------
lt diagnose --latest --dockerfile docker/Dockerfile --region us-west --format json
assert_rc "--dockerfile: exit" 0
jq_eq "--dockerfile: the build with that dockerfilePath" .source.build_id "${B}05"
rq "--dockerfile: not sent to the API" '[.requests[] | select(.path == "/v1/builds") | .query | has("dockerfile") or has("dockerfilePath")] | any' false
lt diagnose --latest --dockerfile ./docker/Dockerfile --region us-west --format json
jq_eq "--dockerfile ./docker/Dockerfile: the same file" .source.build_id "${B}05"
# only the oldest build has it: every page of both listings is read
lt diagnose --latest --dockerfile legacy/Dockerfile --region us-west
assert_eq "--dockerfile on the oldest build: found" "build ${B}12: newest failed or timeout build in us-west with dockerfile legacy/Dockerfile" "$(first_line)"
pages=$(( (total + 99) / 100 ))
assert_eq "--dockerfile on the oldest build: every failed page, then the timeout one" \
	"$(for ((i = 0; i < pages; i++)); do printf '%d failed us-west 100, ' $((i * 100)); done)0 timeout us-west 100" "$(lists)"

# --- --since, both forms ----------------------------------------------------------------
lt diagnose --latest --status failed --region us-west --dockerfile api/Dockerfile --since 2026-03-04T09:00:00Z
assert_rc "--since: a build 1 ms before the bound: exit" 3
assert_stderr "--since: a build 1 ms before the bound: the message" \
	"buildsleuth: no build matches: status failed, region us-west, dockerfile api/Dockerfile, since 2026-03-04T09:00:00Z"
assert_eq "--since: nothing on stdout" "" "$(cat "$OUT")"
assert_eq "--since: the listing stops at the bound" "0 failed us-west 100" "$(lists)"
lt diagnose --latest --status failed --region us-west --dockerfile api/Dockerfile --since 2026-03-04T08:59:59.999Z
assert_eq "--since: a build at the bound is in" \
	"build ${B}08: newest failed build in us-west with dockerfile api/Dockerfile since 2026-03-04T08:59:59.999Z" "$(first_line)"
lt diagnose --latest --status failed --region us-west --dockerfile api/Dockerfile --since 2026-03-04T10:59:59.999+02:00
assert_eq "--since: a zone is turned to UTC" \
	"build ${B}08: newest failed build in us-west with dockerfile api/Dockerfile since 2026-03-04T08:59:59.999Z" "$(first_line)"
lt diagnose --latest --status failed --region us-west --since 2026-03-04T09:00:00Z --format json
assert_eq "--since in JSON: source.selected" \
	'{"by":"latest","filters":{"status":["failed"],"region":"us-west","dockerfile":null,"since":"2026-03-04T09:00:00Z"}}' \
	"$(jq -c .source.selected "$OUT")"
jq_eq "--since in JSON: the build at the bound" .source.build_id "${B}01"
lt diagnose --latest --region rel --since 2h
assert_rc "--since 2h: exit" 0
assert_eq "--since 2h: the build 1h55m ago" "${B}a1" "$(first_line | sed 's/^build \([^:]*\):.*/\1/')"
assert_contains "--since 2h: the bound said in UTC" " since $(date -u +%Y-)" "$OUT"
lt diagnose --latest --region rel --dockerfile rel/old --since 2h
assert_rc "--since 2h: the build 2h05m ago is out: exit" 3
assert_stderr "--since 2h: the message" \
	"buildsleuth: no build matches: status failed or timeout, region rel, dockerfile rel/old, since 2h ago"
lt diagnose --latest --region rel --dockerfile rel/old --since 130m
assert_eq "--since 130m: the build 2h05m ago is in" "${B}a2" "$(first_line | sed 's/^build \([^:]*\):.*/\1/')"
lt diagnose --latest --region rel --dockerfile rel/old --since 1d
assert_eq "--since 1d: likewise" "${B}a2" "$(first_line | sed 's/^build \([^:]*\):.*/\1/')"

# --- ties on createdAt -------------------------------------------------------------------
lt diagnose --latest --region tie
assert_eq "tie: the greater id, from the second listing" "build ${B}c2: newest failed or timeout build in tie" "$(first_line)"
lt diagnose --latest --region tie --status failed
assert_eq "tie: the greater id within a listing" "build ${B}c1: newest failed build in tie" "$(first_line)"

# --- no match ---------------------------------------------------------------------------
lt diagnose --latest --region nowhere --since 2h
assert_rc "no match: exit" 3
assert_stderr "no match: the message" \
	"buildsleuth: no build matches: status failed or timeout, region nowhere, since 2h ago"
lt fetch --latest --status pending --region us-west -o "$T/none.json"
assert_rc "no match (fetch): exit" 3
assert_stderr "no match (fetch): the message" "buildsleuth: no build matches: status pending, region us-west"
[ -e "$T/none.json" ] && fail "no match (fetch): a file was written" || pass "no match (fetch): no file"

# --- usage errors (exit 2, no request) ------------------------------------------------------
usage() { # NAME NEEDLE ARGS...
	local name=$1 needle=$2
	shift 2
	lt "$@"
	assert_rc "usage: $name: exit" 2
	assert_contains "usage: $name: names it" "$needle" "$ERR"
	requests
	rq "usage: $name: no request" '.requests | length' 0
}
usage "--latest with a BUILD_ID" "--latest takes the place of a BUILD_ID" diagnose --latest "${B}01"
usage "--region without --latest" "fetch: --region only applies with --latest" fetch --region us-west "${B}01"
usage "filters without --latest" "watch: --status, --dockerfile and --since only apply with --latest" \
	watch --status failed --dockerfile x --since 2h "${B}01"
usage "neither" "expected one BUILD_ID or --latest" diagnose
usage "bad --status" "--status takes pending, building, success, failed or timeout, not 'done'" \
	diagnose --latest --status done
usage "--latest and --from" "--latest and --from FILE" comment --pr 7 --latest --from "$T/x.log"
usage "--region with --from" "comment: --region only applies with --latest" comment --pr 7 --from "$T/x.log" --region us-west
for since in yesterday 2x -2h +2h ' 2h' 2h5m 0h 2.5h h 2026-02-30 2026-03-04T25:00Z 2026-3-4 \
	99999999999d ''; do
	usage "--since '$since'" "--since takes an ISO 8601 date or time" diagnose --latest --since "$since"
done
lt diagnose --latest --since 2h --status done
assert_stderr "usage: the message" \
	"buildsleuth: diagnose: --status takes pending, building, success, failed or timeout, not 'done' (see 'buildsleuth diagnose --help')"

# --- fetch --latest -o -------------------------------------------------------------------------
lt fetch --latest --region us-east -o "$T/latest.json"
assert_rc "fetch -o: exit" 0
jq_eq "fetch -o: the chosen build written" .build.id "${B}02" "$T/latest.json"
jq_eq "fetch -o: with its logs" '.logs | length' 5 "$T/latest.json"
assert_stderr "fetch -o: the choice on stderr" "buildsleuth: build ${B}02: newest failed or timeout build in us-east"
lt fetch --latest --region us-east -q -o "$T/latest.json"
assert_eq "fetch -q: nothing said" "" "$(cat "$ERR")"

# --- comment --latest: the newest finished build ------------------------------------------------
lt comment --pr 7 --latest --region us-east
assert_rc "comment us-east: exit" 0
assert_contains "comment us-east: the failed build, not the newer building one" \
	"buildsleuth: build ${B}02: newest success, failed or timeout build in us-east" "$ERR"
assert_eq "comment us-east: posted" "created" "$(cut -d' ' -f1 "$OUT")"
requests
rq "comment us-east: that build's log was fetched" '[.requests[] | select(.path | endswith("/logs")) | .path] | join(" ")' \
	"/v1/builds/${B}02/logs"
lt comment --pr 7 --latest --region us-west
assert_rc "comment us-west: exit" 0
assert_contains "comment us-west: the success build is the newest finished" \
	"buildsleuth: build ${B}04: newest success, failed or timeout build in us-west" "$ERR"
assert_eq "comment us-west: the green build resolves the comment" "resolved" "$(cut -d' ' -f1 "$OUT")"

# --- diagnose --latest --status building --wait; watch --latest ------------------------------------
lt diagnose --latest --status building --region us-west --wait --interval 1 --format json
assert_rc "--wait: exit" 0
jq_eq "--wait: the building build, waited on" '.source.build_id + " " + .build.status + " " + .outcome' \
	"${B}06 failed failed"
assert_contains "--wait: the choice on stderr" "build ${B}06: newest building build in us-west" "$ERR"
assert_contains "--wait: waited" "build ${B}06 is building; checking again" "$ERR"
lt watch --latest --interval 1
assert_rc "watch: exit" 0
assert_eq "watch: the newest pending or building build" "build ${B}07: newest pending or building build" "$(first_line)"
assert_contains "watch: followed to the end" "build ${B}07: failed (eu-central)" "$OUT"
ctl POST '/_reset?scripts=1' >/dev/null

finish
