#!/usr/bin/env bash
# tests/e2e/test_comment.sh - `buildsleuth comment` against the fake GitHub
# API (tests/fake_github): one comment kept up to date (created once, left
# when the report is the same, edited when it changed, turned into a
# resolved note by a green build and red again by a later failure), other
# users' marker comments never touched, every page of comments read, --collapse-previous,
# 403 and other failures, where the PR number comes from, and the token never
# shown. Checks exit codes, outputs and what the server recorded.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

TOKEN=ghs_e2eToken_5c1d9a77f0
KEY=bs-e2e-comment-Key-31e8
unset GITHUB_EVENT_PATH GITHUB_ACTIONS PIPECAT_CLOUD_API_KEY
export GITHUB_TOKEN=$TOKEN GITHUB_REPOSITORY=acme/app PIPECAT_API_KEY=$KEY NO_COLOR=1
ALL=$T/all-output       # every stdout and stderr, grepped for the secrets at the end
: >"$ALL"
FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002
SUCCESS=6f1c2a3b-0001-4a5b-8c6d-000000000001
LOG1=fixtures/logs/pip-dns-failure.log
LOG2=fixtures/logs/uv-no-solution.log
LOG3=fixtures/logs/exec-format-error.log

start_fake GH tests/fake_github/fake_github.py --token "$TOKEN" --login buildsleuth-bot
start_fake PC tests/fake_api/fake_pipecat.py --key "$KEY"
GH=http://127.0.0.1:$GH_PORT
CTL=$GH # the control helpers of tests/lib.sh talk to the fake GitHub
export GITHUB_API_URL=$GH PIPECAT_API_URL=http://127.0.0.1:$PC_PORT/v1

comments() { ctl GET "/_comments?repo=acme/app&issue=${1:-7}" >"$T/comments.json"; }
cm() { jq_eq "$1" "$2" "$3" "$T/comments.json"; }
# gh ARGS...: run the binary (a hang fails after 30 s), keep its output
gh() { timeout 30 "$BS" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; cat "$OUT" "$ERR" >>"$ALL"; }
gh_stdin() { local f=$1; shift; timeout 30 "$BS" "$@" >"$OUT" 2>"$ERR" <"$f"; RC=$?; cat "$OUT" "$ERR" >>"$ALL"; }

# --- a PR with 204 comments (3 pages of 100): people, and another bot that
# --- copies our marker ---------------------------------------------------------------
python3 - >"$T/seed.json" <<'EOF'
import json
c = []
for i in range(204):
    if i % 50 == 10:
        c.append({"login": "other-bot[bot]", "body": "<!-- buildsleuth:report -->\nnot yours %d" % i})
    else:
        c.append({"login": "dev%d" % (i % 7), "body": "comment %d @someone" % i})
print(json.dumps({"repo": "acme/app", "issue": 7, "comments": c}))
EOF
ctl POST /_seed "$(cat "$T/seed.json")" >/dev/null
comments
cm "seed: 204 comments" '.comments | length' 204
OTHER_IDS=$(jq -c '[.comments[] | select(.user.login == "other-bot[bot]") | .id]' "$T/comments.json")

# --- first run: creates the comment --------------------------------------------------
ctl POST /_reset >/dev/null
gh comment --pr 7 --from $LOG1
assert_rc "create: exit" 0
assert_eq "create: says created and where" "created https://github.example/acme/app/pull/7#issuecomment-1205" "$(cat "$OUT")"
assert_eq "create: stderr empty" "" "$(cat "$ERR")"
requests
rq "create: who am I, three pages, one POST" '[.requests[] | .method + " " + .path + (if .query.page then "?page=" + .query.page else "" end)] | join(", ")' \
	"GET /user, GET /repos/acme/app/issues/7/comments, GET /repos/acme/app/issues/7/comments?page=2, GET /repos/acme/app/issues/7/comments?page=3, POST /repos/acme/app/issues/7/comments"
