#!/bin/sh
# watchdog --copy-to (watchdog(1), SEVERAL HOSTS: POSTGRESQL): a database
# holding every kind of row is copied SQLite -> PostgreSQL -> SQLite,
# SQLite -> SQLite and PostgreSQL -> PostgreSQL; the listings, tickets,
# mail queue and accounts read the same on every copy, the round trip
# gives back the same rows, the old password and token log in, and an SLA
# pass on the copy sends nothing already sent. A target that is not
# empty, not reachable, newer or someone else's, and a caller who is not
# an administrator, are refused with their exit codes and nothing
# changed; a copy killed half way leaves the target empty.
. "$(dirname "$0")/lib.sh"
pg_unsupported "it runs in the cli layer, on a PostgreSQL server of its own"
. "$top/tests/pg/lib.sh"

pg_private
SRC=$T/db/watchdog.db

# The rows of every table of a SQLite database, each value quoted (blobs
# as X'..'), in key order; tokens without last_used_at (a use of the
# token moves it), meta without SQLite's own schema_verified.
dump() {
	for q in "users ORDER BY id" \
	    "id, user_id, selector, hash, created_at, revoked_at FROM tokens ORDER BY id" \
	    "login_failures ORDER BY user_id, unix_uid" "audit ORDER BY id" \
	    "tickets ORDER BY id" "ticket_history ORDER BY id" \
	    "comments ORDER BY id" "rate_events ORDER BY user_id, kind, at" \
	    "outbox ORDER BY id" "django_import ORDER BY kind, django_id" \
	    "meta WHERE key <> 'schema_verified' ORDER BY key" \
	    "ticket_counts ORDER BY what"; do
		case $q in
		*" FROM "*) sqlite3 -cmd '.mode quote' "$1" "SELECT $q" ;;
		*) sqlite3 -cmd '.mode quote' "$1" "SELECT * FROM $q" ;;
		esac
		echo "--"
	done
}

# What an administrator reads of the database WHERE: the listing, each
# ticket, the mail queue and the accounts.
views() {
	export WATCHDOG_TOKEN="$ADMIN_TOKEN"
	"$WD" --db "$1" --list --all --json
	for id in $("$WD" --db "$1" --list --all --ids); do
		"$WD" --db "$1" --show "$id" --json
	done
	"$WD" --db "$1" --mail-queue --json
	"$WD" --db "$1" --users --json
	unset WATCHDOG_TOKEN
}

# --- A source holding every kind of row. ---
# The created notices of the first tickets are delivered (sent); those
# of the later ones fail and wait for a retry (pending).
write_config "SLA_POLICY_URGENT=4h calendar"
setup_accounts
printf 'carol pw 33\n' | WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --add-user carol \
    --email carol@example.org --password-stdin > /dev/null 2>&1
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update-user carol --disable > /dev/null
export WATCHDOG_TOKEN="$BOB_TOKEN"
t1=$("$WD" --create --title "Printer on fire" --deadline +90m --assignee admin)
t2=$("$WD" --create --title "Café order" --description "beans, ünïcode" \
    --deadline +3d)
t3=$("$WD" --create --title "Waiting on vendor" --priority urgent)
t4=$("$WD" --create --title "Done already" --deadline +2h)
t5=$("$WD" --create --title "Deleted" --deadline +2h)
"$WD" --comment "$t1" --text "smoke seen" > /dev/null
"$WD" --comment "$t1" --text "second floor" > /dev/null
"$WD" --update "$t3" --status on_hold > /dev/null
"$WD" --update "$t4" --status resolved > /dev/null
"$WD" --delete "$t5" > /dev/null
i=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")" -gt 0 ] &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
# An SLA pass on the source, 45 minutes on: the warning of the first
# ticket goes.
WATCHDOG_TOKEN= faketime -f '+45m' "$WD" --check-sla
printf '#!/bin/sh\ncat > /dev/null\nexit 75\n' > "$T/tempfail"
chmod +x "$T/tempfail"
write_config "SLA_POLICY_URGENT=4h calendar" EMAIL_BACKEND=sendmail \
    SENDMAIL_PATH="$T/tempfail"
