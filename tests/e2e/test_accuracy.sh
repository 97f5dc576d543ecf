#!/usr/bin/env bash
# tests/e2e/test_accuracy.sh - the rule pack's top-1 category and subject
# accuracy over fixtures/ must stay at 100% (tests/accuracy.sh does the work).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
line=$(BUILDSLEUTH=$BS bash tests/accuracy.sh)
rc=$?
echo "$line" | grep -v '^accuracy:' | sed 's/^/  /'
summary=$(echo "$line" | tail -1)
n=$(wc -l < fixtures/expected.tsv)
assert_eq "accuracy stays at 100%" "accuracy: category $n/$n (100%), subject $n/$n (100%)" "$summary"
assert_eq "accuracy script exit" 0 "$rc"
finish
