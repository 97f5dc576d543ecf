#!/usr/bin/env bash
# tests/e2e/test_analyze.sh - `buildsleuth analyze` and `rules` end to end:
# the issue's acceptance points, bad input of every kind (exact exit code and
# one-line message), output options and exit codes.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
FX=fixtures/logs

# --- acceptance -------------------------------------------------------------
run analyze --format json $FX/copy-missing-requirements-buildkit.log
assert_rc "copy missing: exit" 0
jq_eq "copy missing: top category" '.diagnoses[0].category' build-context
jq_eq "copy missing: summary names the file" '.diagnoses[0].summary | contains("requirements.txt")' true
jq_eq "copy missing: schema" '.schema' buildsleuth.report/v1
jq_eq "copy missing: source" '.source.kind + " " + .source.path' "file $FX/copy-missing-requirements-buildkit.log"
jq_eq "copy missing: failed phase" '.failed_phase' BUILD
jq_eq "copy missing: build is null" '.build' null

printf 'Step 1/4 : FROM python:3.12\n---> abc\nStep 2/4 : COPY requirements.txt .\nCOPY failed: file not found in build context or excluded by .dockerignore: stat requirements.txt: file does not exist\n' >$T/plain.log
run analyze --format json $T/plain.log
jq_eq "plain text: failed_phase null" '.failed_phase' null
jq_eq "plain text: lines" '.lines' 4
jq_eq "plain text: evidence line" '.diagnoses[0].first_line' 4

printf '[Container] 2026/01/28 20:46:51 Entering phase BUILD\nRunning frobnicate\nfrobnicate: the gizmo reported a fault in module 7\nfrobnicate: giving up\n[Container] 2026/01/28 20:46:52 Phase complete: BUILD State: FAILED\n' >$T/unknown.log
run analyze --format json $T/unknown.log
jq_eq "unknown log: one diagnosis" '.diagnoses | length' 1
jq_eq "unknown log: category" '.diagnoses[0].category' unknown
jq_eq "unknown log: quotes the error lines" '.diagnoses[0].evidence | map(.line) | join(",")' 3,4
jq_eq "unknown log: evidence text" '.diagnoses[0].evidence[0].text' "frobnicate: the gizmo reported a fault in module 7"

# --- exit codes -----------------------------------------------------------------
run analyze --exit-code $FX/copy-missing-requirements-buildkit.log
assert_rc "--exit-code with a known cause" 1
run analyze --exit-code $T/unknown.log
assert_rc "--exit-code with only unknown" 0
run analyze --top 1 --format json $FX/pip-resolution-impossible.log
jq_eq "--top 1" '.diagnoses | length' 1

# --- several inputs, stdin --------------------------------------------------------
run analyze --format json $T/plain.log $T/unknown.log
assert_eq "two files: JSON Lines" 2 "$(wc -l <"$OUT")"
assert_eq "two files: each line parses" "file file" "$(jq -r .source.kind "$OUT" | tr '\n' ' ' | sed 's/ $//')"
run_stdin $T/plain.log analyze --format json
jq_eq "stdin: source kind" '.source.kind' stdin
run_stdin $T/plain.log analyze --format json -
jq_eq "stdin as -: same diagnosis" '.diagnoses[0].rule' "$(jq -r '.diagnoses[0].rule' <("$BS" analyze --format json $T/plain.log))"

# --- bad input: exact exit code and one line ----------------------------------
: >$T/empty.log
run analyze $T/empty.log
assert_rc "empty file: exit" 3
assert_stderr "empty file: message" "buildsleuth: $T/empty.log: empty log"
run analyze $T/missing.log
assert_rc "missing file: exit" 3
assert_stderr "missing file: message" "buildsleuth: cannot open '$T/missing.log': No such file or directory"
run analyze $T
assert_rc "directory: exit" 3
assert_stderr "directory: message" "buildsleuth: cannot read '$T': Is a directory"
printf '{"logs": ["a", "b"' >$T/bad.json
run analyze $T/bad.json
assert_rc "malformed JSON: exit" 3
assert_stderr "malformed JSON: message" "buildsleuth: $T/bad.json: malformed JSON at line 1, column 19: unexpected end of input"
printf '{"logs": "nope"}' >$T/shape.json
run analyze $T/shape.json
assert_rc "wrong shape: exit" 3
assert_stderr "wrong shape: message" "buildsleuth: $T/shape.json: JSON of the wrong shape: expected {\"logs\": [...]} or {\"build\": {...}, \"logs\": [...]}"
printf '{"logs": ["ok", 5]}' >$T/entry.json
run analyze $T/entry.json
assert_rc "bad entry: exit" 3
assert_stderr "bad entry: message" "buildsleuth: $T/entry.json: log entry 2: expected a string or an object with \"message\" or \"log\""
run analyze $T/missing.log $T/plain.log
assert_rc "one bad of two: exit" 3
assert_eq "one bad of two: the good one is still reported" 1 "$(grep -c 'COPY failed' "$OUT")"