rq "create: per_page=100 on every page" '[.requests[] | select(.method == "GET" and (.path | endswith("/comments"))) | .query.per_page] | unique | join(",")' 100
rq "create: token accepted on every request" '[.requests[] | .auth_ok] | all' true
rq "create: GitHub's media type and API version" '[.requests[] | .accept + " " + .api_version] | unique | join(",")' \
	"application/vnd.github+json 2022-11-28"
rq "create: JSON body" '[.requests[] | select(.method == "POST") | .content_type] | join(",")' "application/json"
comments
cm "create: 205 comments" '.comments | length' 205
cm "create: ours is by the token's user" '.comments[-1].user.login' buildsleuth-bot
cm "create: ours starts with the marker" '.comments[-1].body | startswith("<!-- buildsleuth:report -->\n### :x: Build failed in phase `BUILD`: pip gave up")' true
analyze_md=$("$BS" analyze --format markdown $LOG1 | sha256sum)
assert_eq "create: the body is the Markdown report" "$analyze_md" "$(jq -j '.comments[-1].body' "$T/comments.json" | sha256sum)"

# --- same report again: nothing posted, nothing edited -------------------------------
gh comment --pr 7 --from $LOG1
assert_rc "same: exit" 0
assert_eq "same: says unchanged" "unchanged https://github.example/acme/app/pull/7#issuecomment-1205" "$(cat "$OUT")"
requests
rq "same twice: exactly one POST" '[.requests[] | select(.method == "POST")] | length' 1
rq "same twice: zero PATCH" '[.requests[] | select(.method == "PATCH")] | length' 0

# --- a different report: one PATCH of our comment ------------------------------------
gh comment --pr 7 --from $LOG2
assert_rc "changed: exit" 0
assert_eq "changed: says updated" "updated https://github.example/acme/app/pull/7#issuecomment-1205" "$(cat "$OUT")"
requests
rq "changed: one PATCH in all" '[.requests[] | select(.method == "PATCH") | .path] | join(",")' "/repos/acme/app/issues/comments/1205"
rq "changed: still one POST in all" '[.requests[] | select(.method == "POST")] | length' 1
comments
cm "changed: still 205 comments" '.comments | length' 205
cm "changed: ours holds the new report" '.comments[-1].body | contains("uv")' true
cm "changed: the other bot's marker comments are untouched" \
	"[.comments[] | select(.id as \$i | $OTHER_IDS | any(. == \$i)) | .body | startswith(\"<!-- buildsleuth:report -->\nnot yours\")] | (all and length == 4)" true
rq "changed: never a PATCH of another user's comment" \
	"[.requests[] | select(.method == \"PATCH\") | .path | split(\"/\")[-1] | tonumber | select(. as \$i | $OTHER_IDS | any(. == \$i))] | length" 0

# --- --collapse-previous keeps the replaced analysis ---------------------------------
gh comment --pr 7 --from $LOG3 --collapse-previous
assert_rc "collapse: exit" 0
assert_eq "collapse: updated" "updated https://github.example/acme/app/pull/7#issuecomment-1205" "$(cat "$OUT")"
comments
jq -j '.comments[-1].body' "$T/comments.json" >"$T/collapsed.md"
assert_contains "collapse: the new report first" "exec format error" "$T/collapsed.md"
assert_contains "collapse: a superseded block" "<summary>Superseded analysis (posted " "$T/collapsed.md"
assert_eq "collapse: the marker once, at the top" "1 <!-- buildsleuth:report -->" \
	"$(grep -c 'buildsleuth:report' "$T/collapsed.md") $(head -1 "$T/collapsed.md")"
assert_eq "collapse: the old analysis is inside it" 1 \
	"$(sed -n '/buildsleuth:superseded/,$p' "$T/collapsed.md" | grep -c 'Build failed in phase `BUILD`: uv explains why no versions fit')"
gh comment --pr 7 --from $LOG3 --collapse-previous
assert_eq "collapse: the same report again is left alone" "unchanged" "$(cut -d' ' -f1 "$OUT")"
requests
rq "collapse: two PATCH in all" '[.requests[] | select(.method == "PATCH")] | length' 2
if command -v cmark-gfm >/dev/null 2>&1; then
	cmark-gfm --unsafe -e table -e autolink -e tagfilter "$T/collapsed.md" >"$T/collapsed.html"
	assert_eq "collapse: balanced <details>" "$(grep -c '<details>' "$T/collapsed.html")" "$(grep -c '</details>' "$T/collapsed.html")"
