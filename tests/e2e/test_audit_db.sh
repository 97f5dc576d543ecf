#!/usr/bin/env bash
# tests/e2e/test_audit_db.sh - `buildsleuth audit --db FILE` against the fake
# Pipecat API: the rows stored (read back with Python's sqlite3), a re-run
# that fetches nothing stored, --refresh, --reanalyze after a rule change,
# SIGKILL mid-run then resume with every build exactly once, builds not in a
# final state left out, --offline with --since/--until, --by day|week|month
# in every format, --export as CSV and JSON Lines, shard databases merged by
# --import-db equal to one run's, and a database that cannot be written.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP

export PIPECAT_API_KEY=bs-audit-db-Key-7c21
unset PIPECAT_CLOUD_API_KEY PIPECAT_API_URL
export NO_COLOR=1
GEN=12                  # generated failed builds (one unclassifiable: i = 7)
SAMPLES=tests/fake_api/builds
PIP=$SAMPLES/123e4567-e89b-12d3-a456-426614174000.log     # pip: cloud-init==20.4
RUNN=$SAMPLES/6f1c2a3b-0006-4a5b-8c6d-000000000006.log    # dockerfile: RUNN
SUCCESS=6f1c2a3b-0001-4a5b-8c6d-000000000001
SCRIPTED=6f1c2a3b-0005-4a5b-8c6d-000000000005             # pending first

# Seven failed builds spread over ISO weeks 2026-W01, W02 and W04 (W03 has
# none), and two months; 2025-12-29 (a Monday) is in 2026-W01.
DATA=$T/data
mkdir -p "$DATA"
add_build() { # N LOG CREATED
	local id=aaaaaaaa-0000-4000-8000-00000000000$1
	cp "$2" "$DATA/$id.log"
	printf '{"build": {"id": "%s", "status": "failed", "region": "eu-central", "createdAt": "%s", "errorMessage": "Build failed"}}\n' \
		"$id" "$3" >"$DATA/$id.build.json"
}
add_build 1 "$PIP" 2025-12-29T09:00:00.000Z
add_build 2 "$PIP" 2026-01-01T12:00:00.000Z
add_build 3 "$RUNN" 2026-01-04T23:59:59.000Z
add_build 4 "$RUNN" 2026-01-05T00:00:00.000Z
add_build 5 "$PIP" 2026-01-20T10:00:00.000Z
add_build 6 "$PIP" 2026-01-21T10:00:00.000Z
add_build 7 "$PIP" 2026-01-22T10:00:00.000Z
cp "$SAMPLES/$SUCCESS.json" "$SAMPLES/$SCRIPTED.json" "$DATA/"
TREND_IDS=$(seq 1 7 | sed 's/^/aaaaaaaa-0000-4000-8000-00000000000/')
N=$((GEN + 7))          # failed builds listed

start_fake FAKE tests/fake_api/fake_pipecat.py --key "$PIPECAT_API_KEY" --data "$DATA" \
	--generate $GEN
CTL=http://127.0.0.1:$FAKE_PORT
export PIPECAT_API_URL=$CTL/v1

# audit ARGS...: run the binary (killed after 60 s: a hang fails, never blocks)
audit() { timeout $((60 * ${TIME_FACTOR:-1})) "$BS" audit "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
# sql DB QUERY: the rows, one a line, columns joined by '|' (NULL as empty)
sql() {
	python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)  # autocommit
for row in con.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
EOF
}
# log requests the fake recorded since the last reset
log_requests() { requests; jq '[.requests[] | select(.path | endswith("/logs"))] | length' "$T/req.json"; }
# a dump of what a database holds, without the time of analysis
dump() {
	sql "$1" "SELECT id, created_at, status, region, dockerfile_path, context_hash, error_message,
		outcome, failed_phase, failed_step, top_rule, top_category, top_subject, inferred,
		rules_digest, report FROM builds ORDER BY id"
	sql "$1" "SELECT * FROM diagnoses ORDER BY build_id, rank"
}

