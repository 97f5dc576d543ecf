#!/usr/bin/env bash
# tests/e2e/test_markdown.sh - the pull-request comment body against hostile
# logs, checked the way GitHub shows it: rendered by a real GFM renderer
# (cmark-gfm, with GitHub's extensions) and the HTML inspected by
# check_markdown_html.py: nothing from the log escapes its code block, opens
# HTML, links elsewhere, mentions anyone or splits the table; the body stays
# under 65,536 bytes and says when it was trimmed.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
T=$TEST_TMP
CHECK=tests/e2e/check_markdown_html.py

if ! command -v cmark-gfm >/dev/null 2>&1; then
	fail "cmark-gfm is not installed (rm -f build/.test-deps && make test-deps installs it)"
	finish
	exit 1
fi

# render NAME MD: the HTML GitHub would make of MD (raw HTML kept, so that
# any that got through shows), then every property checked
render() { cmark-gfm --unsafe -e table -e autolink -e tagfilter -e strikethrough "$2" >"$2.html"; }
# verify NAME MD [--trimmed|--not-trimmed]
verify() {
	local name=$1 md=$2 mode=${3:-}
	render "$name" "$md"
	if python3 $CHECK "$md" "$md.html" $T/hrefs $mode >$T/check.out 2>&1; then
		pass "$name: $(tail -1 $T/check.out)"
	else
		fail "$name: $(grep -v '^ok' $T/check.out | head -5 | tr '\n' ';')"
	fi
}

# the only links a report may hold: the rules' docs URLs
find rules -name '*.json' ! -name schema.json -exec jq -r '.rules[]?.docs // empty' {} + | sort -u >$T/hrefs

# --- the hostile lines ----------------------------------------------------------
python3 - "$T" <<'EOF'
import json, os, sys
t = sys.argv[1]
hostile = [
    "`" * 20 + " a fence of twenty backticks",
    "````",
    "</details><script>alert(1)</script>",
    "</details>",
    "<details><summary>x</summary>",
    "<img src=x onerror=alert(1)>",
    "@everyone please look",
    "@acme/devs and @octocat",
    "| a | b |",
    "|---|---|",
    "https://evil.example/x",
    "www.evil.example",
    "WWW.EVIL.EXAMPLE/path",
    "[click](javascript:alert(1))",
    "![x](http://evil/x.png)",
    "<https://evil.example/auto>",
    "mail me: admin@evil.example or mailto:admin@evil.example",
    "see #123 and acme/app#45",
    "&lt;script&gt; &#60;img&#62; &amp;",
    "<!-- comment --> <a href='https://evil.example'>a</a>",
    "`@everyone` ``<script>`` `| x |`",
    "**bold** _em_ ~~strike~~ $math$ :smile:",
    "\\`escaped backtick\\` \\<not html>",
]
# lines the built-in rules match, each with hostile text after it
rule_lines = [
    "ERROR: No matching distribution found for foo==1.0 ",
    "COPY failed: file not found in build context or excluded by .dockerignore: stat requirements.txt: file does not exist ",
    "E: Unable to locate package libfoo-dev ",
    "exec /usr/local/bin/python: exec format error ",
    "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt' ",
    "fatal error: portaudio.h: No such file or directory ",
    "error: externally-managed-environment ",
    "No space left on device ",
]
pad = " ".join(hostile)
lines = ["[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD",
         "#3 [2/3] RUN pip install -r requirements.txt"]
lines += hostile
lines += [l + pad for l in rule_lines]
lines += ["#3 ERROR: process \"/bin/sh -c pip install\" did not complete successfully: exit code: 1",
          "[Container] 2026/03/04 12:00:03.000000 Phase complete: BUILD State: FAILED"]
open(os.path.join(t, "hostile.log"), "w").write("\n".join(lines) + "\n")

