#!/bin/sh
# watchdog --import-django (watchdog(1)): a Django-shaped db.sqlite3 built
# here with the Django DDL is brought over; the old password logs in once
# and becomes Argon2id, the old DRF key works on the command line and over
# HTTP, the notices Django sent are not sent again, a second run adds
# nothing, and the refusals have their exit codes.
. "$(dirname "$0")/lib.sh"

write_config 'SLA_WARNING_MINUTES=60'
setup_accounts
DJ=$T/django/db.sqlite3
mkdir -p "$T/django"
ALICE_KEY=0123456789abcdef0123456789abcdef01234567
BOB_KEY=fedcba9876543210fedcba9876543210fedcba98
ADMIN_KEY=aaaabbbbccccddddeeeeffff0000111122223333
python3 - "$DJ" "$ALICE_KEY" "$BOB_KEY" "$ADMIN_KEY" <<'PY'
import base64, datetime, hashlib, sqlite3, sys
path, alice_key, bob_key, admin_key = sys.argv[1:]
def django_hash(password, salt, iterations=1000):
    dk = hashlib.pbkdf2_hmac('sha256', password.encode(), salt.encode(), iterations)
    return 'pbkdf2_sha256$%d$%s$%s' % (iterations, salt, base64.b64encode(dk).decode())
def when(**kw):
    t = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(**kw)
    return t.strftime('%Y-%m-%d %H:%M:%S.%f')
c = sqlite3.connect(path)
# The DDL Django 4.2 writes for auth_user and DRF's authtoken_token, and
# the watchdog app's tickets_ticket.
c.executescript('''
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "tickets_ticket" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(200) NOT NULL, "description" text NOT NULL, "deadline" datetime NOT NULL, "created_at" datetime NOT NULL, "sla_warning_sent" bool NOT NULL, "sla_missed" bool NOT NULL, "owner_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
''')
users = [
    (1, django_hash('old django pw 1', 'saltAlice'), 1, 'alice', 'alice@example.org', 0, 1),
    (2, django_hash('old django pw 2', 'saltBob'), 0, 'bob2', 'bob2@example.org', 0, 1),
    (3, django_hash('old django pw 3', 'saltCarol'), 0, 'carol', '', 0, 1),
    (4, django_hash('old django pw 4', 'saltAdmin'), 1, 'admin', 'root@example.org', 1, 1),
    (5, django_hash('old django pw 5', 'saltDave'), 0, 'dave+ops', 'dave@example.org', 0, 1),
]
for u in users:
    c.execute('INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES (?, ?, ?, ?, \'\', ?, ?, ?, ?, \'\')', u + (when(days=-100),))
for key, uid in ((alice_key, 1), (bob_key, 2), (admin_key, 4)):
    c.execute('INSERT INTO authtoken_token VALUES (?, ?, ?)', (key, when(days=-50), uid))
tickets = [
    (101, 'Missed, notice sent', when(days=-1), 0, 1, 1),
    (102, 'Missed, no notice yet', when(days=-1), 0, 0, 2),
    (103, 'Warned already', when(minutes=30), 1, 0, 1),
    (104, 'Not warned yet', when(minutes=30), 0, 0, 2),
    (105, 'Owner stayed behind', when(days=3), 0, 0, 4),
]
for t in tickets:
    c.execute('INSERT INTO tickets_ticket (id, title, description, deadline, created_at, sla_warning_sent, sla_missed, owner_id) VALUES (?, ?, \'from Django\', ?, ?, ?, ?, ?)', (t[0], t[1], t[2], when(days=-2), t[3], t[4], t[5]))
c.commit()
PY
ours=$(sql "SELECT count(*) FROM users") 

# Refusals first: nothing changes.
run env WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --import-django "$DJ"
expect_rc 77 "not an administrator: exit 77"
expect_err "only an administrator" "not an administrator: says so"
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "$T/django/missing.sqlite3"
expect_rc 66 "missing file: exit 66"
expect_err "cannot open" "missing file: says so"
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "$T/watchdog.conf"
expect_rc 65 "not a SQLite file: exit 65"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("CREATE TABLE t (x)")' "$T/django/other.sqlite3"
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "$T/django/other.sqlite3"
expect_rc 65 "a SQLite file without the Django tables: exit 65"
expect_err "not a Django watchdog database" "without the Django tables: says so"
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "postgresql://u@/watchdog?host=$T/nowhere&connect_timeout=2"
expect_rc 75 "postgresql URL of a server that is not there: exit 75"
expect_err "the database server at postgresql://.* is not answering" "postgresql URL: says so"
[ "$(sql "SELECT count(*) FROM users")" = "$ours" ] &&
    [ "$(sql "SELECT count(*) FROM django_import")" = 0 ] &&
    pass "refusals change nothing" || fail "refusals change nothing"
