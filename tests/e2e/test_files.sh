#!/usr/bin/env bash
# tests/e2e/test_files.sh - the files the tool writes and reads (DESIGN.md
# "Files the tool writes"): `fetch -o` and `audit --per-build` into regular
# files, devices, FIFOs, descriptors and symbolic links; closed standard
# descriptors; an unwritable --save-dir; hostile --rules folders (symbolic
# link loops, FIFOs). Network cases run against the fake Pipecat API.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
TF=${TIME_FACTOR:-1}

KEY=bs-files-Key-51c0e2
export PIPECAT_API_KEY=$KEY
unset PIPECAT_CLOUD_API_KEY PIPECAT_API_URL
export NO_COLOR=1
FAILED=6f1c2a3b-0002-4a5b-8c6d-000000000002     # a sample build of the fake API
LOGS=$T/logs                                     # an offline audit's input
mkdir -p "$LOGS"
cp fixtures/logs/app-module-not-found.log fixtures/logs/apt-unable-to-locate-package.log "$LOGS/"
skip() { echo "skip $TEST_NAME: $*"; }

# --- the fake server: started by this test, stopped when it exits ------------------
start_fake api tests/fake_api/fake_pipecat.py --key "$KEY" --record "$T/requests.jsonl"
PORT=$api_PORT
export PIPECAT_API_URL=http://127.0.0.1:$PORT/v1

# The document fetch writes, for comparing what each target received.
run fetch "$FAILED"
assert_rc "fetch to stdout: exit" 0
cp "$OUT" "$T/doc.json"
jq_eq "fetch to stdout: the build" .build.id "$FAILED" "$T/doc.json"

# --- fetch -o: regular files ------------------------------------------------------------
run fetch "$FAILED" -o "$T/new.json"
assert_rc "-o new file: exit" 0
assert_same_file "-o new file: the document" "$T/doc.json" "$T/new.json"
assert_eq "-o new file: 0644 minus the umask (022)" 644 "$(stat -c %a "$T/new.json")"
( umask 077; "$BS" fetch "$FAILED" -o "$T/private.json" 2>"$ERR" )
assert_eq "-o new file under umask 077: 0600" 600 "$(stat -c %a "$T/private.json")"

echo old >"$T/old.json"
chmod 640 "$T/old.json"
ln "$T/old.json" "$T/old-hardlink"
run fetch "$FAILED" -o "$T/old.json"
assert_rc "-o regular file: exit" 0
assert_same_file "-o regular file: replaced" "$T/doc.json" "$T/old.json"
assert_eq "-o regular file: keeps its mode" 640 "$(stat -c %a "$T/old.json")"
assert_eq "-o regular file: replaced by a rename (the other link keeps the old data)" old \
	"$(cat "$T/old-hardlink")"
assert_eq "-o regular file: no temporary file left" "" "$(ls -A "$T" | grep '^\.old\.json\.')"

# --- fetch -o: symbolic links are refused ------------------------------------------------
echo precious >"$T/precious"
ln -s "$T/precious" "$T/link.json"
run fetch "$FAILED" -o "$T/link.json"
assert_rc "-o symlink: exit" 3
assert_stderr "-o symlink: names the link and its target" \
	"buildsleuth: cannot write '$T/link.json': it is a symbolic link to '$T/precious' (not followed)"
assert_eq "-o symlink: the target is untouched" precious "$(cat "$T/precious")"
assert_eq "-o symlink: the link stays a link" "$T/precious" "$(readlink "$T/link.json")"
ln -s "$T/nowhere" "$T/dangling.json"
run fetch "$FAILED" -o "$T/dangling.json"
assert_rc "-o dangling symlink: exit" 3
assert_eq "-o dangling symlink: not followed into a new file" no "$([ -e "$T/nowhere" ] && echo yes || echo no)"
mkdir "$T/adir"
run fetch "$FAILED" -o "$T/adir"
assert_rc "-o folder: exit" 3
assert_stderr "-o folder: says so" "buildsleuth: cannot write '$T/adir': Is a directory"

# --- fetch -o: descriptors ---------------------------------------------------------------
run fetch "$FAILED" -o -
assert_rc "-o -: exit" 0
assert_same_file "-o -: stdout" "$T/doc.json" "$OUT"
# /dev/stdout and /dev/fd are the machine's own symbolic links: a binary that
# replaces links would replace them for everyone, so those cases run only
# once the link in our own folder was refused above.
if [ -L "$T/link.json" ] && [ "$(cat "$T/precious")" = precious ]; then
	run fetch "$FAILED" -o /dev/stdout
	assert_rc "-o /dev/stdout: exit" 0
	assert_same_file "-o /dev/stdout: the document on stdout" "$T/doc.json" "$OUT"
	assert_eq "-o /dev/stdout: still a link" /proc/self/fd/1 "$(readlink /dev/stdout)"
	"$BS" fetch "$FAILED" -o /dev/fd/3 3>"$T/fd3.json" >"$OUT" 2>"$ERR"
	RC=$?
	assert_rc "-o /dev/fd/3: exit" 0
	assert_same_file "-o /dev/fd/3: written to descriptor 3" "$T/doc.json" "$T/fd3.json"
	"$BS" fetch "$FAILED" -o /dev/fd/7 >"$OUT" 2>"$ERR"
	RC=$?
	assert_rc "-o /dev/fd/7 (closed): exit" 3
	assert_stderr "-o /dev/fd/7 (closed): says so" "buildsleuth: cannot write '/dev/fd/7': Bad file descriptor"
