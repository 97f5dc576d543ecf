#!/usr/bin/env bash
# tests/e2e/test_action.sh - the GitHub Action (action.yml, scripts/action.sh)
# end to end against the fake Pipecat API and the fake GitHub, with fake
# GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_EVENT_PATH: the build given
# or found by --latest is fetched once; the annotations, the job summary,
# the outputs and the comment all speak of it; the comment is created once,
# left alone, updated, and resolved by a green build; nothing to report is
# a warning and exit 0; bad inputs; no secret in any output or argv; and
# action.yml's inputs and outputs are what the script reads and writes.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
ACTION=$PWD/scripts/action.sh

KEY=bs-e2e-action-Key-9d2e71
TOKEN=ghs_e2eAction_4b8c0f3a
unset PIPECAT_CLOUD_API_KEY GITHUB_ACTIONS INPUT_BUILD_ID INPUT_DOCKERFILE INPUT_REGION \
	INPUT_SINCE INPUT_SOURCE_DIR INPUT_COMMENT INPUT_WAIT
export PIPECAT_API_KEY=$KEY GITHUB_TOKEN=$TOKEN GITHUB_REPOSITORY=acme/app NO_COLOR=1
FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002   # bundled: COPY requirements.txt, not found
PARSE=6f1c2a3b-0006-4a5b-8c6d-000000000006    # bundled: Dockerfile line 4, RUNN
SUCCESS=6f1c2a3b-0001-4a5b-8c6d-000000000001  # bundled: green
B=7c000000-0000-4000-8000-0000000000
ALL=$T/all-output       # everything written, grepped for the secrets at the end
: >"$ALL"

# the binary through a wrapper that keeps every argv, to look for secrets in
echo "#!/bin/sh
printf '%s\n' \"\$*\" >>'$T/argv.log'
exec '$BS' \"\$@\"" >"$T/buildsleuth"
chmod +x "$T/buildsleuth"
export BUILDSLEUTH=$T/buildsleuth

# --- builds beside the bundled ones: region ci (a failed one, then a green one), a
# --- build still building, in region wait ---------------------------------------------
mkdir -p "$T/builds"
python3 - "$T/builds" tests/fake_api/builds/$PARSE.log <<'EOF'
import json, sys
d, parse_log = sys.argv[1], open(sys.argv[2]).read().split("\n")[:-1]
pip = [
    "[Container] 2026/03/05 08:00:00.000001 Entering phase BUILD",
    "#4 [3/3] RUN pip install -r requirements.txt",
    "#4 2.102 ERROR: No matching distribution found for cloud-init==20.4",
    "#4 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1",
    "[Container] 2026/03/05 08:00:03.000000 Phase complete: BUILD State: FAILED",
]
def put(n, status, region, created, logs, dockerfile="Dockerfile", **extra):
    bid = "7c000000-0000-4000-8000-0000000000" + n
    doc = {"build": {"id": bid, "status": status, "region": region, "dockerfilePath": dockerfile,
                     "createdAt": created}, "logs": logs}
    doc.update(extra)
    json.dump(doc, open("%s/%s.json" % (d, bid), "w"))
put("01", "success", "ci", "2026-03-05T10:00:00.000Z", ["#9 naming to docker.io/library/app done"])
put("02", "failed", "ci", "2026-03-05T09:00:00.000Z", parse_log, "bot/Dockerfile")
put("03", "building", "wait", "2026-03-05T08:00:00.000Z", pip, full_when_done=True, window=0,
    script=[{"status": "building", "log_lines": 1}, {"status": "failed"}])
EOF
start_fake PC tests/fake_api/fake_pipecat.py --key "$KEY" --data tests/fake_api/builds --data "$T/builds"
start_fake GH tests/fake_github/fake_github.py --token "$TOKEN" --login buildsleuth-bot
PC=http://127.0.0.1:$PC_PORT
GH=http://127.0.0.1:$GH_PORT
export PIPECAT_API_URL=$PC/v1 GITHUB_API_URL=$GH