fi

# --- stdin, a build ID from the Pipecat API, a build with nothing to diagnose ---------
gh_stdin $LOG2 comment --pr 8 --from -
assert_rc "stdin: exit" 0
assert_eq "stdin: created on PR 8" "created" "$(cut -d' ' -f1 "$OUT")"
gh comment --pr 30 --source-dir ./app/ --from fixtures/logs/copy-missing-requirements-buildkit.log
assert_rc "source-dir: exit" 0
comments 30
cm "source-dir: the file to fix, under the build context's folder" \
	'.comments[-1].body | contains("| app/requirements.txt · log line 94 (`BUILD`) x2 |")' true
gh comment --pr 8 $FAILED
assert_rc "build id: exit" 0
assert_eq "build id: updated on PR 8" "updated" "$(cut -d' ' -f1 "$OUT")"
comments 8
cm "build id: the report has the build's errorMessage" \
	'.comments[0].body | contains("Pipecat Cloud said: Docker build failed: COPY failed - file not found: requirements.txt")' true
gh comment --pr 8 --exit-code $FAILED
assert_rc "--exit-code is not comment's (DESIGN: report options): exit 2" 2
cm "build id: the report names the build" \
	'.comments[0].body | contains("\n\nBuild 6f1c2a3b-0002-4a5b-8c6d-000000000002 in ")' true

# --- the comment's lifecycle: red, resolved by a green build, red again ---------------
ctl POST /_reset >/dev/null
gh comment --pr 20 $FAILED
assert_rc "lifecycle: failure: exit" 0
assert_eq "lifecycle: failure: created" "created" "$(cut -d' ' -f1 "$OUT")"
comments 20
cm "lifecycle: failure: one comment" '.comments | length' 1
RED_ID=$(jq '.comments[0].id' "$T/comments.json")
RED_HEADLINE=$(jq -r '.comments[0].body | split("\n")[1] | ltrimstr("### ")' "$T/comments.json")
ctl POST /_reset >/dev/null
gh comment --pr 20 $SUCCESS
assert_rc "lifecycle: success: exit 0" 0
assert_eq "lifecycle: success: says resolved" "resolved https://github.example/acme/app/pull/20#issuecomment-$RED_ID" "$(cat "$OUT")"
requests
rq "lifecycle: success: exactly one PATCH, of that comment" '[.requests[] | select(.method == "PATCH") | .path] | join(",")' "/repos/acme/app/issues/comments/$RED_ID"
rq "lifecycle: success: zero POST" '[.requests[] | select(.method == "POST")] | length' 0
comments 20
cm "lifecycle: success: still one comment" '.comments | length' 1
cm "lifecycle: success: keeps the marker, says resolved" \
	'.comments[0].body | startswith("<!-- buildsleuth:report -->\n### :white_check_mark: Build failure resolved\n")' true
cm "lifecycle: success: names the build that fixed it" \
	'.comments[0].body | contains("Build 6f1c2a3b-0001-4a5b-8c6d-000000000001 in us-west, created 2026-03-02T09:15:03.120Z, succeeded.")' true
cm "lifecycle: success: names the failure it replaces" ".comments[0].body | contains(\"It replaces this failure:\n\n> $RED_HEADLINE\n\")" true
assert_eq "lifecycle: the old headline was a failure's" ":x: Build failed" "${RED_HEADLINE:0:16}"
ctl POST /_reset >/dev/null
gh comment --pr 20 $SUCCESS
assert_eq "lifecycle: success again: unchanged" "unchanged" "$(cut -d' ' -f1 "$OUT")"
requests
rq "lifecycle: success again: nothing written" '[.requests[] | select(.method != "GET")] | length' 0
gh comment --pr 21 $SUCCESS
assert_rc "lifecycle: success, no earlier comment: exit 0" 0
assert_eq "lifecycle: success, no earlier comment: nothing on stdout" "" "$(cat "$OUT")"
assert_stderr "lifecycle: success, no earlier comment: one line" \
	"buildsleuth: build $SUCCESS succeeded: no failure comment on acme/app#21 to resolve; no comment posted"
