#!/bin/sh
# The SLA rule's stored next notice time (watchdog(1), SLA POLICIES): a
# changed SLA_WARNING_MINUTES, and a database made before the time was
# stored, still get each warning on time and exactly once.
. "$(dirname "$0")/lib.sh"

write_config SLA_WARNING_MINUTES=60
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
warnings() { sql "SELECT count(*) FROM outbox WHERE kind = 'warning' AND ticket_id = $1"; }

# --- A widened warning window counts from the next pass on.
run "$WD" --create --title 'Window widened' --deadline +3h
id=$(sql "SELECT max(id) FROM tickets")
run "$WD" --check-sla
expect_rc 0 "window: a first pass"
[ "$(warnings "$id")" = 0 ] && pass "window: no warning 3 h ahead" || fail "window: no warning 3 h ahead" "$(warnings "$id")"
write_config SLA_WARNING_MINUTES=120
run faketime -f '+90m' "$WD" --check-sla
expect_rc 0 "window: a pass with a 2 h window"
[ "$(warnings "$id")" = 1 ] && pass "window: the warning 90 min ahead" || fail "window: the warning 90 min ahead" "$(warnings "$id")"
run faketime -f '+100m' "$WD" --check-sla
[ "$(warnings "$id")" = 1 ] && pass "window: sent once" || fail "window: sent once" "$(warnings "$id")"

# --- A database of schema 10 (the release before sla_next_at, the
# comments and the pauses): upgraded to the latest, then on time.
if sqlite_only "the upgrade from schema 10: PostgreSQL's schema began later"; then
write_config SLA_WARNING_MINUTES=60
run "$WD" --create --title 'From the old schema' --deadline +2h
old=$(sql "SELECT max(id) FROM tickets")
sql "DROP TABLE comments; DROP TABLE django_import; DROP VIEW ticket_search_source;
CREATE VIEW ticket_search_source AS
	SELECT id, title, description, '' AS comments FROM tickets;
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN must_change_password;
DROP INDEX tickets_open_paused;
DROP INDEX tickets_sla_next; ALTER TABLE tickets DROP COLUMN sla_next_at;
ALTER TABLE tickets DROP COLUMN sla_clock; ALTER TABLE tickets DROP COLUMN paused_at;
ALTER TABLE tickets DROP COLUMN sla_steps; ALTER TABLE tickets DROP COLUMN sla_repeats;
ALTER TABLE tickets DROP COLUMN sla_policy; ALTER TABLE tickets DROP COLUMN paused_seconds;
ALTER TABLE tickets DROP COLUMN sla_warned;
CREATE INDEX tickets_sla_due ON tickets(deadline, id, sla_notified, status)
	WHERE status <> 'resolved' AND sla_notified < 2;
DELETE FROM meta WHERE key = 'sla_rule'; PRAGMA user_version = 10;"
run "$WD" --list
expect_rc 0 "upgrade: the old schema is migrated"
latest=$(ls "$top/data/migrations" | sed -n '$s/^0*\([0-9]*\)-.*/\1/p')
[ "$(sql 'PRAGMA user_version')" = "$latest" ] && pass "upgrade: schema $latest" || fail "upgrade: schema $latest" "$(sql 'PRAGMA user_version')"
run faketime -f '+61m' "$WD" --check-sla
expect_rc 0 "upgrade: a pass"
[ "$(warnings "$old")" = 1 ] && pass "upgrade: the warning of a migrated ticket" || fail "upgrade: the warning of a migrated ticket" "$(warnings "$old")"
n=$(sql "SELECT sla_next_at = deadline FROM tickets WHERE id = $old")
[ "$n" = 1 ] && pass "upgrade: next time is the miss" || fail "upgrade: next time is the miss" "$n"
run faketime -f '+121m' "$WD" --check-sla
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'missed' AND ticket_id = $old")
[ "$n" = 1 ] && pass "upgrade: then the miss" || fail "upgrade: then the miss" "$n"
fi

finish