else
	fail "-o /dev/stdout and /dev/fd/N not tried: this binary replaces symbolic links"
fi

# --- fetch -o: devices and FIFOs are written through ------------------------------------
# (device nodes of our own: never the machine's /dev/null)
if [ "$(id -u)" != 0 ]; then
	skip "not root: no device-node cases (mknod needs root)"
elif ! mknod "$T/null" c 1 3 2>/dev/null || ! mknod "$T/full" c 1 7 2>/dev/null; then
	skip "mknod is not allowed here: no device-node cases"
else
	run fetch "$FAILED" -o "$T/null"
	assert_rc "-o null device: exit" 0
	assert_eq "-o null device: still the device" "character special file 1:3" "$(stat -c '%F %t:%T' "$T/null")"
	run fetch "$FAILED" -o "$T/full"
	assert_rc "-o full device: exit" 3
	assert_stderr "-o full device: the write error" \
		"buildsleuth: cannot write '$T/full': No space left on device"
	assert_eq "-o full device: still the device" "character special file 1:7" "$(stat -c '%F %t:%T' "$T/full")"
fi
mkfifo "$T/fifo"
timeout $((10 * TF)) cat "$T/fifo" >"$T/from-fifo" &
reader=$!
timeout $((20 * TF)) "$BS" fetch "$FAILED" -o "$T/fifo" >"$OUT" 2>"$ERR"
RC=$?
wait "$reader"
assert_rc "-o FIFO: exit" 0
assert_same_file "-o FIFO: the reader got the document" "$T/doc.json" "$T/from-fifo"
assert_eq "-o FIFO: still a FIFO" fifo "$(stat -c %F "$T/fifo")"

# --- audit --per-build goes through the same writer -----------------------------------
ln -s "$T/precious" "$T/pb-link.jsonl"
run audit --logs-dir "$LOGS" --per-build "$T/pb-link.jsonl"
assert_rc "--per-build symlink: exit" 3
assert_stderr "--per-build symlink: refused before any work" \
	"buildsleuth: cannot write '$T/pb-link.jsonl': it is a symbolic link to '$T/precious' (not followed)"
assert_eq "--per-build symlink: the target is untouched" precious "$(cat "$T/precious")"
echo old >"$T/pb.jsonl"
chmod 604 "$T/pb.jsonl"
run audit --logs-dir "$LOGS" --per-build "$T/pb.jsonl"
assert_rc "--per-build regular file: exit" 0
assert_eq "--per-build regular file: one report per log" 2 "$(jq -r .schema "$T/pb.jsonl" | grep -c report/v1)"
assert_eq "--per-build regular file: keeps its mode" 604 "$(stat -c %a "$T/pb.jsonl")"
run audit --logs-dir "$LOGS" --per-build /dev/stdout --format json
assert_rc "--per-build /dev/stdout: a usage error like -" 2

# --- closed standard descriptors --------------------------------------------------------
# A closed descriptor 1 or 2 must not be handed to --per-build (the report or
# the warnings would end up in it): the binary puts /dev/null there first.
"$BS" audit --logs-dir "$LOGS" --per-build "$T/closed1.jsonl" --format json >&- 2>"$ERR"
RC=$?
assert_rc ">&-: exit" 0
assert_eq ">&-: --per-build holds only the two reports" "buildsleuth.report/v1 buildsleuth.report/v1" \
	"$(jq -r .schema "$T/closed1.jsonl" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
assert_not_contains ">&-: not the aggregate report" "buildsleuth.audit/v1" "$T/closed1.jsonl"
if [ -n "${VALGRIND:-}" ] && [ "$VALGRIND" != 0 ]; then
	# memcheck writes its own report to descriptor 2 and cannot start without it
	skip "closed standard error: not under VALGRIND=1"
