#!/usr/bin/env bash
# tests/e2e/test_options.sh - each command takes only its own options
# (DESIGN.md "Command line", "Options, by command"): any other is a usage
# error naming the option and the command; each command takes every option of
# its row; `help COMMAND` is `COMMAND --help`; and what --help lists, what
# the bash completion offers and what the command takes are the same options.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
COMPLETION=docs/completion/buildsleuth.bash
# nothing below may reach a real API or GitHub
export PIPECAT_API_URL=http://127.0.0.1:9 PIPECAT_API_KEY=test-key
unset GITHUB_TOKEN GITHUB_REPOSITORY GITHUB_EVENT_PATH PIPECAT_CLOUD_API_KEY
cd "$T" || exit 2

# usage CMD OPTION ARGS...: CMD rejects OPTION (as given in ARGS), exit 2
usage() {
	local cmd=$1 opt=$2
	shift 2
	run "$@"
	assert_rc "$* : exit 2" 2
	assert_stderr "$* : names '$opt' and $cmd" \
		"buildsleuth: $cmd: unknown option '$opt' (see 'buildsleuth $cmd --help')"
}

# --- options of other commands -----------------------------------------------------
usage analyze --shard analyze --shard 1/2 --pr 5 --jobs 3 x.log
usage analyze --latest analyze --latest
usage analyze --api-url analyze --api-url http://127.0.0.1:9 x.log
usage analyze -o analyze -o out.json x.log
usage audit --latest audit --latest
usage audit --top audit --top 3 123
usage audit --exit-code audit --exit-code 123
usage audit --color audit --color never 123
usage audit --from audit --from x.log 123
usage rules --latest rules --latest list
usage rules --top rules list --top 3
usage rules --exit-code rules check --exit-code
usage rules --api-url rules list --api-url http://127.0.0.1:9
usage analyze --corpus analyze --corpus . x.log
usage diagnose --max-literal-share diagnose --max-literal-share 5 123
usage audit --corpus audit --corpus . 123
usage fetch --rules fetch --rules . 123
usage fetch --format fetch --format json 123
usage fetch --exit-code fetch --exit-code 123
usage watch --wait watch --wait 123
usage comment --format comment --format markdown --pr 1 123
usage comment --exit-code comment --exit-code --pr 1 123
usage comment --color comment --color never --pr 1 123
usage diagnose --patterns diagnose --patterns 123
usage diagnose --lat diagnose --lat
usage analyze --shard analyze --shard=1/2 x.log
usage diagnose -x diagnose --latest -xq

run analyze --quiet=yes x.log
assert_rc "--quiet=yes: exit 2" 2
assert_stderr "--quiet=yes: takes no value" \
	"buildsleuth: analyze: option '--quiet' takes no value (see 'buildsleuth analyze --help')"

# --- values, by command --------------------------------------------------------------
run rules list --format markdown
assert_rc "rules list --format markdown: exit 2" 2
assert_stderr "rules list --format markdown: names the formats" \
	"buildsleuth: rules: unknown format 'markdown' (text or json) (see 'buildsleuth rules --help')"
run rules list --format github
assert_rc "rules list --format github: exit 2" 2
run analyze --format csv x.log
assert_rc "analyze --format csv: exit 2" 2
assert_stderr "analyze --format csv: names the formats" \
	"buildsleuth: analyze: unknown format 'csv' (text, markdown, json or github) (see 'buildsleuth analyze --help')"
run rules check --format json
assert_rc "rules check --format json: exit 2" 2
assert_stderr "rules check --format json: --format is list's" \
	"buildsleuth: rules: --format and --patterns go with 'rules list' (see 'buildsleuth rules --help')"
run rules list --format json
assert_rc "rules list --format json: exit 0" 0
jq_eq "rules list --format json: JSON" 'type' array
run rules list --format text
assert_rc "rules list --format text: exit 0" 0

# --- every command takes each option of its row --------------------------------------
# command, then an option with a value it takes; followed by --help, it must
# get to the help (exit 0), past any check of the value
while read -r cmd opt value; do
	[ -z "$cmd" ] && continue
	if [ "$value" = - ]; then args=("$opt"); else args=("$opt" "$value"); fi
	run "$cmd" "${args[@]}" --help
	if [ "$RC" = 0 ] && [ -s "$OUT" ]; then pass "$cmd ${args[*]}"
	else fail "$cmd ${args[*]}: exit $RC (stderr: $(head -c 300 "$ERR"))"; fi
