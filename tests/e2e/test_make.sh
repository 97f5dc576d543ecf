#!/usr/bin/env bash
# tests/e2e/test_make.sh - what the Makefile promises about the build and the
# test tooling: a header edit rebuilds exactly what includes it (-MMD -MP),
# banned.h is in front of every translation unit, and `make bless` writes
# goldens only from clean runs and removes those of deleted fixtures. It asks
# make what it would do (make -n) and never rebuilds the tree under test.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
BUILD=${BUILD:-build}
SAN=
case $BUILD in */sanitize*) SAN=1 ;; esac

# mk ARGS...: make in this tree with the variables of the build under test
# (those of the `make check` that runs this, without its job server)
mk() {
	local vars=
	case " ${MAKEFLAGS:-}" in *" -- "*) vars="-- ${MAKEFLAGS#* -- }" ;; esac
	MAKEFLAGS=$vars make --no-print-directory BUILD="$BUILD" ${SAN:+SANITIZE=1} "$@"
}
# compiled FILE: the sources that the make -n output in FILE compiles, sorted
compiled() {
	grep -o ' -c -o [^ ]* [^ ]*\.c$' "$1" | awk '{print $NF}' | sort | tr '\n' ' '
}

# --- header dependencies ----------------------------------------------------------------
mk -n all unit-tests >"$OUT" 2>"$ERR"
RC=$?
assert_rc "make -n" 0
assert_eq "the tree under test is up to date" "" "$(compiled "$OUT")"

# strset.h: included by strset.c, and through api.h by the API's users
mk -n -W include/buildsleuth/strset.h all >"$OUT" 2>"$ERR"
want=$(grep -l 'buildsleuth/strset\.h' "$BUILD"/obj/*.o.d | sed 's|.*/obj/\(.*\)\.o\.d$|src/\1.c|' | sort | tr '\n' ' ')
assert_eq "strset.h rebuilds what includes it" "$want" "$(compiled "$OUT")"
assert_contains "strset.h rebuilds strset.c" "src/strset.c" "$OUT"
assert_contains "strset.h rebuilds api.c (through api.h)" "src/api.c" "$OUT"
assert_not_contains "strset.h does not rebuild category.c" "src/category.c" "$OUT"
assert_contains "the binary is linked again" "-o $BUILD/buildsleuth " "$OUT"

mk -n -W include/buildsleuth/category.h all >"$OUT" 2>"$ERR"
assert_not_contains "category.h does not rebuild strset.c" "src/strset.c" "$OUT"
assert_contains "category.h rebuilds category.c" "src/category.c" "$OUT"

mk -n -W tests/unit/unit.h unit-tests >"$OUT" 2>"$ERR"
n_units=$(ls tests/unit/test_*.c | wc -l)
assert_eq "unit.h rebuilds every unit test" "$n_units" "$(grep -c -- '-o [^ ]*/tests/test_[a-z_]* tests/unit/' "$OUT")"
assert_eq "unit.h rebuilds no library object" "" "$(compiled "$OUT")"

# --- banned.h in every translation unit --------------------------------------------------
mk -n -B all unit-tests >"$OUT" 2>"$ERR"
n_src=$(ls src/*.c | wc -l)
assert_eq "every source is compiled" "$n_src" "$(grep -c ' -c -o [^ ]* src/[a-z_]*\.c$' "$OUT")"
assert_eq "every compile includes banned.h first" \
	"$(grep -cE '( -c -o | tests/unit/| src/gen/)' "$OUT")" \
	"$(grep -E '( -c -o | tests/unit/| src/gen/)' "$OUT" | grep -c -- '-include include/buildsleuth/banned\.h ')"
# the exact command that compiles a reporter, on a file that calls sprintf and atoi
cat >"$T/probe.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
int probe(char *buf);
int probe(char *buf)
{
	sprintf(buf, "%d", 1);
	return atoi(buf);
}
EOF
# (without its dependency output, which would replace the real object's)
cmd=$(grep ' -c -o [^ ]*/report_json\.o src/report_json\.c$' "$OUT" | head -1 | sed 's/ -MMD -MP -MF [^ ]*//; s/ -MT [^ ]*//g')
cmd=${cmd% -c -o *}
$cmd -Werror -c -o "$T/probe.o" "$T/probe.c" >"$T/cc.out" 2>&1
RC=$?
assert_eq "a reporter's compile command refuses sprintf" failed "$([ "$RC" = 0 ] && echo compiled || echo failed)"
assert_contains "... naming it" "sorry_sprintf_is_a_banned_function" "$T/cc.out"
assert_contains "... and atoi" "sorry_atoi_is_a_banned_function" "$T/cc.out"
sed -i 's/sprintf(buf, "%d", 1)/snprintf(buf, 2, "%d", 1)/; s/atoi(buf)/(int)strtol(buf, NULL, 10)/' "$T/probe.c"
$cmd -Werror -c -o "$T/probe.o" "$T/probe.c" >"$T/cc.out" 2>&1
RC=$?
assert_rc "... and compiles snprintf and strtol" 0

# --- make bless -------------------------------------------------------------------------
# a stand-in binary: the fixture's name says how its run goes
cat >"$T/fake" <<'EOF'
#!/bin/sh
[ "$1" = --version ] && { echo "buildsleuth 9.8.7"; exit 0; }
for last; do :; done
case $last in
*exit3*) echo "half a report"; exit 3 ;;
*stderr*) echo "buildsleuth: warning: something" >&2 ;;
esac
echo "report of $(basename "$last") ($*) by buildsleuth 9.8.7"
EOF
chmod +x "$T/fake"
# bless_with FIXTURE...: bless those fixtures with the fake into $T/golden,
# which holds an old golden of a.log and one of a deleted fixture
bless_with() {
	rm -rf "$T/fx" "$T/golden"
	mkdir -p "$T/fx" "$T/golden"
	for f; do echo "log" >"$T/fx/$f"; done
	echo old >"$T/golden/a.log.txt"
	echo old >"$T/golden/deleted.log.json"
	BUILDSLEUTH=$T/fake FIXTURES_DIR=$T/fx GOLDEN_DIR=$T/golden \
		bash tests/e2e/test_golden.sh --bless >"$OUT" 2>"$ERR"
	RC=$?
}
bless_with a.log b-stderr.log
assert_rc "bless refuses a run that wrote to stderr" 1
assert_contains "... naming the run" "bless: b-stderr.log text: wrote to stderr: buildsleuth: warning: something" "$ERR"
assert_contains "... and saying nothing was written" "no golden file was written" "$ERR"
assert_eq "... leaving the goldens as they were" "a.log.txt deleted.log.json" "$(ls "$T/golden" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "... unchanged" old "$(cat "$T/golden/a.log.txt")"