else
mkdir "$T/logs-bad"
cp "$LOGS"/* "$T/logs-bad/"
: >"$T/logs-bad/empty.log"
"$BS" audit --logs-dir "$T/logs-bad" --per-build "$T/closed2.jsonl" >"$OUT" 2>&-
RC=$?
assert_rc "2>&-: exit (one log is empty)" 5
assert_not_contains "2>&-: no warning in --per-build" "buildsleuth:" "$T/closed2.jsonl"
assert_eq "2>&-: --per-build is JSON Lines" 3 "$(jq -c .schema "$T/closed2.jsonl" 2>/dev/null | wc -l)"
assert_contains "2>&-: the report on stdout" "empty log" "$OUT"
"$BS" audit --logs-dir "$LOGS" --per-build "$T/closed3.jsonl" >&- 2>&-
RC=$?
assert_rc ">&- 2>&-: exit" 0
assert_eq ">&- 2>&-: --per-build holds only the two reports" 2 "$(jq -c .schema "$T/closed3.jsonl" 2>/dev/null | wc -l)"
fi

# --- audit --save-dir must be writable before the first request ------------------------
requests() { cat "$T/requests.jsonl" 2>/dev/null | wc -l; }
# save_dir_case NAME DIR WHY: refused with exit 3 and no request made
save_dir_case() {
	local before; before=$(requests)
	run audit "$FAILED" --save-dir "$2"
	assert_rc "--save-dir $1: exit" 3
	assert_stderr "--save-dir $1: says so" "buildsleuth: cannot write to save directory '$2': $3"
	assert_eq "--save-dir $1: no request made" "$before" "$(requests)"
}
echo file >"$T/save-file"
save_dir_case "that is a file" "$T/save-file" "Not a directory"
save_dir_case "under a file" "$T/save-file/sub" "Not a directory"
mkdir "$T/save-ro"
if [ "$(id -u)" != 0 ]; then
	chmod 555 "$T/save-ro"
	save_dir_case "read-only" "$T/save-ro" "Permission denied"
	chmod 755 "$T/save-ro"
elif chattr +i "$T/save-ro" 2>/dev/null; then
	save_dir_case "immutable (chattr +i)" "$T/save-ro" "Operation not permitted"
	chattr -i "$T/save-ro"
else
	skip "root, and chattr +i does not work here: no read-only --save-dir case"
fi
assert_eq "--save-dir refused: no probe file left" "" "$(ls -A "$T/save-ro")"
run audit "$FAILED" --save-dir "$T/save-new" --format json
assert_rc "--save-dir missing: exit" 0
assert_eq "--save-dir missing: created, the build saved, nothing else" "$FAILED.json" "$(ls -A "$T/save-new")"
jq_eq "--save-dir missing: the saved build" .build.id "$FAILED" "$T/save-new/$FAILED.json"

# --- hostile --rules folders (bounded: the old walk never came back) ------------------
LOG=fixtures/logs/app-module-not-found.log
R=$T/rules-loop
mkdir -p "$R/a"
ln -s .. "$R/a/x"   # three ways back up: 3^16 paths for a walk that follows them
ln -s .. "$R/a/y"
ln -s ../a "$R/a/z"
echo '{"rules": [' >"$R/a/bad.json"
timeout $((20 * TF)) "$BS" analyze --rules "$R" "$LOG" >"$OUT" 2>"$ERR"
RC=$?
assert_rc "rules: symbolic link loops: exit (every problem, then fail)" 3
# (head: a walk that follows the loops writes without end)
assert_eq "rules: symbolic link loops: each named, with the bad file" "$(printf '%s\n' \
	"buildsleuth: cannot read rules folder '$R/a/x': it is '$R' again (a symbolic link loop or a second link to it)" \
	"buildsleuth: cannot read rules folder '$R/a/y': it is '$R' again (a symbolic link loop or a second link to it)" \
	"buildsleuth: cannot read rules folder '$R/a/z': it is '$R/a' again (a symbolic link loop or a second link to it)" \
	"buildsleuth: $R/a/bad.json: invalid JSON at line 2, column 1: unexpected end of input" \
	"buildsleuth: 4 problems in the rules; nothing was analysed")" "$(head -c 1500 "$ERR")"
R=$T/rules-fifo
mkdir -p "$R"
mkfifo "$R/x.json" "$R/not-a-rule-file"
timeout $((20 * TF)) "$BS" analyze --rules "$R" "$LOG" >"$OUT" 2>"$ERR"
RC=$?
assert_rc "rules: a FIFO named *.json: exit" 3
assert_stderr "rules: a FIFO named *.json: named, not waited on" "$(printf '%s\n' \
	"buildsleuth: cannot read '$R/x.json': not a regular file" \
	"buildsleuth: 1 problem in the rules; nothing was analysed")"
ln -s "$PWD/rules" "$T/rules-link"
timeout $((20 * TF)) "$BS" analyze --no-builtin-rules --rules "$T/rules-link" --format json "$LOG" >"$OUT" 2>"$ERR"
RC=$?
assert_rc "rules: a folder given through a symbolic link still loads" 0
jq_eq "rules: ... and diagnoses" '.diagnoses[0].rule' python.module-not-found

finish
