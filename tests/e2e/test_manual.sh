#!/usr/bin/env bash
# tests/e2e/test_manual.sh - the man page (docs/buildsleuth.1) and the bash
# completion (docs/completion/buildsleuth.bash): man formats the page without
# a warning, the page names every command and every option each command
# takes (asked of the binary for every option of the parser's table, so the
# audit's too), completion offers them all and the values of a few, and
# `make install` installs both.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
PAGE=docs/buildsleuth.1
COMPLETION=docs/completion/buildsleuth.bash

# --- the man page ------------------------------------------------------------------
commands >"$T/commands"
if ! command -v man >/dev/null 2>&1; then
	fail "man is not installed (rm -f build/.test-deps && make test-deps installs it)"
else
	warnings=$(MANWIDTH=80 man --warnings -l $PAGE 2>&1 >/dev/null)
	assert_eq "man: no warnings" "" "$warnings"
	MANWIDTH=80 man -l $PAGE >"$T/man.txt" 2>/dev/null
	RC=$?
	assert_rc "man: formats" 0
	for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
		assert_contains "man: a $section section" "$section" "$T/man.txt"
	done
	# every command of the binary, and every option each takes, found by
	# asking the binary about every option of the parser's table (so an
	# option missing from --help is still found); the page's source with its
	# escapes undone, so that no line break or hyphenation hides a name
	assert_eq "man: the binary has commands" 1 "$(( $(wc -l <"$T/commands") >= 8 ))"
	grep -v '^\.\\"' $PAGE | sed 's/\\-/-/g; s/\\f[BIRP]//g' >"$T/page.txt"
	while read -r cmd; do
		assert_contains "man: documents '$cmd'" "buildsleuth $cmd" "$T/man.txt"
		options_taken "$cmd" >"$T/opts-$cmd"
		while read -r opt; do
			if grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$T/page.txt"; then
				pass "man: documents '$cmd $opt'"
			else
				fail "man: '$cmd' takes $opt, the page does not document it"
			fi
		done <"$T/opts-$cmd"
	done <"$T/commands"
	assert_eq "man: audit's options are found" 1 "$(( $(wc -l <"$T/opts-audit") >= 20 ))"
	assert_eq "man: help takes only everyone's options" "--quiet --verbose --help --version" \
		"$(tr '\n' ' ' <"$T/opts-help" | sed 's/ $//')"
	for short in -V -o -q -v -h; do
		if grep -qE -- "^\.BR? $short( |$)" "$T/page.txt"; then pass "man: documents $short"
		else fail "man: does not document $short"; fi
	done
	for var in PIPECAT_API_KEY PIPECAT_CLOUD_API_KEY PIPECAT_API_URL GITHUB_TOKEN GITHUB_REPOSITORY \
		GITHUB_API_URL GITHUB_EVENT_PATH GITHUB_STEP_SUMMARY NO_COLOR; do
		assert_contains "man: documents \$$var" "$var" "$T/man.txt"
	done
	for code in 0 1 2 3 4 5; do
		assert_eq "man: exit status $code" 1 "$(sed -n '/^EXIT STATUS/,/^ENVIRONMENT/p' "$T/man.txt" | grep -cE "^       $code  ")"
	done
fi

# --- bash completion -------------------------------------------------------------------
# complete WORDS...: what <TAB> offers after WORDS (the last one is the one
# being completed), one per line, sorted
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_buildsleuth
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMPLETION" "$BS" "$@"
}
assert_eq "completion: di<TAB>" "diagnose" "$(complete_words di)"
assert_eq "completion: co<TAB>" "comment" "$(complete_words co)"
assert_eq "completion: every command" "$(sort "$T/commands" | tr '\n' ' ')" "$(complete_words '' | tr '\n' ' ')"
# every option each command takes (but the refusals --token and --version,
# and the other spelling --colour), as the parser's table has them
while read -r cmd; do
	complete_words "$cmd" - >"$T/offered-$cmd"
	[ -s "$T/opts-$cmd" ] || options_taken "$cmd" >"$T/opts-$cmd"
	grep -vxE -- '--(token|version|colour)' "$T/opts-$cmd" >"$T/want-$cmd"
	missing=$(grep -vxF -f "$T/offered-$cmd" "$T/want-$cmd" | tr '\n' ' ')
	assert_eq "completion: offers every option of '$cmd'" "" "$missing"
done <"$T/commands"
assert_eq "completion: help <TAB> offers the commands" "$(sort "$T/commands" | tr '\n' ' ')" \
	"$(complete_words help '' | tr '\n' ' ')"
assert_eq "completion: -V before a command" "-V" "$(complete_words -V)"
assert_eq "completion: analyze --fo<TAB>" "--format" "$(complete_words analyze --fo)"
assert_eq "completion: comment --coll<TAB>" "--collapse-previous" "$(complete_words comment --coll)"
assert_eq "completion: comment --pr is an option" "--pr" "$(complete_words comment --p | grep -x -- --pr)"
assert_eq "completion: diagnose --wa<TAB>" "--wait" "$(complete_words diagnose --wa)"
assert_eq "completion: fetch --la<TAB>" "--latest" "$(complete_words fetch --la)"
assert_eq "completion: diagnose --status values" "building" "$(complete_words diagnose --status bu)"
assert_eq "completion: audit --status values" "" "$(complete_words audit --status bu)"
assert_eq "completion: options after an operand" "--token-file --top" "$(complete_words diagnose 123 --to | tr "\n" " " | sed "s/ $//")"
assert_eq "completion: --format values" "json" "$(complete_words analyze --format j)"
assert_eq "completion: --color values" "always auto" "$(complete_words analyze --color a | tr '\n' ' ' | sed 's/ $//')"
assert_eq "completion: rules subcommands" "check" "$(complete_words rules ch)"
assert_eq "completion: --ver<TAB> before a command" "--version" "$(complete_words --ver)"
mkdir -p "$T/rulesdir.d"
assert_eq "completion: --rules takes a folder" "$T/rulesdir.d" "$(complete_words analyze --rules "$T/rulesdir")"
if bash -n $COMPLETION 2>"$ERR"; then pass "completion: valid bash"; else fail "completion: $(cat "$ERR")"; fi

# --- make install puts both in place -----------------------------------------------------
SAN=
case $BS in */sanitize/*) SAN=1 ;; esac
make -s install DESTDIR=$T/root PREFIX=/opt/bs BUILD="$(dirname "$BS")" SANITIZE=$SAN >"$OUT" 2>"$ERR"
RC=$?
assert_rc "make install" 0
assert_same_file "install: the man page" $PAGE $T/root/opt/bs/share/man/man1/buildsleuth.1
assert_same_file "install: the completion" $COMPLETION $T/root/opt/bs/share/bash-completion/completions/buildsleuth
if command -v man >/dev/null 2>&1; then
	MANPATH=$T/root/opt/bs/share/man MANWIDTH=80 man buildsleuth 2>/dev/null | head -5 >"$T/installed-man.txt"
	assert_contains "install: man finds the page" "buildsleuth - tell why a Pipecat Cloud container build failed" "$T/installed-man.txt"
fi

finish
