#!/usr/bin/env bash
# tests/e2e/test_changes_api.sh - `diagnose`/`comment` with `--changes` and
# `--baseline BUILD_ID|FILE` against the fake Pipecat API (DESIGN.md "What
# changed since it last worked"): the newest success build with the same
# dockerfilePath and region created before the failed one (paged; another
# Dockerfile, region, an older or a later build not chosen; ties to the
# greater id), its whole log compared exactly, the same-contextHash note, no
# baseline as a line of the report, a failed look-up as a warning, and the
# PR comment's collapsed block. Checks what the server was asked.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

KEY=bs-e2e-changes-Key-9f2e
TOKEN=ghs_e2eChanges_41b7
unset PIPECAT_CLOUD_API_KEY GITHUB_EVENT_PATH GITHUB_ACTIONS
export PIPECAT_API_KEY=$KEY GITHUB_TOKEN=$TOKEN GITHUB_REPOSITORY=acme/app NO_COLOR=1
B=7c000000-0000-4000-8000-0000000000
D=tests/data/changes

# --- the builds --------------------------------------------------------------------
# the failed one (f0) and its baseline (b1) have the logs of tests/data/changes;
# every other success build has a log of its own, so choosing it shows
mkdir -p "$T/builds"
python3 - "$T/builds" "$D" <<'EOF'
import json, sys
d, data = sys.argv[1], sys.argv[2]
ok = open(data + "/ok.log").read().splitlines()
failed = open(data + "/failed.log").read().splitlines()
def other(tag):
    return [l.replace("numpy==1.26.4", "numpy==1.0.%d" % tag).replace("numpy-1.26.4", "numpy-1.0.%d" % tag)
            .replace("aaaa1111", "%04d9999" % tag) for l in ok]
def put(bid, status, region, created, logs, dockerfile="Dockerfile", context=None):
    b = {"id": bid, "status": status, "region": region, "dockerfilePath": dockerfile,
         "createdAt": created}
    if context:
        b["contextHash"] = context
    json.dump({"build": b, "logs": logs}, open("%s/%s.json" % (d, bid), "w"))
B = "7c000000-0000-4000-8000-0000000000"
put(B + "f0", "failed", "us-west", "2026-03-04T12:00:00.000Z", failed, context="c0ffee42")
put(B + "b1", "success", "us-west", "2026-03-04T10:00:00.000Z", ok, context="abc123")
# a tie on createdAt (written another way) with a smaller id
put(B + "a1", "success", "us-west", "2026-03-04T10:00:00Z", other(1))
put(B + "a2", "success", "us-west", "2026-03-04T09:00:00.000Z", other(2))
put(B + "a3", "success", "us-west", "2026-03-04T11:00:00.000Z", other(3), "docker/Dockerfile")
put(B + "a4", "success", "us-east", "2026-03-04T11:30:00.000Z", other(4))
put(B + "a5", "success", "us-west", "2026-03-04T12:00:00.001Z", other(5))
put(B + "a6", "failed", "us-west", "2026-03-04T11:45:00.000Z", failed)
# the same source (contextHash) built fine elsewhere; a failed one with it too
put(B + "c1", "success", "eu-central", "2026-03-03T08:00:00.000Z", other(6), "x/Dockerfile",
    "c0ffee42")
