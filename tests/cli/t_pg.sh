#!/bin/sh
# The modes on a PostgreSQL database (watchdog(1), SEVERAL HOSTS:
# POSTGRESQL): --init creates the schema on an empty database and refuses
# one that is not ours or is newer; a server that cannot be reached exits
# 75 without showing the password; accounts, tokens, tickets, listings,
# the SLA pass, the mail queue, lockouts, revocation and rate limits work
# as on SQLite, and two SLA passes at once send each notice once.
. "$(dirname "$0")/lib.sh"
pg_unsupported "it runs in the cli layer, on a PostgreSQL server of its own"
. "$top/tests/pg/lib.sh"

pg_private
pg_createdb "$PGD" wd
URL=$(pg_url "$PGD" wd)
write_config "DATABASE_URL=$URL"
psql_wd() { pg_psql "$PGD" wd "$1"; }

# Wait until the mail directory holds N messages (or 10 s).
wait_mail() {
	i=0
	while [ "$(ls "$T/mail/new" 2>/dev/null | wc -l)" -lt "$1" ] &&
	    [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ls "$T/mail/new" 2>/dev/null | wc -l
}

# --init on an empty database.
run "$WD" --init
expect_rc 0 "--init creates the schema on an empty database"
expect_grep "schema version [0-9]+, 0 accounts" "--init reports the version"
latest=$(printf '%s\n' "$out" | sed -n 's/.*schema version \([0-9]*\),.*/\1/p')
[ "$(psql_wd 'SELECT application, version FROM wd_schema')" = "watchdog|$latest" ] &&
    pass "the version is kept in wd_schema" ||
    fail "the version is kept in wd_schema" "$(psql_wd 'SELECT * FROM wd_schema')"
run "$WD" --init
expect_rc 0 "--init again is harmless"

# A database that is someone else's is refused untouched.
pg_createdb "$PGD" other
pg_psql "$PGD" other "CREATE TABLE payroll (x int); INSERT INTO payroll VALUES (7)"
write_config "DATABASE_URL=$(pg_url "$PGD" other)"
run "$WD" --init
expect_rc 78 "another application's database is refused"
expect_err "not a watchdog one; refusing to touch it" "the refusal says why"
[ "$(pg_psql "$PGD" other "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")|$(pg_psql "$PGD" other 'SELECT x FROM payroll')" = "1|7" ] &&
    pass "the other database is left as it was" ||
    fail "the other database is left as it was"

# A newer schema than this program knows.
pg_createdb "$PGD" newer
write_config "DATABASE_URL=$(pg_url "$PGD" newer)"
run "$WD" --init
pg_psql "$PGD" newer "UPDATE wd_schema SET version = 9999"
run "$WD" --init
expect_rc 78 "a newer schema is refused"
expect_err "schema version 9999, newer than this program knows" "the newer version is named"

# A server that is not there: exit 75, the password never shown.
write_config "DATABASE_URL=postgresql://alice:S3CR3T@/wd?host=$T/nowhere&connect_timeout=2"
run "$WD" --init
expect_rc 75 "an unreachable server exits 75"
expect_err "the database server at postgresql://alice:\*\*\*@/wd.* is not answering: .* \(tried [0-9]+ times in [0-9]+ s\)" "the URL is named, its password hidden, the tries counted"
case "$err$out" in *S3CR3T*) fail "the password is never printed" "$err" ;;
*) pass "the password is never printed" ;; esac
write_config "DATABASE_URL=postgresql:///wd?host=$T/nowhere&password=S3CR3T"
run "$WD" --check-sla
expect_rc 75 "an unreachable server exits 75 (the SLA pass)"
case "$err$out" in *S3CR3T*) fail "a password= parameter is never printed" "$err" ;;
*) pass "a password= parameter is never printed" ;; esac

# A server that answers and refuses (a database that does not exist): a
# configuration to mend, exit 78 at once, not tried again.
write_config "DATABASE_URL=$(pg_url "$PGD" nosuchdb)"
run "$WD" --check-sla
expect_rc 78 "a database that does not exist: exit 78"
expect_err "^watchdog: cannot connect to database postgresql:///nosuchdb.*database \"nosuchdb\" does not exist\$" \
    "a database that does not exist: one line that says so"
