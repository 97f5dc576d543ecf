#!/usr/bin/env bash
# tests/e2e/test_install.sh - the binary copied alone still has every rule
# (they are compiled in); `make install` puts the stripped binary, the rules
# and their schema, the report's schema, the man page, the completion and the
# licence where
# PREFIX/DESTDIR say, and `make uninstall` removes exactly those files.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
want=$(ls rules/*.json | grep -v schema.json | xargs jq -r '.rules[]?.id' | sort -u | wc -l)

mkdir -p $T/alone && cp "$BS" $T/alone/buildsleuth
(cd / && $T/alone/buildsleuth rules list --format json) >"$OUT" 2>"$ERR"
RC=$?
assert_rc "binary alone: rules list" 0
jq_eq "binary alone: every rule of rules/ compiled in" 'length' "$want"
jq_eq "binary alone: all built in" 'map(select(.builtin)) | length' "$want"
(cd / && $T/alone/buildsleuth rules test) >"$OUT" 2>"$ERR"
RC=$?
assert_rc "binary alone: rules test" 0

SAN=
case $BS in */sanitize/*) SAN=1 ;; esac
# install and uninstall with the same DESTDIR and PREFIX as this test
mk() { make -s "$1" DESTDIR=$T/root PREFIX=/opt/bs BUILD="$(dirname "$BS")" SANITIZE=$SAN >"$OUT" 2>"$ERR"; RC=$?; }
# a file of someone else's in the folders install shares
mkdir -p $T/root/opt/bs/bin $T/root/opt/bs/share/man/man1
echo other >$T/root/opt/bs/bin/other-tool
echo other >$T/root/opt/bs/share/man/man1/other-tool.1
mk install
assert_rc "make install" 0
D=$T/root/opt/bs
assert_eq "installed binary runs" "buildsleuth $("$BS" --version | cut -d' ' -f2)" "$($D/bin/buildsleuth --version)"
assert_eq "installed binary: mode 755" 755 "$(stat -c %a $D/bin/buildsleuth)"
# stripped: the built binary has a symbol table (-g), the installed one none
if command -v readelf >/dev/null 2>&1; then
	assert_eq "built binary has symbols" 1 "$(readelf -S "$BS" | grep -c ' \.symtab ')"
	assert_eq "installed binary is stripped" 0 "$(readelf -S $D/bin/buildsleuth | grep -c ' \.symtab ')"
else
	fail "readelf is not installed (binutils)"
fi
assert_eq "installed rules" "$(ls rules/*.json | grep -v schema.json | wc -l)" \
	"$(ls $D/share/buildsleuth/rules/*.json | grep -v schema.json | wc -l)"
assert_same_file "install: the rule schema beside the rules" rules/schema.json $D/share/buildsleuth/rules/schema.json
assert_same_file "install: the report schema" docs/report.schema.json $D/share/buildsleuth/report.schema.json
assert_same_file "install: the licence" LICENSE $D/share/doc/buildsleuth/LICENSE
# exactly these files, and no other
{
	echo bin/buildsleuth
	echo bin/other-tool
	for f in rules/*.json; do echo "share/buildsleuth/$f"; done
	echo share/buildsleuth/report.schema.json
	echo share/bash-completion/completions/buildsleuth
	echo share/doc/buildsleuth/LICENSE
	echo share/man/man1/buildsleuth.1
	echo share/man/man1/other-tool.1
} | sort >"$T/want-files"
(cd $D && find . -type f | sed 's|^\./||' | sort) >"$T/got-files"
assert_same_file "install: exactly these files" "$T/want-files" "$T/got-files"
# the installed rules folder is a rules folder: the rules load and pass their
# own examples (schema.json beside them is not loaded)
(cd / && $D/bin/buildsleuth rules test --no-builtin-rules --rules $D/share/buildsleuth/rules) >"$OUT" 2>"$ERR"
RC=$?
assert_rc "installed rules: rules test" 0

mk uninstall
assert_rc "make uninstall" 0
(cd $D && find . | sed 's|^\./||' | sort) >"$T/left"
printf '%s\n' . bin bin/other-tool share share/bash-completion share/bash-completion/completions \
	share/doc share/man share/man/man1 share/man/man1/other-tool.1 | sort >"$T/want-left"
assert_same_file "uninstall: only what install put is gone" "$T/want-left" "$T/left"
mk uninstall
assert_rc "make uninstall twice" 0
finish
