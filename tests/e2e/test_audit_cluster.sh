#!/usr/bin/env bash
# tests/e2e/test_audit_cluster.sh - `buildsleuth audit` groups unknown and
# inferred builds by the template of their likeliest error line, and
# `--suggest-rules DIR` turns each group into a draft rule: over the saved
# builds of tests/data/audit-cluster (4 digest drifts differing only in
# hashes, paths and versions, 2 asset-gate failures differing in numbers,
# 1 licence verdict, 2 apk trigger failures inferred as system-packages, 1
# line without a literal word, 1 known apt failure), the exact groups in
# every format, shards merged in any order equal to one run, drafts that
# pass `rules check` and `rules test` as written, and the loop of
# docs/audit.md: keep one draft under --rules and the next audit classifies
# its builds (unknown 8 -> 4, classification rate 27.3% -> 63.6%).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
export NO_COLOR=1
DATA=tests/data/audit-cluster
A=suggested.39e2cca397a41811   # manifest digest drifted ...
B=suggested.6f553d4338ee30e6   # asset-gate ...
D=suggested.1fde5d64e7780345   # apk trigger scripts (inferred)
E=suggested.b2b8ba5480e31b6c   # "<HEX> <NUM>": no draft
C=suggested.184376624db7f2de   # license-scan ...
id() { printf '6f1c2a3b-%04d-4a5b-8c6d-%012d' "$1" "$1"; }

# --- the groups, JSON ---------------------------------------------------------------------
run audit --logs-dir "$DATA" --format json
assert_rc "json: exit" 0
cp "$OUT" "$T/one-run.json"
jq_eq "json: the unknown list stays" '.builds.unknown, (.unknown | length)' $'8\n8'
jq_eq "json: classification rate" '.classification_rate' 0.2727
jq_eq "json: five groups, largest first, ties by first seen" '[.groups[].id] | join(" ")' "$A $B $D $E $C"
jq_eq "json: templates" '.groups[].template' "manifest digest drifted for <HEX> in <PATH> (verify <VER>)
asset-gate: <NUM> of <NUM> assets drifted; refusing to bake image
ERROR: <*> trigger script returned <NUM>
<HEX> <NUM>
license-scan: verdict HOLD for <STR>"
jq_eq "json: builds, unknown, inferred" '.groups[] | "\(.builds) \(.unknown) \(.inferred)"' \
	$'4 4 0\n2 2 0\n2 0 2\n1 1 0\n1 1 0'
jq_eq "json: categories (inferred, else the guess)" '[.groups[].category] | join(" ")' \
	"application application system-packages application application"
jq_eq "json: first and last seen" '.groups[0] | "\(.first_seen) \(.last_seen)"' \
	"2026-03-02T10:00:00Z 2026-03-12T10:00:00Z"
jq_eq "json: the example is the newest build" '[.groups[].example] | join(" ")' \
	"$(id 4) $(id 6) $(id 9) $(id 10) $(id 7)"
jq_eq "json: a draft only where the template has a word" '[.groups[].draft] | join(" ")' \
	"true true true false true"
jq_eq "json: the real lines, distinct, first seen first" '.groups[0].lines | length, .[0], .[3]' \
	"4
#5 0.101 manifest digest drifted for sha256:9b2c4e1d0a7f3e5b6c8d in /app/models/manifest.lock (verify 1.2.3)
#5 0.101 manifest digest drifted for sha256:5e6f708192a3b4c5d6e7 in /app/models/manifest.lock (verify 1.2.3)"
jq_eq "json: the id is FNV-1a of the template" '.groups[0].id' \
	"suggested.$(python3 -c 'import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print("%016x" % h)' 'manifest digest drifted for <HEX> in <PATH> (verify <VER>)')"

