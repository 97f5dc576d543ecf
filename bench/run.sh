#!/usr/bin/env bash
# bench/run.sh - what `make bench` runs: installs ripgrep and hyperfine when
# root (else prints the command), generates the corpora into bench/out/
# (git-ignored), runs every benchmark and writes their tables, the machine
# and the tool versions into docs/PERFORMANCE.md between its bench markers.
. "$(dirname "$0")/lib.sh"
start=$(date +%s)
missing=""
have rg || missing="$missing ripgrep"
have hyperfine || missing="$missing hyperfine"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && have apt-get; then
		echo "bench: installing$missing"
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $missing) >/dev/null 2>&1 ||
			echo "bench: apt-get install$missing failed; going on without" >&2
	else
		echo "bench: for the comparisons install:$missing (sudo apt-get install -y$missing)" >&2
	fi
fi
python3 bench/gen_corpus.py all "$OUT" rules || exit 1

for b in ratios scan diagnosis scaling audit; do
	echo "bench: $b" >&2
	bash "bench/$b.sh" || exit 1
done

first() { "$@" 2>/dev/null | head -1; }
{
	echo "### Machine and versions"
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| CPU | $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) |"
	echo "| memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
	echo "| system | $(uname -sr), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") |"
	echo "| buildsleuth | $("$BS" --version 2>&1 | head -1), built with $(first ${CC:-cc} --version) |"
	echo "| PCRE2 | $(pkg-config --modversion libpcre2-8 2>/dev/null) |"
	echo "| ripgrep | $(first rg --version || echo "not installed") ($(rg --pcre2-version 2>/dev/null | head -1)) |"
	echo "| hyperfine | $(first hyperfine --version || echo "not installed: Python timing loop") |"
	echo "| python3 | $(first python3 --version) |"
	echo
	echo "Timings are medians of several runs after warm-up runs (hyperfine \`-N\`), with the"
	echo "files in the page cache. Absolute times on a shared machine are noise; the ratios,"
	echo "measured side by side in one run, are what the targets are about."
	echo "Run \`make bench\` to reproduce (generated $(date -u +%Y-%m-%d), took $(( $(date +%s) - start )) s)."
	echo
} >"$RES/machine.md"

doc=docs/PERFORMANCE.md
begin='<!-- bench:begin (written by make bench: edit bench/*.sh, not this part) -->'
end='<!-- bench:end -->'
[ -f "$doc" ] || printf '# Performance\n\n%s\n%s\n' "$begin" "$end" >"$doc"
python3 - "$doc" "$begin" "$end" "$RES"/ratios.md "$RES"/scan.md "$RES"/diagnosis.md "$RES"/scaling.md \
	"$RES"/audit.md "$RES"/machine.md <<'PY'
import sys
doc, begin, end, parts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
text = open(doc, encoding="utf-8").read()
if begin not in text or end not in text:
    text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
head, rest = text.split(begin, 1)
tail = rest.split(end, 1)[1]
body = "".join(open(p, encoding="utf-8").read() for p in parts)
open(doc, "w", encoding="utf-8").write(head + begin + "\n" + body + end + tail)
PY
echo "bench: tables written to $doc ($(( $(date +%s) - start )) s)"
