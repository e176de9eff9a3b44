#!/bin/sh
# --doctor on PostgreSQL checks the privileges of the role it connects as
# (watchdog(1), Checking the installation, SEVERAL HOSTS: POSTGRESQL):
# SELECT, INSERT, UPDATE, DELETE on every table, USAGE on the sequences,
# EXECUTE on the program's functions; each one lacking is named and fails.
# Comparing the schema needs CREATE on the database; without it, a warning.
. "$(dirname "$0")/lib.sh"
pg_unsupported "it runs in the cli layer, on a PostgreSQL server of its own"
. "$top/tests/pg/lib.sh"

pg_private
pg_createdb "$PGD" wd
OWNER=$(pg_url "$PGD" wd)
CLERK="postgresql:///wd?host=$PGD&user=clerk"
"$WD" --db "$OWNER" --init > /dev/null

run "$WD" --db "$OWNER" --doctor
expect_grep "^ok   database privileges: role postgres may read and write every table and sequence and run our functions$" \
    "the owner has every privilege"

# A role granted what the README says, less DELETE on one table.
pg_psql "$PGD" wd "CREATE ROLE clerk LOGIN;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO clerk;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO clerk;
    REVOKE DELETE ON comments FROM clerk"
run "$WD" --db "$CLERK" --doctor
expect_rc 1 "a privilege lacking fails --doctor"
expect_grep "^FAIL database privileges: role clerk lacks DELETE on comments \(GRANT them, or run as the database's owner\)$" \
    "the one lacking is named"

# A sequence and a function too.
pg_psql "$PGD" wd "REVOKE USAGE ON SEQUENCE tickets_id_seq FROM clerk;
    REVOKE EXECUTE ON FUNCTION wd_iso_time(bigint) FROM PUBLIC"
run "$WD" --db "$CLERK" --doctor
expect_grep "^FAIL database privileges: role clerk lacks DELETE on comments, EXECUTE on wd_iso_time\(\), USAGE on tickets_id_seq " \
    "a sequence and a function lacking are named"

# Granted again: ok.
pg_psql "$PGD" wd "GRANT DELETE ON comments TO clerk;
    GRANT USAGE ON SEQUENCE tickets_id_seq TO clerk;
    GRANT EXECUTE ON FUNCTION wd_iso_time(bigint) TO PUBLIC"
run "$WD" --db "$CLERK" --doctor
expect_grep "^ok   database privileges: role clerk may read" "everything granted: ok"
case "$out" in *"FAIL database"*) fail "no database finding fails" "$out" ;;
*) pass "no database finding fails" ;; esac

# The schema is compared in a scratch schema, which the role may not
# create: --doctor says what to grant, and that is no failure.
expect_grep "^warn database schema: not compared: role clerk may not create a schema in database wd to build the expected one in \(GRANT CREATE ON DATABASE wd TO clerk, or run it as the database's owner\)$" \
    "a role that may not create a schema: the comparison is skipped, with what to grant"
pg_psql "$PGD" wd "GRANT CREATE ON DATABASE wd TO clerk"
run "$WD" --db "$CLERK" --doctor
expect_grep "^ok   database schema: every table, column, index, trigger and function present$" \
    "CREATE granted: the schema is compared"
[ "$(pg_psql "$PGD" wd "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'wd\_schema\_check\_%'")" = 0 ] &&
    pass "no scratch schema is left" || fail "no scratch schema is left"

finish