# --- text, markdown, csv -----------------------------------------------------------------------
run audit --logs-dir "$DATA"
assert_rc "text: exit" 0
assert_contains "text: the heading" "Unknown and inferred failures by template: 10 builds in 5 groups" "$OUT"
assert_contains "text: the largest group" "       4  manifest digest drifted for <HEX> in <PATH> (verify <VER>) [application]" "$OUT"
assert_contains "text: its figures" "          4 unknown, 0 inferred; seen 2026-03-02 .. 2026-03-12; e.g. $(id 4)" "$OUT"
assert_contains "text: its draft" "          draft rule: $A" "$OUT"
assert_contains "text: the inferred group" "       2  ERROR: <*> trigger script returned <NUM> [system-packages]" "$OUT"
assert_contains "text: no draft without a word" "          draft rule: none (the template holds no literal word)" "$OUT"
assert_eq "text: groups before the unknown list" "Unknown and inferred failures by template: 10 builds in 5 groups
Unknown: 8 builds no rule explains" "$(grep -E '^(Unknown|Unknown and inferred)' "$OUT")"
run audit --logs-dir "$DATA" --format markdown
assert_contains "markdown: the heading" "#### Unknown and inferred failures by template" "$OUT"
assert_contains "markdown: a row" '| `manifest digest drifted for <HEX> in <PATH> (verify <VER>)` | `application` | 4 | 4 / 0 | 2026-03-02 | 2026-03-12 | `'"$(id 4)"'` |' "$OUT"
run audit --logs-dir "$DATA" --format csv
assert_eq "csv: one row per group" 5 "$(grep -c '^template,' "$OUT")"
assert_contains "csv: a row" "template,$D,system-packages,ERROR: <*> trigger script returned <NUM>,2,0.1818,,2026-03-13T10:00:00Z,2026-03-14T10:00:00Z,$(id 9),," "$OUT"

# --- merged shards in any order equal one run ------------------------------------------------
run audit --logs-dir "$DATA" --per-build "$T/all.jsonl" --format json
assert_rc "per-build: exit" 0
tac "$T/all.jsonl" | sed -n '1~2p' >"$T/odd.jsonl"
tac "$T/all.jsonl" | sed -n '2~2p' >"$T/even.jsonl"
run audit --from-reports "$T/even.jsonl" "$T/odd.jsonl" --format json
assert_rc "from-reports: exit" 0
assert_same_file "from-reports, reversed and split: the bytes of one run" "$T/one-run.json" "$OUT"

# --- --suggest-rules ---------------------------------------------------------------------------
run audit --logs-dir "$DATA" --suggest-rules "$T/drafts" --format json
assert_rc "suggest: exit" 0
assert_same_file "suggest: the report is unchanged" "$T/one-run.json" "$OUT"
assert_stderr "suggest: says what it wrote" \
	"buildsleuth: 4 draft rules written to '$T/drafts' (each marks with TODO what to write before it is kept)"
assert_eq "suggest: one file per group with a word, named by id" "$C.json $D.json $A.json $B.json" \
	"$(cd "$T/drafts" && ls | sort | tr '\n' ' ' | sed 's/ $//')"
F=$T/drafts/$A.json
jq_eq "draft: id" '.rules[0].id' "$A" "$F"
jq_eq "draft: category" '.rules[0].category' application "$F"
jq_eq "draft: inferred category" '.rules[0].category' system-packages "$T/drafts/$D.json"
jq_eq "draft: priority" '.rules[0].priority' 50 "$F"
jq_eq "draft: the pattern, named groups where the masks were" '.rules[0].patterns[0]' \
	'manifest digest drifted for (?<hex>\b(?:sha(?:1|256|384|512):|0x)?(?=[0-9A-Fa-f]*[A-Fa-f])(?=[0-9A-Fa-f]*[0-9])[0-9A-Fa-f]{7,}\b) in (?<path>(?<![\w.~/-])(?:~|\.{1,2})?(?:/[\w.@%+=~-]+)+/?) \(verify (?<version>(?<![\w.])(?:v?\d+(?:\.\d+){2,}(?:(?:a|b|rc|dev|post)\d*)?|v\d+\.\d+)(?!\.?\w))\)' "$F"
