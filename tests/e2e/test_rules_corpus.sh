#!/usr/bin/env bash
# tests/e2e/test_rules_corpus.sh - `rules check --corpus DIR`: reads every
# *.log, *.txt and *.json below DIR as `analyze` would, warns about rules
# that matched no log and rules whose literal is on more than
# --max-literal-share of the lines, sums it up, and never fails for that;
# a missing folder is an error, a FIFO or a symbolic link loop is not a hang.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
TF=${TIME_FACTOR:-1}

# rule FILE ID PATTERN SUMMARY MATCH NOMATCH: a rule file of one rule
rule() {
	printf '{"rules": [{"id": "%s", "title": "T", "category": "application", "priority": 50,
 "patterns": ["%s"], "summary": "%s", "hint": "h",
 "examples": {"match": ["%s"], "nomatch": ["%s"]}}]}\n' "$2" "$3" "$4" "$5" "$6" >"$1"
}
R=$T/rules
mkdir -p "$R"
rule "$R/1-found.json" t.found 'widget exploded' s 'widget exploded' 'widget fine'
rule "$R/2-missing.json" t.missing 'gizmo vanished' s 'gizmo vanished' 'gizmo here'
rule "$R/3-common.json" t.common 'NOISE: [0-9]+$' s 'NOISE: 12' 'NOISE: x'

# 40 lines, 6 of them holding t.common's literal 'NOISE: ' (15%), 1 t.found's (2.5%)
C=$T/corpus
mkdir -p "$C/sub"
{ printf 'start\nwidget exploded\nNOISE: alpha\nNOISE: beta\n'; seq -f 'filler %g' 30; echo end; } >"$C/a.log"
# the API shape: an object entry of two lines, read as analyze reads it
printf '{"logs": ["NOISE: one", {"message": "NOISE: two\\nNOISE: three", "timestamp": "t"}]}\n' >"$C/b.json"
printf 'NOISE: gamma\nquiet\n' >"$C/sub/c.txt"
# not logs: another extension, a dot file
echo 'gizmo vanished' >"$C/notes.md"
echo 'gizmo vanished' >"$C/.hidden.log"

WARN_MISSING="buildsleuth: warning: rule 't.missing': matched no log in the corpus"
WARN_COMMON="buildsleuth: warning: rule 't.common': matched no log in the corpus"
WARN_SHARE="buildsleuth: warning: rule 't.common': its literal 'NOISE: ' is in 15.0% of the corpus lines: the pattern runs on each of them"
SUMMARY="rules check: 3 rules, 0 problems; corpus: 3 logs, 40 lines, 2 rules matched no log"

run rules check --no-builtin-rules --rules "$R" --corpus "$C"
assert_rc "corpus: warnings do not fail" 0
assert_stderr "corpus: the warnings, after the lint" "$(printf '%s\n' "$WARN_MISSING" "$WARN_COMMON" "$WARN_SHARE")"
assert_eq "corpus: the summary" "$SUMMARY" "$(cat "$OUT")"

run rules check --no-builtin-rules --rules "$R" --corpus "$C" --max-literal-share 15
assert_rc "--max-literal-share 15: exit" 0
assert_stderr "--max-literal-share 15: 15.0% is not more" "$(printf '%s\n' "$WARN_MISSING" "$WARN_COMMON")"
run rules check --no-builtin-rules --rules "$R" --corpus "$C" --max-literal-share 14.9%
assert_stderr "--max-literal-share 14.9%: 15.0% is more" "$(printf '%s\n' "$WARN_MISSING" "$WARN_COMMON" "$WARN_SHARE")"

# repeatable: the same logs twice count twice
run rules check --no-builtin-rules --rules "$R" --corpus "$C" --corpus "$C/sub" -q
assert_rc "two corpus folders, -q: exit" 0
assert_stderr "-q: no warnings" ""
assert_eq "two corpus folders: summed" \
	"rules check: 3 rules, 0 problems; corpus: 4 logs, 42 lines, 2 rules matched no log" "$(cat "$OUT")"

# a lint problem still fails, with the corpus measured
R2=$T/rules-lint
mkdir -p "$R2"
rule "$R2/x.json" t.unused 'widget (?<part>[a-z]+)' s 'widget exploded' 'gadget'
run rules check --no-builtin-rules --rules "$R" --rules "$R2" --corpus "$C"
assert_rc "lint problem and --corpus: exit 3" 3
assert_contains "lint problem and --corpus: the lint line" "rule 't.unused': named group 'part' is never used" "$ERR"
assert_eq "lint problem and --corpus: the summary" \
	"rules check: 4 rules, 1 problem; corpus: 3 logs, 40 lines, 2 rules matched no log" "$(cat "$OUT")"

# a folder that is not there: one line, nothing else
run rules check --no-builtin-rules --rules "$R" --corpus "$T/nope"
assert_rc "missing corpus folder: exit" 3
assert_stderr "missing corpus folder: one line" \
	"buildsleuth: cannot open corpus folder '$T/nope': No such file or directory"
assert_eq "missing corpus folder: no summary" "" "$(cat "$OUT")"
run rules check --no-builtin-rules --rules "$R" --corpus "$C/a.log"
assert_rc "a file as corpus folder: exit" 3
assert_stderr "a file as corpus folder: one line" "buildsleuth: corpus folder '$C/a.log': not a folder"

# options that go with rules check only
run rules list --corpus "$C"
assert_rc "rules list --corpus: usage error" 2
run rules check --max-literal-share 5
assert_rc "--max-literal-share without --corpus: usage error" 2
run rules check --corpus "$C" --max-literal-share 101
assert_rc "--max-literal-share 101: usage error" 2

# a FIFO and a symbolic link loop: warned about, neither waited on nor followed
H=$T/hostile
mkdir -p "$H/sub"
cp "$C/a.log" "$H/"
mkfifo "$H/pipe.log"
ln -s .. "$H/sub/up"
timeout $((20 * TF)) "$BS" rules check --no-builtin-rules --rules "$R" --corpus "$H" >"$OUT" 2>"$ERR" </dev/null
RC=$?
assert_rc "FIFO and loop: exit" 0
assert_contains "FIFO: named, not read" "buildsleuth: warning: corpus: cannot read '$H/pipe.log': not a regular file" "$ERR"
assert_contains "loop: named, not followed" "buildsleuth: warning: cannot read corpus folder '$H/sub/up': it is '$H' again" "$ERR"
assert_eq "FIFO and loop: the one log counted" \
	"rules check: 3 rules, 0 problems; corpus: 1 log, 35 lines, 2 rules matched no log" "$(cat "$OUT")"

finish