# API entries newest first (by timestamp) are read oldest first
python3 - "$T" <<'PY'
import json, sys
lines = ['[Container] 2026/01/28 20:46:51 Entering phase BUILD',
         'ERROR: No matching distribution found for x==1',
         '[Container] 2026/01/28 20:46:52 Phase complete: BUILD State: FAILED']
e = [{'message': l, 'timestamp': '2026-01-28T20:46:5%d.000Z' % i} for i, l in enumerate(lines)]
json.dump({'logs': e[::-1]}, open(sys.argv[1] + '/rev.json', 'w'))
PY
run analyze --format json $T/rev.json
jq_eq "newest-first entries: phase and line" '[.failed_phase, .diagnoses[0].first_line, .diagnoses[0].rule] | join(" ")' "BUILD 2 pip.no-matching-distribution"

# NUL bytes, invalid UTF-8, CRLF, a 2 MB line
printf 'Step 2/4 : RUN pip install x\n\000\000binary\000junk\nERROR: Could not open requirements file: [Errno 2] No such file or directory: '"'"'req\377s.txt'"'"'\n' >$T/nul.log
run analyze --format json $T/nul.log
assert_rc "NUL and invalid UTF-8: exit" 0
jq_eq "NUL and invalid UTF-8: valid JSON, U+FFFD" '.diagnoses[0].evidence[0].text | contains("\ufffd")' true
jq_eq "NUL and invalid UTF-8: category" '.diagnoses[0].category' requirements
tr -d '\r' <$FX/legacy-missing-requirements-file.log >$T/lf.log
run analyze --format json $FX/legacy-missing-requirements-file.log
crlf_rule=$(jq -r '.diagnoses[0].rule + " " + (.diagnoses[0].first_line|tostring)' "$OUT")
run analyze --format json $T/lf.log
assert_eq "CRLF log diagnoses like its LF twin" "$(jq -r '.diagnoses[0].rule + " " + (.diagnoses[0].first_line|tostring)' "$OUT")" "$crlf_rule"
{ printf 'start\n'; head -c 2097152 /dev/zero | tr '\0' 'x'; printf ' ERROR: No matching distribution found for big==1.0\n'; } >$T/long.log
run analyze --format json $T/long.log
assert_rc "2 MB line: exit" 0
jq_eq "2 MB line: matched" '.diagnoses[0].rule' pip.no-matching-distribution
jq_eq "2 MB line: quoted truncated" '.diagnoses[0].evidence[0].text | length < 2100' true

# --- usage errors ---------------------------------------------------------------
run analyze --bogus $T/plain.log
assert_rc "unknown option: exit" 2
assert_stderr "unknown option: message" "buildsleuth: analyze: unknown option '--bogus' (see 'buildsleuth analyze --help')"
run analyze --format yaml $T/plain.log
assert_rc "bad format: exit" 2
run analyze --top 0 $T/plain.log
assert_rc "bad --top: exit" 2
run diagnose --token sekrit-value 123
assert_rc "--token rejected: exit" 2
assert_not_contains "--token rejected: value not echoed" sekrit-value "$ERR"
assert_contains "--token rejected: points to the variable" PIPECAT_API_KEY "$ERR"
run frobnicate
assert_rc "unknown command: exit" 2
run --version
assert_eq "--version" "buildsleuth 0.1.0" "$(cat "$OUT")"
run analyze --help
assert_rc "analyze --help: exit" 0
assert_contains "analyze --help: usage" "usage: buildsleuth analyze" "$OUT"
"$BS" analyze $T/plain.log >/dev/full 2>"$ERR"; RC=$?
assert_rc "full disk: exit" 3
assert_stderr "full disk: message" "buildsleuth: cannot write the report: No space left on device"

