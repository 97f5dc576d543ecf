#!/usr/bin/env bash
# tests/e2e/test_ci_docs.sh - the ready-to-copy CI files in docs/ci: the YAML
# parses (yq), the jobs have the shape GitHub Actions and GitLab CI expect
# (the workflows run this repository's action after Pipecat's deploy action,
# with inputs that action.yml has), every shell script in them passes
# `bash -n`, and every `buildsleuth` command and option they use exists
# (`buildsleuth CMD --help`).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
GHA=docs/ci/github-actions.yml
GHF=docs/ci/github-actions-on-failure.yml
GLC=docs/ci/gitlab-ci.yml

if ! command -v yq >/dev/null 2>&1; then
	fail "yq is not installed (rm -f build/.test-deps && make test-deps installs it)"
	finish
	exit 1
fi

# --- the YAML parses ---------------------------------------------------------------
for f in $GHA $GHF $GLC action.yml; do
	if yq . "$f" >"$T/$(basename "$f").json" 2>"$ERR"; then
		pass "$f parses"
	else
		fail "$f does not parse: $(head -c 300 "$ERR")"
	fi
done
G=$T/gitlab-ci.yml.json
ACTION=$T/action.yml.json
# jq_action NAME FILTER EXPECTED FILE: jq_eq with action.yml as $a[0]
jq_action() {
	assert_eq "$1" "$3" "$(jq -r --slurpfile a "$ACTION" "$2" "$4" 2>&1)"
}

# --- GitHub Actions: both workflows' shape ---------------------------------------------
# the buildsleuth step: the one that uses this repository's action
BSTEP='[.jobs[].steps[] | select(.uses? // "" | test("/buildsleuth@"))]'
for f in $GHA $GHF; do
	J=$T/$(basename "$f").json
	n=$(basename "$f" .yml)
	jq_eq "$n: runs on push to main and on pull requests" '[.on | keys[]] | sort | join(",")' "pull_request,push" $J
	jq_eq "$n: may write pull-request comments" '.permissions["pull-requests"]' write $J
	jq_eq "$n: every step uses an action or runs a script" '[.jobs[].steps[] | has("uses") != has("run")] | all' true $J
	jq_eq "$n: deploys with Pipecat's action and a cloud build" \
		'[.jobs[].steps[] | select(.uses? // "" | startswith("daily-co/pipecat-cloud-deploy-action@")) | .with["cloud-build"]] | map(tostring) | join(",")' true $J
	jq_eq "$n: the deploy step has an id to test" '[.jobs[].steps[] | select(.uses? // "" | startswith("daily-co/")) | .id] | join(",")' deploy $J
	jq_eq "$n: one buildsleuth step, after the deploy" \
		'[.jobs[].steps | (map(.id == "deploy") | index(true)) as $d | (map(.uses? // "" | test("/buildsleuth@")) | indices(true)) | map(. > $d)] | flatten | map(tostring) | join(",")' true $J
	jq_action "$n: every input given to it is one of action.yml's" \
		"$BSTEP | .[0].with | keys - (\$a[0].inputs | keys) | join(\",\")" "" $J
	jq_eq "$n: the API key comes from a secret" "$BSTEP | .[0].with[\"api-key\"]" '${{ secrets.PCC_API_KEY }}' $J
	jq_eq "$n: without a build ID, builds since the job started" "$BSTEP | .[0].with.since" '${{ steps.start.outputs.time }}' $J
	jq_eq "$n: the start time is noted before the deploy" \
		'[.jobs[].steps | (map(.id == "start") | index(true)) < (map(.id == "deploy") | index(true))] | all' true $J
	jq_eq "$n: no clone, no guessing the build with curl" '[.jobs[].steps[].run? // "" | test("git clone|/builds\\?")] | any' false $J
	jq_eq "$n: no secret on a command line" '[.jobs[].steps[].run? // "" | test("secrets\\.")] | any' false $J
done
J=$T/github-actions.yml.json
jq_eq "github-actions: the buildsleuth step runs whatever the deploy did" "$BSTEP | .[0].if" "always()" $J
jq_eq "github-actions: the deploy action's build-id when it set one" "$BSTEP | .[0].with[\"build-id\"]" \
	'${{ steps.deploy.outputs.build-id }}' $J
J=$T/github-actions-on-failure.yml.json
jq_eq "on-failure: the buildsleuth step runs only after a failed deploy" "$BSTEP | .[0].if" \
	"failure() && steps.deploy.outcome == 'failure'" $J