jq_eq "draft: the real lines are its examples" '.rules[0].examples.match | length' 4 "$F"
jq --slurpfile r "$T/one-run.json" -e '.rules[0].examples.match == $r[0].groups[0].lines' "$F" >/dev/null
assert_eq "draft: examples.match equal the group's lines in the report" 0 $?
jq_eq "draft: a nomatch from another group" '.rules[0].examples.nomatch[0]' \
	"#5 0.100 asset-gate: 2 of 37 assets drifted; refusing to bake image" "$F"
jq_eq "draft: TODO in title, summary and hint" \
	'[.rules[0].title, .rules[0].summary, .rules[0].hint] | map(test("TODO")) | all' true "$F"
jq_eq "draft: the summary reads the line with placeholders" '.rules[0].summary' \
	"TODO: say in one sentence what failed. The line reads: manifest digest drifted for {hex} in {path} (verify {version})" "$F"
jq_eq "draft: no {TODO} placeholder" '[.rules[0] | .. | strings | select(test("\\{TODO"))] | length' 0 "$F"
run rules check --rules "$T/drafts"
assert_rc "drafts: rules check passes" 0
assert_contains "drafts: no problem" ", 0 problems" "$OUT"
assert_not_contains "drafts: no warning" "suggested." "$ERR"
run rules test --rules "$T/drafts"
assert_rc "drafts: rules test passes" 0
assert_contains "drafts: every example" "passed, 0 failed" "$OUT"
run rules list --rules "$T/drafts" --no-builtin-rules --format json
jq_eq "drafts: they load alone" '[.[].id] | join(" ")' "$C $D $A $B"
# the same audit again: the same files, byte for byte
cp -r "$T/drafts" "$T/drafts-1"
run audit --logs-dir "$DATA" --suggest-rules "$T/drafts" -q
assert_rc "suggest again: exit" 0
assert_eq "suggest again: -q says nothing" "" "$(cat "$ERR")"
assert_eq "suggest again: the same bytes" "" "$(diff -r "$T/drafts-1" "$T/drafts")"
run audit --from-reports "$T/odd.jsonl" "$T/even.jsonl" --suggest-rules "$T/drafts-merged" -q
assert_rc "suggest from merged shards: exit" 0
assert_eq "suggest from merged shards: the drafts of one run" "" "$(diff -r "$T/drafts-1" "$T/drafts-merged")"

# --- the loop: keep one draft under --rules, audit again ------------------------------------------
mkdir "$T/kept"
cp "$F" "$T/kept/"
run audit --logs-dir "$DATA" --rules "$T/kept" --format json
assert_rc "loop: exit" 0
jq_eq "loop: unknown 8 -> 4" '.builds.unknown' 4
jq_eq "loop: classification rate 0.2727 -> 0.6364" '.classification_rate' 0.6364
jq_eq "loop: the draft is the root cause of every build of its group" \
	'[.rules[] | select(.rule == "'"$A"'") | .builds] | .[0]' 4
jq_eq "loop: the group is gone" '[.groups[].id] | join(" ")' "$B $D $E $C"
run audit --logs-dir "$DATA" --rules "$T/kept"
assert_contains "loop: text rate" "classification rate: 63.6% (7 of 11 analysed builds have a known cause; 4 unknown)" "$OUT"
run audit --logs-dir "$DATA" --rules "$T/drafts" --format json
jq_eq "loop, every draft: unknown 1 (the line without a word)" '.builds.unknown' 1
jq_eq "loop, every draft: the inferred builds now have a rule" \
	'[.rules[] | select(.rule == "'"$D"'") | .builds] | .[0]' 2

# --- where drafts cannot go ---------------------------------------------------------------------
: >"$T/a-file"
run audit --logs-dir "$DATA" --suggest-rules "$T/a-file/drafts"
assert_rc "suggest into a file: exit" 3
assert_contains "suggest into a file: says why" "buildsleuth: cannot write draft rules to '$T/a-file/drafts': Not a directory" "$ERR"
assert_contains "suggest into a file: the report is still written" "Unknown and inferred failures by template" "$OUT"
run audit --logs-dir "$DATA" --suggest-rules
assert_rc "suggest without DIR: exit" 2
run analyze --suggest-rules "$T/x" "$DATA/build-01.json"
assert_rc "suggest is audit's alone: exit" 2

finish