put(B + "c2", "failed", "us-west", "2026-03-04T11:50:00.000Z", failed, context="c0ffee42")
# nothing succeeded before this one
put(B + "e0", "failed", "ap-south", "2026-03-04T12:00:00.000Z", failed, "svc/Dockerfile")
# 150 success builds of the same Dockerfile and region created after f0: the
# baseline is on the second page of GET /builds?status=success&region=us-west
for i in range(150):
    put("7c000000-0000-4000-8000-%012d" % (100000 + i), "success", "us-west",
        "2026-03-05T%02d:%02d:00.000Z" % (i // 60, i % 60), other(7))
EOF
start_fake PC tests/fake_api/fake_pipecat.py --key "$KEY" --no-samples --data "$T/builds"
start_fake GH tests/fake_github/fake_github.py --token "$TOKEN" --login buildsleuth-bot
CTL=http://127.0.0.1:$PC_PORT
export PIPECAT_API_URL=$CTL/v1 GITHUB_API_URL=http://127.0.0.1:$GH_PORT

# ch ARGS...: run the binary (a hang fails after 30 s) after forgetting the
# server's requests; calls: the requests it made, in the order they came (the
# fake numbers a request when it ends), one a line
ch() { ctl POST /_reset >/dev/null; timeout 30 "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
calls() {
	requests
	jq -r '.requests | sort_by(.start)[] | if .path == "/v1/builds" then
		"list \(.query.status // "-") \(.query.region // "-") \(.query.contextHash // "-") \(.query.offset)"
		else .path end' "$TEST_TMP/req.json"
}

CHANGES="Changed since build ${B}b1 (2026-03-04T10:00:00.000Z):
   The same source (context hash) built fine in build
   ${B}c1 (2026-03-03T08:00:00.000Z): the failure
   is likely transient (network, registry, rate limit).
   packages:
     apt gcc-12 (none) → 12.2.0-14
     pip numpy 1.26.4 → 2.0.0
     pip requests 2.31.0 → 2.32.3
   base images:
     python:3.12-slim sha256:aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111 → sha256:bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222
   steps added:
     RUN apt-get update && apt-get install -y gcc
   error and warning lines only this log has (2):
        19 | #9 4.0   error: subprocess-exited-with-error
        20 | #9 4.1 ERROR: Failed building wheel for numpy"

# --- --changes: the newest earlier success build of the same Dockerfile and region --
ch diagnose --changes ${B}f0
assert_rc "changes: exit" 0
assert_eq "changes: stderr empty" "" "$(cat "$ERR")"
assert_eq "changes: the section, exactly" "$CHANGES" "$(sed -n '/^Changed since/,$p' "$OUT")"
assert_eq "changes: the diagnosis still comes first" \
	"1. Source build of a package failed [package-build]" "$(grep -m1 '^1\. ' "$OUT")"
assert_eq "changes: the requests (the listing paged past the later builds; the whole log)" \
"/v1/builds/${B}f0
/v1/builds/${B}f0/logs
list success us-west - 0
list success us-west - 100
/v1/builds/${B}b1
/v1/builds/${B}b1/logs
list success - c0ffee42 0" "$(calls)"

ch diagnose --format json --changes ${B}f0
assert_rc "json: exit" 0
jq_eq "json: baseline" '.changes.baseline | "\(.id) \(.createdAt)"' "${B}b1 2026-03-04T10:00:00.000Z"
jq_eq "json: same_context" '.changes.same_context | "\(.id) \(.createdAt)"' "${B}c1 2026-03-03T08:00:00.000Z"
jq_eq "json: no note" '.changes | has("note")' false
jq_eq "json: packages" '[.changes.packages[] | "\(.manager) \(.name) \(.before) \(.after)"] | join("; ")' \
	"apt gcc-12 null 12.2.0-14; pip numpy 1.26.4 2.0.0; pip requests 2.31.0 2.32.3"
jq_eq "json: base image digest" \
	'.changes.base_images | map("\(.ref) \(.change) \(.before_digest) \(.after_digest)") | join("; ")' \
	"python:3.12-slim digest sha256:aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111 sha256:bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222"
jq_eq "json: steps" '.changes.steps | "\(.added | join("|")) / \(.removed | join("|"))"' \
	"RUN apt-get update && apt-get install -y gcc / "
jq_eq "json: new lines" '[.changes.new_lines[] | "\(.line):\(.text)"] | join("|")' \
	"19:#9 4.0   error: subprocess-exited-with-error|20:#9 4.1 ERROR: Failed building wheel for numpy"
jq '.diagnoses' "$OUT" >"$T/with.json"
ch diagnose --format json ${B}f0
jq '.diagnoses' "$OUT" >"$T/without.json"
assert_same_file "json: changes rank nothing (the same diagnoses without --changes)" \
	"$T/without.json" "$T/with.json"

# valid: the report of the last run against docs/report.schema.json ("" when valid)
valid() {
	python3 - "$PWD/docs/report.schema.json" "$OUT" <<'PY'
import json, sys
import jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
for e in v.iter_errors(json.load(open(sys.argv[2]))):
    print("/".join(map(str, e.absolute_path)), e.message[:160])
PY
}
assert_eq "json: valid against the report schema" "" "$(valid)"

ch diagnose --format markdown --changes ${B}f0
assert_contains "markdown: the collapsed block" \
	"<details>
<summary>Changed since build ${B}b1 (2026-03-04T10:00:00.000Z)</summary>" "$OUT"
assert_contains "markdown: the same source, with its date" \
	"The same source (context hash) built fine in build ${B}c1 (2026-03-03T08:00:00.000Z): the failure is likely transient (network, registry, rate limit)." "$OUT"
assert_contains "markdown: a package row" "| numpy | pip | 1.26.4 | 2.0.0 |" "$OUT"

ch diagnose --format github --changes ${B}f0
assert_eq "github: one notice" "::notice title=Changed since build ${B}b1::gcc-12 (none) → 12.2.0-14, numpy 1.26.4 → 2.0.0, requests 2.31.0 → 2.32.3, base image python:3.12-slim has a new digest, 1 step(s) added, 0 removed, 2 new error or warning line(s); the same source built fine in build ${B}c1 (likely transient)" \
	"$(grep '^::notice title=Changed' "$OUT")"

# --- no earlier success build: a line of the report, exit 0 ------------------------
ch diagnose --changes ${B}e0
assert_rc "no baseline: exit 0" 0
assert_eq "no baseline: stderr empty" "" "$(cat "$ERR")"
assert_eq "no baseline: the clear line" "Changes:
   No earlier successful build of svc/Dockerfile in region ap-south to compare
   with" \
	"$(sed -n '/^Changes:/,$p' "$OUT")"
assert_eq "no baseline: one listing, no contextHash to look for" \
"/v1/builds/${B}e0
/v1/builds/${B}e0/logs
list success ap-south - 0" "$(calls)"
ch diagnose --format json --changes ${B}e0
jq_eq "no baseline: json" '.changes | "\(.baseline) \(.same_context) \(.note) \(.packages | length)"' \
	"null null No earlier successful build of svc/Dockerfile in region ap-south to compare with 0"
assert_eq "no baseline: json valid against the schema" "" "$(valid)"
ch diagnose --changes --exit-code ${B}e0
assert_rc "no baseline: --exit-code as without --changes" 1

# --- --baseline BUILD_ID: that build, whatever the rules of --changes ------------------
ch diagnose --format json --baseline ${B}a2 ${B}f0
assert_rc "baseline id: exit" 0
jq_eq "baseline id: that build" '.changes.baseline | "\(.id) \(.createdAt)"' "${B}a2 2026-03-04T09:00:00.000Z"
jq_eq "baseline id: its log compared" '[.changes.packages[] | select(.name == "numpy") | .before] | join(",")' "1.0.2"
jq_eq "baseline id: same context still said" '.changes.same_context.id' "${B}c1"
assert_eq "baseline id: no listing for a baseline" \
"/v1/builds/${B}f0
/v1/builds/${B}f0/logs
/v1/builds/${B}a2
/v1/builds/${B}a2/logs
list success - c0ffee42 0" "$(calls)"

# --- --baseline FILE: a saved log; the API still says the same source built ------------
ch diagnose --format json --baseline $D/ok.log ${B}f0
jq_eq "baseline file: path" '.changes.baseline.path' "$D/ok.log"
jq_eq "baseline file: packages" '.changes.packages | length' 3
jq_eq "baseline file: same context" '.changes.same_context.id' "${B}c1"
ch diagnose --baseline $D/nope.log ${B}f0
assert_rc "baseline file missing: exit 3" 3
assert_stderr "baseline file missing: one line" "buildsleuth: baseline: cannot open '$D/nope.log': No such file or directory"

# --- a build that did not fail: nothing compared, nothing asked ------------------------
ch diagnose --format json --changes ${B}b1
jq_eq "success: no changes" 'has("changes")' false
assert_eq "success: no look-up" "/v1/builds/${B}b1" "$(calls)"

# --- an API failure while looking: a warning, the diagnosis printed, exit 0 -------------
faults '[{"path": "/v1/builds", "kind": "status", "status": 500}]'
ch diagnose --retries 0 --changes ${B}f0
assert_rc "api failure: exit 0" 0
assert_stderr "api failure: one warning" "buildsleuth: warning: cannot compare with an earlier build: cannot list the builds: HTTP 500 internal server error (the server failed: try again later)"
assert_eq "api failure: the diagnosis" "1. Source build of a package failed [package-build]" "$(grep -m1 '^1\. ' "$OUT")"
assert_eq "api failure: the line in the report" "Changes:
   Cannot compare with an earlier build: cannot list the builds: HTTP 500
   internal server error (the server failed: try again later)" "$(sed -n '/^Changes:/,$p' "$OUT")"
ch diagnose -q --format json --retries 0 --changes ${B}f0
assert_eq "api failure, -q: no warning" "" "$(cat "$ERR")"
jq_eq "api failure: json note" '.changes | "\(.baseline) \(.note)"' \
	"null Cannot compare with an earlier build: cannot list the builds: HTTP 500 internal server error (the server failed: try again later)"
faults '[]'

# --- usage ------------------------------------------------------------------------------
ch diagnose --changes --baseline ${B}a2 ${B}f0
assert_rc "both: usage" 2
assert_stderr "both: one line" "buildsleuth: diagnose: --changes finds the build to compare with and --baseline names it: give one (see 'buildsleuth diagnose --help')"
ch fetch --changes ${B}f0
assert_rc "fetch has no --changes" 2

# --- comment --changes: the collapsed block in the posted comment -----------------------
CTL=http://127.0.0.1:$GH_PORT
ctl POST '/_reset?all=1' >/dev/null
CTL=http://127.0.0.1:$PC_PORT
ch comment --pr 12 --changes ${B}f0
assert_rc "comment: exit" 0
assert_eq "comment: created" "created https://github.example/acme/app/pull/12#issuecomment-1001" "$(cat "$OUT")"
CTL=http://127.0.0.1:$GH_PORT
ctl GET "/_comments?repo=acme/app&issue=12" >"$T/comments.json"
jq -r '.comments[0].body' "$T/comments.json" >"$T/body.md"
assert_contains "comment: the block" "<details>
<summary>Changed since build ${B}b1 (2026-03-04T10:00:00.000Z)</summary>

The same source (context hash) built fine in build ${B}c1 (2026-03-03T08:00:00.000Z): the failure is likely transient (network, registry, rate limit).

| Package | Tool | Before | After |" "$T/body.md"
assert_contains "comment: the block closes" "- Step added: RUN apt-get update &amp;&amp; apt-get install -y gcc" "$T/body.md"
assert_eq "comment: the diagnosis heads it" "### :x: Build failed: Source build of a package failed" "$(sed -n 2p "$T/body.md")"
CTL=http://127.0.0.1:$PC_PORT

# --from a `fetch` file: its record says which build to compare with
"$BS" fetch -o "$T/f0.json" ${B}f0 2>/dev/null
ch comment --pr 13 --from "$T/f0.json" --changes
assert_rc "comment --from fetch file: exit" 0
assert_eq "comment --from fetch file: the baseline looked up, not the build" \
"list success us-west - 0
list success us-west - 100
/v1/builds/${B}b1
/v1/builds/${B}b1/logs
list success - c0ffee42 0" "$(calls)"
# --from a plain log: no record to look by, said in the comment; no request
ch comment --pr 14 --from $D/failed.log --changes
assert_rc "comment --from plain log: exit" 0
assert_eq "comment --from plain log: no request to the API" "" "$(calls)"
CTL=http://127.0.0.1:$GH_PORT
ctl GET "/_comments?repo=acme/app&issue=13" >"$T/comments.json"
assert_contains "comment --from fetch file: the block" \
	"<summary>Changed since build ${B}b1 (2026-03-04T10:00:00.000Z)</summary>" \
	<(jq -r '.comments[0].body' "$T/comments.json")
ctl GET "/_comments?repo=acme/app&issue=14" >"$T/comments.json"
assert_contains "comment --from plain log: the note" "<summary>Changes</summary>

No build record to find an earlier successful build by: give --baseline BUILD\_ID or FILE" \
	<(jq -r '.comments[0].body' "$T/comments.json")
CTL=http://127.0.0.1:$PC_PORT

# a build that succeeded: its comment is resolved, nothing compared
ch comment --pr 12 --changes ${B}b1
assert_rc "comment, green build: exit" 0
assert_eq "comment, green build: resolved" "resolved https://github.example/acme/app/pull/12#issuecomment-1001" "$(cat "$OUT")"
assert_eq "comment, green build: no look-up" "/v1/builds/${B}b1" "$(calls)"

finish
