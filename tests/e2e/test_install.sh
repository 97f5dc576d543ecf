#!/usr/bin/env bash
# tests/e2e/test_install.sh - `make install` puts the binary and the rules
# where PREFIX/DESTDIR say, and the binary copied alone still has every rule
# (they are compiled in).
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
make -s install DESTDIR=$T/root PREFIX=/opt/bs BUILD="$(dirname "$BS")" SANITIZE=$SAN >"$OUT" 2>"$ERR"
RC=$?
assert_rc "make install" 0
assert_eq "installed binary runs" "buildsleuth $("$BS" --version | cut -d' ' -f2)" "$($T/root/opt/bs/bin/buildsleuth --version)"
assert_eq "installed rules" "$(ls rules/*.json | grep -v schema.json | wc -l)" \
	"$(ls $T/root/opt/bs/share/buildsleuth/rules/*.json | grep -v schema.json | wc -l)"
finish