jq_action "on-failure: a later step reads only the outputs action.yml has" \
	"[.jobs[].steps[] | .env? // {} | .[] | scan(\"steps\\\\.why\\\\.outputs\\\\.([a-z-]+)\") | .[0]] - (\$a[0].outputs | keys) | join(\",\")" "" $J
jq_action "on-failure: and that step reads some" \
	"[.jobs[].steps[] | .env? // {} | .[] | scan(\"steps\\\\.why\\\\.outputs\\\\.([a-z-]+)\") | .[0]] | join(\",\")" "category,summary" $J

# --- GitLab CI: the job's shape -------------------------------------------------------------
jq_eq "gitlab: the deploy job has a stage that exists" '.deploy.stage as $s | .stages | index($s) != null' true $G
jq_eq "gitlab: script and after_script are lists of strings" \
	'[.deploy.script, .deploy.after_script, .deploy.before_script | type == "array" and all(type == "string")] | all' true $G
jq_eq "gitlab: the binary is cached, for failed jobs too" '.deploy.cache | (.paths | index(".buildsleuth/") != null) and .when == "always"' true $G
jq_eq "gitlab: after_script takes the build with --latest" '.deploy.after_script | join("\n") | test("buildsleuth fetch --latest")' true $G
jq_eq "gitlab: no guessing the build with curl" '.deploy.after_script | join("\n") | test("/builds\\?")' false $G
jq_eq "gitlab: writes a merge-request note" '.deploy.after_script | join("\n") | test("merge_requests/\\$CI_MERGE_REQUEST_IID/notes")' true $G

# --- every script is valid shell -------------------------------------------------------------
n=0
for f in $GHA $GHF; do
	jq -r '.jobs[].steps[] | select(.run) | .run | @base64' "$T/$(basename "$f").json"
done >"$T/gha.b64"
while read -r b; do
	n=$((n + 1))
	echo "$b" | base64 -d >"$T/gha-$n.sh"
	if bash -n "$T/gha-$n.sh" 2>"$ERR"; then pass "actions: run script $n is valid shell"
	else fail "actions: run script $n: $(cat "$ERR")"; fi
done <"$T/gha.b64"
for part in before_script script after_script; do
	jq -r ".deploy.$part | join(\"\n\")" $G >"$T/gl-$part.sh"
	if bash -n "$T/gl-$part.sh" 2>"$ERR"; then pass "gitlab: $part is valid shell"
	else fail "gitlab: $part: $(cat "$ERR")"; fi
done
for f in "$T"/gha-*.sh "$T"/gl-*.sh; do cat "$f"; echo; done >"$T/all-scripts.sh"

# --- every buildsleuth command and option exists ----------------------------------------------
python3 - "$T/all-scripts.sh" >"$T/uses.txt" <<'EOF'
import re, shlex, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
ops = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"}
for line in text.splitlines():
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        continue
    for i, w in enumerate(words):
        if w != "buildsleuth" or i + 1 >= len(words):
            continue
        cmd, rest = words[i + 1], []
        for x in words[i + 2:]:
            if x in ops or x.startswith(">") or x.startswith("|"):
                break
            rest.append(x)
        for j, x in enumerate(rest):
            if x.startswith("-"):
                opt = x.split("=", 1)[0]
                value = x.split("=", 1)[1] if "=" in x else (rest[j + 1] if j + 1 < len(rest) and not rest[j + 1].startswith("-") else "")
                print(cmd, opt, value)
        print(cmd, "", "")
EOF
assert_eq "buildsleuth is used in the CI files" 1 "$(( $(wc -l <"$T/uses.txt") >= 4 ))"
sort -u "$T/uses.txt" >"$T/uses.sorted"
while read -r cmd opt value; do
	if ! "$BS" "$cmd" --help >"$T/help.txt" 2>&1; then
		fail "'buildsleuth $cmd' is not a command"
		continue
	fi
	if [ -z "$opt" ]; then
		pass "'buildsleuth $cmd' exists"
		continue
	fi
	if grep -qE -- "(^|[ ,])$opt([ ,=]|$)" "$T/help.txt"; then
		pass "'buildsleuth $cmd $opt' exists"
	else
		fail "'buildsleuth $cmd' has no option $opt"
	fi
	if [ "$opt" = --format ]; then
		if grep -qw -- "$value" "$T/help.txt"; then pass "'--format $value' is a format of $cmd"
		else fail "'--format $value' is not a format of $cmd"; fi
	fi
done <"$T/uses.sorted"

finish
