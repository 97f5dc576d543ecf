#!/bin/sh
# tests/demo.sh - what `make demo` shows: buildsleuth diagnosing a few bundled
# failed builds, as a user would run it after a red build.
set -u
BS=${BUILDSLEUTH:-build/buildsleuth}
cd "$(dirname "$0")/.." || exit 2
for f in copy-missing-requirements-buildkit.log pin-not-found-pipecat.log \
	 pip-oom-killed-137.log unknown-custom-script-exit3.log; do
	echo "\$ buildsleuth analyze --top 2 fixtures/logs/$f"
	"$BS" analyze --top 2 "fixtures/logs/$f" || exit 1
	echo
done