# --- a run stores every build -------------------------------------------------------
DB=$T/audit.db
reset
audit --status failed --db "$DB" --format json
assert_rc "stores: exit" 0
cp "$OUT" "$T/first.json"
jq_eq "stores: the report covers every build" '.builds.analysed' "$N"
assert_eq "stores: one row per build" "$N|$N" "$(sql "$DB" "SELECT count(*), count(DISTINCT id) FROM builds")"
assert_eq "stores: schema version" 1 "$(sql "$DB" "PRAGMA user_version")"
assert_eq "stores: WAL" wal "$(sql "$DB" "PRAGMA journal_mode")"
assert_eq "stores: a build's row" \
	"aaaaaaaa-0000-4000-8000-000000000001|2025-12-29T09:00:00.000Z|failed|eu-central|Build failed|failed|BUILD|pip.no-matching-distribution|dependency-resolution|cloud-init==20.4|0" \
	"$(sql "$DB" "SELECT id, created_at, status, region, error_message, outcome, failed_phase, top_rule,
		top_category, top_subject, inferred FROM builds WHERE id = 'aaaaaaaa-0000-4000-8000-000000000001'")"
assert_eq "stores: its diagnoses" \
	"1|pip.no-matching-distribution|dependency-resolution|cloud-init==20.4|3|38" \
	"$(sql "$DB" "SELECT rank, rule, category, subject, count, first_line FROM diagnoses
		WHERE build_id = 'aaaaaaaa-0000-4000-8000-000000000001' ORDER BY rank LIMIT 1")"
assert_eq "stores: its report is the build's buildsleuth.report/v1" \
	"buildsleuth.report/v1 aaaaaaaa-0000-4000-8000-000000000001 pip.no-matching-distribution" \
	"$(sql "$DB" "SELECT report FROM builds WHERE id = 'aaaaaaaa-0000-4000-8000-000000000001'" |
		jq -r '"\(.schema) \(.build.id) \(.diagnoses[0].rule)"')"
assert_eq "stores: the failed step as JSON" "RUN 1" \
	"$(sql "$DB" "SELECT json_extract(failed_step, '$.instruction'), json_extract(failed_step, '$.exit_code')
		FROM builds WHERE id = 'aaaaaaaa-0000-4000-8000-000000000001'" | tr '|' ' ')"
assert_eq "stores: no failed step: NULL" "1" \
	"$(sql "$DB" "SELECT failed_step IS NULL FROM builds WHERE id = 'aaaaaaaa-0000-4000-8000-000000000003'")"
DIGEST=$(sql "$DB" "SELECT DISTINCT rules_digest FROM builds")
assert_eq "stores: one rules digest, 16 hex digits" 1 "$(grep -c '^[0-9a-f]\{16\}$' <<<"$DIGEST")"
assert_eq "stores: every diagnosis row belongs to a build" 0 \
	"$(sql "$DB" "SELECT count(*) FROM diagnoses WHERE build_id NOT IN (SELECT id FROM builds)")"
assert_eq "stores: as many top diagnoses as builds" "$N" "$(sql "$DB" "SELECT count(*) FROM diagnoses WHERE rank = 1")"

# --- a second run fetches nothing stored -------------------------------------------------
reset
audit --status failed --db "$DB" --format json
assert_rc "re-run: exit" 0
assert_eq "re-run: no log request" 0 "$(log_requests)"
requests
rq "re-run: only the listing" '[.requests[] | select(.path != "/v1/builds")] | length' 0
assert_same_file "re-run: the same report from the database" "$T/first.json" "$OUT"
reset
audit aaaaaaaa-0000-4000-8000-000000000002 --db "$DB" --format json
requests
rq "named and stored: no request at all" '.requests | length' 0
jq_eq "named and stored: reported" '.categories[0].category' dependency-resolution
reset
audit --status failed --db "$DB" --refresh --format json
assert_eq "--refresh: fetches every build again" "$N" "$(log_requests)"
assert_eq "--refresh: still one row per build" "$N" "$(sql "$DB" "SELECT count(*) FROM builds")"

