#!/bin/sh
# Runs the test layers (all, or those named: unit cli man) and ends with
# one line "N passed, M failed". Exit 0 only when nothing failed.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
layers=${*:-unit cli mail tui fuzz man}
results=$(mktemp /tmp/watchdog-results.XXXXXX)
trap 'rm -f "$results" "$results.pid" "$results.before"' EXIT
export WATCHDOG_RESULTS="$results" WATCHDOG_TOP="$top"

# Run the test script $1 and count its exit status; then check that it
# left nothing in /tmp: the test libraries name their temporary directory
# and their tmux server after the script's process id, and remove both.
# With $2 set, a clean script also counts as a check passed.
sockdir=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
leftovers() {
	ls -d "/tmp/watchdog-"*".$1."* 2>/dev/null
	ls "$sockdir" 2>/dev/null | grep -E "^wd[a-z]*$1\$" | sed "s|^|$sockdir/|"
}
run_script() {
	{ ls -d /tmp/watchdog-* 2>/dev/null
	  ls "$sockdir" 2>/dev/null | sed "s|^|$sockdir/|"; } > "$results.before"
	# shellcheck disable=SC2016
	sh -c 'echo $$ > "$0.pid"; exec sh "$1"' "$results" "$1" ||
	    echo "FAIL $1 (script exited $?)" >> "$results"
	pid=$(cat "$results.pid")
	# Only what appeared during the run counts: a name left by an earlier
	# process that had the same id (another run, another PID namespace)
	# is not this script's.
	left=$(leftovers "$pid" | grep -vxF -f "$results.before")
	if [ -n "$left" ]; then
		echo "  FAIL $1 leaves behind:" $left
		echo "FAIL $1 leaves nothing in /tmp:" $left >> "$results"
	elif [ -n "${2:-}" ]; then
		echo "PASS $1 leaves nothing in /tmp" >> "$results"
	fi
}

for layer in $layers; do
	case $layer in
	unit)
		echo "== unit tests (Check)"
		out=$(mktemp /tmp/watchdog-unit-out.XXXXXX)
		CK_DEFAULT_TIMEOUT=60 ./build/unit-tests > "$out" 2>&1
		rc=$?
		grep -v '^unit: ' "$out" | grep -v '^100%' | sed -n '1,200p'
		summary=$(grep '^unit: ' "$out" | tail -n 1)
		echo "$summary"
		p=$(echo "$summary" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
		f=$(echo "$summary" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
		if [ -z "$p" ]; then
			echo "FAIL unit runner (exit $rc, no summary)" >> "$results"
		else
			i=0; while [ $i -lt "$p" ]; do echo "PASS unit" >> "$results"; i=$((i + 1)); done
			i=0; while [ $i -lt "$f" ]; do echo "FAIL unit" >> "$results"; i=$((i + 1)); done
			[ $rc -eq 0 ] || [ "$f" -gt 0 ] || echo "FAIL unit runner exit $rc" >> "$results"
		fi
		rm -f "$out"
		;;
	cli)
		echo "== command-line tests"
		for t in tests/cli/t_*.sh; do
			run_script "$t"
		done
		;;
	mail)
		echo "== mail tests (aiosmtpd on loopback)"
		for t in tests/mail/t_*.sh; do
			[ -f "$t" ] || continue
			run_script "$t"
		done
		;;
	tui)
		echo "== terminal UI tests (tmux)"
		for t in tests/tui/t_*.sh; do
			[ -f "$t" ] || continue
			run_script "$t" tmux
		done
		;;
	fuzz)
		# A short run of every libFuzzer target; make fuzz runs longer.
		echo "== fuzz targets (libFuzzer, ${FUZZ_SECONDS:-5} s each)"
		out=$(mktemp /tmp/watchdog-fuzz-out.XXXXXX)
		${MAKE:-make} -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-5}" > "$out" 2>&1
		rc=$?
		grep -E '^(PASS|FAIL) fuzz|^fuzz:' "$out"
		grep -E '^(PASS|FAIL) fuzz' "$out" >> "$results"
		if [ $rc -ne 0 ] && ! grep -q '^FAIL fuzz' "$out"; then
			tail -n 20 "$out"
			echo "FAIL fuzz (make fuzz exited $rc)" >> "$results"
		fi
		rm -f "$out"
		;;
	man)
		echo "== man pages (mandoc -Tlint)"
		for m in man/watchdog.1 man/watchdog.conf.5; do
			if out=$(mandoc -Tlint -W warning "$m" 2>&1) && [ -z "$out" ]; then
				echo "PASS man $m" >> "$results"
			else
				echo "$out"
				echo "FAIL man $m" >> "$results"
			fi
		done
		sh tests/doccheck.sh
		sh tests/doccheck-options.sh
		sh tests/doccheck-keymap.sh
		sh tests/doccheck-keys.sh
		sh tests/doccheck-completion.sh
		;;
	*)
		echo "run.sh: unknown layer '$layer' (unit, cli, mail, tui, fuzz, man)" >&2
		exit 64
		;;
	esac
done

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
if [ "$failed" -gt 0 ]; then
	echo "== failures"
	grep '^FAIL' "$results" | grep -v '^FAIL unit$'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
