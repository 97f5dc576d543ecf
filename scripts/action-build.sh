#!/usr/bin/env bash
# scripts/action-build.sh - the buildsleuth binary of the GitHub Action
# (action.yml), built once per runner and kept by actions/cache.
#
#   action-build.sh key    writes to $GITHUB_OUTPUT `dir` (where the binary
#                          lives) and `key` (the cache key): the runner's OS,
#                          architecture and image, and a digest of the sources
#                          the binary is made from, so a new commit of the
#                          action (whatever ref names it) builds anew
#   action-build.sh build  DIR=the dir above: nothing when DIR/buildsleuth
#                          runs (restored from the cache, or built by an
#                          earlier job on this runner); else installs the build
#                          dependencies (the Makefile's `deps`, with sudo when
#                          not root) and builds it into DIR
set -u
src=$(cd "$(dirname "$0")/.." && pwd)

case ${1:-} in
key)
	digest=$(cd "$src" && find Makefile src include rules -type f | LC_ALL=C sort |
		xargs sha256sum | sha256sum | cut -c1-16)
	dir=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/buildsleuth/$digest
	key=buildsleuth-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-${ImageOS:-unknown}-$digest
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf 'dir=%s\nkey=%s\n' "$dir" "$key" >>"$GITHUB_OUTPUT" || exit 3
	else
		printf 'dir=%s\nkey=%s\n' "$dir" "$key"
	fi
	;;
build)
	dir=${DIR:?DIR is the folder of the binary (the output dir of 'action-build.sh key')}
	if "$dir/buildsleuth" --version >/dev/null 2>&1; then
		echo "buildsleuth: $("$dir/buildsleuth" --version) from the cache ($dir)"
		exit 0
	fi
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	# the Makefile installs what is missing when root; its stamp goes to a
	# throwaway folder so that the build tree stays the runner user's
	stamp=$(mktemp -d)
	$sudo make -s -C "$src" deps BUILD="$stamp" || exit
	if ! command -v jq >/dev/null 2>&1; then
		{ $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends jq; } >/dev/null || exit
	fi
	make -s -C "$src" -j"$(nproc 2>/dev/null || echo 2)" || exit
	mkdir -p "$dir" && install -m 755 "$src/build/buildsleuth" "$dir/buildsleuth" || exit
	echo "buildsleuth: built $("$dir/buildsleuth" --version) into $dir"
	;;
*)
	echo "usage: action-build.sh key|build" >&2
	exit 2
	;;
esac
