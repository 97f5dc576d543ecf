#!/usr/bin/env bash
# tests/e2e/test_github_format.sh - `--format github`: one ::error per
# diagnosis (at most 10) and ::notice for generic fallback findings, on the
# file and line of the finding's location under --source-dir, escaped as the
# Actions toolkit escapes (no log text can end a command or start another),
# messages under 4,096 characters, and the Markdown report appended to
# $GITHUB_STEP_SUMMARY (up to 1 MiB).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
unset GITHUB_STEP_SUMMARY

# --- annotations -------------------------------------------------------------------
run analyze --format json fixtures/logs/pip-dns-failure.log
cp "$OUT" $T/report.json
run analyze --format github fixtures/logs/pip-dns-failure.log
assert_rc "annotations: exit" 0
assert_eq "annotations: one line per diagnosis" "$(jq '.diagnoses | length' $T/report.json)" "$(wc -l <"$OUT")"
assert_eq "annotations: ::error for rules, ::notice for fallbacks" \
	"$(jq -r '.diagnoses[] | if .fallback then "notice" else "error" end' $T/report.json | tr '\n' ' ')" \
	"$(sed -E 's/^::([a-z]+) .*/\1/' "$OUT" | tr '\n' ' ')"
assert_eq "annotations: the title is the rule's" \
	"title=$(jq -r '.diagnoses[0].title' $T/report.json) ($(jq -r '.diagnoses[0].category' $T/report.json))" \
	"$(head -1 "$OUT" | sed -E 's/^::error (title=[^:]*)::.*/\1/')"
fs=$(jq -r '.failed_step | "step \(.index)/\(.total): `\(.instruction) \(.command)` (exit code \(.exit_code))"' $T/report.json)
assert_contains "annotations: summary, the failing step, then the fix on new lines" \
	"::$(jq -r '.diagnoses[0].summary' $T/report.json) (build log line $(jq -r '.diagnoses[0].first_line' $T/report.json), phase BUILD)%0AThe build failed at $fs%0AFix: " "$OUT"
assert_eq "annotations: only the first names the step" 1 "$(grep -c 'The build failed at step' "$OUT")"

# hostile text: a capture with %, CR, LF, "::" and a comma and colon in the title
mkdir -p $T/rules
cat >$T/rules/r.json <<'EOF'
{"rules": [{"id": "test.hostile", "title": "Odd: title, with commas", "category": "application", "priority": 99,
  "patterns": ["^HOSTILE (?<rest>.*)$"], "summary": "said {rest}", "hint": "100% sure {rest}",
  "examples": {"match": ["HOSTILE x"]}}]}
EOF
printf 'HOSTILE 50%% done ::error::injected %%0A::warning::x\r\n' >$T/hostile.log
run analyze --format github --no-builtin-rules --rules $T/rules $T/hostile.log
assert_rc "hostile: exit" 0
assert_eq "hostile: one line" 1 "$(wc -l <"$OUT")"
assert_eq "hostile: no raw CR" 0 "$(tr -cd '\r' <"$OUT" | wc -c)"
assert_contains "hostile: the title's ':' and ',' escaped" "::error title=Odd%3A title%2C with commas (application)::" "$OUT"
assert_contains "hostile: '%' escaped in the message" "said 50%25 done" "$OUT"
assert_contains "hostile: a literal %0A stays text" "injected %250A" "$OUT"
assert_contains "hostile: the hint escaped" "%0AFix: 100%25 sure" "$OUT"

# --- where: file= and line= from the finding's location ------------------------------
printf '#8 2.1 ERROR: Invalid requirement: '"'"'pip install x==1'"'"' (from line 4 of requirements/prod.txt)\n' >$T/req.log
run analyze --format github $T/req.log
assert_rc "location: exit" 0
assert_contains "location: the requirements file and line" "::error file=requirements/prod.txt,line=4,title=Malformed requirement line (requirements)::" "$OUT"
run analyze --format github --source-dir ./app//svc/ $T/req.log
assert_contains "location: --source-dir prefixed, made plain" "::error file=app/svc/requirements/prod.txt,line=4,title=" "$OUT"
run analyze --format github --source-dir . $T/req.log
assert_contains "location: --source-dir . is the root" "::error file=requirements/prod.txt,line=4," "$OUT"
run analyze --format github --source-dir app/../x $T/req.log
assert_rc "location: --source-dir with .. is a usage error" 2
assert_contains "location: names the option" "--source-dir takes the build context's folder" "$ERR"
run analyze --format github --source-dir /abs $T/req.log
assert_rc "location: an absolute --source-dir is a usage error" 2
printf 'ERROR: Invalid requirement: '"'"'y'"'"' (from line 2 of odd:name,x.txt)\n' >$T/odd.log
run analyze --format github --source-dir 'a,b' $T/odd.log
assert_contains "location: ':' and ',' escaped in file=" "::error file=a%2Cb/odd%3Aname%2Cx.txt,line=2,title=" "$OUT"
run analyze --format github fixtures/logs/dockerfile-legacy-parse-error.log
assert_contains "location: a Dockerfile parse error" "::error file=Dockerfile,line=7,title=" "$OUT"
jq -Rn '{build: {id: "6f1c2a3b-0009-4a5b-8c6d-000000000009", status: "failed", region: "eu-central",
	dockerfilePath: "./docker/Dockerfile.prod"}, logs: [inputs]}' \
	fixtures/logs/dockerfile-legacy-parse-error.log >$T/fetched.json
run analyze --format github --source-dir app $T/fetched.json
assert_rc "location: API JSON: exit" 0
assert_contains "location: the build record's dockerfilePath, under --source-dir" \
	"::error file=app/docker/Dockerfile.prod,line=7,title=" "$OUT"
