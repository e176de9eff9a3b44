#!/bin/sh
# --init: create, upgrade, idempotent; foreign files refused untouched.
. "$(dirname "$0")/lib.sh"
pg_unsupported "SQLite database files (--db paths, application_id, user_version); t_pg tests --init on PostgreSQL"

run "$WD" --init
expect_rc 0 "--init creates the database"
expect_grep "schema version [0-9]+, 0 accounts" "--init reports the schema"
[ -f "$T/db/watchdog.db" ] && pass "database file created" || fail "database file created"
v=$(sql 'PRAGMA application_id')
[ "$v" = 1464094535 ] && pass "application_id set" || fail "application_id set" "$v"

run "$WD" --init
expect_rc 0 "--init twice is harmless"

printf 'precious\n' > "$T/notes.txt"
run "$WD" --db "$T/notes.txt" --init
expect_rc 78 "a text file is refused"
[ "$(cat "$T/notes.txt")" = precious ] && pass "text file untouched" || fail "text file untouched"

sqlite3 "$T/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
run "$WD" --db "$T/other.db" --init
expect_rc 78 "another program's database is refused"
expect_err "not a watchdog" "foreign database named"

cp "$T/db/watchdog.db" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 99'
run "$WD" --db "$T/newer.db" --init
expect_rc 78 "a newer schema is refused"
expect_err "newer than this program" "newer schema explained"

# Any mode creates the database on first use.
run -i 'correct horse 1
' "$WD" --db "$T/fresh/x.db" --add-user admin --email admin@example.org --password-stdin
expect_rc 0 "--add-user on a fresh path"
[ -f "$T/fresh/x.db" ] && pass "database created on first use" || fail "database created on first use"

finish
