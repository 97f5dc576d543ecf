#!/usr/bin/env bash
# tests/e2e/test_ci_docs.sh - the ready-to-copy CI files in docs/ci: the YAML
# parses (yq), the jobs have the shape GitHub Actions and GitLab CI expect,
# every shell script in them passes `bash -n`, and every `buildsleuth`
# command and option they use exists (`buildsleuth CMD --help`).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
GHA=docs/ci/github-actions.yml
GLC=docs/ci/gitlab-ci.yml

if ! command -v yq >/dev/null 2>&1; then
	fail "yq is not installed (rm -f build/.test-deps && make test-deps installs it)"
	finish
	exit 1
fi

# --- the YAML parses ---------------------------------------------------------------
for f in $GHA $GLC; do
	if yq . "$f" >"$T/$(basename "$f").json" 2>"$ERR"; then
		pass "$f parses"
	else
		fail "$f does not parse: $(head -c 300 "$ERR")"
	fi
done
J=$T/github-actions.yml.json
G=$T/gitlab-ci.yml.json

# --- GitHub Actions: the workflow's shape ----------------------------------------------
jq_eq "actions: runs on push to main and on pull requests" '[.on | keys[]] | sort | join(",")' "pull_request,push" $J
jq_eq "actions: may write pull-request comments" '.permissions["pull-requests"]' write $J
jq_eq "actions: every step uses an action or runs a script" '[.jobs[].steps[] | has("uses") != has("run")] | all' true $J
jq_eq "actions: deploys with Pipecat's action and a cloud build" \
	'[.jobs[].steps[] | select(.uses? // "" | startswith("daily-co/pipecat-cloud-deploy-action@")) | .with["cloud-build"]] | map(tostring) | join(",")' true $J
jq_eq "actions: the deploy step has an id to test" '[.jobs[].steps[] | select(.uses? // "" | startswith("daily-co/")) | .id] | join(",")' deploy $J
jq_eq "actions: every buildsleuth step runs only on failure" \
	'[.jobs[].steps[] | select(.run? // "" | test("buildsleuth ")) | .if | test("failure\\(\\)")] | all' true $J
jq_eq "actions: diagnose and comment are both there" \
	'[.jobs[].steps[].run? // "" | scan("buildsleuth (diagnose|comment)") | .[0]] | unique | join(",")' "comment,diagnose" $J
jq_eq "actions: the comment step gets GITHUB_TOKEN" \
	'[.jobs[].steps[] | select(.run? // "" | test("buildsleuth comment")) | .env.GITHUB_TOKEN] | join(",")' '${{ secrets.GITHUB_TOKEN }}' $J
jq_eq "actions: no secret on a command line" '[.jobs[].steps[].run? // "" | test("secrets\\.")] | any' false $J

# --- GitLab CI: the job's shape -------------------------------------------------------------
jq_eq "gitlab: the deploy job has a stage that exists" '.deploy.stage as $s | .stages | index($s) != null' true $G
jq_eq "gitlab: script and after_script are lists of strings" \
	'[.deploy.script, .deploy.after_script, .deploy.before_script | type == "array" and all(type == "string")] | all' true $G
jq_eq "gitlab: after_script looks at CI_JOB_STATUS" '.deploy.after_script | join("\n") | test("CI_JOB_STATUS")' true $G
jq_eq "gitlab: writes a merge-request note" '.deploy.after_script | join("\n") | test("merge_requests/\\$CI_MERGE_REQUEST_IID/notes")' true $G

# --- every script is valid shell -------------------------------------------------------------
jq -r '.jobs[].steps[] | select(.run) | .run | @base64' $J >"$T/gha.b64"
n=0
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
