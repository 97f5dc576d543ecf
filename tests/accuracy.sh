#!/usr/bin/env bash
# tests/accuracy.sh - top-1 accuracy of the rule pack over fixtures/: for each
# row of fixtures/expected.tsv (file, category, subject, note) the top
# diagnosis must have that category and name the subject (in its summary or
# captures). Prints a table of misses, the two percentages, and exits 1 when
# either is below the floor (default 100).
set -u
cd "$(dirname "$0")/.." || exit 2
BS=${BUILDSLEUTH:-build/buildsleuth}
FLOOR=${ACCURACY_FLOOR:-100}
total=0 cat_ok=0 subj_ok=0
while IFS=$'\t' read -r file category subject note; do
	[ -z "$file" ] && continue
	case $file in \#*) continue ;; esac
	total=$((total + 1))
	json=$("$BS" analyze --format json "fixtures/logs/$file" 2>/dev/null)
	got=$(printf '%s' "$json" | jq -r '.diagnoses[0].category // "none"')
	rule=$(printf '%s' "$json" | jq -r '.diagnoses[0].rule // "none"')
	named=$(printf '%s' "$json" | jq -r --arg s "$subject" '
		.diagnoses[0] as $d | ($s == "-") or
		(([$d.summary] + [$d.captures[]?] | map(ascii_downcase) | any(contains($s | ascii_downcase))))')
	if [ "$got" = "$category" ]; then cat_ok=$((cat_ok + 1)); else
		printf 'category miss  %-48s want %-22s got %-22s (%s)\n' "$file" "$category" "$got" "$rule"; fi
	if [ "$named" = true ]; then subj_ok=$((subj_ok + 1)); else
		printf 'subject miss   %-48s want "%s" in: %s\n' "$file" "$subject" \
			"$(printf '%s' "$json" | jq -r '.diagnoses[0].summary')"; fi
done < fixtures/expected.tsv
[ "$total" -gt 0 ] || { echo "accuracy: no fixtures"; exit 1; }
cat_pct=$((cat_ok * 100 / total))
subj_pct=$((subj_ok * 100 / total))
echo "accuracy: category $cat_ok/$total ($cat_pct%), subject $subj_ok/$total ($subj_pct%)"
[ "$cat_pct" -ge "$FLOOR" ] && [ "$subj_pct" -ge "$FLOOR" ]