# event FILE-NAME PR: a pull_request event for PR (0: a push)
event() {
	if [ "$2" = 0 ]; then
		echo '{"ref": "refs/heads/main"}' >"$T/$1"
		GITHUB_EVENT_NAME=push
	else
		echo "{\"action\": \"synchronize\", \"pull_request\": {\"number\": $2}}" >"$T/$1"
		GITHUB_EVENT_NAME=pull_request
	fi
	export GITHUB_EVENT_PATH=$T/$1 GITHUB_EVENT_NAME
}
# act VAR=VALUE...: run the script with these inputs, fresh GITHUB_OUTPUT and
# GITHUB_STEP_SUMMARY, after forgetting both servers' requests; the outputs
# are then parsed into $T/outputs.json (GitHub's NAME<<DELIMITER form only)
act() {
	python3 -c 'import sys, urllib.request as u
for url in sys.argv[1:]: u.urlopen(u.Request(url + "/_reset", method="POST"), timeout=30).read()' "$PC" "$GH"
	mkdir -p "$T/runner"
	: >"$T/github_output"
	: >"$T/summary.md"
	env RUNNER_TEMP="$T/runner" GITHUB_OUTPUT="$T/github_output" GITHUB_STEP_SUMMARY="$T/summary.md" "$@" \
		timeout $((60 * ${TIME_FACTOR:-1})) bash "$ACTION" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	[ -n "${ACT_TIMES:-}" ] && echo "$(date +%s.%N | cut -c1-14) act $*" >&2
	cat "$OUT" "$ERR" "$T/github_output" "$T/summary.md" >>"$ALL"
	python3 - "$T/github_output" >"$T/outputs.json" <<'EOF'
import json, re, sys
text, out, i = open(sys.argv[1]).read().split("\n"), {}, 0
while i < len(text) - 1:
    m = re.fullmatch(r"([a-z-]+)<<(buildsleuth_[0-9a-f]{24})", text[i])
    if not m:
        sys.exit("not an output line: %r" % text[i])
    end = text.index(m.group(2), i + 1)
    out[m.group(1)] = "\n".join(text[i + 1:end])
    i = end + 1
print(json.dumps(out))
EOF
}
out_eq() { jq_eq "$1" "$2" "$3" "$T/outputs.json"; }
comments() { CTL=$GH ctl GET "/_comments?repo=acme/app&issue=$1" >"$T/comments.json"; jq -r '.comments[].body' "$T/comments.json" >>"$ALL"; }
cm() { jq_eq "$1" "$2" "$3" "$T/comments.json"; }
pc_requests() { CTL=$PC ctl GET /_requests | jq -r '[.requests[] | .path + (if .query.status then "?status=" + .query.status else "" end)] | join(" ")'; }
gh_writes() { CTL=$GH ctl GET /_requests | jq -r '[.requests[] | select(.method != "GET") | .method + " " + .path] | join(", ")'; }

# --- a failed build, by ID, on a pull request: annotations, summary, outputs, one comment ----
event pr7.json 7
act INPUT_BUILD_ID=$FAILED
assert_rc "failed build: exit 0" 0
assert_eq "failed build: the build record and its logs, fetched once" \
	"/v1/builds/$FAILED /v1/builds/$FAILED/logs" "$(pc_requests)"
"$BS" diagnose --format github "$FAILED" >"$T/expected-annotations" 2>/dev/null
echo "created https://github.example/acme/app/pull/7#issuecomment-1001" >>"$T/expected-annotations"
assert_same_file "failed build: stdout is the annotations of diagnose --format github, then the comment's URL" \
	"$T/expected-annotations" "$OUT"
want="::error file=requirements.txt,title=COPY/ADD source not found in the build context (build-context)::COPY/ADD could not find /requirements.txt in the build context (build log line 37, phase BUILD)%0AThe build failed at step 3/5: \`COPY requirements.txt .\`%0AFix: "
got=$(grep '^::error' "$OUT")
assert_eq "failed build: the error annotation is on requirements.txt" "$want" "${got:0:${#want}}"
assert_eq "failed build: stderr empty" "" "$(cat "$ERR")"
out_eq "failed build: the outputs" '[.["build-id"], .outcome, .category, .rule, .summary] | join("|")' \
	"$FAILED|failed|build-context|docker.copy-source-missing|COPY/ADD could not find /requirements.txt in the build context"
out_eq "failed build: the outputs, in the order written" 'keys_unsorted | join(",")' \
	"build-id,outcome,category,rule,summary,report-json"