# Our database busy past the timeout: exit 75, nothing written.
hold_write_lock 8 || fail "another writer took the lock"
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "$DJ"
expect_rc 75 "our database busy: exit 75"
wait
[ "$(sql "SELECT count(*) FROM django_import")" = 0 ] && pass "busy: nothing written" ||
    fail "busy: nothing written"
# The normal DATABASE_URL still refuses a foreign file.
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --db "$DJ" --list
expect_rc 78 "--db on a Django file is still refused"

# The import. On PostgreSQL our session is ended in its middle (a trigger
# at the first record of what came over): it is run again, once.
if on_pg; then
	sql "CREATE SEQUENCE kill_seq" "CREATE FUNCTION kill_once() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF nextval('kill_seq') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NULL; END \$\$" "CREATE TRIGGER kill AFTER INSERT ON django_import FOR EACH ROW EXECUTE FUNCTION kill_once()"
fi
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "$DJ"
expect_rc 0 "import: exit 0"
if on_pg; then
	# One firing in the lost try, one per record in the one that counted.
	n=$(sql "SELECT last_value - (SELECT count(*) FROM django_import) FROM kill_seq")
	[ "$n" = 1 ] && pass "import: a session lost in its middle, run again" ||
	    fail "import: a session lost in its middle, run again" "$n"
	sql "DROP TRIGGER kill ON django_import" "DROP FUNCTION kill_once()" "DROP SEQUENCE kill_seq"
fi
expect_grep "3 accounts, 2 tokens, 5 tickets" "import: the counts"
expect_grep "^account admin .*exists here" "import: the name taken here is reported"
expect_grep "^account carol: brought over disabled: no valid e-mail" "import: carol without e-mail named"
expect_grep "^token aaaa\.\.\. .*did not come over" "import: the token left behind is reported"
expect_grep "^ticket #105: .*owned by admin" "import: the ticket whose owner stayed"
expect_grep "^account dave\+ops \(Django #5\): not brought over: account name may only" "import: a name we refuse is reported"
if printf '%s\n' "$out$err" | grep -q "$ADMIN_KEY\|$ALICE_KEY"; then
	fail "import: no key printed"; else pass "import: no key printed"; fi
[ "$(sql "SELECT role || ',' || CASE WHEN disabled_at IS NULL THEN 1 ELSE 0 END FROM users WHERE name = 'alice'")" = "admin,1" ] &&
    pass "alice, a superuser: administrator" || fail "alice, a superuser: administrator"
[ "$(sql "SELECT role || ',' || CASE WHEN disabled_at IS NULL THEN 1 ELSE 0 END FROM users WHERE name = 'carol'")" = "user,0" ] &&
    pass "carol: disabled" || fail "carol: disabled"
[ "$(sql "SELECT email FROM users WHERE name = 'admin'")" = "admin@example.org" ] &&
    pass "our admin not overwritten" || fail "our admin not overwritten"
[ "$(sql "SELECT count(*) FROM ticket_history WHERE new_value = 'imported from Django ticket #101'")" = 1 ] &&
    pass "history: imported from Django ticket #N" || fail "history: imported from Django ticket #N"
[ "$(sql "SELECT u.name FROM tickets t JOIN users u ON u.id = t.owner_id WHERE t.title = 'Missed, notice sent'")" = alice ] &&
    pass "ticket owner mapped" || fail "ticket owner mapped"
[ "$(sql "SELECT count(*) FROM outbox")" = "$(sql "SELECT count(*) FROM outbox WHERE ticket_id NOT IN (SELECT our_id FROM django_import WHERE kind = 'ticket')")" ] &&
    pass "import queues no mail" || fail "import queues no mail"

