#!/usr/bin/env bash
# bench/audit.sh - `buildsleuth audit` against the fake Pipecat API with
# 50 ms of latency on every request: 200 failed builds, `audit --status
# failed --jobs 16 --format markdown` against the shell loop of
# docs/audit.md (one `curl | jq` per build, one after another; target: 10x
# faster), then peak memory (/usr/bin/time -v) for 100, 200, 500 and 1,000
# builds (target: under 64 MB and flat); then --db: 1,000 builds stored by a
# first run, a re-run that fetches none of them, --offline, and 200 new
# builds audited into databases already holding 0, 2,000 and 10,000 other
# builds (target: time and peak RSS flat in the builds stored).
#   bash bench/audit.sh            all of it (about two minutes); also run by make bench
#   SIZES="100 1000" DB_STORED="0 10000" bash bench/audit.sh
#   BENCH_STRICT=1 bash bench/audit.sh   exit 1 when a target is missed
. "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-100 200 500 1000}
DB_STORED=${DB_STORED:-0 2000 10000}
case $BS in /*) ;; *) BS=$PWD/$BS ;; esac
LATENCY=0.05
KEY=bench-audit-key-0c41
export PIPECAT_API_KEY=$KEY
unset PIPECAT_CLOUD_API_KEY
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-audit.XXXXXX")
FAKE_PID=
trap '[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$TMP"' EXIT

for tool in curl jq python3; do
	have $tool || { echo "bench: $tool is missing" >&2; exit 1; }
done
if [ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" = 0 ] && have apt-get; then
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time) >/dev/null ||
			{ echo "bench: apt-get install time failed" >&2; exit 1; }
	else
		echo "bench: /usr/bin/time is missing; install it with: sudo apt-get install -y time" >&2
		exit 1
	fi
fi

# fake_start N: a fresh fake API with N generated failed builds and the latency
fake_start() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
	python3 tests/fake_api/fake_pipecat.py --lifetime 900 --key "$KEY" --no-samples \
		--generate "$1" --fault "{\"kind\": \"latency\", \"delay\": $LATENCY}" \
		>"$TMP/fake.out" 2>"$TMP/fake.err" &
	FAKE_PID=$!
	for _ in $(seq 200); do
		grep -q '^PORT ' "$TMP/fake.out" 2>/dev/null && break
		sleep 0.05
	done
	PIPECAT_API_URL=http://127.0.0.1:$(awk '/^PORT /{print $2}' "$TMP/fake.out")/v1
	export PIPECAT_API_URL
}

# measure CMD...: run once under /usr/bin/time; sets WALL (s) and RSS (KiB)
measure() {
	/usr/bin/time -v -o "$TMP/time.txt" "$@" >"$TMP/run.out" 2>"$TMP/run.err" || {
		echo "bench: '$*' failed:" >&2
		tail -5 "$TMP/run.err" >&2
		exit 1
	}
	WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$TMP/time.txt")
	RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")
}

# The baseline, the loop of docs/audit.md: ids.txt from the listing, then
# one `curl | jq` per build, one after another ($1: a folder, $2: buildsleuth).
cat >"$TMP/loop.sh" <<'LOOP'
api=$PIPECAT_API_URL
auth() { printf 'Authorization: Bearer %s\n' "$PIPECAT_API_KEY"; }
cd "$1" || exit 1
offset=0
while :; do
  page=$(curl -fsS -H @<(auth) "$api/builds?status=failed&limit=100&offset=$offset")
  jq -r '.builds[].id' <<<"$page"
  offset=$((offset + $(jq '.builds | length' <<<"$page")))
  [ "$offset" -lt "$(jq .total <<<"$page")" ] || break
done >ids.txt
while read -r id; do
  curl -fsS -H @<(auth) "$api/builds/$id/logs?limit=10000" |
    jq -r '.logs[] | if type == "string" then . else (.message // .log) end' |
    "$2" analyze --format json - | jq -r '.diagnoses[0].category'
done <ids.txt | sort | uniq -c | sort -rn
LOOP

audit_cmd=("$BS" audit --status failed --jobs 16 --format markdown)

# --- 200 builds: audit against the shell loop ---------------------------------------
fake_start 200
runs=()
for _ in 1 2 3; do
	measure "${audit_cmd[@]}"
	runs+=("$WALL")
done
AUDIT_T=$(printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p)
cp "$TMP/run.out" "$TMP/audit-200.md"
for want in '<!-- buildsleuth:audit -->' '**Classification rate: ' '| Category | Builds |' \
	'#### By rule' 'unknown builds: no rule explains them'; do
	grep -qF -- "$want" "$TMP/audit-200.md" || { echo "bench: the report lacks '$want'" >&2; exit 1; }
done
measure bash "$TMP/loop.sh" "$TMP" "$BS"
LOOP_T=$WALL
LOOP_N=$(awk '{ n += $1 } END { print n }' "$TMP/run.out")
[ "$LOOP_N" = 200 ] || { echo "bench: the shell loop diagnosed $LOOP_N builds, not 200" >&2; exit 1; }
SPEEDUP=$(ratio "$LOOP_T" "$AUDIT_T")

# --- memory from 100 to 1,000 builds ------------------------------------------------
rows=""
rss_first="" rss_max=0
for n in $SIZES; do
	fake_start "$n"
	measure "${audit_cmd[@]}"
	got=$(grep -o '^### Build failure audit: [0-9]*' "$TMP/run.out" | grep -o '[0-9]*$')
	[ "$got" = "$n" ] || { echo "bench: audited $got builds, not $n" >&2; exit 1; }
	rows="$rows| $n | $(awk -v s="$WALL" 'BEGIN { printf "%.2f", s }') s | $(awk -v s="$WALL" -v n="$n" 'BEGIN { printf "%.0f", n / s }') | $(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }') MB |"$'\n'
	[ -z "$rss_first" ] && rss_first=$RSS
	[ "$RSS" -gt "$rss_max" ] && rss_max=$RSS
done

# --- --db: stored once, then skipped; history does not slow an audit ---------------------
fake_start 1000
measure "${audit_cmd[@]}" --db "$TMP/audit.db"
DB_FIRST="$WALL $RSS"
measure "${audit_cmd[@]}" --db "$TMP/audit.db"
DB_RERUN="$WALL $RSS"
grep -q '^### Build failure audit: 1000 builds' "$TMP/run.out" ||
	{ echo "bench: the re-run did not report 1000 builds" >&2; exit 1; }
measure "$BS" audit --db "$TMP/audit.db" --offline --by week --format markdown
DB_OFFLINE="$WALL $RSS"
db_rows=""
db_rss_first="" db_rss_max=0 db_t_first="" db_t_max=0
for stored in $DB_STORED; do
	# a history of `stored` other builds: rows of audit.db under new IDs
	python3 - "$TMP/audit.db" "$TMP/history-$stored.db" "$stored" <<'PY' || exit 1
import shutil, sqlite3, sys, uuid
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = sqlite3.connect(src)
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
shutil.copy(src, dst)
con = sqlite3.connect(dst)
rows = con.execute("SELECT * FROM builds").fetchall()
con.execute("DELETE FROM builds")
con.execute("DELETE FROM diagnoses")
for i in range(n):
    row = list(rows[i % len(rows)])
    row[0] = str(uuid.UUID(int=i + 1, version=4))
    con.execute("INSERT INTO builds VALUES (%s)" % ",".join("?" * len(row)), row)
    con.execute("INSERT INTO diagnoses VALUES (?, 1, ?, ?, ?, 1, 1)",
                (row[0], row[10] or "unknown", row[11] or "unknown", row[12]))
con.commit()
PY
	measure "${audit_cmd[@]}" --max 200 --db "$TMP/history-$stored.db"
	db_rows="$db_rows| $stored | $(awk -v s="$WALL" 'BEGIN { printf "%.2f", s }') s | $(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }') MB |"$'\n'
	[ -z "$db_rss_first" ] && db_rss_first=$RSS && db_t_first=$WALL
	[ "$RSS" -gt "$db_rss_max" ] && db_rss_max=$RSS
	db_t_max=$(awk -v a="$db_t_max" -v b="$WALL" 'BEGIN { print (b > a) ? b : a }')
done
DB_FLAT=$(awk -v a="$db_rss_first" -v b="$db_rss_max" -v s="$db_t_first" -v t="$db_t_max" \
	'BEGIN { print (b <= a * 1.15 + 2048 && t <= s * 1.5 + 0.5) ? "yes" : "NO" }')
# s K: "W s, R MB" of a "WALL RSS" pair
wr() { awk -v w="${1% *}" -v k="${1#* }" 'BEGIN { printf "%.2f s | %.1f MB", w, k / 1024 }'; }

{
	echo "### Audit: 200 failed builds, ${LATENCY}s latency per request (fake API on 127.0.0.1)"
	echo
	echo "| command | wall time |"
	echo "|---|---:|"
	echo "| \`buildsleuth audit --status failed --jobs 16 --format markdown\` (median of 3) | $(ms "$AUDIT_T") ms |"
	echo "| shell loop of docs/audit.md (\`curl \\| jq\` per build, sequential) | $(ms "$LOOP_T") ms |"
	echo
	echo "Speed-up: **${SPEEDUP}x** (target >= 10x: **$(awk -v s="$SPEEDUP" 'BEGIN { print (s >= 10) ? "met" : "NOT met" }')**)."
	echo
	echo "| builds | wall time | builds/s | peak RSS |"
	echo "|---:|---:|---:|---:|"
	printf '%s' "$rows"
	echo
	echo "Peak RSS at most $(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }') MB (target < 64 MB: **$(awk -v k="$rss_max" 'BEGIN { print (k < 65536) ? "met" : "NOT met" }')**);"
	echo "growth from the smallest to the largest run: $(awk -v a="$rss_first" -v b="$rss_max" 'BEGIN { printf "%+.1f", (b - a) / 1024 }') MB"
	echo "(flat: **$(awk -v a="$rss_first" -v b="$rss_max" 'BEGIN { print (b <= a * 1.15 + 2048) ? "yes" : "NO" }')**, within 15% + 2 MB)."
	echo
	echo "### Audit with \`--db\`: 1,000 builds, the same latency"
	echo
	echo "| run | wall time | peak RSS |"
	echo "|---|---:|---:|"
	echo "| first run: every build fetched, diagnosed and stored | $(wr "$DB_FIRST") |"
	echo "| re-run: every build taken from the database (the listing only) | $(wr "$DB_RERUN") |"
	echo "| \`--offline --by week\`: the database alone | $(wr "$DB_OFFLINE") |"
	echo
	echo "200 new builds (\`--max 200\`) into a database already holding other builds:"
	echo
	echo "| builds stored | wall time | peak RSS |"
	echo "|---:|---:|---:|"
	printf '%s' "$db_rows"
	echo
	echo "Flat in the builds stored (RSS within 15% + 2 MB, time within 1.5x + 0.5 s): **$DB_FLAT**."
	echo
} >"$RES/audit.md"
cat "$RES/audit.md"
# like the other benchmarks: a missed target is reported, not an error;
# BENCH_STRICT=1 makes it one
[ -z "${BENCH_STRICT:-}" ] ||
	awk -v s="$SPEEDUP" -v k="$rss_max" -v a="$rss_first" -v f="$DB_FLAT" \
		'BEGIN { exit !(s >= 10 && k < 65536 && k <= a * 1.15 + 2048 && f == "yes") }'