WRITTEN=$(jq -r 'keys | join(",")' "$T/outputs.json")
REPORT=$(jq -r '.["report-json"]' "$T/outputs.json")
case $REPORT in
"$T"/runner/buildsleuth.*/report.json) pass "failed build: report-json is in RUNNER_TEMP" ;;
*) fail "failed build: report-json is in RUNNER_TEMP: $REPORT" ;;
esac
jq_eq "failed build: report-json is the JSON report of that build" \
	'.schema + " " + .build.id + " " + .diagnoses[0].rule' "buildsleuth.report/v1 $FAILED docker.copy-source-missing" "$REPORT"
cat "$REPORT" >>"$ALL"
{ "$BS" diagnose --format markdown "$FAILED" 2>/dev/null; echo; } >"$T/expected-summary.md"
assert_same_file "failed build: the job summary is the Markdown report" "$T/expected-summary.md" "$T/summary.md"
assert_eq "failed build: one comment created" "POST /repos/acme/app/issues/7/comments" "$(gh_writes)"
comments 7
cm "failed build: the comment is the Markdown report, collapsed form" \
	'.comments[0].body | startswith("<!-- buildsleuth:report -->\n### :x: Build failed in phase `BUILD`: COPY/ADD source not found")' true
cm "failed build: the comment names the build" \
	".comments[0].body | contains(\"Build $FAILED in us-west, created 2026-03-03T14:02:41.530Z.\")" true

# --- the same build again: the comment is left alone --------------------------------------
act INPUT_BUILD_ID=$FAILED
assert_rc "same build again: exit 0" 0
assert_eq "same build again: unchanged" "unchanged https://github.example/acme/app/pull/7#issuecomment-1001" "$(tail -1 "$OUT")"
assert_eq "same build again: nothing written to GitHub" "" "$(gh_writes)"

# --- another failure: the same comment updated; annotations on file and line in source-dir ----
act INPUT_BUILD_ID=$PARSE INPUT_SOURCE_DIR=app
assert_rc "another failure: exit 0" 0
assert_eq "another failure: the annotation is on app/Dockerfile, line 4" \
	"::error file=app/Dockerfile,line=4,title=Unknown Dockerfile instruction (dockerfile)::" \
	"$(grep '^::error' "$OUT" | sed 's/\(::error [^:]*::\).*/\1/')"
assert_eq "another failure: updated" "updated https://github.example/acme/app/pull/7#issuecomment-1001" "$(tail -1 "$OUT")"
assert_eq "another failure: one PATCH of that comment" "PATCH /repos/acme/app/issues/comments/1001" "$(gh_writes)"
out_eq "another failure: the outputs" '[.["build-id"], .outcome, .category, .rule] | join("|")' \
	"$PARSE|failed|dockerfile|docker.unknown-instruction"
comments 7
cm "another failure: still one comment" '.comments | length' 1
cm "another failure: the previous analysis collapsed in it" '.comments[0].body | contains("<summary>Superseded analysis (posted ")' true

# --- a green build: the comment is resolved, nothing annotated ----------------------------
act INPUT_BUILD_ID=$SUCCESS
assert_rc "green build: exit 0" 0
assert_eq "green build: stdout is the resolved URL alone" "resolved https://github.example/acme/app/pull/7#issuecomment-1001" "$(cat "$OUT")"
out_eq "green build: the outputs" '[.["build-id"], .outcome, .category, .rule, .summary] | join("|")' "$SUCCESS|success|||"
assert_contains "green build: the summary says so" "### :white_check_mark: No failure found" "$T/summary.md"
assert_eq "green build: one PATCH" "PATCH /repos/acme/app/issues/comments/1001" "$(gh_writes)"
comments 7
cm "green build: the comment says resolved, by which build" \
	".comments[0].body | startswith(\"<!-- buildsleuth:report -->\n### :white_check_mark: Build failure resolved\n\") and contains(\"Build $SUCCESS in us-west\")" true

# --- no build ID: --latest, the newest finished build matching the filters --------------------
event pr30.json 30
act INPUT_REGION=ci INPUT_DOCKERFILE=bot/Dockerfile INPUT_SINCE=2026-03-05T00:00:00Z
assert_rc "latest: exit 0" 0
assert_eq "latest: the choice said on stderr" \
	"buildsleuth: build ${B}02: newest success, failed or timeout build in ci with dockerfile bot/Dockerfile since 2026-03-05T00:00:00Z" \
	"$(cat "$ERR")"
