#!/bin/sh
# tests/demo.sh - what `make demo` shows: buildsleuth diagnosing bundled failed
# builds end to end. It starts the bundled fake Pipecat Cloud API on loopback
# (tests/fake_api; your real key and URL are never needed), runs `diagnose`
# on failed builds there, then `analyze` on a saved log.
set -u
BS=${BUILDSLEUTH:-build/buildsleuth}
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

python3 tests/fake_api/fake_pipecat.py >"$tmp/port" 2>"$tmp/err" &
pid=$!
i=0
until grep -q '^PORT ' "$tmp/port" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "demo: the fake API did not start: $(cat "$tmp/err")" >&2
		exit 1
	fi
	sleep 0.1
done
port=$(sed -n 's/^PORT //p' "$tmp/port")
PIPECAT_API_URL=http://127.0.0.1:$port/v1
PIPECAT_API_KEY=test-key-123
export PIPECAT_API_URL PIPECAT_API_KEY

echo "== A failed Pipecat Cloud build, fetched from the (local, fake) API =="
echo "\$ buildsleuth diagnose --top 2 6f1c2a3b-0002-4a5b-8c6d-000000000002"
"$BS" diagnose --top 2 6f1c2a3b-0002-4a5b-8c6d-000000000002 || exit 1
echo
echo "\$ buildsleuth diagnose --top 1 123e4567-e89b-12d3-a456-426614174000"
"$BS" diagnose --top 1 123e4567-e89b-12d3-a456-426614174000 || exit 1
echo
echo "== A saved log: a failure no rule knows =="
echo "\$ buildsleuth analyze --top 1 fixtures/logs/unknown-custom-script-exit3.log"
"$BS" analyze --top 1 fixtures/logs/unknown-custom-script-exit3.log || exit 1
echo
echo "Also try: --format markdown | json | github, 'buildsleuth rules list', and"
echo "'buildsleuth analyze FILE' on your own saved build log."