case "$err" in *tried*) fail "a database that does not exist: not tried again" "$err" ;;
*) pass "a database that does not exist: not tried again" ;; esac
# A URL libpq cannot read, or whose values it refuses: exit 78 at once,
# the password never shown (libpq's message quotes the URL).
for u in "postgresql://alice:S3CR3T@/wd?host=$PGD&bogus=1" \
    "postgresql://alice:S3CR3T@/wd?host=$PGD&sslmode=maybe" \
    "postgresql://alice:S3CR3T@[::1/wd" \
    "postgresql://alice:S3CR3T@localhost:99999999/wd"; do
	write_config "DATABASE_URL=$u"
	run "$WD" --check-sla
	case "$rc|$err" in
	*S3CR3T* | *tried*) fail "a bad URL: exit 78 at once, no password" "$u: $err" ;;
	"78|watchdog: "*" postgresql://alice:***@"*": "*) pass "a bad URL: exit 78 at once, no password (${err##*: })" ;;
	*) fail "a bad URL: exit 78 at once, no password" "$u: exit $rc: $err" ;;
	esac
done
# A server whose connections for the role are all taken: tried again
# until one is free.
pg_psql "$PGD" postgres "CREATE ROLE lim LOGIN CONNECTION LIMIT 1" > /dev/null
pg_psql "$PGD" postgres "CREATE DATABASE limdb OWNER lim" > /dev/null
write_config "DATABASE_URL=postgresql:///limdb?host=$PGD&user=lim"
run "$WD" --init
expect_rc 0 "a role with one connection: --init"
"$(pg_bindir)/psql" -X -q -h "$PGD" -U lim -d limdb -c "SELECT pg_sleep(1.5)" > /dev/null 2>&1 &
holder=$!
i=0
while [ "$(pg_psql "$PGD" postgres "SELECT count(*) FROM pg_stat_activity WHERE usename = 'lim'")" != 1 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
run "$WD" --check-sla
expect_rc 0 "the role's one connection taken: tried again until it was free"
wait $holder

# --doctor asks the server, and looks for no file.
write_config "DATABASE_URL=$URL"
run "$WD" --doctor
expect_grep "^ok   database server: PostgreSQL [0-9]+\.[0-9]+$" "--doctor names the server's version"
expect_grep "^warn database connection: no TLS" "--doctor says the socket has no TLS"
expect_grep "^ok   database schema version [0-9]+ \(current\)$" "--doctor reads the schema version"
case "$out" in *"data directory"*) fail "--doctor looks for no data directory" "$out" ;;
*) pass "--doctor looks for no data directory" ;; esac

# The modes.
write_config "DATABASE_URL=$URL" RATE_LIMIT_CREATE=0
setup_accounts
[ -n "$ADMIN_TOKEN" ] && [ -n "$BOB_TOKEN" ] && pass "--add-user and --token" ||
    fail "--add-user and --token"
[ "$(psql_wd 'SELECT name, role FROM users ORDER BY id' | tr '\n' ' ')" = "admin|admin bob|user " ] &&
    pass "the accounts are in PostgreSQL" || fail "the accounts are in PostgreSQL"
export WATCHDOG_TOKEN="$BOB_TOKEN"
run "$WD" --create --title "Printer on fire" --deadline +30m --priority urgent
expect_rc 0 "--create"
id1=$out
run "$WD" --create --title "Café order" --deadline +3d --description "beans"
id2=$out
run "$WD" --list
expect_grep "Printer on fire" "--list shows the tickets"
run "$WD" --list --priority urgent --ids
expect_out "$id1" "--list --priority"
run "$WD" --list --search cafe --ids
expect_out "$id2" "--list --search finds a word without its accent"
run "$WD" --list --search "ord" --ids
expect_out "$id2" "--list --search takes a prefix"
run "$WD" --list --count
expect_out "2" "--list --count"
run "$WD" --show "$id1" --json
expect_grep "^\{\"id\":$id1,\"title\":\"Printer on fire\",.*\"sla_state\":\"warning\",\"sla_policy\":null,\"paused_seconds\":0,\"version\":1,\"history\":\[\{.*\"comments\":\[\]\}$" "--show --json"
run "$WD" --update "$id1" --status resolved
expect_rc 0 "--update"
run "$WD" --list --all --json
expect_grep "\"status\":\"resolved\"" "--list --all --json"
run "$WD" --delete "$id2"
expect_rc 0 "--delete"
run "$WD" --show "$id2"
expect_rc 1 "a deleted ticket is gone"
[ "$(psql_wd "SELECT n FROM ticket_counts WHERE what = 'open'")" = "0" ] &&
    pass "the open count follows" || fail "the open count follows"