t6=$("$WD" --create --title "Mail stuck" --deadline +5h --assignee bob)
i=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE attempts > 0 AND state = 'queued'")" -eq 0 ] &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
unset WATCHDOG_TOKEN
printf 'wrong\n' | "$WD" --token --user bob --password-stdin > /dev/null 2>&1
# A ticket brought over from the Django version.
python3 - "$T/dj.sqlite3" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript('''
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "tickets_ticket" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "description" text NOT NULL, "deadline" datetime NOT NULL, "created_at" datetime NOT NULL, "sla_warning_sent" bool NOT NULL, "sla_missed" bool NOT NULL, "owner_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
INSERT INTO auth_user VALUES (7, 'pbkdf2_sha256$1000$salt$x', NULL, 0, 'dora', '', 'dora@example.org', 0, 1, '2026-01-01 00:00:00', '');
INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', '2026-01-02 00:00:00', 7);
INSERT INTO tickets_ticket VALUES (42, 'From Django', 'old', '2027-01-01 00:00:00', '2026-01-03 00:00:00', 0, 0, 7);
''')
c.commit()
PY
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "$T/dj.sqlite3" > /dev/null
# The last ticket deleted: the next id is past it, on the copies too.
t7=$(WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --create --title "Deleted last" --deadline +1d)
WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --delete "$t7" > /dev/null
write_config "SLA_POLICY_URGENT=4h calendar"
# The token is used once before the copies: its last use moves once a minute.
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --list > /dev/null
kinds=$(sql "SELECT (SELECT count(*) FROM outbox WHERE kind = 'warning' AND state = 'sent') > 0,
    (SELECT count(*) FROM comments) > 0, (SELECT count(*) FROM ticket_history) > 0,
    (SELECT count(*) FROM outbox WHERE state = 'sent') > 0, (SELECT count(*) FROM outbox WHERE state = 'queued') > 0,
    (SELECT count(*) FROM users WHERE disabled_at IS NOT NULL), (SELECT count(*) FROM tickets WHERE paused_at IS NOT NULL),
    (SELECT count(*) FROM django_import) > 0, (SELECT count(*) FROM login_failures), (SELECT count(*) FROM tickets WHERE sla_policy IS NOT NULL)")
[ "$kinds" = "1|1|1|1|1|1|1|1|1|1" ] && pass "the source holds every kind of row" ||
    fail "the source holds every kind of row" "$kinds"
src_dump=$(dump "$SRC")
printf '%s\n' "$src_dump" > "$T/src.dump"
ntickets=$(sql "SELECT count(*) FROM tickets")

# --- Refusals first: each leaves both sides as they were. ---
pg_createdb "$PGD" a
A=$(pg_url "$PGD" a)
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --copy-to "$A"
expect_rc 77 "not an administrator: exit 77"
expect_err "only an administrator may run --copy-to" "not an administrator: says so"
[ "$(pg_psql "$PGD" a "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] &&
    pass "a refused caller never touches the target" ||
    fail "a refused caller never touches the target"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "mysql://db/x"
expect_rc 64 "an unknown scheme is a usage error"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "postgresql://alice:S3CR3T@/x?host=$T/nowhere&connect_timeout=2"
expect_rc 75 "an unreachable server exits 75"
expect_err "the database server at postgresql://alice:\*\*\*@/x" "the URL is named, its password hidden"
case "$err$out" in *S3CR3T*) fail "the password is never printed" "$err" ;;
*) pass "the password is never printed" ;; esac
pg_createdb "$PGD" payroll
pg_psql "$PGD" payroll "CREATE TABLE payroll (x int); INSERT INTO payroll VALUES (7)"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$(pg_url "$PGD" payroll)"
expect_rc 78 "another application's database is refused"
[ "$(pg_psql "$PGD" payroll "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")|$(pg_psql "$PGD" payroll 'SELECT x FROM payroll')" = "payroll|7" ] &&
    pass "the other database is left as it was" ||
    fail "the other database is left as it was"
