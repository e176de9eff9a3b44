#!/bin/sh
# run.sh: make bench. Measures the performance budgets (README, Performance) on databases
# that build/bench-gen makes, and prints one line "name value unit" per
# figure (the median of several runs), then one line per budget:
# "budget NAME VALUE OP LIMIT ok|FAIL". Exits 0 only when every figure
# was measured and every budget holds.
#
# Builds nothing: make bench builds ./watchdog, build/bench-gen and
# build/bench first. Everything it makes lives in a directory under /tmp,
# removed at the end. The sizes can be changed for a quick look:
#   BENCH_SMALL (10000), BENCH_LARGE (1000000), BENCH_DUE (1000)
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh	# $T, $WD, write_config; HOME, TZ, LC_ALL
. tests/mail/lib.sh	# start_smtpd, stop_smtpd, count_connections, ...
. tests/tui/lib.sh	# tm, tui_screen, tui_keys, tui_type, tui_wait
. tests/bench/pg.sh	# pg_bench, pg_budgets, pg_bench_stop
trap 'tui_stop; stop_smtpd; pg_bench_stop; rm -rf "$T"' EXIT

SMALL=${BENCH_SMALL:-10000}
LARGE=${BENCH_LARGE:-1000000}
DUE=${BENCH_DUE:-1000}
GEN=$top/build/bench-gen
BENCH=$top/build/bench
PASSWORD='bench password 1'	# every account's, set by bench-gen
RUNS_PASS=7
RUNS_CHEAP=5
RUNS=3
SESSIONS=3
PAGES=50

for f in "$WD" "$GEN" "$BENCH"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f is missing: run make bench" >&2
		exit 2
	fi
done
for c in tmux /usr/bin/python3; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "bench: $c is missing (sh tools/deps.sh installs it)" >&2
		exit 2
	fi
done

started=$(date +%s)
problems=0
FIGURES=$T/figures
: > "$FIGURES"

# Say why a figure could not be measured, and fail the run.
problem() {
	echo "bench: $*" >&2
	problems=$((problems + 1))
}

# Say on stderr how long the run has taken so far.
progress() {
	echo "# $*: $(($(date +%s) - started)) s" >&2
}

# figure NAME VALUE UNIT: print it and keep it for the budgets.
figure() {
	echo "$1 $2 $3"
	echo "$1 $2" >> "$FIGURES"
}

# The value of figure NAME, or nothing.
value_of() {
	awk -v n="$1" '$1 == n { v = $2 } END { if (v != "") print v }' \
	    "$FIGURES"
}

