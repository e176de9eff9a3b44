# lib.sh: helpers for the command-line tests. Each tests/cli/t_*.sh sources
# it, runs the real ./watchdog on a temporary database and reports one
# line per check to $WATCHDOG_RESULTS (PASS/FAIL name).
#
#   run [-i INPUT] CMD...    run CMD; stdout in $out, stderr in $err,
#                             exit status in $rc
#   expect_rc N NAME          check $rc
#   expect_out TEXT NAME      stdout equals TEXT
#   expect_grep PAT NAME      stdout matches PAT (grep -E)
#   expect_err PAT NAME       stderr matches PAT (grep -E)
#
# The engine: SQLite (a file under $T/db), or PostgreSQL when
# WATCHDOG_TEST_PG names the directory of a private server (tests/run.sh's
# -pg layers start one, tests/pg/lib.sh): the script then gets a fresh
# database of its own on it, wd_PID, and its results name the engine
# ("PASS t_tickets[pg]: ..."). What reads the database directly works on
# both:
#   sql SQL...                run each SQL, print the rows (a|b, no header)
#   sql_join SEP SQL          the rows of SQL joined by SEP on one line
#   utc_iso EPOCH             a stored time as 2026-12-07T14:00:00Z
#   hold_write_lock SECONDS   another writer holds the lock (background)
#   db_dump                   the whole database as text (to compare)
#   db_integrity              "ok" when the engine finds no damage
#   db_created                true once the program made the database
#   mail_has TEXT [SECONDS]   true once a message delivered to the file
#                             backend's $T/mail holds TEXT (10 s at most)
#   on_pg                     true on PostgreSQL
#   pg_unsupported REASON     on PostgreSQL: the script is skipped for
#                             REASON (listed by run.sh, not passed); ends it
#   sqlite_only REASON        true on SQLite; on PostgreSQL false, and the
#                             part it guards is listed as skipped for REASON
set -u
top=${WATCHDOG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
WD="$top/watchdog"
results=${WATCHDOG_RESULTS:-/dev/null}
script=$(basename "$0" .sh)
# Named after the script's process id: tests/run.sh checks that it is gone.
T=$(mktemp -d "/tmp/watchdog-cli.$$.XXXXXX")
trap 'rm -rf "$T"' EXIT
nfail=0

# faketime is tests/bin/faketime: libfaketime without the wrapper process.
PATH="$top/tests/bin:$PATH"
export PATH
# faketime works by LD_PRELOAD, which AddressSanitizer would refuse.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1"
export TZ=UTC
export LC_ALL=C.UTF-8
unset WATCHDOG_TOKEN WATCHDOG_CONFIG XDG_DATA_HOME || true
export HOME="$T/home"
mkdir -p "$HOME"

on_pg() { [ -n "${WATCHDOG_TEST_PG:-}" ]; }

DB_URL="$T/db/watchdog.db"
if on_pg; then
	script="$script[pg]"
	PG_BIN=$(. "$top/tests/pg/lib.sh" && pg_bindir)
	PG_DB=wd_$$
	DB_URL="postgresql:///$PG_DB?host=$WATCHDOG_TEST_PG&user=postgres"
	if ! "$PG_BIN/psql" -X -q -h "$WATCHDOG_TEST_PG" -U postgres \
	    -d postgres -c "CREATE DATABASE $PG_DB" > /dev/null; then
		echo "FAIL $script: its database is created" >> "$results"
		exit 1
	fi
fi

# pg_unsupported REASON: on PostgreSQL, record the script as skipped for
# REASON and end it here; on SQLite, nothing.
pg_unsupported() {
	on_pg || return 0
	echo "SKIP $script: $1" >> "$results"
	echo "  $script: skipped: $1"
	exit 0
}

# sqlite_only REASON: true on SQLite; on PostgreSQL, record the part of
# the script it guards as skipped for REASON, and false:
#   if sqlite_only "why"; then ...; fi
sqlite_only() {
	on_pg || return 0
	echo "SKIP $script: $1" >> "$results"
	echo "  $script: part skipped: $1"
	return 1
}

# A configuration on a private database, file mail, generous rate limits;
# KEY=VALUE lines given as arguments replace or add to these.
write_config() {
	{
		for line in "DATABASE_URL=$DB_URL" "EMAIL_BACKEND=file" \
		    "EMAIL_FILE_PATH=$T/mail" "RATE_LIMIT_CREATE=0" "RATE_LIMIT_READ=0"; do
			case " $* " in
			*" ${line%%=*}="*) ;;
			*) printf '%s\n' "$line" ;;
			esac
		done
		for line in "$@"; do printf '%s\n' "$line"; done
	} > "$T/watchdog.conf"
	export WATCHDOG_CONFIG="$T/watchdog.conf"
}
write_config

# Run each SQL argument on the test database (waiting out a writer's lock
# on SQLite); the rows on stdout, columns separated by "|", no headers.
sql() {
	if on_pg; then
		for sql_q; do set -- "$@" -c "$sql_q"; shift; done
		"$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		    -h "$WATCHDOG_TEST_PG" -U postgres -d "$PG_DB" "$@"
	else
		sqlite3 -cmd '.timeout 5000' "$T/db/watchdog.db" "$@"
	fi
}

# sql_join SEP SQL: the rows of SQL on one line, joined by SEP (what
# SQLite's group_concat and PostgreSQL's string_agg do, written once).
sql_join() {
	sql "$2" | awk -v sep="$1" '{ printf "%s%s", (NR > 1 ? sep : ""), $0 }'
}