pg_createdb "$PGD" newer
"$WD" --db "$(pg_url "$PGD" newer)" --init > /dev/null
pg_psql "$PGD" newer "UPDATE wd_schema SET version = 9999"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$(pg_url "$PGD" newer)"
expect_rc 78 "a newer target is refused"
expect_err "schema version 9999, newer than this program knows" "the newer version is named"
# An older schema: not upgraded behind the user's back.
pg_createdb "$PGD" older
"$WD" --db "$(pg_url "$PGD" older)" --init > /dev/null
pg_psql "$PGD" older "UPDATE wd_schema SET version = 14"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$(pg_url "$PGD" older)"
expect_rc 65 "an older target is refused (65)"
expect_err "has an older watchdog schema \(version 14, .*run watchdog --init on it first" "the older version is named"
[ "$(pg_psql "$PGD" older "SELECT version FROM wd_schema")" = 14 ] &&
    pass "the older target is left as it was" || fail "the older target is left as it was"
# A schema with a table this program does not copy (as if a migration had
# added one and the copy had not learnt it): the check of the catalog
# stops the copy before a row is written.
pg_createdb "$PGD" extra
"$WD" --db "$(pg_url "$PGD" extra)" --init > /dev/null
pg_psql "$PGD" extra "CREATE TABLE watchers (ticket_id bigint, user_id bigint)"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$(pg_url "$PGD" extra)"
expect_rc 70 "a table the copy does not know: exit 70"
expect_err "postgresql:///extra.*: --copy-to does not know the table watchers" "the table is named"
pg_psql "$PGD" extra "DROP TABLE watchers; ALTER TABLE comments ADD COLUMN edited_at bigint"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$(pg_url "$PGD" extra)"
expect_rc 70 "a column the copy does not know: exit 70"
expect_err "does not know the column edited_at of table comments" "the column is named"
[ "$(pg_psql "$PGD" extra "SELECT count(*) FROM users")" = 0 ] &&
    pass "nothing written then" || fail "nothing written then"
# A target with rows of its own (another team's database).
mkdir -p "$T/full"
printf 'x pw 12345\n' | "$WD" --db "$T/full/w.db" --add-user x --email x@example.org --password-stdin > /dev/null 2>&1
full_before=$(dump "$T/full/w.db")
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$T/full/w.db"
expect_rc 65 "a target that is not empty is refused (65)"
expect_err "is not empty \(it holds 1 accounts\): --copy-to copies only into an empty database" "the refusal says why"
[ "$(dump "$T/full/w.db")" = "$full_before" ] && pass "the full target is left as it was" ||
    fail "the full target is left as it was"
[ "$(dump "$SRC")" = "$src_dump" ] && pass "the refusals change nothing on the source" ||
    fail "the refusals change nothing on the source"

# --- SQLite -> PostgreSQL ---
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$A"
expect_rc 0 "--copy-to SQLite -> PostgreSQL"
[ "$rc" -eq 0 ] || echo "$err"
expect_grep "^copied 4 accounts, [0-9]+ tokens, 1 login failure records, [0-9]+ audit entries, $ntickets tickets, [0-9]+ history entries, 2 comments, [0-9]+ rate-limit events, [0-9]+ messages, 3 Django import records into postgresql:///a\?host=.*$" "the report names what was copied, and where"
[ -z "$err" ] && pass "no progress on stderr when it is not a terminal" ||
    fail "no progress on stderr when it is not a terminal" "$err"
[ "$(pg_psql "$PGD" a "SELECT count(*) FROM users")|$(pg_psql "$PGD" a "SELECT count(*) FROM outbox")" = \
    "4|$(sql "SELECT count(*) FROM outbox")" ] &&
    pass "the rows are in PostgreSQL" || fail "the rows are in PostgreSQL"
[ "$(pg_psql "$PGD" a "SELECT last_value FROM tickets_id_seq")" = "$(sql "SELECT seq FROM sqlite_sequence WHERE name = 'tickets'")" ] &&
    pass "the ticket sequence goes on past the deleted ticket's id" ||
    fail "the ticket sequence goes on past the deleted ticket's id"
[ "$(pg_psql "$PGD" a "SELECT value FROM meta WHERE key = 'instance'")" = "$(sql "SELECT value FROM meta WHERE key = 'instance'")" ] &&
    pass "the instance name of the Message-IDs is kept" ||
    fail "the instance name of the Message-IDs is kept"

