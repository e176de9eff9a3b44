#!/bin/sh
# The storage layer as a user meets it: reads go on while another process
# holds the write lock; a database held with locking_mode=EXCLUSIVE is
# "busy" (75); a damaged schema (a missing table, a renamed column) is one
# line and exit 1, never an abort, and --doctor names what is missing.
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
db="$T/db/watchdog.db"
id=$("$WD" --create --title 'a ticket to read' --deadline +2h)

# Milliseconds since the epoch.
ms() { date +%s%3N; }

# Wait until FILE exists (up to 10 s); 0 when it does.
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

# Hold the database from the sqlite3 shell for SECONDS in the background,
# after the SQL in $2 (run once the shell has waited out other writers,
# such as the background delivery of the --create above); returns once
# the lock is held.
hold() {
	rm -f "$T/held"
	( printf '.timeout 5000\n%s\n.shell touch %s\n' "$2" "$T/held"
	  sleep "$1"; printf 'ROLLBACK;\n' ) | sqlite3 "$db" > /dev/null 2>&1 &
	wait_for "$T/held" || fail "the sqlite3 shell took the lock"
}
count() { sql 'SELECT count(*) FROM tickets'; }

# A writer holds the lock (BEGIN IMMEDIATE, kept open for 8 s): reads go
# on at once, a write waits out the busy timeout and says try again.
before=$(count)
hold_write_lock 8 || fail "another writer took the lock"
t0=$(ms)
run "$WD" --list
t1=$(ms)
expect_rc 0 "write lock held: --list works"
expect_grep "a ticket to read" "write lock held: --list lists"
[ $((t1 - t0)) -lt 2000 ] && pass "write lock held: --list at once ($((t1 - t0)) ms)" ||
	fail "write lock held: --list at once" "$((t1 - t0)) ms"
t0=$(ms)
run "$WD" --show "$id"
t1=$(ms)
expect_rc 0 "write lock held: --show works"
[ $((t1 - t0)) -lt 2000 ] && pass "write lock held: --show at once ($((t1 - t0)) ms)" ||
	fail "write lock held: --show at once" "$((t1 - t0)) ms"
run env WATCHDOG_TOKEN="$ADMIN_TOKEN" "$WD" --mail-queue
expect_rc 0 "write lock held: --mail-queue works"
t0=$(ms)
run "$WD" --create --title 'during the lock' --deadline +1h
t1=$(ms)
expect_rc 75 "write lock held: --create exits 75"
expect_err "database busy .*try again" "write lock held: --create says busy"
[ $((t1 - t0)) -ge 4000 ] && pass "write lock held: --create waited ($((t1 - t0)) ms)" ||
	fail "write lock held: --create waited" "$((t1 - t0)) ms"
wait
[ "$(count)" = "$before" ] && pass "write lock held: nothing written" ||
	fail "write lock held: nothing written"

# Held with locking_mode=EXCLUSIVE: busy, exit 75, not "not an error"
# (exit 1), for a reader and for the cron pass (which cron then retries).
if sqlite_only "SQLite's locking_mode=EXCLUSIVE"; then
hold 13 'PRAGMA locking_mode = EXCLUSIVE;
BEGIN IMMEDIATE; SELECT count(*) FROM tickets; COMMIT;'
run "$WD" --list
expect_rc 75 "exclusive lock: --list exits 75"
expect_err "^watchdog: database busy .*try again" "exclusive lock: says busy"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "exclusive lock: one line" ||
	fail "exclusive lock: one line" "$err"
[ -z "$out" ] && pass "exclusive lock: nothing on stdout" ||
	fail "exclusive lock: nothing on stdout" "$out"
run "$WD" --check-sla
expect_rc 75 "exclusive lock: --check-sla exits 75"
expect_err "^watchdog: database busy .*try again" "exclusive lock: --check-sla says busy"
wait
fi