# Logins: a wrong old password is refused; the right one works once
# against the Django hash, which becomes Argon2id.
run -i 'not the password
' "$WD" --token --user bob2 --password-stdin
expect_rc 77 "wrong old password: exit 77"
case $(sql "SELECT password_hash FROM users WHERE name = 'bob2'") in
pbkdf2_sha256\$1000\$*) pass "wrong password: Django hash kept" ;;
*) fail "wrong password: Django hash kept" ;;
esac
run -i 'old django pw 1
' "$WD" --token --user alice --password-stdin
expect_rc 0 "the old Django password logs in"
case $(sql "SELECT password_hash FROM users WHERE name = 'alice'") in
\$argon2id\$*) pass "the Django hash is replaced by Argon2id" ;;
*) fail "the Django hash is replaced by Argon2id" ;;
esac
run -i 'old django pw 1
' "$WD" --token --user alice --password-stdin
expect_rc 0 "the old password again, against Argon2id"

# The old DRF key on the command line.
run env WATCHDOG_TOKEN=$ALICE_KEY "$WD" --list --ids
expect_rc 0 "old DRF key: --list works"
[ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ] && pass "old DRF key: sees tickets" || fail "old DRF key: sees tickets" "$out"
run env WATCHDOG_TOKEN=$ADMIN_KEY "$WD" --list
expect_rc 77 "a key not brought over is refused"
run env WATCHDOG_TOKEN=0123456789abcdef0123456789abcdef01234568 "$WD" --list
expect_rc 77 "a key differing after the selector is refused"

# The notices Django sent are not sent again; the others are.
faketime -f '+1m' "$WD" --check-sla
notices() { sql "SELECT count(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE o.kind = '$1' AND t.title = '$2'"; }
[ "$(notices missed 'Missed, notice sent')" = 0 ] && pass "sla_missed=1: no missed notice" ||
    fail "sla_missed=1: no missed notice"
[ "$(notices missed 'Missed, no notice yet')" = 1 ] && pass "sla_missed=0: the missed notice" ||
    fail "sla_missed=0: the missed notice"
[ "$(notices warning 'Warned already')" = 0 ] && pass "sla_warning_sent=1: no warning" ||
    fail "sla_warning_sent=1: no warning"
[ "$(notices warning 'Not warned yet')" = 1 ] && pass "sla_warning_sent=0: the warning" ||
    fail "sla_warning_sent=0: the warning"

# Again, as Django's DATABASE_URL writes it: nothing added.
before=$(sql "SELECT (SELECT count(*) FROM users) || ',' || (SELECT count(*) FROM tokens) || ',' || (SELECT count(*) FROM tickets)")
run env WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --import-django "sqlite:///$DJ"
expect_rc 0 "second run: exit 0"
expect_grep "0 accounts, 0 tokens, 0 tickets" "second run: nothing brought over"
expect_grep "already imported before: 10" "second run: says what came before"
expect_grep "nothing new to import" "second run: says so"
after=$(sql "SELECT (SELECT count(*) FROM users) || ',' || (SELECT count(*) FROM tokens) || ',' || (SELECT count(*) FROM tickets)")
[ "$before" = "$after" ] && pass "second run: nothing added" || fail "second run: nothing added" "$before -> $after"

# The old key over HTTP, against --serve run as nobody.
NOBODY=65534
chmod 755 "$T"
mkdir -p "$T/db" "$T/mail"
chown -R "$NOBODY:$NOBODY" "$T/db" "$T/mail"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- \
    "$WD" --serve --listen "127.0.0.1:$PORT" 2> "$T/server.log" &
SPID=$!
i=0
while [ $i -lt 100 ] && ! curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do
	sleep 0.1
	i=$((i + 1))
done
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Token $BOB_KEY" "http://127.0.0.1:$PORT/api/tickets/")
[ "$code" = 200 ] && grep -q 'Missed, no notice yet' "$T/body" &&
    pass "old DRF key over HTTP: 200 with the tickets" ||
    fail "old DRF key over HTTP: 200 with the tickets" "HTTP $code: $(cat "$T/body") $(cat "$T/server.log")"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Token $ADMIN_KEY" "http://127.0.0.1:$PORT/api/tickets/")
[ "$code" = 401 ] && pass "a key not brought over, over HTTP: 401" || fail "a key not brought over, over HTTP: 401" "HTTP $code"
if grep -q "$BOB_KEY" "$T/server.log"; then fail "the key is not logged"; else pass "the key is not logged"; fi
kill -TERM "$SPID"
wait "$SPID"

finish