requests
rq "lifecycle: success, no earlier comment: no request that writes" '[.requests[] | select(.method != "GET")] | length' 0
comments 21
cm "lifecycle: success, no earlier comment: no comment" '.comments | length' 0
ctl POST /_reset >/dev/null
gh comment --pr 20 --collapse-previous $FAILED
assert_rc "lifecycle: failure again: exit" 0
assert_eq "lifecycle: failure again: the same comment updated" "updated https://github.example/acme/app/pull/20#issuecomment-$RED_ID" "$(cat "$OUT")"
requests
rq "lifecycle: failure again: one PATCH, zero POST" '[.requests[] | select(.method != "GET") | .method] | join(",")' "PATCH"
comments 20
cm "lifecycle: failure again: red again" '.comments[0].body | startswith("<!-- buildsleuth:report -->\n### :x: Build failed")' true
cm "lifecycle: failure again: the resolved note is not kept as an analysis" '.comments[0].body | contains("buildsleuth:superseded")' false
ctl POST /_seed '{"repo": "acme/app", "issue": 22, "comments": [{"login": "buildsleuth-bot", "body": "<!-- buildsleuth:report -->\n### :x: Build failed: <img src=x> @admin"}]}' >/dev/null
gh comment --pr 22 $SUCCESS
assert_eq "lifecycle: an edited headline: resolved all the same" "resolved" "$(cut -d' ' -f1 "$OUT")"
comments 22
cm "lifecycle: an edited headline is not quoted" '.comments[0].body | (contains("@admin") or contains("<img"))' false
cm "lifecycle: an edited headline: says so" '.comments[0].body | contains("could not be read back")' true

# --- where the PR number comes from --------------------------------------------------
echo '{"action": "synchronize", "pull_request": {"number": 9}}' >"$T/event.json"
GITHUB_EVENT_PATH=$T/event.json gh comment --from $LOG1
assert_rc "event file: exit" 0
comments 9
cm "event file: posted on PR 9" '.comments | length' 1
echo '{"issue": {"number": 10, "pull_request": {}}}' >"$T/issue-event.json"
GITHUB_EVENT_PATH=$T/issue-event.json gh comment --from $LOG1
comments 10
cm "issue_comment event: posted on PR 10" '.comments | length' 1
echo '{"ref": "refs/heads/main"}' >"$T/push.json"
GITHUB_EVENT_PATH=$T/push.json gh comment --from $LOG1
assert_rc "push event: usage error" 2
assert_contains "push event: says how to name the PR" "no pull request: give --pr N" "$ERR"
echo '{not json' >"$T/bad-event.json"
GITHUB_EVENT_PATH=$T/bad-event.json gh comment --from $LOG1
assert_rc "bad event file: exit 3" 3
gh comment --from $LOG1
assert_rc "no PR at all: exit 2" 2

# --- the token's user is not available (GitHub Actions' own token) -------------------
ctl POST /_mode '{"forbid": "user", "login": "github-actions[bot]"}' >/dev/null
ctl POST /_seed '{"repo": "acme/app", "issue": 11, "comments": [{"login": "buildsleuth-bot", "body": "<!-- buildsleuth:report -->\nby someone else now"}]}' >/dev/null
GITHUB_ACTIONS=true gh comment --pr 11 --from $LOG1
assert_rc "actions token: exit" 0
assert_eq "actions token: created as github-actions[bot]" "created" "$(cut -d' ' -f1 "$OUT")"
GITHUB_ACTIONS=true gh comment --pr 11 --from $LOG1
assert_eq "actions token: found again" "unchanged" "$(cut -d' ' -f1 "$OUT")"
gh comment --pr 11 --from $LOG1
assert_rc "GET /user 403 outside Actions: exit 4" 4
assert_eq "GET /user 403 outside Actions: one line" 1 "$(wc -l <"$ERR")"
assert_stderr "GET /user 403 outside Actions: suggests --author" \
	"buildsleuth: cannot tell which GitHub user the token is: HTTP 403 forbidden: Resource not accessible by integration (give the login its comments are posted as with --author LOGIN)"