# --- only final states are stored ----------------------------------------------------
reset
audit "$SUCCESS" "$SCRIPTED" --db "$DB" --format json
assert_rc "final states: exit" 0
assert_eq "final states: the success stored, the pending one not" "$SUCCESS|success||" \
	"$(sql "$DB" "SELECT id, status, top_rule, inferred FROM builds WHERE id IN ('$SUCCESS', '$SCRIPTED')")"
reset
audit "$SCRIPTED" --db "$DB" --format json
requests
rq "final states: the pending build is fetched again" '[.requests[] | select(.path == "/v1/builds/'"$SCRIPTED"'")] | length' 1
sql "$DB" "DELETE FROM builds WHERE id IN ('$SUCCESS', '$SCRIPTED')" >/dev/null
sql "$DB" "DELETE FROM diagnoses WHERE build_id IN ('$SUCCESS', '$SCRIPTED')" >/dev/null
assert_eq "final states: the rows deleted again" "$N" "$(sql "$DB" "SELECT count(*) FROM builds")"

# --- --reanalyze after a rule change --------------------------------------------------------
RULES=$T/rules
mkdir -p "$RULES"
cat >"$RULES/voicebank.json" <<'EOF'
{"rules": [{
  "id": "test.voicebank-drift",
  "title": "Voice bank manifest drifted",
  "category": "application",
  "priority": 95,
  "patterns": ["voicebank: manifest digest drifted"],
  "summary": "the voice bank's manifest digest drifted",
  "hint": "Rebuild the voice bank.",
  "examples": {"match": ["#8 0.510 voicebank: manifest digest drifted (wanted 7c1e, have 91ab)"]}
}]}
EOF
UNKNOWN=$(sql "$DB" "SELECT id FROM builds WHERE top_category = 'unknown'")
assert_eq "reanalyze: one unknown build before" 1 "$(grep -c . <<<"$UNKNOWN")"
reset
audit --status failed --db "$DB" --rules "$RULES" --format json
assert_eq "new rules without --reanalyze: no log request" 0 "$(log_requests)"
assert_eq "new rules without --reanalyze: the row is kept" "unknown|$DIGEST" \
	"$(sql "$DB" "SELECT top_rule, rules_digest FROM builds WHERE id = '$UNKNOWN'")"
reset
audit --status failed --db "$DB" --rules "$RULES" --reanalyze --format json
assert_rc "--reanalyze: exit" 0
assert_eq "--reanalyze: every build analysed with other rules is fetched again" "$N" "$(log_requests)"
NEW=$(sql "$DB" "SELECT DISTINCT rules_digest FROM builds")
assert_eq "--reanalyze: one new digest for every row" true \
	"$([ "$(grep -c . <<<"$NEW")" = 1 ] && [ "$NEW" != "$DIGEST" ] && echo true)"
assert_eq "--reanalyze: the unknown build now has the new rule" "test.voicebank-drift|application" \
	"$(sql "$DB" "SELECT top_rule, top_category FROM builds WHERE id = '$UNKNOWN'")"
jq_eq "--reanalyze: the report counts it" '[.categories[] | select(.category == "unknown")] | length' 0
reset
audit --status failed --db "$DB" --rules "$RULES" --reanalyze --format json
assert_eq "--reanalyze again with the same rules: no log request" 0 "$(log_requests)"

