#!/usr/bin/env bash
# tests/e2e/test_changes.sh - `analyze FAILED --baseline OK`: what changed
# since a build that worked, in every format, exactly.
. tests/lib.sh
D=tests/data/changes

run analyze --baseline $D/ok.log $D/failed.log
assert_rc "text: exit" 0
assert_eq "text: the changes section" "Changed since $D/ok.log:
   packages:
     apt gcc-12 (none) → 12.2.0-14
     pip numpy 1.26.4 → 2.0.0
     pip requests 2.31.0 → 2.32.3
   base images:
     python:3.12-slim sha256:aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111 → sha256:bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222
   steps added:
     RUN apt-get update && apt-get install -y gcc
   error and warning lines only this log has (2):
        19 | #9 4.0   error: subprocess-exited-with-error
        20 | #9 4.1 ERROR: Failed building wheel for numpy" "$(sed -n '/^Changed since/,$p' "$OUT")"
assert_eq "text: the diagnosis still comes first" "1. Source build of a package failed [package-build]" "$(grep -m1 '^1\. ' "$OUT")"

run analyze --format json --baseline $D/ok.log $D/failed.log
jq_eq "json: baseline" '.changes.baseline.path' "$D/ok.log"
jq_eq "json: packages" '[.changes.packages[] | "\(.manager) \(.name) \(.before) \(.after)"] | join("; ")' \
	"apt gcc-12 null 12.2.0-14; pip numpy 1.26.4 2.0.0; pip requests 2.31.0 2.32.3"
jq_eq "json: idna is not 'removed': pip never finished in the failed log" \
	'[.changes.packages[] | select(.name == "idna")] | length' 0
jq_eq "json: base image digest" '.changes.base_images[0] | "\(.ref) \(.change) \(.before_digest[0:15]) \(.after_digest[0:15])"' \
	"python:3.12-slim digest sha256:aaaa1111 sha256:bbbb2222"
jq_eq "json: steps (FROM left to base_images; steps after the failure are not 'removed')" \
	'.changes.steps | "\(.added | join("|")) / \(.removed | join("|"))"' "RUN apt-get update && apt-get install -y gcc / "
jq_eq "json: new lines" '[.changes.new_lines[] | "\(.line):\(.text)"] | join("|")' \
	"19:#9 4.0   error: subprocess-exited-with-error|20:#9 4.1 ERROR: Failed building wheel for numpy"
jq_eq "json: the root warning is in both logs, so not new" \
	'[.changes.new_lines[] | select(.text | test("root"))] | length' 0
jq_eq "json: same_context is the API's (null offline)" '.changes.same_context' null

run analyze --format markdown --baseline $D/ok.log $D/failed.log
assert_contains "markdown: a collapsed block" "<summary>Changed since $D/ok.log</summary>" "$OUT"
assert_contains "markdown: a package row" "| numpy | pip | 1.26.4 | 2.0.0 |" "$OUT"
assert_contains "markdown: the step, escaped" "- Step added: RUN apt-get update &amp;&amp; apt-get install -y gcc" "$OUT"

run analyze --format github --baseline $D/ok.log $D/failed.log
assert_eq "github: one notice" "::notice title=Changed since the baseline::gcc-12 (none) → 12.2.0-14, numpy 1.26.4 → 2.0.0, requests 2.31.0 → 2.32.3, base image python:3.12-slim has a new digest, 1 step(s) added, 0 removed, 2 new error or warning line(s)" "$(grep '^::notice title=Changed' "$OUT")"

# the same log as its own baseline: nothing changed; a build that worked: no section
run analyze --baseline $D/failed.log $D/failed.log
assert_eq "same log: nothing to compare" "   nothing that this tool compares" "$(tail -1 "$OUT")"
run analyze --format json --baseline $D/failed.log $D/ok.log
jq_eq "a successful build gets no changes" 'has("changes")' false
run analyze --format json $D/failed.log
jq_eq "no --baseline: no changes" 'has("changes")' false

run_stdin $D/failed.log analyze --format json --baseline $D/ok.log -
jq_eq "stdin against a baseline" '.changes.packages | length' 3

run analyze --baseline $D/nope.log $D/failed.log
assert_rc "missing baseline: exit 3" 3
assert_stderr "missing baseline: one line" "buildsleuth: baseline: cannot open '$D/nope.log': No such file or directory"
run analyze --baseline
assert_rc "--baseline without a value: usage" 2

finish