# A damaged schema: --doctor names what is missing and exits 1; on
# SQLite each command also refuses it at open, in one line and exit 1
# (never 134, an abort), printing nothing else and changing nothing.
# PostgreSQL checks only the schema's identity and version at open.
at_open=1
sqlite_only "the schema checked table by table at open (PostgreSQL: by --doctor only)" ||
	at_open=
# No scratch schema of --doctor's is left on PostgreSQL.
no_scratch() {
	on_pg || return 0
	[ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'wd\_schema\_check\_%'")" = 0 ] &&
		pass "$1: no scratch schema left" || fail "$1: no scratch schema left"
}
damaged() {	# NAME FINDING: run the commands on the damaged database
	for cmd in ${at_open:+"--list" "--show $id" "--check-sla" \
	    "--create --title damaged --deadline +1h"}; do
		# shellcheck disable=SC2086
		run "$WD" $cmd
		expect_rc 1 "$1: ${cmd%% *} exits 1"
		expect_err "^watchdog: database .* is damaged \($2" "$1: ${cmd%% *} says damaged"
		[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "$1: ${cmd%% *} one line" ||
			fail "$1: ${cmd%% *} one line" "$err"
		[ -z "$out" ] && pass "$1: ${cmd%% *} prints nothing" ||
			fail "$1: ${cmd%% *} prints nothing" "$out"
	done
	run "$WD" --doctor
	expect_rc 1 "$1: --doctor exits 1"
	expect_grep "^FAIL +database schema: .*$2" "$1: --doctor names it"
	no_scratch "$1"
}
sql 'ALTER TABLE ticket_history RENAME TO ticket_history_gone'
damaged "missing table" "table ticket_history is missing"
[ "$(count)" = "$before" ] && pass "missing table: nothing written" ||
	fail "missing table: nothing written"

sql 'ALTER TABLE ticket_history_gone RENAME TO ticket_history'
sql 'ALTER TABLE tickets RENAME COLUMN title TO subject'
damaged "renamed column" "table tickets has no column title"
sql 'ALTER TABLE tickets RENAME COLUMN subject TO title'

sql 'DROP INDEX audit_at'
damaged "missing index" "index audit_at is missing"
sql 'CREATE INDEX audit_at ON audit(at)'

# A trigger dropped, then made again from its own definition.
if on_pg; then
	trigger=tickets_open_count_insert
	def=$(sql "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = '$trigger'")
	sql "DROP TRIGGER $trigger ON tickets"
else
	trigger=tickets_open_count_insert
	def=$(sql "SELECT sql FROM sqlite_schema WHERE name = '$trigger'")
	sql "DROP TRIGGER $trigger"
fi
damaged "missing trigger" "trigger $trigger is missing"
sql "$def"

# PostgreSQL: the functions of the migrations too.
if on_pg; then
	sql 'ALTER FUNCTION instr(text, text) RENAME TO instr_gone'
	damaged "missing function" "function instr\(text, text\) is missing"
	sql 'ALTER FUNCTION instr_gone(text, text) RENAME TO instr'
fi

# Several at once: each is named, in one line.
sql 'DROP INDEX audit_at' 'ALTER TABLE tickets RENAME COLUMN title TO subject'
damaged "two missing" "table tickets has no column title; index audit_at is missing"
sql 'CREATE INDEX audit_at ON audit(at)' 'ALTER TABLE tickets RENAME COLUMN subject TO title'

# Whole again: everything works as before.
run "$WD" --list
expect_rc 0 "repaired: --list works again"
run "$WD" --doctor
case "$out" in *"FAIL database"*) fail "repaired: no database finding fails" "$out" ;;
*) pass "repaired: no database finding fails" ;; esac
if on_pg; then
	expect_grep "^ok +database schema: every table, column, index, trigger and function present$" \
	    "repaired: --doctor says ok"
else
	expect_grep "^ok +database schema: every table, column, index and trigger present$" \
	    "repaired: --doctor says ok"
fi
no_scratch "repaired"
finish
