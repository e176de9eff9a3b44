# pg.sh: the benchmark's PostgreSQL lines (sourced by run.sh, which
# gives figure, problem, timed, median, ms, mail_count, bench_config,
# tui_session and the pristine SQLite databases). pg_bench starts a
# private server (tests/pg/lib.sh: a Unix socket in a directory of its
# own, no TCP), loads the 10k and 1m databases into it, and times the
# real program as run.sh does on SQLite:
#
#   check_sla_pass_10k_pg, check_sla_pass_1m_pg, check_sla_ratio_pg
#	a full pass (1,000 warnings, file backend) on a fresh copy of each
#	(CREATE DATABASE ... TEMPLATE), the two sizes in turn
#   check_sla_idle_1m_pg
#	a pass with nothing due, after one that sent everything
#   tui_first_frame_1m_pg, tui_page_move_1m_pg
#	the terminal interface's sessions of run.sh on the 1m database,
#	when the interface runs on PostgreSQL; when it does not (no first
#	screen after the login), "not measured: the TUI on PostgreSQL",
#	and its budgets are neither met nor missed
#
# The load is the benchmark's own, not watchdog --copy-to: each table's
# columns that both schemas have, from the sqlite3 shell's CSV into
# COPY, with the indexes and triggers of the table set aside meanwhile
# and the open count and identities set after.
. tests/pg/lib.sh

PGB=
PG_TUI=

# Stop the server (run.sh's exit trap calls it too).
pg_bench_stop() {
	[ -n "$PGB" ] && pg_stop "$PGB"
	PGB=
}

# psql on database $1, the SQL from $2 (or stdin); rows unaligned.
pgb_psql() {
	if [ $# -ge 2 ]; then
		PGOPTIONS="-c client_min_messages=warning" pg_psql "$PGB" "$1" "$2"
	else
		PGOPTIONS="-c client_min_messages=warning" \
		    "$(pg_bindir)/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGB" \
		    -U postgres -d "$1"
	fi
}

# The columns both engines have for table $2 of SQLite file $1 and
# PostgreSQL database $3 (not generated there), comma-separated, in the
# PostgreSQL order.
pgb_columns() {
	sq=$(sqlite3 "$1" "SELECT name FROM pragma_table_info('$2')")
	for c in $(pgb_psql "$3" "SELECT column_name FROM
	    information_schema.columns WHERE table_schema = 'public' AND
	    table_name = '$2' AND is_generated = 'NEVER' ORDER BY
	    ordinal_position"); do
		printf '%s\n' "$sq" | grep -qx "$c" && printf '%s\n' "$c"
	done | paste -sd, -
}

# Load the SQLite database $1 into a new PostgreSQL database $2.
pgb_load() {
	pg_createdb "$PGB" "$2" || return 1
	bench_config "DATABASE_URL=$(pg_url "$PGB" "$2")"
	"$WD" --init > /dev/null || return 1
	tables="users tickets meta ticket_counts ticket_history comments audit"
	for t in $tables; do
		pgb_psql "$2" "TRUNCATE $t CASCADE" || return 1
	done
	# The tickets' indexes and triggers wait until the rows are in.
	pgb_psql "$2" "SELECT indexdef FROM pg_indexes WHERE tablename =
	    'tickets' AND indexname <> 'tickets_pkey'" > "$T/pg-indexes"
	pgb_psql "$2" "SELECT string_agg(format('DROP INDEX %I',
	    indexname), '; ') FROM pg_indexes WHERE tablename = 'tickets' AND
	    indexname <> 'tickets_pkey'" > "$T/pg-drop"
	pgb_psql "$2" "$(cat "$T/pg-drop")" || return 1
	pgb_psql "$2" "ALTER TABLE tickets DISABLE TRIGGER USER" || return 1
	for t in $tables; do
		cols=$(pgb_columns "$1" "$t" "$2")
		[ -n "$cols" ] || continue
		[ "$(sqlite3 "$1" "SELECT count(*) FROM $t")" -gt 0 ] || continue
		{
			echo "COPY $t ($cols) FROM STDIN WITH (FORMAT csv, NULL '\\N');"
			sqlite3 -csv -nullvalue '\N' "$1" "SELECT $cols FROM $t"
			echo '\.'
		} | pgb_psql "$2" || return 1
	done
	pgb_psql "$2" "ALTER TABLE tickets ENABLE TRIGGER USER" || return 1
	while read -r def; do
		pgb_psql "$2" "$def" || return 1
	done < "$T/pg-indexes"
	for t in users tickets ticket_history comments audit; do
		pgb_psql "$2" "SELECT setval(pg_get_serial_sequence('$t', 'id'),
		    greatest(1, coalesce(max(id), 1))) FROM $t" > /dev/null ||
		    return 1
	done
	pgb_psql "$2" "VACUUM ANALYZE" || return 1
}