gh comment --pr 11 --from $LOG2 --author github-actions[bot]
assert_eq "--author: edits that user's comment" "updated" "$(cut -d' ' -f1 "$OUT")"
comments 11
cm "--author: the other user's marker comment is untouched" '.comments[0].body' "<!-- buildsleuth:report -->
by someone else now"
ctl POST /_mode '{"forbid": "none", "login": "buildsleuth-bot"}' >/dev/null

# --- a token without permission: one clear line, exit 4 ------------------------------
ctl POST /_mode '{"forbid": "write"}' >/dev/null
gh comment --pr 12 --from $LOG1
assert_rc "403: exit 4" 4
assert_eq "403: one line" 1 "$(wc -l <"$ERR")"
assert_stderr "403: says what and why" "buildsleuth: cannot comment on acme/app#12: HTTP 403 forbidden: Resource not accessible by integration (the token needs write access to pull requests: in GitHub Actions, 'permissions: pull-requests: write', or 'issues: write' for an issue)"
assert_eq "403: nothing on stdout" "" "$(cat "$OUT")"
ctl POST /_mode '{"forbid": "all"}' >/dev/null
gh comment --pr 12 --from $LOG1 --author x
assert_rc "403 on listing: exit 4" 4
assert_stderr "403 on listing: names it" "buildsleuth: cannot list the comments on acme/app#12: HTTP 403 forbidden: Resource not accessible by integration (the token may not read the pull request: in GitHub Actions, 'permissions: pull-requests: read', or 'issues: read' for an issue)"
ctl POST /_mode '{"forbid": "none"}' >/dev/null

# --- failures: a POST is never sent twice, a PATCH is retried -------------------------
ctl POST /_reset >/dev/null
ctl POST /_mode '{"fail": {"method": "POST", "status": 502, "times": 1}}' >/dev/null
gh comment --pr 13 --from $LOG1 --retries 3
assert_rc "POST 502: exit 4" 4
assert_stderr "POST 502: says what failed" "buildsleuth: cannot comment on acme/app#13: HTTP 502 bad gateway: Server Error (the server failed: try again later)"
requests
rq "POST 502: sent once, not retried" '[.requests[] | select(.method == "POST")] | length' 1
ctl POST /_mode '{"fail": {"method": "PATCH", "status": 502, "times": 1}}' >/dev/null
gh comment --pr 7 --from $LOG1 --retries 3
assert_rc "PATCH 502 once: retried, exit 0" 0
assert_eq "PATCH 502 once: a retry warning" "buildsleuth: warning: cannot update comment 1205 on acme/app#7: HTTP 502 bad gateway: Server Error; retry 1 of 3 in S s" \
	"$(sed 's/ in [0-9.]* s$/ in S s/' "$ERR")"