# The median of the first column of FILE (of numbers).
median() {
	sort -n "$1" | awk '{ v[NR] = $1 }
	    END { if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Loops count in $run: the helpers of tests/*/lib.sh use $i and $n.

# Nanoseconds as milliseconds (2 decimals), and as seconds.
ms() { awk -v n="$1" 'BEGIN { printf "%.2f\n", n / 1e6 }'; }
secs() { awk -v n="$1" 'BEGIN { printf "%.2f\n", n / 1e9 }'; }

# timed FILE CMD...: run CMD, appending "ns status maxrss" to FILE.
timed() {
	f=$1
	shift
	"$BENCH" time "$f" "$@"
}

# pass_figures NAME_10K NAME_1M RATIO: the two sizes' medians (their runs
# on stderr), and their ratio; shared with tests/bench/pg.sh.
pass_figures() {
	for f in "$1" "$2"; do
		[ -s "$T/t.$f" ] || continue	# not measured: said already
		figure "$f" "$(ms "$(median "$T/t.$f")")" ms
		echo "# $f runs (ms): $(awk '{ printf " %.0f", $1 / 1e6 }' \
		    "$T/t.$f")" >&2
	done
	figure "$3" "$(awk -v a="$(value_of "$2")" -v b="$(value_of "$1")" \
	    'BEGIN { printf "%.2f\n", (b > 0 ? a / b : 0) }')" x
}

# idle_passes NAME: $RUNS_CHEAP passes on the work database, whose mail is
# all sent; figure NAME is their median.
idle_passes() {
	: > "$T/t.$1"
	run=0
	while [ $run -lt "$RUNS_CHEAP" ]; do
		timed "$T/t.$1" "$WD" --check-sla
		rc=$(last_status "$T/t.$1")
		[ "$rc" = 0 ] || problem "$1: --check-sla exited $rc"
		run=$((run + 1))
	done
	n=$(mail_count)
	[ "$n" = "$DUE" ] || problem "$1: $n messages in all, not $DUE"
	figure "$1" "$(ms "$(median "$T/t.$1")")" ms
}

# The median peak RSS (kB) of the runs timed into FILE.
rss_median() {
	cut -d' ' -f3 "$1" > "$1.rss"
	median "$1.rss"
}

# The status of the last run timed into FILE.
last_status() { tail -n 1 "$1" | cut -d' ' -f2; }

# The work database: a fresh copy of the pristine database $1, and no
# mail yet. Everything is on disk before anything is timed: the copy, and
# the freeing of the last one (a file system mounted with discard trims
# its blocks at the next journal commit).
WORK=$T/work.db
fresh() {
	rm -f "$WORK" "$WORK-wal" "$WORK-shm"
	rm -rf "$T/mail"
	cp "$1" "$WORK"
	sync
}

# The number of messages the file backend wrote.
mail_count() {
	find "$T/mail" -type f ! -path "$T/mail/tmp/*" 2>/dev/null | wc -l |
	    tr -d ' '
}

# SLA policies for every priority (watchdog(1), SLA POLICIES), counted in
# a business calendar with holidays, and the pause statuses: a pass costs
# the same with them, since it reads the kept next notice times.
POLICIES="SLA_POLICY_URGENT=4h business|SLA_POLICY_HIGH=1d business|SLA_POLICY_NORMAL=3d business|SLA_POLICY_LOW=10d calendar|TIME_ZONE=Europe/Berlin|BUSINESS_HOURS=Mon-Fri 09:00-17:00|HOLIDAYS=12-24, 12-25, 12-26, 01-01|SLA_PAUSE_STATUSES=on_hold"
bench_config() {
	IFS='|'
	# shellcheck disable=SC2086
	set -- "$@" $POLICIES
	unset IFS
	write_config "$@"
}

# The file backend, no rate limit on reads (write_config's defaults).
bench_config "DATABASE_URL=$WORK" "EMAIL_FILE_PATH=$T/mail"
echo "# SLA Watchdog benchmark: $(nproc) cores, $SMALL and $LARGE tickets," \
    "$DUE due; medians of $RUNS_PASS passes of each size (in turn)," \
    "$RUNS_CHEAP idle passes and logins, $RUNS of the rest (TUI: sessions)"

# The databases: the same $DUE due tickets in both.
for n in "$SMALL" "$LARGE"; do
	if ! out=$("$GEN" "$T/pristine-$n.db" "$n" "$DUE"); then
		problem "bench-gen $n failed"
		exit 1
	fi
	echo "# bench-gen: $out"
done
progress "databases made"
gen_s=$(echo "$out" | sed -n 's/.* in \([0-9.]*\) s$/\1/p')
figure generate_1m "$gen_s" s

# check_sla_pass: a full pass, file backend, from process start to exit.
# The 10k and 1m runs take turns, so that both see the same machine (the
# passes wait on fsync, which other work on the disk slows down).
check_pass() {	# NAME DATABASE
	fresh "$2"
	timed "$T/t.$1" "$WD" --check-sla
	rc=$(last_status "$T/t.$1")
	n=$(mail_count)
	[ "$rc" = 0 ] || problem "$1: --check-sla exited $rc"
	[ "$n" = "$DUE" ] || problem "$1: $n messages, not $DUE"
}
sync
: > "$T/t.check_sla_pass_10k"
: > "$T/t.check_sla_pass_1m"
run=0
while [ $run -lt "$RUNS_PASS" ]; do
	check_pass check_sla_pass_10k "$T/pristine-$SMALL.db"
	check_pass check_sla_pass_1m "$T/pristine-$LARGE.db"
	run=$((run + 1))
done
pass_figures check_sla_pass_10k check_sla_pass_1m check_sla_ratio

progress "check_sla_pass done"

# check_sla_console_10k: the same first pass with the console backend (its
# messages to /dev/null): the database work alone, with no file to make.
bench_config "DATABASE_URL=$WORK" EMAIL_BACKEND=console
: > "$T/t.console"
run=0
while [ $run -lt "$RUNS_PASS" ]; do
	fresh "$T/pristine-$SMALL.db"
	timed "$T/t.console" "$WD" --check-sla > /dev/null
	rc=$(last_status "$T/t.console")
	[ "$rc" = 0 ] || problem "check_sla_console_10k: --check-sla exited $rc"
	run=$((run + 1))
done
figure check_sla_console_10k "$(ms "$(median "$T/t.console")")" ms
bench_config "DATABASE_URL=$WORK" "EMAIL_FILE_PATH=$T/mail"
# The file backend again, for what follows: the 1m database, mail sent.
fresh "$T/pristine-$LARGE.db"
"$WD" --check-sla > /dev/null 2>&1 || problem "check_sla_idle_1m: the first pass failed"

progress "check_sla_console done"

# check_sla_idle_1m: passes after one that queued and sent everything.
# The work database stays the 1m one from here on.
idle_passes check_sla_idle_1m

progress "check_sla_idle done"

# list_json_1m: --list --json of the open queue.
token=$(printf '%s\n' "$PASSWORD" |
    "$WD" --token --user bench --password-stdin 2>"$T/token.err")
if [ -z "$token" ]; then
	problem "no token: $(cat "$T/token.err")"
else
	: > "$T/t.list"
	export WATCHDOG_TOKEN="$token"
	run=0
	while [ $run -lt "$RUNS" ]; do
		timed "$T/t.list" "$WD" --list --json > /dev/null
		rc=$(last_status "$T/t.list")
		[ "$rc" = 0 ] || problem "list_json_1m: --list exited $rc"
		run=$((run + 1))
	done
	figure list_json_1m "$(ms "$(median "$T/t.list")")" ms
	figure list_json_rss_1m "$(rss_median "$T/t.list")" kB

	# list_ndjson: the open queue (--list --ndjson as it is typed) and
	# every ticket (--all), streamed: time and peak memory.
	for what in open all; do
		: > "$T/t.nd"
		run=0
		while [ $run -lt "$RUNS" ]; do
			if [ $what = all ]; then
				timed "$T/t.nd" "$WD" --list --all --ndjson > /dev/null
			else
				timed "$T/t.nd" "$WD" --list --ndjson > /dev/null
			fi
			rc=$(last_status "$T/t.nd")
			[ "$rc" = 0 ] || problem "list_ndjson_$what: exited $rc"
			run=$((run + 1))
		done
		figure "list_ndjson_${what}_1m" "$(secs "$(median "$T/t.nd")")" s
		figure "list_ndjson_${what}_rss_1m" "$(rss_median "$T/t.nd")" kB
	done

	# list_filter_*: each filter alone, a page of 50 ids, from process
	# start to exit; and the worst of them.
	: > "$T/t.worst"
	for f in "status on_hold" "priority urgent" "assignee none" \
	    "owner bench" "sla warning" "due-within 2h" "search jira" \
	    "after 500000" "mine" "overdue"; do
		name=$(echo "$f" | sed 's/ .*//; s/-/_/g')
		set -- $f
		: > "$T/t.f"
		run=0
		while [ $run -lt "$RUNS_CHEAP" ]; do
			timed "$T/t.f" "$WD" --list --$1 ${2:+"$2"} --limit 50 \
			    --ids > "$T/f.out"
			rc=$(last_status "$T/t.f")
			[ "$rc" = 0 ] || problem "list_filter_$name: exited $rc"
			run=$((run + 1))
		done
		echo "# list_filter_$name: $(wc -l < "$T/f.out") rows" >&2
		v=$(ms "$(median "$T/t.f")")
		figure "list_filter_${name}_1m" "$v" ms
		echo "$v" >> "$T/t.worst"
	done
	figure list_filter_worst_1m "$(sort -n "$T/t.worst" | tail -n 1)" ms
	unset WATCHDOG_TOKEN
fi

progress "list done"

# login_argon2id: user_login() itself, timed in build/bench.
if printf '%s\n' "$PASSWORD" |
    "$BENCH" login "$WORK" bench "$RUNS_CHEAP" > "$T/t.login"; then
	figure login_argon2id "$(ms "$(median "$T/t.login")")" ms
else
	problem "login_argon2id: the login failed"
fi

progress "login done"

# business_deadline_1y: one business-time deadline 250 business days out
# (Mon-Fri 09:00-17:00, Europe/Berlin, holidays), timed in build/bench.
if "$BENCH" deadline 2001 > "$T/t.deadline"; then
	figure business_deadline_1y \
	    "$(awk -v n="$(median "$T/t.deadline")" 'BEGIN { printf "%.1f\n", n / 1e3 }')" us
else
	problem "business_deadline_1y: a deadline was wrong"
fi

progress "deadline done"

# tui_*: the UI on the 1m database in tmux, with its timings written to
# descriptor 3 (WATCHDOG_TRACE_FD). TRACE is the current session's.
TRACE=
trace_count() {
	c=$(grep -c "^$1 " "$TRACE" 2>/dev/null)
	echo "${c:-0}"
}

# Wait until the trace has N lines of EVENT (10 s at most).
trace_wait() {
	j=0
	while [ "$(trace_count "$1")" -lt "$2" ]; do
		j=$((j + 1))
		[ $j -lt 1000 ] || return 1
		sleep 0.01
	done
	return 0
}

# Send KEY and wait until the screen changed (5 s at most).
key_and_wait() {
	before=$(tui_screen)
	tui_keys "$1"
	j=0
	while [ "$(tui_screen)" = "$before" ] && [ $j -lt 500 ]; do
		sleep 0.01
		j=$((j + 1))
	done
	sleep 0.1
}

# One session: log in, page down and up, to the end and back. Appends
# the first frame time, the median page move and the peak RSS to files.
tui_session() {
	TRACE=$T/trace.$1
	: > "$TRACE"
	tui_stop
	tm new-session -d -x 100 -y 30 "cd '$T' && exec env \
WATCHDOG_CONFIG='$WATCHDOG_CONFIG' TZ='$TZ' LC_ALL='$LC_ALL' HOME='$HOME' \
TERM=screen-256color WATCHDOG_TRACE_FD=3 '$WD' 3>'$TRACE'"
	pid=$(tm display -p -t 0 '#{pane_pid}')
	if ! tui_wait 'Account:' 10; then
		problem "tui: no login screen: $(tui_screen | head -n 5)"
		return 1
	fi
	tui_type bench
	tui_keys Enter
	tui_type "$PASSWORD"
	tui_keys Enter
	if ! trace_wait first_frame 1; then
		problem "tui: no first_frame in the trace (is WATCHDOG_TRACE_FD" \
		    "implemented?): $(tui_screen | tail -n 3)"
		return 1
	fi
	# From here on: the 64 MiB of the Argon2id check are not counted.
	if ! echo 5 2>/dev/null > "/proc/$pid/clear_refs"; then
		problem "tui: cannot reset the peak RSS of process $pid"
		return 1
	fi
	k=0
	while [ $k -lt "$PAGES" ]; do
		k=$((k + 1))
		tui_keys NPage
		trace_wait page_move "$k" || break
	done
	while [ $k -lt $((2 * PAGES)) ]; do
		k=$((k + 1))
		tui_keys PPage
		trace_wait page_move "$k" || break
	done
	if [ "$(trace_count page_move)" -ne $((2 * PAGES)) ]; then
		problem "tui: $(trace_count page_move) page moves traced, not" \
		    "$((2 * PAGES))"
		return 1
	fi
	key_and_wait G
	key_and_wait g
	rss=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
	tui_keys q
	awk '$1 == "login_accepted" { a = $2 } $1 == "first_frame" { f = $2 }
	    END { print f - a }' "$TRACE" >> "$T/t.first"
	awk '$1 == "page_move" { print $2 }' "$TRACE" > "$T/t.moves"
	median "$T/t.moves" >> "$T/t.page"
	echo "$rss" >> "$T/t.rss"
	tui_stop
}

# SESSIONS sessions named PREFIX1, PREFIX2, ...; when every one ran, the
# figures tui_first_frame_1m and tui_page_move_1m, SUFFIX added, and true.
tui_sessions() {
	: > "$T/t.first"
	: > "$T/t.page"
	: > "$T/t.rss"
	s=0
	while [ $s -lt "$SESSIONS" ]; do
		s=$((s + 1))
		tui_session "$1$s" || break
	done
	[ "$(wc -l < "$T/t.rss")" -eq "$SESSIONS" ] || return 1
	figure "tui_first_frame_1m$2" "$(ms "$(median "$T/t.first")")" ms
	figure "tui_page_move_1m$2" "$(ms "$(median "$T/t.page")")" ms
}

tui_sessions "" "" && figure tui_browse_rss_1m "$(median "$T/t.rss")" kB

progress "tui done"

# smtp_1000_messages: a fresh 10k copy, the smtp backend to aiosmtpd on
# loopback, one pass from process start to exit; one connection for all.
: > "$T/t.smtp"
run=0
while [ $run -lt "$RUNS" ]; do
	fresh "$T/pristine-$SMALL.db"
	if ! start_smtpd; then
		problem "smtp_1000_messages: the test server did not start"
		break
	fi
	smtp_config "DATABASE_URL=$WORK"
	timed "$T/t.smtp" "$WD" --check-sla
	rc=$(last_status "$T/t.smtp")
	[ "$rc" = 0 ] || problem "smtp_1000_messages: --check-sla exited $rc"
	c=$(count_connections)
	m=$(received_count)
	[ "$c" = 1 ] || problem "smtp_1000_messages: $c connections, not 1"
	[ "$m" = "$DUE" ] || problem "smtp_1000_messages: $m messages, not $DUE"
	stop_smtpd
	run=$((run + 1))
done
[ -s "$T/t.smtp" ] &&
    figure smtp_1000_messages "$(secs "$(median "$T/t.smtp")")" s

progress "smtp done"

# watchdog --serve under wrk (tests/bench/api.sh).
. tests/bench/api.sh
api_bench
progress "api done"

# The _pg lines: the same on a private PostgreSQL server (tests/bench/pg.sh).
pg_bench
progress "pg done"

# The performance budgets (README, Performance).
met=0
missed=0
budget() {	# NAME OP LIMIT
	v=$(value_of "$1")
	if [ -z "$v" ]; then
		echo "budget $1 - $2 $3 FAIL (not measured)"
		missed=$((missed + 1))
	elif awk -v v="$v" -v l="$3" -v op="$2" 'BEGIN {
	    v += 0; l += 0
	    if (op == "<=") ok = (v <= l)
	    else if (op == ">=") ok = (v >= l)
	    else ok = (v < l)
	    exit !ok }'; then
		echo "budget $1 $v $2 $3 ok"
		met=$((met + 1))
	else
		echo "budget $1 $v $2 $3 FAIL"
		missed=$((missed + 1))
	fi
}
budget check_sla_ratio "<=" 1.5
budget check_sla_pass_10k "<" 500
budget check_sla_console_10k "<" 150
budget check_sla_idle_1m "<" 10
budget tui_first_frame_1m "<" 50
budget tui_page_move_1m "<" 5
budget tui_browse_rss_1m "<" 16384
budget smtp_1000_messages "<" 5
budget business_deadline_1y "<" 1000
budget list_ndjson_open_1m "<" 1.5
budget list_ndjson_open_rss_1m "<" 16384
budget list_ndjson_all_rss_1m "<" 16384
budget list_filter_worst_1m "<" 20
budget api_get_rps ">=" 2000
budget api_get_p99_ms "<" 20
budget api_post_rps ">=" 500
budget api_post_p99_ms "<" 20
budget api_rss_growth_kb "<" 8192
pg_budgets

echo "bench: $met budgets met, $missed missed, $problems problems;" \
    "took $(($(date +%s) - started)) s"
[ "$missed" -eq 0 ] && [ "$problems" -eq 0 ]