# --- PostgreSQL -> SQLite (the round trip), SQLite -> SQLite, PG -> PG ---
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --db "$A" --copy-to "sqlite://$T/back/w.db"
expect_rc 0 "--copy-to PostgreSQL -> SQLite (a new file)"
[ "$(dump "$T/back/w.db")" = "$src_dump" ] &&
    pass "the round trip gives back every row" ||
    fail "the round trip gives back every row" "$(dump "$T/back/w.db" | diff "$T/src.dump" - | head -5)"
: > "$T/empty.db"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$T/empty.db"
expect_rc 0 "--copy-to SQLite -> SQLite (an empty file)"
[ "$(dump "$T/empty.db")" = "$src_dump" ] && pass "the SQLite copy holds every row" ||
    fail "the SQLite copy holds every row"
pg_createdb "$PGD" b
B=$(pg_url "$PGD" b)
"$WD" --db "$B" --init > /dev/null
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --db "$A" --copy-to "$B"
expect_rc 0 "--copy-to PostgreSQL -> PostgreSQL (after --init)"

views "$SRC" > "$T/src.views"
for w in "PostgreSQL a:$A" "SQLite back:$T/back/w.db" \
    "SQLite empty:$T/empty.db" "PostgreSQL b:$B"; do
	views "${w#*:}" > "$T/copy.views"
	cmp -s "$T/src.views" "$T/copy.views" &&
	    pass "the same listings, tickets, mail queue and accounts: ${w%%:*}" ||
	    fail "the same listings, tickets, mail queue and accounts: ${w%%:*}" \
	    "$(diff "$T/src.views" "$T/copy.views" | head -5)"
done
[ "$(grep -c '"id"' "$T/src.views")" -gt 10 ] && pass "the views compared are not empty" ||
    fail "the views compared are not empty"

# --- The copy in use ---
run -i 'battery staple 2
' "$WD" --db "$A" --token --user bob --password-stdin
expect_rc 0 "the old password logs in on the copy"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --db "$B" --show "$t1"
expect_rc 0 "the old token works on the copy"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --db "$T/back/w.db" --list --search smoke --ids
expect_out "$t1" "--search finds a comment's word on the SQLite copy"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --db "$A" --list --search cafe --ids
expect_out "$t2" "--search finds a word without its accent on the PostgreSQL copy"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --db "$B" --list --search "second floor" --ids
expect_out "$t1" "--search finds a comment's words on the PostgreSQL copy of a copy"
run -i 'carol pw 33
' "$WD" --db "$A" --token --user carol --password-stdin
expect_rc 77 "the disabled account stays disabled"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --db "$A" --create --title "After the move" --deadline +1d
expect_rc 0 "a ticket created on the copy"
[ "$out" -gt "$t7" ] && pass "its id is past every id the source gave" ||
    fail "its id is past every id the source gave" "$out"
# The open-ticket count, copied (its trigger held off during the copy),
# follows the tickets again.
[ "$(pg_psql "$PGD" a "SELECT (SELECT n FROM ticket_counts WHERE what = 'open') = (SELECT count(*) FROM tickets WHERE status <> 'resolved')")" = t ] &&
    pass "the open count on the copy follows a new ticket" ||
    fail "the open count on the copy follows a new ticket" "$(pg_psql "$PGD" a "SELECT * FROM ticket_counts")"
# SLA passes on the copy, now and two hours on: the notices the source
# sent (a warning among them) are not sent again (a notice may repeat
# only with the Message-ID it had); the stuck one and the newly due ones
# may go.
sql "SELECT message_id FROM outbox WHERE state = 'sent'" | sort > "$T/sent.ids"
write_config "DATABASE_URL=$A" "EMAIL_FILE_PATH=$T/mail2" "SLA_POLICY_URGENT=4h calendar"
run faketime -f '+50m' "$WD" --check-sla
expect_rc 0 "--check-sla on the copy"
[ "$rc" -eq 0 ] || echo "$err"
run faketime -f '+2h' "$WD" --check-sla
expect_rc 0 "--check-sla on the copy, two hours on"
[ "$rc" -eq 0 ] || echo "$err"
cat "$T/mail2/new/"* 2>/dev/null | tr -d '\r' | sed -n 's/^Message-ID: *//p' | sort > "$T/got.ids"
[ -s "$T/got.ids" ] && [ -s "$T/sent.ids" ] && [ -z "$(comm -12 "$T/sent.ids" "$T/got.ids")" ] &&
    pass "the passes on the copy send nothing the source sent" ||
    fail "the passes on the copy send nothing the source sent" "$(comm -12 "$T/sent.ids" "$T/got.ids")"