done <<'EOF'
diagnose --rules rules
diagnose --no-builtin-rules -
diagnose --format github
diagnose --top 3
diagnose --color never
diagnose --exit-code -
diagnose --api-url http://127.0.0.1:9
diagnose --token-file key
diagnose --timeout 5
diagnose --retries 0
diagnose --latest -
diagnose --status failed
diagnose --region us-west
diagnose --dockerfile Dockerfile
diagnose --since 2h
diagnose --wait -
diagnose --interval 2
diagnose -q -
diagnose -v -
analyze --rules rules
analyze --no-builtin-rules -
analyze --format markdown
analyze --top 3
analyze --color always
analyze --colour auto
analyze --exit-code -
analyze --quiet -
analyze --verbose -
fetch -o out.json
fetch --output out.json
fetch --api-url http://127.0.0.1:9
fetch --token-file key
fetch --timeout 5
fetch --retries 0
fetch --latest -
fetch --status timeout
fetch --region us-west
fetch --dockerfile Dockerfile
fetch --since 2h
fetch --wait -
fetch --interval 2
watch --rules rules
watch --no-builtin-rules -
watch --format json
watch --top 3
watch --color never
watch --exit-code -
watch --api-url http://127.0.0.1:9
watch --token-file key
watch --timeout 5
watch --retries 0
watch --latest -
watch --status building
watch --region us-west
watch --dockerfile Dockerfile
watch --since 2h
watch --interval 2
comment --rules rules
comment --no-builtin-rules -
comment --api-url http://127.0.0.1:9
comment --token-file key
comment --timeout 5
comment --retries 0
comment --latest -
comment --status success
comment --region us-west
comment --dockerfile Dockerfile
comment --since 2h
comment --wait -
comment --interval 2
comment --from x.log
comment --pr 5
comment --top 3
comment --collapse-previous -
comment --author octocat
audit --rules rules
audit --no-builtin-rules -
audit --api-url http://127.0.0.1:9
audit --token-file key
audit --timeout 5
audit --retries 0
audit --ids-from ids.txt
audit --status failed
audit --region us-west
audit --since 2026-01-01
audit --until 2026-02-01
audit --max 10
audit --shard 0/2
audit --logs-dir logs
audit --from-reports -
audit --jobs 3
audit --save-dir saved
audit --refresh -
audit --per-build per.jsonl
audit --format csv
rules --rules rules
rules --no-builtin-rules -
rules --format json
rules --patterns -
rules --corpus corpus
rules --max-literal-share 10
rules -q -
EOF

# --- help COMMAND ----------------------------------------------------------------------
"$BS" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' >"$T/commands"
assert_eq "the binary has commands" 1 "$(( $(wc -l <"$T/commands") >= 7 ))"
while read -r cmd; do
	run "$cmd" --help
	cp "$OUT" "$T/help-$cmd"
	run help "$cmd"
	assert_rc "help $cmd: exit 0" 0
	assert_same_file "help $cmd: is '$cmd --help'" "$T/help-$cmd" "$OUT"
done <"$T/commands"
run help nope
assert_rc "help nope: exit 2" 2
assert_stderr "help nope: lists the commands" \
	"buildsleuth: help: 'nope' is not a command: diagnose, analyze, fetch, watch, comment, audit or rules (see 'buildsleuth --help')"
assert_eq "help nope: no output" "" "$(cat "$OUT")"

# --- --help, completion and the parser agree ------------------------------------------
# offered CMD: every option completion offers after CMD, one a line
offered() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@" -); COMP_CWORD=$#
		COMP_LINE="$* -"; COMP_POINT=${#COMP_LINE}
		_buildsleuth
		printf "%s\n" "${COMPREPLY[@]}" | sort -u' _ "$OLDPWD/$COMPLETION" "$BS" "$1"
}
# takes CMD OPTION: CMD does not call OPTION unknown (a value option takes
# --help as its value; whatever it then does is not a usage error about it)
takes() {
	timeout 20 "$BS" "$1" "$2" --help </dev/null >/dev/null 2>"$T/takes.err"
	! grep -q "unknown option '$2'" "$T/takes.err"
}
# every long option the parser knows (src/cli.c long_options[]), but the
# refusals (--token: say how to pass a key; --version: goes first) and the
# other spelling --colour
sed -n '/^static const struct option long_options/,/^};/s/^\t{ "\([a-z-]*\)".*/--\1/p' \
	"$OLDPWD/src/cli.c" | grep -vxE -- '--(token|version|colour)' >"$T/known"
assert_eq "the parser has options" 1 "$(( $(wc -l <"$T/known") >= 30 ))"
while read -r cmd; do
	offered "$cmd" >"$T/offered"
	grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' "$T/help-$cmd" | sed 's/^[ ,]//' | sort -u >"$T/listed"
	assert_eq "$cmd: completion offers what --help lists" "$(cat "$T/listed")" "$(cat "$T/offered")"
	while read -r opt; do
		if takes "$cmd" "$opt"; then pass "$cmd takes $opt (offered)"
		else fail "$cmd: completion offers $opt, the command refuses it: $(cat "$T/takes.err")"; fi
	done <"$T/offered"
	# every option cmd takes is in its --help (and so offered)
	while read -r opt; do
		takes "$cmd" "$opt" || continue
		if grep -qx -- "$opt" "$T/listed"; then pass "$cmd --help lists $opt"
		else fail "$cmd takes $opt, its --help does not list it"; fi
	done <"$T/known"
done <"$T/commands"

finish