# The SLA pass: each notice once, however many passes.
# (A warning is due once the deadline is within SLA_WARNING_MINUTES, 60:
# the passes run 45 minutes later.)
# The created notice goes out in the background: let it, before the
# passes 45 minutes on would take its lease for a lapsed one.
n0=$(wait_mail 0)
run "$WD" --create --title "Due soon" --deadline +90m
id3=$out
wait_mail $((n0 + 1)) > /dev/null
WATCHDOG_TOKEN= run faketime -f '+45m' "$WD" --check-sla --verbose
expect_rc 0 "--check-sla"; [ "$rc" -eq 0 ] || echo "$err"
n=$(wait_mail 5)
WATCHDOG_TOKEN= run "$WD" --check-sla --verbose
[ "$(ls "$T/mail/new" | wc -l)" -eq "$n" ] && pass "a second pass sends nothing again" ||
    fail "a second pass sends nothing again"
[ "$(psql_wd "SELECT count(*) FROM outbox WHERE ticket_id = $id3 AND kind = 'warning' AND state = 'sent'")" = 1 ] &&
    pass "the warning is sent once" || fail "the warning is sent once"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --mail-queue --json
expect_rc 0 "--mail-queue"

# Two passes at once on many due tickets: nothing sent twice.
# Count the warnings in the Maildir: "SLA warning: Batch N" each once.
warnings() { cat "$T/mail/new/"* 2>/dev/null | grep -c '^Subject: .*SLA warning: Batch'; }
i=0
while [ $i -lt 20 ]; do
	"$WD" --create --title "Batch $i" --deadline +90m > /dev/null
	i=$((i + 1))