assert_eq "latest: one listing per finished status, then that build and its logs" \
	"/v1/builds?status=success /v1/builds?status=failed /v1/builds?status=timeout /v1/builds/${B}02 /v1/builds/${B}02/logs" \
	"$(pc_requests)"
rq_region=$(CTL=$PC ctl GET /_requests | jq -r '[.requests[] | select(.path == "/v1/builds") | .query.region] | unique | join(",")')
assert_eq "latest: the region sent to the API" ci "$rq_region"
out_eq "latest: the outputs" '[.["build-id"], .outcome, .rule] | join("|")' "${B}02|failed|docker.unknown-instruction"
assert_eq "latest: annotated on line 4 of the build's dockerfilePath" "::error file=bot/Dockerfile,line=4," \
	"$(grep -o '^::error file=[^,]*,line=[0-9]*,' "$OUT")"
assert_eq "latest: a comment created on PR 30" "created https://github.example/acme/app/pull/30#issuecomment-1002" "$(tail -1 "$OUT")"
# the green build that followed: the newest finished one in region ci
act INPUT_REGION=ci
assert_rc "latest green: exit 0" 0
assert_eq "latest green: the choice" "buildsleuth: build ${B}01: newest success, failed or timeout build in ci" "$(cat "$ERR")"
assert_eq "latest green: resolved" "resolved https://github.example/acme/app/pull/30#issuecomment-1002" "$(cat "$OUT")"
out_eq "latest green: outcome" .outcome success
comments 30
cm "latest green: the resolving note names the green build" \
	".comments[0].body | contains(\"Build ${B}01 in ci, created 2026-03-05T10:00:00.000Z, succeeded.\")" true

# --- nothing to report: a warning, exit 0 -------------------------------------------------
act INPUT_REGION=ci INPUT_DOCKERFILE=bot/Dockerfile INPUT_SINCE=2026-03-05T09:30:00Z
assert_rc "no match: exit 0" 0
assert_eq "no match: a warning annotation" \
	"::warning title=buildsleuth::no build matches: status success, failed or timeout, region ci, dockerfile bot/Dockerfile, since 2026-03-05T09:30:00Z: nothing to diagnose" \
	"$(cat "$OUT")"
assert_eq "no match: buildsleuth's message on stderr" \
	"buildsleuth: no build matches: status success, failed or timeout, region ci, dockerfile bot/Dockerfile, since 2026-03-05T09:30:00Z" "$(cat "$ERR")"
assert_eq "no match: no output" "" "$(cat "$T/github_output")"
assert_eq "no match: no summary" "" "$(cat "$T/summary.md")"
assert_eq "no match: nothing to GitHub" "" "$(gh_writes)"
act INPUT_REGION='us%0A::error::x'
assert_rc "no match, a region with an escape: exit 0" 0
assert_eq "no match, a region with an escape: one warning, escaped" \
	"::warning title=buildsleuth::no build matches: status success, failed or timeout, region us%250A::error::x: nothing to diagnose" \
	"$(cat "$OUT")"
CTL=$PC ctl POST '/_reset?scripts=1' >/dev/null
act INPUT_BUILD_ID=${B}03
assert_rc "still building: exit 0" 0
assert_eq "still building: a warning annotation" \
	"::warning title=buildsleuth::build ${B}03 is still building: nothing to diagnose yet (the input 'wait: true' waits for it to end)" \
	"$(cat "$OUT")"
out_eq "still building: the outputs" '[.["build-id"], .outcome] | join("|") + " " + (keys | length | tostring)' "${B}03|running 2"
assert_eq "still building: nothing to GitHub" "" "$(gh_writes)"

# --- wait: true: --latest may choose a building build and waits for its end ------------------
CTL=$PC ctl POST '/_reset?scripts=1' >/dev/null
act INPUT_REGION=wait INPUT_WAIT=true INPUT_COMMENT=false
assert_rc "wait: exit 0" 0
assert_contains "wait: the building build chosen" \
	"buildsleuth: build ${B}03: newest success, failed, timeout, pending or building build in wait" "$ERR"
