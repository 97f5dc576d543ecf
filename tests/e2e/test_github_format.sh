#!/usr/bin/env bash
# tests/e2e/test_github_format.sh - `--format github`: one ::error per
# diagnosis and ::notice for generic fallback findings, escaped as the
# Actions toolkit escapes (no log text can end a command or start another),
# and the Markdown report appended to $GITHUB_STEP_SUMMARY.
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

finish
