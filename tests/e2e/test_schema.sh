#!/usr/bin/env bash
# tests/e2e/test_schema.sh - the two JSON Schemas `make install` puts in
# share/buildsleuth: docs/report.schema.json describes every JSON report
# (the goldens, and fresh ones: a success, JSON Lines, stdin, a build from the
# fake API chosen with --latest, a running build), and rejects reports that
# break it; rules/schema.json accepts every rule file of rules/.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
REPORT_SCHEMA=$PWD/docs/report.schema.json
RULE_SCHEMA=$PWD/rules/schema.json

# valid SCHEMA FILE...: each file (one JSON document, or JSON Lines) against
# SCHEMA; prints one line per error ("file line N: path: message"), nothing
# when all are valid
valid() {
	python3 - "$@" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
for name in sys.argv[2:]:
    text = open(name).read()
    try:
        docs = [json.loads(text)]
    except json.JSONDecodeError:
        docs = [json.loads(l) for l in text.splitlines() if l.strip()]
    for n, doc in enumerate(docs, 1):
        for e in v.iter_errors(doc):
            print("%s line %d: %s: %s" % (name, n, "/".join(map(str, e.absolute_path)), e.message[:160]))
PY
}
if ! python3 -c 'import jsonschema' 2>/dev/null; then
	fail "python3's jsonschema is not installed (apt-get install python3-jsonschema)"
	finish
	exit 1
fi

# --- the goldens ---------------------------------------------------------------------
ls tests/golden/*.json >"$T/goldens"
assert_eq "goldens: enough JSON reports" 1 "$(( $(wc -l <"$T/goldens") >= 40 ))"
assert_eq "goldens: every JSON report is valid" "" "$(valid "$REPORT_SCHEMA" $(cat "$T/goldens"))"

# --- fresh reports ---------------------------------------------------------------------
run analyze --format json fixtures/logs/success-buildkit-pip-root-warning.log
assert_rc "success: exit 0" 0
jq_eq "success: no diagnoses" '.outcome + " " + (.diagnoses | length | tostring)' "success 0"
assert_eq "success: valid" "" "$(valid "$REPORT_SCHEMA" "$OUT")"
run analyze --format json --baseline tests/data/changes/ok.log tests/data/changes/failed.log
jq_eq "changes: present" '.changes.packages | length' 3
assert_eq "changes: valid" "" "$(valid "$REPORT_SCHEMA" "$OUT")"
jq '.changes.packages[0].manager = "npm"' "$OUT" >"$T/bad-changes.json"
assert_contains "changes: a manager outside the enum is refused" "npm" <(valid "$REPORT_SCHEMA" "$T/bad-changes.json")
run analyze --format json fixtures/logs/apt-no-installation-candidate.log fixtures/logs/api-fetch-copy-missing.json
assert_rc "two files: exit 0" 0
assert_eq "two files: two lines" 2 "$(wc -l <"$OUT")"
assert_eq "two files: each valid" "" "$(valid "$REPORT_SCHEMA" "$OUT")"
run_stdin fixtures/logs/copy-missing-requirements-legacy.log analyze --format json -
jq_eq "stdin: the kind" '.source.kind' stdin
assert_eq "stdin: valid" "" "$(valid "$REPORT_SCHEMA" "$OUT")"

KEY=bs-e2e-schema-Key-5e21
unset PIPECAT_CLOUD_API_KEY
export PIPECAT_API_KEY=$KEY NO_COLOR=1
mkdir -p "$T/builds"
python3 - "$T/builds" <<'PY'
import json, sys
log = [
    "[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD",
    "#4 [3/3] RUN pip install -r requirements.txt",
    "#4 2.102 ERROR: No matching distribution found for cloud-init==20.4",
    "#4 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1",
    "[Container] 2026/03/04 12:00:03.000000 Phase complete: BUILD State: FAILED",
]
def put(n, status, created):
    bid = "5c000000-0000-4000-8000-0000000000" + n
    doc = {"build": {"id": bid, "status": status, "region": "us-west", "dockerfilePath": "Dockerfile",
                     "contextHash": "ab12cd", "errorMessage": "Docker build failed", "contextSizeBytes": 1024,
                     "buildDurationSeconds": 61.5, "createdAt": created}, "logs": log}
    json.dump(doc, open("%s/%s.json" % (sys.argv[1], bid), "w"))
put("01", "failed", "2026-03-04T09:00:00.000Z")
put("02", "building", "2026-03-04T10:00:00.000Z")
PY
start_fake PC tests/fake_api/fake_pipecat.py --key "$KEY" --no-samples --data "$T/builds"
export PIPECAT_API_URL=http://127.0.0.1:$PC_PORT/v1
timeout 30 "$BS" diagnose --format json --latest --region us-west --since 2026-03-01 >"$OUT" 2>"$ERR" </dev/null
RC=$?
assert_rc "--latest: exit 0" 0
jq_eq "--latest: the build and how it was chosen" '[.source.build_id, .source.selected.by, .build.status] | join(" ")' \
	"5c000000-0000-4000-8000-000000000001 latest failed"
assert_eq "--latest: valid" "" "$(valid "$REPORT_SCHEMA" "$OUT")"
timeout 30 "$BS" diagnose --format json 5c000000-0000-4000-8000-000000000002 >"$OUT" 2>"$ERR" </dev/null
RC=$?
assert_rc "running: exit 0" 0
jq_eq "running: the outcome" '.outcome' running
assert_eq "running: valid" "" "$(valid "$REPORT_SCHEMA" "$OUT")"

# --- reports that break it are refused ------------------------------------------------
# broken NAME JQ: the first golden, changed by JQ, is invalid
golden=$(head -1 "$T/goldens")
broken() {
	jq "$2" "$golden" >"$T/broken.json"
	if [ -n "$(valid "$REPORT_SCHEMA" "$T/broken.json")" ]; then pass "refused: $1"
	else fail "the schema accepts a report with $1"; fi
}
broken "no diagnoses field" 'del(.diagnoses)'
broken "another schema name" '.schema = "buildsleuth.report/v2"'
broken "a category not in the list" '.diagnoses[0].category = "net"'
broken "rank 0" '.diagnoses[0].rank = 0'
broken "a failed build without diagnoses" '.outcome = "failed" | .diagnoses = []'
broken "a successful build with diagnoses" '.outcome = "success"'
broken "a line number 0" '.diagnoses[0].evidence[0].line = 0'
broken "a location without its line" '.diagnoses[0].location = {"file": "requirements.txt"}'
broken "a file source without its path" '.source = {"kind": "file"}'

# --- the rule files --------------------------------------------------------------------
ls rules/*.json | grep -v '/schema\.json$' >"$T/rule-files"
assert_eq "rules: every rule file is valid" "" "$(valid "$RULE_SCHEMA" $(cat "$T/rule-files"))"
jq '.rules[0].category = "net"' rules/pip.json >"$T/bad-rules.json"
assert_eq "rules: a bad category is refused" 1 "$(valid "$RULE_SCHEMA" "$T/bad-rules.json" | grep -c "rules/0/category")"

finish