# A fresh work database from template $1, everything on disk, no mail.
pgb_fresh() {
	pgb_psql postgres "DROP DATABASE IF EXISTS work WITH (FORCE)" || return 1
	pgb_psql postgres "CREATE DATABASE work TEMPLATE $1 STRATEGY
	    FILE_COPY" || return 1
	pgb_psql postgres "CHECKPOINT"
	rm -rf "$T/mail"
	sync
}

# One full pass named $1 on a fresh copy of $2.
pgb_pass() {
	pgb_fresh "$2" || { problem "$1: no fresh copy of $2"; return 1; }
	timed "$T/t.$1" "$WD" --check-sla
	rc=$(last_status "$T/t.$1")
	n=$(mail_count)
	[ "$rc" = 0 ] || problem "$1: --check-sla exited $rc"
	[ "$n" = "$DUE" ] || problem "$1: $n messages, not $DUE"
}

# Whether the terminal interface shows its first screen on PostgreSQL: a
# login, a first_frame in the trace within 10 s, and tickets on it (not
# "no tickets" over a database error on the status line).
pgb_tui_runs() {
	TRACE=$T/trace.pg
	: > "$TRACE"
	tui_stop
	tm new-session -d -x 100 -y 30 "cd '$T' && env \
WATCHDOG_CONFIG='$WATCHDOG_CONFIG' TZ='$TZ' LC_ALL='$LC_ALL' HOME='$HOME' \
TERM=screen-256color WATCHDOG_TRACE_FD=3 '$WD' 3>'$TRACE'; sleep 30"
	if tui_wait 'Account:' 10; then
		tui_type bench
		tui_keys Enter
		tui_type "$PASSWORD"
		tui_keys Enter
		if trace_wait first_frame 1 && sleep 0.5 &&
		    ! tui_screen | grep -q 'no tickets\|database:'; then
			tui_stop
			return 0
		fi
	fi
	echo "# the TUI on PostgreSQL: $(tui_screen | grep . | tail -n 2 |
	    tr -s ' ')" >&2
	tui_stop
	return 1
}

pg_bench() {
	PGB=$(mktemp -u "/tmp/watchdog-pg.$$.XXXXXX")
	if ! pg_start "$PGB" 2> "$T/pg-start.err"; then
		problem "pg: the private server did not start:" \
		    "$(head -n 3 "$T/pg-start.err")"
		PGB=
		return 1
	fi
	echo "# PostgreSQL $("$(pg_bindir)/postgres" --version |
	    sed 's/.* //'), a Unix socket" >&2
	for n in "$SMALL" "$LARGE"; do
		if ! pgb_load "$T/pristine-$n.db" "p$n" > "$T/pg-load.out" 2>&1; then
			problem "pg: loading $n tickets failed:" \
			    "$(tail -n 3 "$T/pg-load.out")"
			pg_bench_stop
			return 1
		fi
		progress "pg: $n tickets loaded"
	done
	bench_config "DATABASE_URL=$(pg_url "$PGB" work)" \
	    "EMAIL_FILE_PATH=$T/mail"
	: > "$T/t.check_sla_pass_10k_pg"
	: > "$T/t.check_sla_pass_1m_pg"
	run=0
	while [ $run -lt "$RUNS_PASS" ]; do
		pgb_pass check_sla_pass_10k_pg "p$SMALL"
		pgb_pass check_sla_pass_1m_pg "p$LARGE"
		run=$((run + 1))
	done
	pass_figures check_sla_pass_10k_pg check_sla_pass_1m_pg \
	    check_sla_ratio_pg
	progress "pg: check_sla_pass done"

	# The work database is the 1m one, its mail sent: idle passes.
	idle_passes check_sla_idle_1m_pg
	progress "pg: check_sla_idle done"

	# The terminal interface on the 1m database, when it runs there.
	if pgb_tui_runs; then
		PG_TUI=1
		tui_sessions pg _pg
	else
		echo "tui_first_frame_1m_pg - not measured: the TUI on PostgreSQL"
		echo "tui_page_move_1m_pg - not measured: the TUI on PostgreSQL"
	fi
	progress "pg: tui done"
	pg_bench_stop
}

# The budgets of the lines above (README, Performance); the TUI's only
# when it was measured.
pg_budgets() {
	budget check_sla_idle_1m_pg "<" 25
	budget check_sla_ratio_pg "<=" 1.5
	if [ -n "$PG_TUI" ]; then
		budget tui_first_frame_1m_pg "<" 50
		budget tui_page_move_1m_pg "<" 5
	else
		echo "budget tui_first_frame_1m_pg - < 50 not measured: the TUI on PostgreSQL"
		echo "budget tui_page_move_1m_pg - < 5 not measured: the TUI on PostgreSQL"
	fi
}
