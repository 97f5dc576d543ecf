#!/usr/bin/env bash
# tests/e2e/test_golden.sh - every fixture log through `analyze` in every
# format, compared byte for byte with tests/golden/. `make bless` (this script
# with --bless) rewrites the goldens: read `git diff tests/golden` before
# committing them.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
BLESS=${1:-}
GOLDEN=tests/golden
mkdir -p "$GOLDEN"

# format -> golden file extension
formats="text:txt markdown:md json:json github:github"
for f in fixtures/logs/*; do
	name=$(basename "$f")
	for pair in $formats; do
		fmt=${pair%%:*} ext=${pair#*:}
		want=$GOLDEN/$name.$ext
		NO_COLOR= "$BS" analyze --color never --format "$fmt" "$f" >"$OUT" 2>"$ERR"
		RC=$?
		if [ "$BLESS" = --bless ]; then
			cp "$OUT" "$want"
			continue
		fi
		assert_rc "$name $fmt exit" 0
		if [ -s "$ERR" ]; then fail "$name $fmt: stderr not empty: $(head -c 200 "$ERR")"; fi
		if [ -f "$want" ]; then
			assert_same_file "$name $fmt golden" "$want" "$OUT"
		else
			fail "$name $fmt: no golden file $want (run make bless)"
		fi
	done
done
if [ "$BLESS" = --bless ]; then
	echo "blessed $(ls "$GOLDEN" | wc -l) golden files; review with: git diff --stat $GOLDEN"
	exit 0
fi
finish