bless_with a.log c-exit3.log
assert_rc "bless refuses a run that exited non-zero" 1
assert_contains "... naming the run and its status" "bless: c-exit3.log markdown: exit 3" "$ERR"
assert_eq "... unchanged" old "$(cat "$T/golden/a.log.txt")"

bless_with a.log b.log
assert_rc "bless of clean runs" 0
assert_eq "... one golden per fixture and format; the deleted fixture's is gone" \
	"a.log.github a.log.json a.log.md a.log.txt b.log.github b.log.json b.log.md b.log.txt" \
	"$(ls "$T/golden" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "... rendered with the test rules, the version normalised" \
	"report of b.log (analyze --no-builtin-rules --rules tests/rules --color never --format json $T/fx/b.log) by buildsleuth VERSION" \
	"$(cat "$T/golden/b.log.json")"
assert_contains "... and says what it did" "blessed 8 golden files: 8 written, 1 removed" "$OUT"

# the real `make bless` on one fixture writes what test_golden.sh compares with
# (the report names the log by the path it was given)
rm -rf "$T/fx" "$T/golden" && mkdir -p "$T/fx" "$T/golden"
cp fixtures/logs/pip-dns-failure.log "$T/fx/"
# (-o: never rebuilt here, even when other make variables than the tree's)
FIXTURES_DIR=$T/fx GOLDEN_DIR=$T/golden mk -s -o "$BUILD/buildsleuth" bless >"$OUT" 2>"$ERR"
RC=$?
assert_rc "make bless" 0
for ext in txt md json github; do
	sed "s|$T/fx/|fixtures/logs/|g" "$T/golden/pip-dns-failure.log.$ext" >"$T/got.$ext"
	assert_same_file "make bless writes the checked golden (.$ext)" \
		"tests/golden/pip-dns-failure.log.$ext" "$T/got.$ext"
done
finish