done
created() { cat "$T/mail/new/"* 2>/dev/null | grep -c '^Subject: .*New ticket: Batch'; }
i=0
while [ "$(created)" -lt 20 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
WATCHDOG_TOKEN= faketime -f '+45m' "$WD" --check-sla > "$T/p1" 2>&1 &
p1=$!
WATCHDOG_TOKEN= faketime -f '+45m' "$WD" --check-sla > "$T/p2" 2>&1 &
p2=$!
wait $p1 $p2
i=0
while [ "$(warnings)" -lt 20 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(warnings)" -eq 20 ] && [ "$(cat "$T/mail/new/"* | grep '^Subject: .*SLA warning: Batch' | sort -u | wc -l)" -eq 20 ] &&
    pass "two passes at once send 20 warnings, none twice" ||
    fail "two passes at once send 20 warnings, none twice" "$(warnings): $(cat "$T/p1" "$T/p2")"
[ "$(psql_wd "SELECT count(*) FROM outbox WHERE kind = 'warning' AND state = 'sent'")" = 21 ] &&
    pass "the outbox agrees" || fail "the outbox agrees"

# Lockout, shared: the failures counted in PostgreSQL.
write_config "DATABASE_URL=$URL" LOGIN_MAX_FAILURES=2 LOGIN_LOCKOUT_MINUTES=10
for p in 'wrong 1' 'wrong 2'; do
	printf '%s\n' "$p" | "$WD" --token --user bob --password-stdin > /dev/null 2>&1
done
run -i 'battery staple 2
' "$WD" --token --user bob --password-stdin
expect_rc 77 "a locked account is refused its right password"
expect_err "locked" "the lockout is named"

# Revocation takes effect at once.
unset WATCHDOG_TOKEN
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --revoke-tokens bob
expect_rc 0 "--revoke-tokens"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --list
expect_rc 77 "a revoked token is refused"

# Rate limits, shared.
write_config "DATABASE_URL=$URL" RATE_LIMIT_CREATE=2/m
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --create --title a --deadline +1d > /dev/null
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --create --title b --deadline +1d > /dev/null
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --create --title c --deadline +1d
expect_rc 75 "the create rate limit holds"

# A statement the server cancels (an administrator's statement_timeout):
# exit 75, said as the server says it, nothing changed.
psql_wd "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END \$\$" > /dev/null
psql_wd "CREATE TRIGGER slow BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION slow()" > /dev/null
write_config "DATABASE_URL=$URL&options=-c%20statement_timeout%3D300"
n=$(psql_wd "SELECT count(*) FROM tickets")
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --create --title 'Too slow' --deadline +1d
expect_rc 75 "a statement timeout: exit 75"
expect_err "canceling statement due to statement timeout; nothing was changed; try again" \
    "a statement timeout: said as it is, not as a lock"
[ "$(psql_wd "SELECT count(*) FROM tickets")" = "$n" ] &&
    pass "a statement timeout: nothing changed" || fail "a statement timeout: nothing changed"
psql_wd "DROP TRIGGER slow ON tickets" > /dev/null

# Statements of many rows: the open count and the comments' words for
# --search are kept once per statement, not once per row (a long
# transaction of row-by-row writes took minutes); the calls of their
# trigger functions in the one transaction are counted.
pg_createdb "$PGD" bulk
write_config "DATABASE_URL=$(pg_url "$PGD" bulk)"
"$WD" --init > /dev/null
calls=$(pg_psql "$PGD" bulk "BEGIN;
SET LOCAL track_functions = 'pl';
INSERT INTO users (name, email, role, password_hash, created_at)
    VALUES ('bulk', 'bulk@example.org', 'admin', '', 0);
INSERT INTO tickets (title, description, status, resolved_at, owner_id,
    deadline, created_at, updated_at)
    SELECT 'Bulk ' || i, 'loaded', CASE WHEN i % 4 = 0 THEN 'resolved'
    ELSE 'open' END, CASE WHEN i % 4 = 0 THEN 0 END, (SELECT id FROM users),
    2000000000, 0, 0 FROM generate_series(1, 40) i;
INSERT INTO comments (ticket_id, created_at, text)
    SELECT t.id, 0, 'note' || c || ' of ' || t.title
    FROM tickets t, generate_series(1, 5) c ORDER BY t.id, c;
DELETE FROM comments WHERE text LIKE 'note3 %';
DELETE FROM tickets WHERE title = 'Bulk 1';
SELECT coalesce(sum(calls) FILTER (WHERE funcname LIKE 'wd_open_count%'), 0)
    || '|' || coalesce(sum(calls) FILTER (WHERE funcname LIKE
    'wd_comment_words%'), 0) FROM pg_stat_xact_user_functions;
COMMIT;")
[ "$calls" = "2|3" ] &&
    pass "many rows in one statement: the triggers run once per statement" ||
    fail "many rows in one statement: the triggers run once per statement" \
    "open count and words called $calls times"
[ "$(pg_psql "$PGD" bulk "SELECT
    (SELECT n FROM ticket_counts WHERE what = 'open') || '|' ||
    (SELECT count(*) FROM tickets WHERE status <> 'resolved') || '|' ||
    (SELECT count(*) FROM tickets WHERE comment_words IS DISTINCT FROM
    coalesce((SELECT string_agg(c.text, ' ' ORDER BY c.id) FROM comments c
    WHERE c.ticket_id = tickets.id), '')) || '|' ||
    (SELECT count(*) FROM tickets WHERE search @@
    to_tsquery('simple', 'note5 & bulk')) || '|' ||
    (SELECT count(*) FROM tickets WHERE search @@
    to_tsquery('simple', 'note3'))")" = "29|29|0|39|0" ] &&
    pass "the open count and every ticket's words hold after them" ||
    fail "the open count and every ticket's words hold after them" \
    "$(pg_psql "$PGD" bulk "SELECT * FROM ticket_counts")"
pg_psql "$PGD" bulk "UPDATE tickets SET status = 'resolved',
    resolved_at = 0 WHERE title IN ('Bulk 2', 'Bulk 3', 'Bulk 4');
    UPDATE comments SET text = 'changed' WHERE text LIKE 'note5 %Bulk 2'"
[ "$(pg_psql "$PGD" bulk "SELECT (SELECT n FROM ticket_counts
    WHERE what = 'open') || '|' || (SELECT comment_words FROM tickets
    WHERE title = 'Bulk 2')")" = "27|note1 of Bulk 2 note2 of Bulk 2 note4 of Bulk 2 changed" ] &&
    pass "a status and a comment changed still move the count and the words" ||
    fail "a status and a comment changed still move the count and the words"

finish