# --- colour ---------------------------------------------------------------------
run analyze --color always $T/plain.log
assert_contains "--color always: escapes" $'\033[1m' "$OUT"
NO_COLOR=1 "$BS" analyze $T/plain.log >"$OUT" 2>"$ERR"
assert_not_contains "NO_COLOR: no escapes" $'\033[' "$OUT"

# --- rules --------------------------------------------------------------------
run rules test
assert_rc "rules test passes" 0
assert_contains "rules test: summary" " 0 failed" "$OUT"
run rules check
assert_rc "rules check passes" 0
mkdir -p $T/badrules/sub
printf '{"rules": [' >$T/badrules/a.json
printf '{"rules": [{"id": "x.y", "title": "t", "category": "nope", "priority": 5, "patterns": ["a"], "summary": "s", "hint": "h", "examples": {"match": ["a"]}}]}' >$T/badrules/b.json
printf '{"rules": [{"id": "x.z", "title": "t", "category": "network", "priority": 5, "patterns": ["a(("], "summary": "s", "hint": "h", "examples": {"match": ["a"]}}]}' >$T/badrules/sub/c.json
run analyze --rules $T/badrules $T/plain.log
assert_rc "three broken rule files: exit" 3
assert_eq "three broken rule files: all reported" 3 "$(grep -c "^buildsleuth: $T/badrules/" "$ERR")"
assert_contains "broken JSON named" "$T/badrules/a.json: invalid JSON at line 1, column 12: unexpected end of input" "$ERR"
assert_contains "bad category named" "$T/badrules/b.json: rule 'x.y': field 'category': 'nope' is not a category" "$ERR"
assert_contains "bad pattern with PCRE2 message and offset" "$T/badrules/sub/c.json: rule 'x.z': pattern 1: missing closing parenthesis at offset 3" "$ERR"
assert_eq "nothing on stdout" 0 "$(wc -c <"$OUT")"
mkdir -p $T/dup
printf '{"rules": [{"id": "pip.no-matching-distribution", "title": "t", "category": "network", "priority": 5, "patterns": ["a"], "summary": "s", "hint": "h", "examples": {"match": ["a"]}}]}' >$T/dup/d.json
run rules list --rules $T/dup
assert_rc "duplicate of a built-in id: exit" 3
assert_contains "duplicate of a built-in id: message" "set \"override\": true" "$ERR"
sed 's/"id": "pip.no-matching-distribution",/"id": "pip.no-matching-distribution", "override": true,/' $T/dup/d.json >$T/dup/e.json && rm $T/dup/d.json
run rules list --format json --rules $T/dup
assert_rc "override: exit" 0
jq_eq "override: replaced, from the folder" '.[] | select(.id == "pip.no-matching-distribution") | .origin' "$T/dup/e.json"
run rules list
assert_contains "rules list: built-in origin" "built-in:rules/" "$OUT"
mkdir -p $T/explains
printf '{"rules": [{"id": "team.cause", "title": "t", "category": "network", "priority": 5, "patterns": ["a"], "summary": "s", "hint": "h", "explains": ["pip.no-matching-distribution", "team.nothing"], "examples": {"match": ["a"]}}]}' >$T/explains/x.json
run rules list --rules $T/explains
assert_rc "explains an unknown id: exit" 3
assert_stderr "explains an unknown id: message" "buildsleuth: $T/explains/x.json: rule 'team.cause': field 'explains': unknown rule 'team.nothing'
buildsleuth: 1 problem in the rules; nothing was analysed"
sed 's/, "team.nothing"//' $T/explains/x.json >$T/explains/y.json && rm $T/explains/x.json
run rules list --format json --rules $T/explains
assert_rc "explains a built-in rule: exit" 0
jq_eq "explains a built-in rule: listed" '.[] | select(.id == "team.cause") | .explains | join(",")' pip.no-matching-distribution
mkdir -p $T/loclint
printf '%s' '{"rules": [{"id": "t.loc", "title": "t", "category": "requirements", "priority": 50, "patterns": ["Invalid requirement: (?<req>\\S+) \\(from line (?<line>\\d+) of (?<file>[^)]+)\\)", "Invalid requirement: (?<req>\\S+)$"], "summary": "bad {req}", "hint": "h", "location": {"file": "{file}", "line": "{line}"}, "examples": {"match": ["Invalid requirement: x (from line 3 of r.txt)", "Invalid requirement: x"]}}, {"id": "t.df", "title": "t", "category": "dockerfile", "priority": 50, "patterns": ["parse error line (?<line>\\d+)"], "summary": "s", "hint": "h", "location": {"file": "{dockerfile}", "line": "{line}"}, "examples": {"match": ["parse error line 3"]}}]}' >$T/loclint/l.json
run rules check --no-builtin-rules --rules $T/loclint
assert_rc "rules check: location placeholder not set by a pattern: exit" 3
assert_stderr "rules check: location placeholders named, {dockerfile} and groups used only there are fine" "buildsleuth: $T/loclint/l.json: rule 't.loc': location file placeholder {file} is not set by pattern 2
buildsleuth: $T/loclint/l.json: rule 't.loc': location line placeholder {line} is not set by pattern 2"
run rules bogus
assert_rc "rules: unknown action: exit" 2
assert_stderr "rules: unknown action: message" "buildsleuth: rules: unknown action 'bogus': say list, check or test (see 'buildsleuth rules --help')"