write_config "SLA_POLICY_URGENT=4h calendar"

# --- A database without accounts: its owner copies it (no login) ---
mkdir -p "$T/none"
"$WD" --db "$T/none/w.db" --init > /dev/null
run "$WD" --db "$T/none/w.db" --copy-to "$T/none/copy.db"
expect_rc 0 "an account-less database is copied by its owner"
expect_grep "^copied 0 accounts, .* 0 tickets, " "nothing but the schema"

# --- On a terminal: the progress ---
if command -v script > /dev/null; then
	pg_createdb "$PGD" c
	WATCHDOG_TOKEN=$ADMIN_TOKEN script -qec "'$WD' --copy-to '$(pg_url "$PGD" c)'" /dev/null > "$T/tty" 2>&1
	grep -q "copying: [0-9]*/[0-9]* rows" "$T/tty" && pass "progress on a terminal" ||
	    fail "progress on a terminal" "$(cat "$T/tty")"
fi

# --- A copy killed half way ---
# A large source, made directly in SQL; the copy into PostgreSQL is
# killed while it writes tickets: the target is left without a row, and
# a copy into it then works.
mkdir -p "$T/big"
BIG=$T/big/w.db
# grown FILE BYTES PID: wait until FILE holds BYTES (15 s at most) while
# process PID runs.
grown() {
	i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2" ] &&
	    [ $i -lt 300 ] && kill -0 "$3" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
}
printf 'correct horse 1\n' | "$WD" --db "$BIG" --add-user admin --email admin@example.org --password-stdin > /dev/null 2>&1
sqlite3 "$BIG" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
    INSERT INTO tickets (title, description, owner_id, deadline, created_at, updated_at, sla_next_at)
    SELECT 'Bulk ' || i, 'generated', 1, 2000000000 + i, 1790000000, 1790000000, 2000000000 + i FROM n"
pg_createdb "$PGD" big
printf 'correct horse 1\n' | "$WD" --db "$BIG" --copy-to "$(pg_url "$PGD" big)" --user admin --password-stdin > "$T/big.out" 2>&1 &
pid=$!
i=0
while [ "$(pg_psql "$PGD" postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = 'big' AND query LIKE 'INSERT INTO tickets%'")" -eq 0 ] &&
    [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null && pass "the copy is killed while it writes tickets" ||
    fail "the copy is killed while it writes tickets" "$(cat "$T/big.out")"
wait $pid 2>/dev/null
i=0
while [ "$(pg_psql "$PGD" postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = 'big'")" -gt 0 ] &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(pg_psql "$PGD" big "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM tickets) + (SELECT count(*) FROM audit)")" = 0 ] &&
    pass "the killed copy left no row in the target" ||
    fail "the killed copy left no row in the target"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$(pg_url "$PGD" big)"
expect_rc 0 "a copy into the target of the killed one works"
# The same into a SQLite file: killed once its journal has grown.
mkdir -p "$T/bigcopy"
printf 'correct horse 1\n' | "$WD" --db "$BIG" --copy-to "$T/bigcopy/w.db" --user admin --password-stdin > "$T/big.out" 2>&1 &
pid=$!
grown "$T/bigcopy/w.db-wal" 4000000 $pid
kill -9 $pid 2>/dev/null && pass "the copy into SQLite is killed half way" ||
    fail "the copy into SQLite is killed half way" "$(cat "$T/big.out")"
wait $pid 2>/dev/null
[ "$(sqlite3 "$T/bigcopy/w.db" "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM tickets)")" = 0 ] &&
    pass "the killed copy left no row in the SQLite file" ||
    fail "the killed copy left no row in the SQLite file"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --copy-to "$T/bigcopy/w.db"