# --save-dir keeps raw logs only: --reanalyze diagnoses them again without a request
SDB=$T/saved.db
reset
audit --status failed --db "$SDB" --save-dir "$T/saved"
assert_eq "--save-dir with --db: raw logs saved" "$N" "$(ls "$T/saved" | grep -c '\.json$')"
reset
audit --status failed --db "$SDB" --save-dir "$T/saved" --rules "$RULES" --reanalyze
assert_eq "--reanalyze with --save-dir: diagnosed from the saved logs, no log request" 0 "$(log_requests)"
assert_eq "--reanalyze with --save-dir: the row updated" "test.voicebank-drift" \
	"$(sql "$SDB" "SELECT top_rule FROM builds WHERE id = '$UNKNOWN'")"
audit --logs-dir "$T/saved" --db "$T/from-logs.db" --format json
assert_rc "--logs-dir with --db: exit" 0
assert_eq "--logs-dir with --db: every saved build stored" "$N|unknown" \
	"$(sql "$T/from-logs.db" "SELECT count(*), (SELECT top_rule FROM builds WHERE id = '$UNKNOWN') FROM builds")"

# --- SIGKILL mid-run, then resume: every build exactly once ----------------------------
K=5
KDB=$T/killed.db
reset
faults '[{"path": "/v1/builds/*/logs", "kind": "slow", "delay": 120, "skip": '"$K"'}]'
"$BS" audit --status failed --db "$KDB" --jobs 1 -q --format json >/dev/null 2>"$T/killed.err" </dev/null &
APID=$!
for _ in $(seq $((400 * ${TIME_FACTOR:-1}))); do
	# the next build's log hangs: no more can be stored
	[ "$(sql "$KDB" "SELECT count(*) FROM builds" 2>/dev/null)" = "$K" ] && break
	sleep 0.05
done
{ kill -KILL $APID; wait $APID; } 2>/dev/null  # (no "Killed" line from bash)
assert_eq "killed: the builds finished before are stored" "$K" "$(sql "$KDB" "SELECT count(*) FROM builds")"
sql "$KDB" "SELECT id FROM builds" | sort >"$T/killed-ids.txt"
reset
audit --status failed --db "$KDB" --jobs 1 --format json --per-build "$T/resumed.jsonl"
assert_rc "resumed: exit" 0
assert_eq "resumed: only the builds not stored are fetched" $((N - K)) "$(log_requests)"
assert_eq "resumed: none stored is fetched again" "" \
	"$(jq -r '.requests[] | select(.path | endswith("/logs")) | .path | split("/")[3]' "$T/req.json" |
		sort | comm -12 - "$T/killed-ids.txt")"
assert_eq "resumed: every build exactly once" "$N|$N" "$(sql "$KDB" "SELECT count(*), count(DISTINCT id) FROM builds")"
assert_eq "resumed: each in the report once" "$N $N" \
	"$(jq -r '.build.id' "$T/resumed.jsonl" | sort | uniq | wc -l) $(wc -l <"$T/resumed.jsonl")"
jq_eq "resumed: the report covers every build" '.builds.analysed' "$N"
assert_eq "resumed: the same rows as an uninterrupted run" "$(sql "$DB" "SELECT count(*) FROM builds WHERE top_category = 'dependency-resolution'")" \
	"$(sql "$KDB" "SELECT count(*) FROM builds WHERE top_category = 'dependency-resolution'")"

# --- --offline with --since/--until ----------------------------------------------------------
reset
audit --db "$DB" --offline --format json
assert_rc "--offline: exit" 0
requests
rq "--offline: no request" '.requests | length' 0
jq_eq "--offline: every stored build" '.builds.analysed' "$N"
audit --db "$DB" --offline --since 2026-01-01 --until 2026-01-05 --format json
jq_eq "--offline --since --until: the builds created in between" \
	'[.builds.analysed, ([.categories[] | "\(.category)=\(.builds)"] | join(","))] | join(" ")' \
	"2 dependency-resolution=1,dockerfile=1"