assert_contains "wait: waited for it" "build ${B}03 is building; checking again" "$ERR"
out_eq "wait: diagnosed once it failed" '[.outcome, .rule, .summary] | join("|")' \
	"failed|pip.no-matching-distribution|$(jq -r '.diagnoses[0].summary' "$(jq -r '.["report-json"]' "$T/outputs.json")")"
jq_eq "wait: the summary names the requirement" '.summary | contains("cloud-init==20.4")' true "$T/outputs.json"
assert_eq "wait: comment false: nothing to GitHub" "[]" "$(CTL=$GH ctl GET /_requests | jq -c .requests)"

# --- when a comment is posted -------------------------------------------------------------
event push.json 0
act INPUT_BUILD_ID=$FAILED
assert_rc "push event: exit 0" 0
assert_eq "push event: annotations, no comment" "$(grep -c '' "$T/expected-annotations")" "$(( $(grep -c '' "$OUT") + 1 ))"
assert_eq "push event: no GitHub request at all" "[]" "$(CTL=$GH ctl GET /_requests | jq -c .requests)"
event pr8.json 8
act INPUT_BUILD_ID=$FAILED INPUT_COMMENT=false
assert_eq "comment false on a pull request: no GitHub request" "[]" "$(CTL=$GH ctl GET /_requests | jq -c .requests)"
act INPUT_BUILD_ID=$FAILED INPUT_COMMENT=true GITHUB_EVENT_NAME=pull_request_target
assert_eq "pull_request_target: commented" "created" "$(tail -1 "$OUT" | cut -d' ' -f1)"

# --- failures ---------------------------------------------------------------------------
act INPUT_BUILD_ID=$FAILED INPUT_COMMENT=maybe
assert_rc "bad comment input: exit 2" 2
assert_stderr "bad comment input: the message" "buildsleuth: action: the input 'comment' takes true, false or auto, not 'maybe'"
act INPUT_BUILD_ID=$FAILED INPUT_WAIT=yes
assert_rc "bad wait input: exit 2" 2
assert_stderr "bad wait input: the message" "buildsleuth: action: the input 'wait' takes true or false, not 'yes'"
act INPUT_BUILD_ID=not-a-build
assert_rc "malformed build ID: exit 3" 3
assert_eq "malformed build ID: no request" "" "$(pc_requests)"
act INPUT_BUILD_ID=$FAILED PIPECAT_API_KEY=
assert_rc "no API key: exit 2" 2
assert_contains "no API key: says so" "buildsleuth: no API key: set PIPECAT_API_KEY" "$ERR"
act INPUT_BUILD_ID=$FAILED PIPECAT_API_KEY=bs-wrong-key-1234
assert_rc "a wrong API key: exit 4" 4
assert_contains "a wrong API key: HTTP 401" "HTTP 401" "$ERR"
assert_eq "a wrong API key: no output" "" "$(cat "$T/github_output")"
event pr12.json 12
CTL=$GH ctl POST /_mode '{"forbid": "write"}' >/dev/null
act INPUT_BUILD_ID=$FAILED
assert_rc "the comment refused: exit 4" 4
assert_contains "the comment refused: says why" "buildsleuth: cannot comment on acme/app#12: HTTP 403 forbidden: Resource not accessible by integration (the token needs write access to pull requests: in GitHub Actions, 'permissions: pull-requests: write', or 'issues: write' for an issue)" "$ERR"
out_eq "the comment refused: the outputs were written first" .rule docker.copy-source-missing
assert_eq "the comment refused: the annotations too" 1 "$(grep -c '^::error file=requirements.txt' "$OUT")"
CTL=$GH ctl POST /_mode '{"forbid": "none"}' >/dev/null

# --- action.yml: its inputs and outputs are what the script reads and writes ------------------
if yq . action.yml >"$T/action.json" 2>"$ERR"; then pass "action.yml parses"; else fail "action.yml: $(head -c 300 "$ERR")"; fi
A=$T/action.json
jq_eq "action.yml: a composite action" .runs.using composite "$A"
jq_eq "action.yml: name and description" '(.name | length > 0) and (.description | length > 0)' true "$A"
jq_eq "action.yml: the inputs" '.inputs | keys_unsorted | join(",")' \
	"build-id,dockerfile,region,since,source-dir,comment,wait,api-key,github-token" "$A"