# Text wraps to COLUMNS (80 when unset and not a terminal): prose breaks
# between words under a hanging indent, a quoted log line is cut with an
# ellipsis, a gap between quoted lines is marked, only evidence has '>'.
mkdir -p $T/wrap
cat >$T/wrap/w.json <<'EOF'
{"rules": [{"id": "team.boom", "title": "The boom step failed in a rather long way here", "category": "application", "priority": 5, "patterns": ["BOOM (?<what>\\S+)"], "summary": "the step went boom on {what} and then kept going for a while longer", "hint": "Read the lines above the boom and fix what they name; then build again with the same command.", "examples": {"match": ["BOOM x"]}}]}
EOF
{ echo start; for i in 1 2 3 4 5 6; do echo "line $i"; done
  echo "BOOM thing-with-a-name and a tail that runs well past the fifty columns of the test"
  echo after; echo after2; for i in 1 2 3 4 5 6 7 8; do echo "more $i"; done; echo "BOOM again"; } >$T/wrap.log
COLUMNS=50 run analyze --no-builtin-rules --rules $T/wrap $T/wrap.log
assert_rc "wrap: exit" 0
assert_eq "wrap at COLUMNS=50" "$T/wrap.log: 19 log lines

1. The boom step failed in a rather long way here
   [application]
   the step went boom on thing-with-a-name and
   then kept going for a while longer
   line 8, 2 occurrences - rule team.boom
         3 | line 2
         4 | line 3
         5 | line 4
         6 | line 5
         7 | line 6
  >      8 | BOOM thing-with-a-name and a tail th…
         9 | after
        10 | after2
         … |
  >     19 | BOOM again
   fix: Read the lines above the boom and fix what
        they name; then build again with the same
        command." "$(cat "$OUT")"
line80="  >      8 | BOOM thing-with-a-name and a tail that runs well past the fifty co…"
run analyze --no-builtin-rules --rules $T/wrap $T/wrap.log
assert_eq "wrap: 80 columns when COLUMNS is unset and stdout no terminal" "$line80" "$(sed -n 12p "$OUT")"
assert_eq "wrap: no line over 80 columns" 0 "$(sed 's/…/./g' "$OUT" | awk 'length($0) > 80' | wc -l)"
for bad in abc 0 -3 ''; do
	COLUMNS=$bad run analyze --no-builtin-rules --rules $T/wrap $T/wrap.log
	assert_eq "wrap: COLUMNS='$bad' counts as unset" "$line80" "$(sed -n 12p "$OUT")"
done
COLUMNS=10 run analyze --no-builtin-rules --rules $T/wrap $T/wrap.log
assert_eq "wrap: never narrower than 40 columns" "  >      8 | BOOM thing-with-a-name and…" "$(grep '^  >      8' "$OUT")"
COLUMNS=1000 run analyze --no-builtin-rules --rules $T/wrap $T/wrap.log
assert_eq "wrap: a wide terminal keeps the summary on one line" \
	"   the step went boom on thing-with-a-name and then kept going for a while longer" "$(sed -n 4p "$OUT")"

finish