PIPECAT_API_KEY= audit --db "$DB" --offline --format json
assert_rc "--offline: needs no API key" 0
audit --db "$T/missing.db" --offline
assert_rc "--offline, no database: exit 3" 3
assert_stderr "--offline, no database: one line" \
	"buildsleuth: cannot open the database '$T/missing.db': unable to open database file"
audit --db "$DB" --offline --status failed
assert_rc "--offline with a build selection: usage" 2
audit --db "$DB"
assert_stderr "--db alone: names --offline" "buildsleuth: audit: nothing to audit: give BUILD_IDs, --ids-from FILE, --status failed or --logs-dir DIR (or --offline to report the database) (see 'buildsleuth audit --help')"
audit --status failed --reanalyze
assert_stderr "--reanalyze without --db: usage" "buildsleuth: audit: --reanalyze goes with --db FILE (see 'buildsleuth audit --help')"

# --- --by ----------------------------------------------------------------------------------
TDB=$T/trend.db
# shellcheck disable=SC2086 # the IDs are words
audit $TREND_IDS --db "$TDB" --by week --format csv
assert_rc "--by week: exit" 0
printf '%s\r\n' "period,category,count,previous,change" \
	"2026-W01,dependency-resolution,2,," \
	"2026-W01,dockerfile,1,," \
	"2026-W02,dependency-resolution,0,2,-2" \
	"2026-W02,dockerfile,1,1,0" \
	"2026-W03,dependency-resolution,0,0,0" \
	"2026-W03,dockerfile,0,1,-1" \
	"2026-W04,dependency-resolution,3,0,3" \
	"2026-W04,dockerfile,0,0,0" >"$T/week.csv"
assert_same_file "--by week: csv, one row per period and category" "$T/week.csv" "$OUT"
audit --db "$TDB" --offline --by month --format json
jq_eq "--by month: json" '.trend | "\(.by) " + ([.periods[] | .period + ":" + ([.categories[] | "\(.category)=\(.count)/\(.previous)/\(.change)"] | join(","))] | join(" "))' \
	"month 2025-12:dependency-resolution=1/null/null,dockerfile=0/null/null 2026-01:dependency-resolution=4/1/3,dockerfile=2/0/2"
audit --db "$TDB" --offline --by day --since 2026-01-04 --until 2026-01-06 --format json
jq_eq "--by day: json" '[.trend.periods[] | "\(.period)=\(.total)"] | join(" ")' "2026-01-04=1 2026-01-05=1"
audit --db "$TDB" --offline --by week --format markdown
assert_contains "--by week: markdown header" "| period | builds | dependency-resolution | dockerfile |" "$OUT"
assert_contains "--by week: markdown row" "| 2026-W02 | 1 | 0 (-2) | 1 (±0) |" "$OUT"
audit --db "$TDB" --offline --by week
assert_contains "--by week: text row" "2026-W04        3  3 (+3)" "$OUT"
audit --db "$KDB" --offline --by month --format csv
cp "$OUT" "$T/by-month-db.csv"
audit --from-reports "$T/resumed.jsonl" --by month --format csv
assert_same_file "--by: the same trend from --per-build files as from the database" \
	"$T/by-month-db.csv" "$OUT"
assert_eq "--by month: every month from the first build's to the last's" "2025-12 2026-01 2026-02 2026-03" \
	"$(cut -d, -f1 "$OUT" | tr -d '\r' | sed 1d | sort -u | tr '\n' ' ' | sed 's/ $//')"
audit --db "$TDB" --offline --by year
assert_rc "--by year: usage" 2

# --- --export ------------------------------------------------------------------------------
audit --db "$TDB" --offline --since 2026-01-01 --until 2026-01-05 --export "$T/rows.csv"
assert_rc "--export csv: exit" 0
printf '%s\r\n' "id,created_at,region,outcome,top_rule,top_category,top_subject,inferred" \
	"aaaaaaaa-0000-4000-8000-000000000002,2026-01-01T12:00:00.000Z,eu-central,failed,pip.no-matching-distribution,dependency-resolution,cloud-init==20.4,false" \
	"aaaaaaaa-0000-4000-8000-000000000003,2026-01-04T23:59:59.000Z,eu-central,failed,docker.unknown-instruction,dockerfile,RUNN,false" \
	>"$T/rows-expected.csv"
