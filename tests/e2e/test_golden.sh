#!/usr/bin/env bash
# tests/e2e/test_golden.sh - every fixture log through `analyze` in every
# format, compared byte for byte with tests/golden/. The reports are rendered
# with the small, frozen test rule set in tests/rules/ (not the real pack,
# whose behaviour on the fixtures tests/e2e/test_accuracy.sh checks) and the
# version string replaced by VERSION, so that a rule edit or a version bump
# leaves the goldens alone; they change only when the reports' code does.
#
# With --bless (`make bless`) it rewrites the goldens instead: every run must
# exit 0 with nothing on stderr, else nothing is written; goldens of fixtures
# that no longer exist are removed. Read `git diff tests/golden` before
# committing them.
#
# GOLDEN_DIR, FIXTURES_DIR and GOLDEN_RULES choose other folders (the tests of
# bless itself use them).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
BLESS=${1:-}
GOLDEN=${GOLDEN_DIR:-tests/golden}
FIXTURES=${FIXTURES_DIR:-fixtures/logs}
RULES=${GOLDEN_RULES:-tests/rules}
T=$TEST_TMP

# format -> golden file extension
formats="text:txt markdown:md json:json github:github"

version=$("$BS" --version 2>/dev/null | sed -n 's/^buildsleuth //p')
if [ -z "$version" ]; then
	fail "$BS --version does not say 'buildsleuth VERSION'"
	finish
	exit 1
fi

# render FIXTURE FORMAT OUT: the report of FIXTURE with the test rules, its
# version string normalised, to OUT; stderr to $ERR, exit status in RC
render() {
	NO_COLOR= "$BS" analyze --no-builtin-rules --rules "$RULES" --color never \
		--format "$2" "$1" >"$T/raw" 2>"$ERR" </dev/null
	RC=$?
	sed "s/buildsleuth ${version//./\\.}\\b/buildsleuth VERSION/g" "$T/raw" >"$3"
}

if [ "$BLESS" = --bless ]; then
	# everything is rendered first; the goldens change only if every run was clean
	mkdir -p "$T/new"
	problems=0
	for f in "$FIXTURES"/*; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		for pair in $formats; do
			fmt=${pair%%:*} ext=${pair#*:}
			render "$f" "$fmt" "$T/new/$name.$ext"
			if [ "$RC" != 0 ]; then
				echo "bless: $name $fmt: exit $RC: $(head -c 300 "$ERR")" >&2
				problems=$((problems + 1))
			elif [ -s "$ERR" ]; then
				echo "bless: $name $fmt: wrote to stderr: $(head -c 300 "$ERR")" >&2
				problems=$((problems + 1))
			fi
		done
	done
	if [ "$problems" != 0 ]; then
		echo "bless: $problems run(s) failed; no golden file was written" >&2
		exit 1
	fi
	mkdir -p "$GOLDEN"
	changed=0 removed=0
	for new in "$T/new"/*; do
		[ -e "$new" ] || continue
		want=$GOLDEN/$(basename "$new")
		cmp -s "$new" "$want" && continue
		cp "$new" "$want" && changed=$((changed + 1))
	done
	for old in "$GOLDEN"/*; do
		[ -e "$old" ] || continue
		[ -e "$T/new/$(basename "$old")" ] && continue
		rm -f "$old" && removed=$((removed + 1))
	done
	echo "blessed $(ls "$T/new" | wc -l) golden files: $changed written, $removed removed;" \
		"review with: git diff --stat $GOLDEN"
	exit 0
fi

# --- the test rule set is valid and its examples pass ----------------------------
run rules check --no-builtin-rules --rules "$RULES"
assert_rc "the test rules load and lint clean" 0
run rules test --no-builtin-rules --rules "$RULES"
assert_rc "the test rules' own examples pass" 0

# --- every fixture in every format, byte for byte ----------------------------------
for f in "$FIXTURES"/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	for pair in $formats; do
		fmt=${pair%%:*} ext=${pair#*:}
		want=$GOLDEN/$name.$ext
		render "$f" "$fmt" "$OUT"
		assert_rc "$name $fmt exit" 0
		if [ -s "$ERR" ]; then fail "$name $fmt: stderr not empty: $(head -c 200 "$ERR")"; fi
		if [ -f "$want" ]; then
			assert_same_file "$name $fmt golden" "$want" "$OUT"
		else
			fail "$name $fmt: no golden file $want (run make bless)"
		fi
	done
done

# --- no golden without its fixture -----------------------------------------------
for g in "$GOLDEN"/*; do
	[ -e "$g" ] || continue
	name=$(basename "$g")
	fixture=${name%.*}
	case ${name##*.} in txt | md | json | github) ;; *) fixture= ;; esac
	if [ -n "$fixture" ] && [ -f "$FIXTURES/$fixture" ]; then
		pass "$name has its fixture"
	else
		fail "$g has no fixture in $FIXTURES (make bless removes it)"
	fi
done

# --- the goldens still show every feature of a report ----------------------------
# (read from the JSON goldens: a change to tests/rules or fixtures/ that loses
# one of them fails here, not silently)
jq -s '.' "$GOLDEN"/*.json >"$T/all.json" 2>"$ERR"
covered() { # NAME JQ-FILTER over the array of every JSON golden, true when shown
	jq_eq "goldens show $1" "$2" true "$T/all.json"
}
covered "a successful build (no diagnoses)" 'any(.outcome == "success" and (.diagnoses | length) == 0)'
covered "a failed phase" 'any(.failed_phase != null)'
covered "a log without CodeBuild phases" 'any(.outcome == "failed" and .failed_phase == null)'
covered "a BuildKit failing step" 'any(.failed_step.builder == "buildkit")'
covered "a legacy builder failing step" 'any(.failed_step.builder == "legacy")'
covered "a failure without step framing" 'any(.outcome == "failed" and .failed_step == null)'
covered "an API build record" 'any(.build != null)'
covered "a specific finding" 'any(.[].diagnoses[]; .rule != "unknown" and (.rule | startswith("inferred.") | not) and (.fallback | not))'
covered "an inferred finding: network" 'any(.[].diagnoses[]; .inferred and .rule == "inferred.network")'
covered "an inferred finding: base-image" 'any(.[].diagnoses[]; .inferred and .rule == "inferred.base-image")'
covered "an inferred finding: resources" 'any(.[].diagnoses[]; .inferred and .rule == "inferred.resources")'
covered "an inferred finding: system-packages" 'any(.[].diagnoses[]; .inferred and .rule == "inferred.system-packages")'
covered "an unknown failure" 'any(.[].diagnoses[]; .rule == "unknown")'
covered "a fallback finding" 'any(.[].diagnoses[]; .fallback)'
covered "a cause and the finding it explains" 'any(.[].diagnoses[]; .explained_by != null)'
covered "a location with a line" 'any(.[].diagnoses[]; .location.line != null)'
covered "a location without a line" 'any(.[].diagnoses[]; .location != null and .location.line == null)'
covered "a subject" 'any(.[].diagnoses[]; .subject != null)'
covered "a finding seen more than once" 'any(.[].diagnoses[]; .count > 1)'
covered "several findings in one report" 'any((.diagnoses | length) > 1)'
finish