jq_eq "action.yml: only api-key is required" '[.inputs | to_entries[] | select(.value.required) | .key] | join(",")' api-key "$A"
jq_eq "action.yml: comment defaults to auto, wait to false" '.inputs.comment.default + "," + .inputs.wait.default' auto,false "$A"
jq_eq "action.yml: the github-token default is the job's token" '.inputs["github-token"].default' '${{ github.token }}' "$A"
jq_eq "action.yml: every output is the script step's" \
	'[.outputs | to_entries[] | .value.value == "${{ steps.diagnose.outputs.\(.key) }}"] | all' true "$A"
jq_eq "action.yml: its outputs are those the script wrote for a failed build" '.outputs | keys | join(",")' \
	"$WRITTEN" "$A"
jq -r '.runs.steps[] | select(.id == "diagnose") | .env | to_entries[] | "\(.key)=\(.value)"' "$A" >"$T/env.txt"
expected_env=$(jq -r '.inputs | keys_unsorted[] |
	(if . == "api-key" then "PIPECAT_API_KEY" elif . == "github-token" then "GITHUB_TOKEN"
	 else "INPUT_" + (ascii_upcase | gsub("-"; "_")) end) + "=${{ inputs.\(.) }}"' "$A" | sort)
assert_eq "action.yml: each input reaches the script by environment, under its name" \
	"$expected_env" "$(grep -v '^BUILDSLEUTH=' "$T/env.txt" | sort)"
assert_eq "action.yml: the script reads exactly those INPUT_ variables" \
	"$(grep '^INPUT_' "$T/env.txt" | cut -d= -f1 | sort -u)" "$(grep -o 'INPUT_[A-Z_]*' "$ACTION" | sort -u)"
jq_eq "action.yml: inputs appear in no run script (secrets only by environment)" \
	'[.runs.steps[] | .run? // "" | test("inputs\\.|secrets\\.")] | any' false "$A"
jq_eq "action.yml: the run steps only call the scripts" \
	'[.runs.steps[] | select(.run) | .run | test("^\"\\$GITHUB_ACTION_PATH/scripts/action(-build)?\\.sh\"( key| build)?$")] | all' true "$A"
jq_eq "action.yml: the build is cached, keyed on the sources' digest" \
	'[.runs.steps[] | select(.uses? // "" | startswith("actions/cache@")) | .with.key] | join(",")' \
	'${{ steps.key.outputs.key }}' "$A"
jq_eq "action.yml: every run step names its shell" '[.runs.steps[] | select(.run) | .shell == "bash"] | all' true "$A"
# the key: OS, architecture, image and a digest of what the binary is built from
GITHUB_OUTPUT= RUNNER_OS=Linux RUNNER_ARCH=X64 ImageOS=ubuntu24 RUNNER_TOOL_CACHE=$T/tools \
	bash scripts/action-build.sh key >"$T/key.txt"
assert_eq "action-build.sh key: dir and key" \
	"dir=$T/tools/buildsleuth/D key=buildsleuth-Linux-X64-ubuntu24-D" \
	"$(sed 's/[0-9a-f]\{16\}$/D/' "$T/key.txt" | paste -sd' ')"
mkdir -p "$T/tools/cached" && cp "$BS" "$T/tools/cached/buildsleuth"
DIR=$T/tools/cached bash scripts/action-build.sh build >"$OUT" 2>"$ERR"
RC=$?
assert_rc "action-build.sh build: a cached binary is used as it is" 0
assert_eq "action-build.sh build: says so" "buildsleuth: $("$BS" --version) from the cache ($T/tools/cached)" "$(cat "$OUT")"

# --- the secrets never show -------------------------------------------------------------
assert_not_contains "the API key is in no output" "$KEY" "$ALL"
assert_not_contains "the GitHub token is in no output" "$TOKEN" "$ALL"
assert_not_contains "the API key is in no argv" "$KEY" "$T/argv.log"
assert_not_contains "the GitHub token is in no argv" "$TOKEN" "$T/argv.log"
assert_eq "the wrapper saw the runs" 1 "$(( $(grep -c '' "$T/argv.log") > 20 ))"
assert_eq "the script never expands the secrets" "" "$(grep -nE '\$\{?(PIPECAT_API_KEY|PIPECAT_CLOUD_API_KEY|GITHUB_TOKEN)' "$ACTION")"

finish
