#!/bin/sh
# Runs the test layers (all, or those named: unit cli man) and ends with
# one line "N passed, M failed". Exit 0 only when nothing failed.
#
# The layers cli-pg, mail-pg and tui-pg run the scripts of cli, mail and
# tui again on PostgreSQL: one private server for the layer (tests/pg/
# lib.sh), a fresh database on it for each script (tests/cli/lib.sh makes
# it), the server stopped and removed afterwards. A script that cannot run
# there says why (pg_unsupported); it is listed as skipped, not passed.
# LAYER:t_a,t_b runs only those scripts of a layer (cli-pg:t_tickets).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
layers=${*:-unit cli mail tui cli-pg mail-pg tui-pg fuzz man}
results=$(mktemp /tmp/watchdog-results.XXXXXX)
PGD=
trap 'rm -f "$results" "$results.pid" "$results.before" "$results.shm"; pg_end' EXIT
# Interrupted, or its reader gone (| head): the EXIT trap still cleans up.
trap 'exit 130' INT TERM HUP PIPE
export WATCHDOG_RESULTS="$results" WATCHDOG_TOP="$top"
. "$top/tests/pg/lib.sh"

# Run the test script $1 and count its exit status; then check that it
# left nothing in /tmp: the test libraries name their temporary directory
# and their tmux server after the script's process id, and remove both.
# With $2 set, a clean script also counts as a check passed.
sockdir=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
leftovers() {
	ls -d "/tmp/watchdog-"*".$1."* 2>/dev/null
	ls "$sockdir" 2>/dev/null | grep -E "^wd[a-z]*$1\$" | sed "s|^|$sockdir/|"
}
# The shared memory and semaphore libfaketime's "faketime" makes for each
# run (/dev/shm/faketime_shm_PID, sem.faketime_sem_PID) stay when it is
# killed (the kill -9 tests): those that appeared during the script and
# whose process is gone are removed.
faketime_sweep() {
	ls /dev/shm 2>/dev/null | grep -E '^(sem\.)?faketime_(shm|sem)_[0-9]+$' |
	    grep -vxF -f "$results.shm" | while read -r f; do
		kill -0 "${f##*_}" 2>/dev/null || rm -f "/dev/shm/$f"
	done
}
run_script() {
	{ ls -d /tmp/watchdog-* 2>/dev/null
	  ls "$sockdir" 2>/dev/null | sed "s|^|$sockdir/|"; } > "$results.before"
	ls /dev/shm 2>/dev/null > "$results.shm"
	name=$1${WATCHDOG_TEST_PG:+[pg]}
	# shellcheck disable=SC2016
	sh -c 'echo $$ > "$0.pid"; exec sh "$1"' "$results" "$1" ||
	    echo "FAIL $name (script exited $?)" >> "$results"
	pid=$(cat "$results.pid")
	# Only what appeared during the run counts: a name left by an earlier
	# process that had the same id (another run, another PID namespace)
	# is not this script's.
	faketime_sweep
	left=$(leftovers "$pid" | grep -vxF -f "$results.before")
	if [ -n "$left" ]; then
		echo "  FAIL $name leaves behind:" $left
		echo "FAIL $name leaves nothing in /tmp:" $left >> "$results"
	elif [ -n "${2:-}" ]; then
		echo "PASS $name leaves nothing in /tmp" >> "$results"
	fi
}

# Run the scripts tests/$1/t_*.sh (those named in $2 when it is not
# empty: t_a,t_b); $3 is passed on to run_script.
run_layer() {
	for t in tests/"$1"/t_*.sh; do
		[ -f "$t" ] || continue
		case ,$2, in
		,,) ;;
		*",$(basename "$t" .sh),"*) ;;
		*) continue ;;
		esac
		run_script "$t" "${3:-}"
		[ -z "$PGD" ] || pg_dropdb "$PGD" "wd_$(cat "$results.pid")"
	done
	return 0
}

# Start the private PostgreSQL server of a -pg layer; the scripts find it
# by WATCHDOG_TEST_PG.
pg_begin() {
	PGD=$(mktemp -u "/tmp/watchdog-pg.$$.XXXXXX")
	if ! pg_start "$PGD"; then
		echo "FAIL the private PostgreSQL server starts" >> "$results"
		PGD=
		return 1
	fi
	export WATCHDOG_TEST_PG="$PGD"
}

# Stop it and remove it (also when run.sh is interrupted).
pg_end() {
	[ -n "$PGD" ] || return 0
	pg_stop "$PGD"
	PGD=
	unset WATCHDOG_TEST_PG
	return 0
}

for layer in $layers; do
	start=$(date +%s)
	only=
	case $layer in
	*:*) only=${layer#*:}; layer=${layer%%:*} ;;
	esac
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
		run_layer cli "$only"
		;;
	mail)
		echo "== mail tests (aiosmtpd on loopback)"
		run_layer mail "$only"
		;;
	tui)
		echo "== terminal UI tests (tmux)"
		run_layer tui "$only" tmux
		;;
	cli-pg | mail-pg | tui-pg)
		kind=${layer%-pg}
		echo "== $kind tests on PostgreSQL"
		mark=$(wc -l < "$results")
		if pg_begin; then
			[ "$kind" = tui ] && tmux=tmux || tmux=
			run_layer "$kind" "$only" $tmux
			pg_end
		fi
		tail -n +$((mark + 1)) "$results" | sed -n 's/^SKIP /  skipped: /p'
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
		echo "run.sh: unknown layer '$layer' (unit, cli, mail, tui," \
		    "cli-pg, mail-pg, tui-pg, fuzz, man)" >&2
		exit 64
		;;
	esac
	echo "  ($layer: $(( $(date +%s) - start )) s)"
done

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
if grep -q '^SKIP' "$results"; then
	echo "== skipped"
	sed -n 's/^SKIP /  /p' "$results"
fi
if [ "$failed" -gt 0 ]; then
	echo "== failures"
	grep '^FAIL' "$results" | grep -v '^FAIL unit$'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