run analyze --format markdown --source-dir app $T/fetched.json
assert_contains "location: Markdown names the file and line under --source-dir" \
	"| app/docker/Dockerfile.prod:7 · log line " "$OUT"
run analyze --format markdown --source-dir 'a|b' $T/odd.log
assert_contains "location: Markdown escapes the cell" "| a&#124;b/odd:name,x.txt:2 · log line 1 |" "$OUT"
run analyze --format json $T/fetched.json
jq_eq "location: JSON agrees" '.diagnoses[0].location | "\(.file):\(.line)"' "docker/Dockerfile.prod:7" "$OUT"

# --- at most 10 errors, then one notice --------------------------------------------------
mkdir -p $T/twelve
: >$T/twelve.log
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	printf '{"id": "test.r%s", "title": "Failure %s", "category": "application", "priority": 50, "patterns": ["^FAIL%s$"], "summary": "failure %s", "hint": "fix %s", "examples": {"match": ["FAIL%s"]}}\n' $i $i $i $i $i $i
	echo "FAIL$i" >>$T/twelve.log
done | jq -s '{rules: .}' >$T/twelve/r.json
run analyze --format json --no-builtin-rules --rules $T/twelve $T/twelve.log
jq_eq "cap: 12 findings" '.diagnoses | length' 12 "$OUT"
run analyze --format github --no-builtin-rules --rules $T/twelve $T/twelve.log
assert_rc "cap: exit" 0
assert_eq "cap: 10 errors" 10 "$(grep -c '^::error ' "$OUT")"
assert_eq "cap: then one notice" "::notice title=buildsleuth::2 more findings not annotated (GitHub shows 10 errors per step): see the job summary or run buildsleuth for the full report" "$(tail -1 "$OUT")"
assert_eq "cap: 11 lines in all" 11 "$(wc -l <"$OUT")"
run analyze --format github --top 3 --no-builtin-rules --rules $T/twelve $T/twelve.log
assert_eq "cap: --top below the cap, no notice" "3 0" "$(grep -c '^::error ' "$OUT") $(grep -c '^::notice' "$OUT")"

# --- every message under 4,096 characters -------------------------------------------------
mkdir -p $T/huge
echo '{"rules": [{"id": "test.huge", "title": "Huge", "category": "application", "priority": 99,
  "patterns": ["^HUGE (?<rest>.*)$"], "summary": "said {rest}", "hint": "then {rest}",
  "examples": {"match": ["HUGE x"]}}]}' >$T/huge/r.json
{ printf 'HUGE '; for i in $(seq 1500); do printf '%%é'; done; echo; } >$T/huge.log
run analyze --format github --no-builtin-rules --rules $T/huge $T/huge.log
assert_rc "huge: exit" 0
assert_eq "huge: one line" 1 "$(wc -l <"$OUT")"
msg=$(sed 's/^::error [^:]*::\(.*\)$/\1/' "$OUT")
assert_eq "huge: the message under 4,096 bytes" 1 "$(( $(printf '%s' "$msg" | LC_ALL=C wc -c) < 4096 ))"
assert_eq "huge: ends with an ellipsis" "…" "$(printf '%s' "$msg" | tail -c 3)"
assert_eq "huge: valid UTF-8" 0 "$(printf '%s' "$msg" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; echo $?)"
assert_eq "huge: no escape cut in half" "" "$(printf '%s' "$msg" | LC_ALL=C grep -oE '%.?…$')"

# --- the job summary -------------------------------------------------------------------
: >$T/summary.md
GITHUB_STEP_SUMMARY=$T/summary.md run analyze --format github fixtures/logs/pip-dns-failure.log
assert_rc "summary: exit" 0
assert_eq "summary: stderr empty" "" "$(cat "$ERR")"
"$BS" analyze --format markdown fixtures/logs/pip-dns-failure.log >$T/want.md
echo >>$T/want.md
assert_same_file "summary: the Markdown report, appended" $T/want.md $T/summary.md
GITHUB_STEP_SUMMARY=$T/summary.md run analyze --format github fixtures/logs/pip-dns-failure.log fixtures/logs/uv-no-solution.log
assert_eq "summary: appended, one report per input" 3 "$(grep -c '^<!-- buildsleuth:report -->$' $T/summary.md)"
GITHUB_STEP_SUMMARY=$T/summary.md run analyze --format text fixtures/logs/pip-dns-failure.log
assert_eq "summary: only with --format github" 3 "$(grep -c '^<!-- buildsleuth:report -->$' $T/summary.md)"
GITHUB_STEP_SUMMARY=$T/no/such/dir/summary.md run analyze --format github fixtures/logs/pip-dns-failure.log
assert_rc "summary: an unwritable file is not fatal" 0
assert_contains "summary: but warned about" "buildsleuth: warning: cannot append the job summary to '$T/no/such/dir/summary.md' (GITHUB_STEP_SUMMARY)" "$ERR"
assert_eq "summary: the annotations still written" "$(jq '.diagnoses | length' $T/report.json)" "$(wc -l <"$OUT")"
head -c $((1024 * 1024 - 100)) /dev/zero | tr '\0' x >$T/full.md
cp $T/full.md $T/full-before.md
GITHUB_STEP_SUMMARY=$T/full.md run analyze --format github fixtures/logs/pip-dns-failure.log
assert_rc "summary: 1 MiB: not fatal" 0
assert_contains "summary: 1 MiB: warned" "it would pass GitHub's 1 MiB limit" "$ERR"
assert_same_file "summary: 1 MiB: the file left as it was" $T/full-before.md $T/full.md

finish