# utc_iso EPOCH: the time as ISO 8601 UTC (2026-12-07T14:00:00Z); nothing
# for nothing.
utc_iso() {
	[ -n "$1" ] && date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# hold_write_lock SECONDS: in the background, hold the database's write
# lock for SECONDS as another writer would (SQLite: BEGIN IMMEDIATE in the
# sqlite3 shell; PostgreSQL: the advisory lock every writer of db_pg.c
# takes), after waiting out a writer still at work; returns once it is
# held (1 if not within 10 s). The script's "wait" waits for its end.
hold_write_lock() {
	rm -f "$T/held"
	if on_pg; then
		( printf 'BEGIN;\nSELECT pg_advisory_xact_lock(1463111495);\n'
		  printf '\\! touch %s\n' "$T/held"
		  sleep "$1"; printf 'ROLLBACK;\n' ) |
		    "$PG_BIN/psql" -X -q -h "$WATCHDOG_TEST_PG" -U postgres \
		    -d "$PG_DB" > /dev/null 2>&1 &
	else
		( printf '.timeout 5000\nBEGIN IMMEDIATE;\n.shell touch %s\n' \
		    "$T/held"
		  sleep "$1"; printf 'ROLLBACK;\n' ) |
		    sqlite3 "$T/db/watchdog.db" > /dev/null 2>&1 &
	fi
	hold_i=0
	while [ ! -e "$T/held" ] && [ $hold_i -lt 100 ]; do
		sleep 0.1
		hold_i=$((hold_i + 1))
	done
	[ -e "$T/held" ]
}

mail_has() {
	i=0
	while [ $i -lt $(( ${2:-10} * 10 )) ]; do
		grep -rqs -- "$1" "$T/mail/new" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# db_created: true when the program has made the test database (the file
# on SQLite, the schema on PostgreSQL, whose empty database the script
# was given).
db_created() {
	if on_pg; then
		[ "$(sql "SELECT count(*) FROM pg_tables WHERE tablename = 'wd_schema'")" = 1 ]
	else
		[ -e "$T/db/watchdog.db" ]
	fi
}

# The whole test database as text: equal dumps, equal databases.
db_dump() {
	if on_pg; then
		# Without the random key of pg_dump's \restrict lines.
		"$PG_BIN/pg_dump" -h "$WATCHDOG_TEST_PG" -U postgres "$PG_DB" |
		    grep -v '^\\\(un\)\{0,1\}restrict '
	else
		sql .dump
	fi
}

# "ok" when the engine finds the database undamaged: SQLite's integrity
# check; on PostgreSQL, amcheck's check of every B-tree index of ours
# (its functions kept in a schema of their own, wd_check).
db_integrity() {
	if ! on_pg; then
		sql 'PRAGMA integrity_check'
	elif sql "CREATE SCHEMA IF NOT EXISTS wd_check" \
	    "CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA wd_check" \
	    "SELECT count(wd_check.bt_index_check(c.oid)) FROM pg_index i
	    JOIN pg_class c ON c.oid = i.indexrelid
	    JOIN pg_am a ON a.oid = c.relam
	    WHERE a.amname = 'btree'
	    AND c.relnamespace = 'public'::regnamespace" > /dev/null; then
		echo ok
	else
		echo "amcheck found damage"
	fi
}

pass() { echo "PASS $script: $1" >> "$results"; }
fail() {
	echo "FAIL $script: $1" >> "$results"
	echo "  FAIL $script: $1"
	[ -n "${2:-}" ] && printf '    %s\n' "$2"
	nfail=$((nfail + 1))
}

run() {
	input=
	if [ "$1" = "-i" ]; then
		input=$2
		shift 2
	fi
	printf '%s' "$input" > "$T/stdin"
	"$@" < "$T/stdin" > "$T/stdout" 2> "$T/stderr"
	rc=$?
	out=$(cat "$T/stdout")
	err=$(cat "$T/stderr")
}

expect_rc() {
	if [ "$rc" -eq "$1" ]; then pass "$2"; else
		fail "$2" "exit $rc, expected $1; stderr: $err"; fi
}
expect_out() {
	if [ "$out" = "$1" ]; then pass "$2"; else
		fail "$2" "stdout: '$out', expected '$1'"; fi
}
expect_grep() {
	if printf '%s\n' "$out" | grep -Eq -- "$1"; then pass "$2"; else
		fail "$2" "stdout does not match /$1/: '$out'"; fi
}
expect_err() {
	if printf '%s\n' "$err" | grep -Eq -- "$1"; then pass "$2"; else
		fail "$2" "stderr does not match /$1/: '$err'"; fi
}

# An administrator "admin" with password "correct horse 1" and a token in
# $ADMIN_TOKEN; a user "bob" ("battery staple 2") with $BOB_TOKEN.
setup_accounts() {
	printf 'correct horse 1\n' | "$WD" --add-user admin --email admin@example.org --password-stdin >/dev/null 2>&1
	ADMIN_TOKEN=$(printf 'correct horse 1\n' | "$WD" --token --user admin --password-stdin)
	printf 'battery staple 2\n' | WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --add-user bob --email bob@example.org --password-stdin >/dev/null 2>&1
	BOB_TOKEN=$(printf 'battery staple 2\n' | "$WD" --token --user bob --password-stdin)
}

# Called at the end of each script.
finish() {
	[ "$nfail" -eq 0 ] && echo "  $script: ok" || echo "  $script: $nfail failed"
	return 0
}