assert_same_file "--export csv: the rows" "$T/rows-expected.csv" "$T/rows.csv"
audit --db "$TDB" --offline --until 2026-01-01 --export "$T/rows.jsonl"
assert_rc "--export jsonl: exit" 0
echo '{"id":"aaaaaaaa-0000-4000-8000-000000000001","created_at":"2025-12-29T09:00:00.000Z","region":"eu-central","outcome":"failed","top_rule":"pip.no-matching-distribution","top_category":"dependency-resolution","top_subject":"cloud-init==20.4","inferred":false}' \
	>"$T/rows-expected.jsonl"
assert_same_file "--export jsonl: the rows" "$T/rows-expected.jsonl" "$T/rows.jsonl"

audit --db "$TDB" --offline --export -
assert_rc "--export to stdout: usage" 2
ln -s "$T/rows.csv" "$T/link.csv"
reset
audit --status failed --db "$TDB" --export "$T/link.csv"
assert_rc "--export to a symbolic link: exit 3" 3
assert_stderr "--export to a symbolic link: one line" \
	"buildsleuth: cannot write '$T/link.csv': it is a symbolic link to '$T/rows.csv' (not followed)"
requests
rq "--export to a symbolic link: refused before any request" '.requests | length' 0
assert_same_file "--export to a symbolic link: its target untouched" "$T/rows-expected.csv" "$T/rows.csv"

# --- shards merged by --import-db equal one run ---------------------------------------------
reset
for k in 0 1 2; do
	audit --status failed --shard "$k/3" --db "$T/shard-$k.db" --format json
	assert_rc "shard $k: exit" 0
done
audit --status failed --db "$T/one.db" --format json
cp "$OUT" "$T/one.json"
audit --db "$T/merged.db" --import-db "$T/shard-2.db" "$T/shard-0.db" "$T/shard-1.db" --format json
assert_rc "--import-db: exit" 0
assert_same_file "--import-db: the report of one run" "$T/one.json" "$OUT"
dump "$T/one.db" >"$T/one.dump"
dump "$T/merged.db" >"$T/merged.dump"
assert_same_file "--import-db: the rows of one run" "$T/one.dump" "$T/merged.dump"
audit --db "$T/merged.db" --import-db "$T/shard-0.db" --format json
assert_same_file "--import-db: importing a shard again changes nothing" "$T/one.json" "$OUT"
audit --db "$T/merged2.db" --import-db "$T/nothere.db"
assert_rc "--import-db, a missing shard: exit 3" 3
audit --import-db "$T/shard-0.db"
assert_rc "--import-db without --db: usage" 2

# --- a database that cannot be written ---------------------------------------------------------
reset
audit --status failed --db "$T/no/such/dir/a.db"
assert_rc "unwritable --db: exit 3" 3
assert_stderr "unwritable --db: one line" \
	"buildsleuth: cannot open the database '$T/no/such/dir/a.db': unable to open database file"
requests
rq "unwritable --db: before any request" '.requests | length' 0
echo "not a database, just text" >"$T/text.db"
audit --status failed --db "$T/text.db"
assert_rc "not a database: exit 3" 3
assert_stderr "not a database: one line" \
	"buildsleuth: cannot read the database '$T/text.db': file is not a database"
sql "$T/other.db" "CREATE TABLE t (x)" >/dev/null
audit --status failed --db "$T/other.db"
assert_rc "another program's database: exit 3" 3
assert_stderr "another program's database: one line" \
	"buildsleuth: '$T/other.db' is not a buildsleuth audit database"

finish
