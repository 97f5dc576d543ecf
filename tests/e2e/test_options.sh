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

# suggests CMD OPTION SUGGESTION ARGS...: CMD rejects OPTION and names the
# option of its own closest to it, as git names a command ("did you mean")
suggests() {
	local cmd=$1 opt=$2 close=$3
	shift 3
	run "$@"
	assert_rc "$* : exit 2" 2
	assert_stderr "$* : names '$opt', then '$close'" \
		"buildsleuth: $cmd: unknown option '$opt' (see 'buildsleuth $cmd --help')

The most similar option is
	$close"
	assert_eq "$* : no output" "" "$(cat "$OUT")"
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
suggests audit --from --from-reports audit --from x.log 123
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
suggests diagnose --lat --latest diagnose --lat
usage analyze --shard analyze --shard=1/2 x.log
usage diagnose -x diagnose --latest -xq

# --- did you mean: a mistyped option -----------------------------------------------
suggests diagnose --formt --format diagnose --formt json 123
suggests analyze --exitcode --exit-code analyze --exitcode x.log
suggests fetch --ouptut --output fetch --ouptut=x.json 123
suggests comment --colapse-previous --collapse-previous comment --colapse-previous --pr 1 123
suggests audit --per-buidl --per-build audit --per-buidl x 123
suggests rules --patern --patterns rules list --patern
suggests analyze --verbos --verbose analyze --verbos x.log
suggests watch --no-builtin --no-builtin-rules watch --no-builtin 123
# nothing close: the one line alone
usage analyze --xyz analyze --xyz x.log
usage fetch --format fetch --format json 123
suggests diagnose --statsu --status diagnose --statsu failed --latest
suggests analyze --co --color analyze --co x.log
# an abbreviation of an option that takes a value, given none, is unknown too
suggests analyze --so --source-dir analyze --so
run analyze --source-dir
assert_rc "analyze --source-dir: exit 2" 2
assert_stderr "analyze --source-dir: needs a value" \
	"buildsleuth: analyze: option '--source-dir' needs a value (see 'buildsleuth analyze --help')"
# several as close: each on its own line, in the command's order
run diagnose --re x --latest
assert_rc "diagnose --re: exit 2" 2
assert_stderr "diagnose --re: every option it starts" \
	"buildsleuth: diagnose: unknown option '--re' (see 'buildsleuth diagnose --help')

The most similar options are
	--retries
	--region"
# one letter starts too many to be a suggestion
usage audit --s audit --s x

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
commands >"$T/commands"
assert_eq "the binary has commands" 1 "$(( $(wc -l <"$T/commands") >= 7 ))"
while read -r cmd; do
	run "$cmd" --help
	cp "$OUT" "$T/help-$cmd"
	run help "$cmd"
	assert_rc "help $cmd: exit 0" 0
	assert_same_file "help $cmd: is '$cmd --help'" "$T/help-$cmd" "$OUT"
done <"$T/commands"
assert_eq "help is a command" help "$(grep -x help "$T/commands")"
run --help
cp "$OUT" "$T/overview"
run help
assert_rc "help: exit 0" 0
assert_same_file "help: is '--help'" "$T/overview" "$OUT"
run -h
assert_same_file "-h: is '--help'" "$T/overview" "$OUT"
assert_contains "--help: names -V" "'buildsleuth --version' (-V) prints the" "$T/overview"
run help help
assert_eq "help help: its usage" "usage: buildsleuth help [COMMAND]" "$(head -1 "$OUT")"
run help nope
assert_rc "help nope: exit 2" 2
assert_stderr "help nope: lists the commands" \
	"buildsleuth: help: 'nope' is not a command: diagnose, analyze, fetch, watch, comment, audit, rules or help (see 'buildsleuth --help')"
assert_eq "help nope: no output" "" "$(cat "$OUT")"
run help diagnsoe
assert_rc "help diagnsoe: exit 2" 2
assert_stderr "help diagnsoe: lists the commands, then the closest" \
	"buildsleuth: help: 'diagnsoe' is not a command: diagnose, analyze, fetch, watch, comment, audit, rules or help (see 'buildsleuth --help')

The most similar command is
	diagnose"
run help fetch audit
assert_rc "help fetch audit: exit 2" 2
assert_stderr "help fetch audit: one command" \
	"buildsleuth: help: say one command: diagnose, analyze, fetch, watch, comment, audit, rules or help (see 'buildsleuth --help')"
run help --rules x fetch
assert_rc "help --rules: exit 2" 2
assert_stderr "help --rules: not its option" \
	"buildsleuth: help: unknown option '--rules' (see 'buildsleuth help --help')"

# --- -V, --version --------------------------------------------------------------------
run --version
assert_rc "--version: exit 0" 0
assert_eq "--version: the version" 1 "$(grep -cxE 'buildsleuth [0-9]+\.[0-9]+\.[0-9]+' "$OUT")"
cp "$OUT" "$T/version"
run -V
assert_rc "-V: exit 0" 0
assert_same_file "-V: is --version" "$T/version" "$OUT"
run analyze -V
assert_rc "analyze -V: exit 2" 2
assert_stderr "analyze -V: goes before the command" \
	"buildsleuth: analyze: unknown option '-V' (see 'buildsleuth analyze --help')"
run analyze --version
assert_rc "analyze --version: exit 2" 2
assert_stderr "analyze --version: goes before the command" \
	"buildsleuth: analyze: --version goes before the command: 'buildsleuth --version' (see 'buildsleuth analyze --help')"

# --- did you mean: a mistyped command -----------------------------------------------
# closecmd WORD COMMAND: WORD is no command, and COMMAND is named as the closest
closecmd() {
	run "$1" x
	assert_rc "$1: exit 2" 2
	assert_stderr "$1: names '$2'" "buildsleuth: '$1' is not a command (see 'buildsleuth --help')

The most similar command is
	$2"
	assert_eq "$1: no output" "" "$(cat "$OUT")"
}
closecmd diagnsoe diagnose  # two letters swapped
closecmd dignose diagnose   # one missing
closecmd analyse analyze    # one changed
closecmd audits audit       # one added
closecmd rule rules
closecmd fetc fetch
closecmd wach watch
closecmd diag diagnose      # the start of one
closecmd hlep help
run foo x
assert_rc "foo: exit 2" 2
assert_stderr "foo: nothing close, one line" "buildsleuth: 'foo' is not a command (see 'buildsleuth --help')"
closecmd commit comment     # two edits in six letters
run status x
assert_stderr "status: too far from any" "buildsleuth: 'status' is not a command (see 'buildsleuth --help')"
run build x
assert_stderr "build: too far from any" "buildsleuth: 'build' is not a command (see 'buildsleuth --help')"
run --verison
assert_rc "--verison: exit 2" 2
assert_stderr "--verison: names --version" "buildsleuth: unknown option '--verison' (see 'buildsleuth --help')

The most similar option is
	--version"
run --format json analyze x.log
assert_rc "--format before the command: exit 2" 2
assert_stderr "--format before the command: one line" \
	"buildsleuth: unknown option '--format' (see 'buildsleuth --help')"

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
# every long option the parser knows, but the refusals (--token: say how to
# pass a key; --version: goes first) and the other spelling --colour
parser_options | grep -vxE -- '--(token|version|colour)' >"$T/known"
assert_eq "the parser has options" 1 "$(( $(wc -l <"$T/known") >= 30 ))"
while read -r cmd; do
	offered "$cmd" >"$T/offered"
	grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' "$T/help-$cmd" | sed 's/^[ ,]//' | sort -u >"$T/listed"
	assert_eq "$cmd: completion offers what --help lists" "$(cat "$T/listed")" "$(cat "$T/offered")"
	while read -r opt; do
		if takes "$cmd" "$opt"; then pass "$cmd takes $opt (offered)"
		else fail "$cmd: completion offers $opt, the command refuses it: $(cat "$TEST_TMP/takes.err")"; fi
	done <"$T/offered"
	# every option cmd takes is in its --help (and so offered)
	while read -r opt; do
		takes "$cmd" "$opt" || continue
		if grep -qx -- "$opt" "$T/listed"; then pass "$cmd --help lists $opt"
		else fail "$cmd takes $opt, its --help does not list it"; fi
	done <"$T/known"
done <"$T/commands"

finish