# 5 MB of lines: the hostile ones over and over, the error in the middle
body = []
size = 0
i = 0
while size < 5 * 1024 * 1024:
    line = "#7 %d.%03d %s" % (i // 1000, i % 1000, hostile[i % len(hostile)])
    body.append(line)
    size += len(line) + 1
    i += 1
mid = len(body) // 2
body[mid:mid] = [l + pad for l in rule_lines]
big = ["[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD"] + body + [
    "[Container] 2026/03/04 12:59:00.000000 Phase complete: BUILD State: FAILED"]
open(os.path.join(t, "big.log"), "w").write("\n".join(big) + "\n")

# the first example of 150 rules, each followed by hostile text: many
# findings with long evidence, so the body must be trimmed. Not every rule:
# the table of all of them outgrows the second budget as the pack grows,
# and this test is about trimming evidence while the rows stay.
examples = []
for name in sorted(os.listdir("rules")):
    if name.endswith(".json") and name != "schema.json":
        for r in json.load(open(os.path.join("rules", name))).get("rules", []):
            m = r.get("examples", {}).get("match", [])
            if m:
                examples.append(m[0] + " " + pad + " " + "`" * 7)
examples = examples[:150]
open(os.path.join(t, "many.log"), "w").write(
    "\n".join(["[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD"] + examples +
              ["[Container] 2026/03/04 12:00:03.000000 Phase complete: BUILD State: FAILED"]) + "\n")

# captures and errorMessage are untrusted too: a rule that captures a whole
# line, and a build record whose errorMessage is the hostile list
os.makedirs(os.path.join(t, "capture"), exist_ok=True)
json.dump({"rules": [{"id": "test.capture-all", "title": "Captured line", "category": "application",
                      "priority": 99, "patterns": ["^HOSTILE: (?<rest>.*)$"],
                      "summary": "the log said {rest}", "hint": "look at {rest}",
                      "examples": {"match": ["HOSTILE: x"]}}]},
          open(os.path.join(t, "capture", "rules.json"), "w"))
json.dump({"build": {"id": "6f1c2a3b-0002-4a5b-8c6d-000000000002", "status": "failed",
                     "errorMessage": "Docker build failed: " + pad},
           "logs": ["[Container] 2026/03/04 12:00:00.000001 Entering phase BUILD"] +
                   ["HOSTILE: " + h for h in hostile] +
                   ["[Container] 2026/03/04 12:00:03.000000 Phase complete: BUILD State: FAILED"]},
          open(os.path.join(t, "fetch.json"), "w"))
EOF

# --- a hostile log ----------------------------------------------------------------
run analyze --format markdown $T/hostile.log
assert_rc "hostile: exit" 0
cp "$OUT" $T/hostile.md
verify "hostile" $T/hostile.md --not-trimmed
assert_contains "hostile: the evidence is in a collapsed block" "<summary>Evidence from the build log</summary>" $T/hostile.md
assert_contains "hostile: the 20-backtick line is quoted in the code block" \
	"$(printf '%.0s`' $(seq 20)) a fence of twenty backticks" $T/hostile.md.html
assert_contains "hostile: the fence is longer than any backtick run" '`````````````````````text' $T/hostile.md
assert_contains "hostile: <script> is quoted as text in the code block" \
	'&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;' $T/hostile.md.html
assert_contains "hostile: the headline names the top cause and the failing phase" \
	'### :x: Build failed in phase `BUILD`: ' $T/hostile.md

# --- 5 MB of hostile lines ---------------------------------------------------------
assert_eq "big: the log is over 5 MB" 1 "$(( $(stat -c %s $T/big.log) > 5 * 1024 * 1024 ))"
timeout 120 "$BS" analyze --format markdown $T/big.log >$T/big.md 2>"$ERR"; RC=$?
assert_rc "big: exit" 0
verify "big" $T/big.md

# --- many findings with long evidence: trimmed, and says so -------------------------
run analyze --format markdown $T/many.log
assert_rc "many: exit" 0
cp "$OUT" $T/many.md
assert_eq "many: many findings" 1 "$(( $(grep -c '^| [0-9]' $T/many.md) > 20 ))"
verify "many" $T/many.md --trimmed
run analyze --format json $T/many.log
untrimmed=$(jq '[.diagnoses[] | .evidence[].text | length] | add' "$OUT")
assert_eq "many: the evidence alone is over the limit" 1 "$(( untrimmed > 65536 ))"

# --- captures and the build's errorMessage ------------------------------------------
run analyze --format markdown --rules $T/capture $T/fetch.json
assert_rc "captures: exit" 0
cp "$OUT" $T/capture.md
verify "captures and errorMessage" $T/capture.md
assert_contains "captures: the errorMessage is shown" "Pipecat Cloud said: Docker build failed: " $T/capture.md
assert_contains "captures: a captured fence is text in the summary" \
	"<strong>the log said $(printf '%.0s`' $(seq 20)) a fence of twenty backticks</strong>" $T/capture.md.html
assert_contains "captures: <script> in the errorMessage is text" \
	'&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;/details&gt;' $T/capture.md.html
assert_contains "captures: a mention is shown but inert" "@$(printf '\u2060')everyone please look" $T/capture.md.html

# --- the checker itself catches each kind of break ----------------------------------
printf '<!-- buildsleuth:report -->\nhello @everyone\n' >$T/bad1.md
printf '<!-- buildsleuth:report -->\n</details><script>alert(1)</script>\n' >$T/bad2.md
printf '<!-- buildsleuth:report -->\n```text\n     1 | a\n```\nleaked line\n```\n' >$T/bad3.md
printf '<!-- buildsleuth:report -->\nsee https://evil.example/x\n' >$T/bad4.md
printf '<!-- buildsleuth:report -->\nmail admin@evil.example about #12\n' >$T/bad5.md
for i in 1 2 3 4 5; do
	render bad$i $T/bad$i.md
	if python3 $CHECK $T/bad$i.md $T/bad$i.md.html $T/hrefs >/dev/null 2>&1; then
		fail "checker: bad$i.md passed"
	else
		pass "checker: bad$i.md is caught"
	fi
done

finish