expect_rc 0 "a copy into the file of the killed one works"

# --- One snapshot: a ticket created on the source during a copy ---
big_token=$(printf 'correct horse 1\n' | "$WD" --db "$BIG" --token --user admin --password-stdin)
printf 'correct horse 1\n' | "$WD" --db "$BIG" --copy-to "$T/bigcopy/snap.db" --user admin --password-stdin > "$T/snap.out" 2>&1 &
pid=$!
grown "$T/bigcopy/snap.db-wal" 1000000 $pid
WATCHDOG_TOKEN=$big_token run "$WD" --db "$BIG" --create --title "During the copy" --deadline +1d
expect_rc 0 "the source takes a ticket while it is copied"
kill -0 $pid 2>/dev/null && pass "the copy was still running then" ||
    fail "the copy was still running then"
wait $pid
rc=$?
[ $rc -eq 0 ] && pass "the copy goes on" || fail "the copy goes on" "$(cat "$T/snap.out")"
[ "$(sqlite3 "$T/bigcopy/snap.db" "SELECT count(*) FROM tickets WHERE title = 'During the copy'")|$(sqlite3 "$BIG" "SELECT count(*) FROM tickets WHERE title = 'During the copy'")" = "0|1" ] &&
    pass "the copy is the source as it was when it began" ||
    fail "the copy is the source as it was when it began"

# --- Many comments: each ticket's words for --search made once ---
# Into PostgreSQL, the open count's and the comments' words' triggers are
# held off while the rows go in, and the words made once at the end: a
# ticket is not written again for each of its comments, nor the count for
# each ticket (what the server counted, once the copy's session is gone).
mkdir -p "$T/words"
W=$T/words/w.db
printf 'correct horse 1\n' | "$WD" --db "$W" --add-user admin --email admin@example.org --password-stdin > /dev/null 2>&1
sqlite3 "$W" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
    INSERT INTO tickets (title, description, owner_id, deadline, created_at, updated_at, sla_next_at)
    SELECT 'Talkative ' || i, 'generated', 1, 2000000000 + i, 1790000000, 1790000000, 2000000000 + i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
    INSERT INTO comments (ticket_id, author_id, created_at, text)
    SELECT (SELECT min(id) FROM tickets) + (i - 1) % 20, 1, 1790000000 + i, 'remark' || i FROM n;
    INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')"
pg_createdb "$PGD" words
run sh -c "printf 'correct horse 1\n' | '$WD' --db '$W' --copy-to '$(pg_url "$PGD" words)' --user admin --password-stdin"
expect_rc 0 "--copy-to of 300 comments on 20 tickets into PostgreSQL"
i=0
while [ "$(pg_psql "$PGD" words "SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = 'comments'")" -lt 300 ] &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
writes=$(pg_psql "$PGD" words "SELECT string_agg(relname || ' ' || n_tup_upd, ', ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname IN ('tickets', 'ticket_counts', 'comments')")
[ "$(pg_psql "$PGD" words "SELECT (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'tickets') <= 20
    AND (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'ticket_counts') = 0
    AND (SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'comments') = 300")" = t ] &&
    pass "each ticket written at most once after its rows, the count never" ||
    fail "each ticket written at most once after its rows, the count never" "updated: $writes"
[ "$(pg_psql "$PGD" words "SELECT count(*) FROM tickets WHERE comment_words IS DISTINCT FROM
    coalesce((SELECT string_agg(c.text, ' ' ORDER BY c.id) FROM comments c WHERE c.ticket_id = tickets.id), '')")|$(pg_psql "$PGD" words "SELECT n FROM ticket_counts WHERE what = 'open'")" = "0|20" ] &&
    pass "every ticket's words and the open count are those of its rows" ||
    fail "every ticket's words and the open count are those of its rows"
WATCHDOG_TOKEN=$(printf 'correct horse 1\n' | "$WD" --db "$(pg_url "$PGD" words)" --token --user admin --password-stdin) \
    run "$WD" --db "$(pg_url "$PGD" words)" --list --search remark300 --json
expect_grep '"title": *"Talkative 20"' "--search finds the last comment's word on the copy"

finish
