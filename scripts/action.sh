#!/usr/bin/env bash
# scripts/action.sh - what the buildsleuth GitHub Action (action.yml) does:
# settle on one Pipecat Cloud build, fetch it once, and from that one copy
# write the annotations, the job summary, the step's outputs and the
# pull-request comment, so that all of them speak of the same build.
#
# Inputs, from the environment (action.yml maps its inputs to these):
#   INPUT_BUILD_ID    the build (the deploy Action's build-id output); empty:
#                     the newest finished build matching the three filters below
#   INPUT_DOCKERFILE, INPUT_REGION, INPUT_SINCE
#                     --latest's --dockerfile, --region and --since; not used
#                     with a build ID
#   INPUT_SOURCE_DIR  the build context's folder in the repository (--source-dir)
#   INPUT_COMMENT     true, false or auto (default: true on pull_request and
#                     pull_request_target events)
#   INPUT_WAIT        true: wait for a pending or building build to end (and
#                     let --latest choose one); default false
#   PIPECAT_API_KEY, GITHUB_TOKEN
#                     read by buildsleuth itself; this script never reads,
#                     prints or passes them
#   BUILDSLEUTH       the binary (default: buildsleuth on PATH)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
#   RUNNER_TEMP       as GitHub Actions sets them
# Outputs (to $GITHUB_OUTPUT): build-id, outcome (failed, success or
# running), category, rule, summary (of the top finding; empty when there is
# none), report-json (the path of the buildsleuth.report/v1 JSON report).
#
# Exit status: 0 when the build was reported, whether it failed or not (the
# deploy step already says that), and when there was nothing to report: no
# build matches the filters, or the build is still running (a ::warning says
# which). Otherwise buildsleuth's own status: 2 a bad input or setting (an
# API key missing), 3 bad input (a malformed build ID), 4 the Pipecat Cloud
# or GitHub API failed. A failed comment comes after the annotations, the
# summary and the outputs have been written.
set -u

BS=${BUILDSLEUTH:-buildsleuth}

die() { # STATUS MESSAGE: one line on stderr, then exit
	echo "buildsleuth: action: $2" >&2
	exit "$1"
}

# set_output NAME VALUE: one output, in the multi-line form, behind a
# delimiter the value does not hold
set_output() {
	local delim
	[ -n "${GITHUB_OUTPUT:-}" ] || return 0
	while :; do
		delim=buildsleuth_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
		case $2 in *"$delim"*) ;; *) break ;; esac
	done
	printf '%s<<%s\n%s\n%s\n' "$1" "$delim" "$2" "$delim" >>"$GITHUB_OUTPUT" ||
		die 3 "cannot write the output '$1' to '$GITHUB_OUTPUT' (GITHUB_OUTPUT)"
}

# warn MESSAGE: a ::warning annotation, the message escaped as GitHub's
# toolkit escapes it, so that an input in it cannot end the line
warn() {
	local m=$1
	m=${m//'%'/%25}
	m=${m//$'\r'/%0D}
	m=${m//$'\n'/%0A}
	printf '::warning title=buildsleuth::%s\n' "$m"
}

# --- the inputs ---------------------------------------------------------------------
build_id=${INPUT_BUILD_ID:-}
comment=${INPUT_COMMENT:-auto}
wait=${INPUT_WAIT:-false}
case $comment in
auto | '')
	case ${GITHUB_EVENT_NAME:-} in
	pull_request | pull_request_target) comment=true ;;
	*) comment=false ;;
	esac ;;
true | false) ;;
*) die 2 "the input 'comment' takes true, false or auto, not '$comment'" ;;
esac
case $wait in
'') wait=false ;;
true | false) ;;
*) die 2 "the input 'wait' takes true or false, not '$wait'" ;;
esac
command -v jq >/dev/null 2>&1 || die 2 "jq is not installed (it reads the report for the outputs)"

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/buildsleuth.XXXXXX") ||
	die 3 "cannot create a folder in '${RUNNER_TEMP:-${TMPDIR:-/tmp}}'"
build=$work/build.json
report=$work/report.json
source_dir=(--source-dir "${INPUT_SOURCE_DIR:-.}")

# --- one build, fetched once ------------------------------------------------------------
if [ -n "$build_id" ]; then
	which=("$build_id")
else
	# the newest *finished* build, a green one too: after a deploy that
	# failed once the image was built, that green build is the answer
	which=(--latest --status success --status failed --status timeout)
	[ "$wait" = true ] && which+=(--status pending --status building)
	[ -n "${INPUT_DOCKERFILE:-}" ] && which+=(--dockerfile "$INPUT_DOCKERFILE")
	[ -n "${INPUT_REGION:-}" ] && which+=(--region "$INPUT_REGION")
	[ -n "${INPUT_SINCE:-}" ] && which+=(--since "$INPUT_SINCE")
fi
[ "$wait" = true ] && which+=(--wait)
# its stderr shows as it comes (a --wait says how it goes) and is kept
"$BS" fetch "${which[@]}" -o "$build" 2>&1 | tee "$work/fetch.err" >&2
rc=${PIPESTATUS[0]}
if [ "$rc" != 0 ]; then
	# DESIGN.md's wording for --latest without a match
	if [ "$rc" = 3 ] && grep -q '^buildsleuth: no build matches: ' "$work/fetch.err"; then
		warn "$(sed -n 's/^buildsleuth: no build matches: /no build matches: /p' "$work/fetch.err" | head -1): nothing to diagnose"
		exit 0
	fi
	exit "$rc"
fi
id=$(jq -r '.build.id // empty' "$build")
status=$(jq -r '.build.status // empty' "$build")
set_output build-id "$id"
case $status in
pending | building)
	set_output outcome running
	warn "build $id is still $status: nothing to diagnose yet (the input 'wait: true' waits for it to end)"
	exit 0 ;;
esac

# --- the report: JSON for the outputs, annotations and the job summary -----------------
"$BS" analyze --format json "$build" >"$report" || exit
# annotations on stdout; buildsleuth appends the Markdown to $GITHUB_STEP_SUMMARY
"$BS" analyze --format github "${source_dir[@]}" "$build" || exit
set_output outcome "$(jq -r .outcome "$report")"
set_output category "$(jq -r '.diagnoses[0].category // empty' "$report")"
set_output rule "$(jq -r '.diagnoses[0].rule // empty' "$report")"
set_output summary "$(jq -r '.diagnoses[0].summary // empty' "$report")"
set_output report-json "$report"

# --- the pull-request comment: posted, updated, or resolved by a green build -------------
if [ "$comment" = true ]; then
	"$BS" comment --collapse-previous --from "$build" || exit
fi
exit 0
