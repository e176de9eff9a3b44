#!/bin/sh
# Runs the test layers (all, or those named: unit cli man) and ends with
# one line "N passed, M failed". Exit 0 only when nothing failed.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
layers=${*:-unit cli mail tui fuzz man}
results=$(mktemp /tmp/watchdog-results.XXXXXX)
trap 'rm -f "$results"' EXIT
export WATCHDOG_RESULTS="$results" WATCHDOG_TOP="$top"

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
			sh "$t" || echo "FAIL $t (script exited $?)" >> "$results"
		done
		;;
	mail)
		echo "== mail tests (aiosmtpd on loopback)"
		for t in tests/mail/t_*.sh; do
			[ -f "$t" ] || continue
			sh "$t" || echo "FAIL $t (script exited $?)" >> "$results"
		done
		;;
	tui)
		echo "== terminal UI tests (tmux)"
		for t in tests/tui/t_*.sh; do
			[ -f "$t" ] || continue
			sh "$t" || echo "FAIL $t (script exited $?)" >> "$results"
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
		sh tests/doccheck-keys.sh
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