requests
rq "PATCH 502 once: two PATCH" '[.requests[] | select(.method == "PATCH") | .status] | map(tostring) | join(",")' "502,200"
ctl POST /_mode '{"fail": {"method": "GET", "status": 401, "times": 1}}' >/dev/null
gh comment --pr 7 --from $LOG1
assert_rc "401: exit 4" 4
assert_stderr "401: the token" "buildsleuth: cannot tell which GitHub user the token is: HTTP 401 unauthorized: Server Error (GitHub refused the token: check GITHUB_TOKEN)"
GITHUB_TOKEN=ghs_wrong gh comment --pr 7 --from $LOG1 --author x
assert_rc "bad token: exit 4" 4
assert_stderr "bad token: says so" "buildsleuth: cannot list the comments on acme/app#7: HTTP 401 unauthorized: Bad credentials (GitHub refused the token: check GITHUB_TOKEN)"
ctl POST /_mode '{"fail": {"method": "POST", "status": 404, "times": 1}}' >/dev/null
gh comment --pr 14 --from $LOG1 --author x
assert_rc "POST 404: exit 4" 4
assert_stderr "POST 404: repository or pull request" "buildsleuth: cannot comment on acme/app#14: HTTP 404 not found: Server Error (repository or pull request not found: check GITHUB_REPOSITORY, the pull request number, and that the token can see the repository)"
ctl POST /_mode '{"fail": {"method": "POST", "status": 422, "times": 1}}' >/dev/null
gh comment --pr 14 --from $LOG1 --author x
assert_rc "POST 422: exit 4" 4
assert_stderr "POST 422: validation" "buildsleuth: cannot comment on acme/app#14: HTTP 422 unprocessable content: Server Error (validation failed: GitHub refused the request as sent)"
ctl POST /_mode '{"fail": {"method": "PATCH", "status": 404, "times": 1}}' >/dev/null
gh comment --pr 7 --from $LOG2 --retries 0
assert_rc "PATCH 404: exit 4" 4
assert_stderr "PATCH 404: the comment is gone" "buildsleuth: cannot update comment 1205 on acme/app#7: HTTP 404 not found: Server Error (the comment is gone: run again to post a new one)"
ctl POST /_mode '{"fail": {"method": "GET", "status": 429, "times": 5}}' >/dev/null
gh comment --pr 7 --from $LOG1 --author x --retries 0
assert_rc "429: exit 4" 4
assert_stderr "429: rate limited" "buildsleuth: cannot list the comments on acme/app#7: HTTP 429 too many requests: Server Error (rate limited: try again later)"
ctl POST /_reset?all=1 >/dev/null
gh comment --pr 7 --from $LOG1 --author x --retries 0 >/dev/null
GITHUB_API_URL=http://127.0.0.1:1 gh comment --pr 7 --from $LOG1 --author x --retries 0
assert_rc "refused: exit 4" 4
assert_stderr "refused: names the host and the setting" "buildsleuth: cannot list the comments on acme/app#7: cannot connect to 127.0.0.1:1 (connection refused) (check GITHUB_API_URL)"

# --- settings ------------------------------------------------------------------------
GITHUB_TOKEN= gh comment --pr 7 --from $LOG1
assert_rc "no token: exit 2" 2
assert_contains "no token: says so" "GITHUB_TOKEN is not set" "$ERR"
GITHUB_REPOSITORY=acme gh comment --pr 7 --from $LOG1
assert_rc "bad repository: exit 2" 2
GITHUB_API_URL=http://github.example gh comment --pr 7 --from $LOG1
assert_rc "plain http to another host: exit 2" 2
assert_contains "plain http: names the variable" "GITHUB_API_URL: plain http://" "$ERR"
gh comment --pr 7 --from $LOG1 $FAILED
assert_rc "--from and a BUILD_ID: exit 2" 2
gh comment --pr 7
assert_rc "neither --from nor a BUILD_ID: exit 2" 2
gh comment --pr 7 --format json --from $LOG1
assert_rc "--format json: exit 2" 2
gh comment --pr 0 --from $LOG1
assert_rc "--pr 0: exit 2" 2
gh comment --pr 7 --from /nonexistent.log
assert_rc "missing --from file: exit 3" 3
gh comment --pr 7 --token "$TOKEN" --from $LOG1
assert_rc "--token refused" 2
gh comment --help
assert_rc "--help: exit 0" 0
assert_contains "--help: documents --collapse-previous" "--collapse-previous" "$OUT"

# --- the secrets never show -----------------------------------------------------------
gh comment -v --pr 7 --from $LOG2
assert_rc "-v: exit" 0
assert_contains "-v: logs each request" "buildsleuth: GET $GH/repos/acme/app/issues/7/comments?per_page=100: 200" "$ERR"
assert_not_contains "the GitHub token is never printed" "$TOKEN" "$ALL"
assert_not_contains "nor part of it" "${TOKEN:4:12}" "$ALL"
assert_not_contains "the Pipecat key is never printed" "$KEY" "$ALL"
requests
assert_not_contains "the fake server never saw the token in a URL" "$TOKEN" "$T/req.json"

finish
