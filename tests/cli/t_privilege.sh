#!/bin/sh
# The shared host (make install-shared; SECURITY in watchdog(1)).
#
# As any user: --doctor on a private setup, the modes of the files the
# program creates, closed standard descriptors.
#
# As root only: make install-shared into a temporary root, with a
# temporary group (made by install-shared) and a temporary user, both
# removed at the end; then, as that user, through the setgid binary: log
# in, create and list tickets; and not: read the database or the
# configuration, or reach them with --config, --db or WATCHDOG_CONFIG. The
# sendmail child and the $EDITOR child hold only the user's group.
. "$(dirname "$0")/lib.sh"
pg_unsupported "the setgid install guards the database file's permissions; a PostgreSQL database has none"

# no_fail_lines NAME: the last --doctor printed no FAIL line.
no_fail_lines() {
	if printf '%s\n' "$out" | grep -q '^FAIL'; then fail "$1" "$out"; else pass "$1"; fi
}

# expect_mode PATH "OWNER:GROUP MODE" NAME (GROUP alone when no ':')
expect_mode() {
	case $2 in
	*:*) got=$(stat -c '%U:%G %a' "$1" 2>&1) ;;
	*" "*) got=$(stat -c '%G %a' "$1" 2>&1) ;;
	*) got=$(stat -c '%a' "$1" 2>&1) ;;
	esac
	if [ "$got" = "$2" ]; then pass "$3"; else fail "$3" "$1: $got, expected $2"; fi
}

# --- as any user: --doctor on a private setup ----------------------------
chmod 600 "$WATCHDOG_CONFIG"
run "$WD" --init
run "$WD" --doctor
expect_rc 0 "doctor: a good private setup exits 0"
expect_grep "^ok   binary $WD: [^ ]+ [0-7]{4}$" "doctor: ok binary"
expect_grep "^ok   install: single-user" "doctor: single-user install"
expect_grep "^ok   config $T/watchdog.conf: [^ ]+ 0600$" "doctor: ok config"
expect_grep "^ok   data directory $T/db: [^ ]+ 0770$" "doctor: ok data directory"
expect_grep "^ok   database $T/db/watchdog.db: [^ ]+ 0660$" "doctor: ok database file"
expect_grep "^ok   database integrity_check: ok$" "doctor: integrity_check"
expect_grep "^ok   database schema version [0-9]+ \(current\)$" "doctor: schema version"
expect_grep "^warn last --check-sla: never" "doctor: --check-sla never ran"
expect_grep "^ok   mail: file $T/mail: not there yet" "doctor: file backend can make its Maildir"
no_fail_lines "doctor: no FAIL line"

# Files the program creates: group read-write, nothing for others, whatever
# the caller's umask.
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
umask 022
"$WD" --create --title 'Overdue' --deadline @1000000000 > /dev/null
run "$WD" --check-sla
expect_rc 0 "--check-sla"
expect_mode "$T/db" 770 "data directory made 0770"
expect_mode "$T/db/watchdog.db" 660 "database made 0660"
expect_mode "$T/mail" 770 "Maildir made 0770"
expect_mode "$T/mail/new" 770 "Maildir new/ made 0770"
n=0
for f in "$T"/mail/new/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	expect_mode "$f" 660 "Maildir message $n made 0660"
done
[ "$n" -gt 0 ] && pass "the pass delivered into the Maildir" || fail "the pass delivered into the Maildir"
# A reader holds the database open, so that -wal and -shm stay.
sqlite3 "$T/db/watchdog.db" 'SELECT count(*) FROM meta' '.shell sleep 2' > /dev/null &
reader=$!
sleep 0.5
"$WD" --create --title 'While a reader is open' --deadline +2h > /dev/null
expect_mode "$T/db/watchdog.db-wal" 660 "database -wal is 0660"
expect_mode "$T/db/watchdog.db-shm" 660 "database -shm is 0660"
wait "$reader"

run "$WD" --doctor
expect_rc 0 "doctor: after a pass, exits 0"
expect_grep "^ok   last --check-sla: [0-9-]+ [0-9:]+, [0-9]+s ago$" "doctor: the pass is recorded"
run faketime -f '+20m' "$WD" --doctor
expect_rc 0 "doctor: an old pass only warns"
expect_grep "^warn last --check-sla: .*more than 15 minutes" "doctor: a pass older than 15 minutes is a warning"
run faketime -f '-1h' "$WD" --doctor
expect_rc 0 "doctor: a pass in the future only warns"
expect_grep "^warn last --check-sla: .*, (59m [0-9]+s|1h 0m) in the future: the clock went back" "doctor: a pass in the future means the clock went back"

chmod 644 "$WATCHDOG_CONFIG"
run "$WD" --doctor
expect_rc 1 "doctor: a world-readable config exits 1"
expect_grep "^FAIL config $T/watchdog.conf: [^ ]+ 0644: open to others" "doctor: a world-readable config is FAIL"
chmod 600 "$WATCHDOG_CONFIG"
chmod 777 "$T/db"
run "$WD" --doctor
expect_rc 1 "doctor: an open data directory exits 1"
expect_grep "^FAIL data directory $T/db: [^ ]+ 0777: open to others" "doctor: an open data directory is FAIL"
chmod 770 "$T/db"
chmod 664 "$T/db/watchdog.db"
run "$WD" --doctor
expect_grep "^FAIL database $T/db/watchdog.db: [^ ]+ 0664: open to others" "doctor: a world-readable database is FAIL"
chmod 660 "$T/db/watchdog.db"

# A broken configuration is a finding too; a secret never is.
cp "$WATCHDOG_CONFIG" "$T/good.conf"
printf 'EMAIL_PROT=25\n' >> "$WATCHDOG_CONFIG"
run "$WD" --doctor
expect_rc 1 "doctor: a broken config exits 1"
expect_grep "^FAIL config: $T/watchdog.conf:[0-9]+: unknown key 'EMAIL_PROT'" "doctor: a broken config is FAIL"
write_config EMAIL_BACKEND=smtp EMAIL_HOST=127.0.0.1 EMAIL_PORT=1 EMAIL_USE_TLS=true \
    EMAIL_HOST_USER=sla-mailer EMAIL_HOST_PASSWORD=Secr3tPassw0rd EMAIL_TIMEOUT=5
chmod 600 "$WATCHDOG_CONFIG"
run "$WD" --doctor
expect_grep "^FAIL mail: smtp 127.0.0.1:1 \(STARTTLS\): 127.0.0.1:1: connection refused$" "doctor: an unreachable server is FAIL"
case "$out$err" in
*Secr3tPassw0rd* | *sla-mailer*) fail "doctor: no SMTP user or password printed" "$out" ;;
*) pass "doctor: no SMTP user or password printed" ;;
esac
cp "$T/good.conf" "$WATCHDOG_CONFIG"

# A closed standard descriptor is put back on /dev/null before anything is
# opened, so that no file or pipe of the program takes its place: the
# sendmail child looks at its parent's descriptors 0 and 2.
"$WD" --create --title 'Overdue too' --deadline @1000000001 > /dev/null
cat > "$T/sendmail-fds" <<EOF
#!/bin/sh
cat > /dev/null
readlink /proc/\$PPID/fd/0 > "$T/parent-fd0"
readlink /proc/\$PPID/fd/2 > "$T/parent-fd2"
EOF
chmod 755 "$T/sendmail-fds"
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$T/sendmail-fds"
chmod 600 "$WATCHDOG_CONFIG"
run sh -c '"$1" --check-sla 0<&- 2>&-' sh "$WD"
expect_rc 0 "closed descriptors: --check-sla"
[ "$(cat "$T/parent-fd0" 2>&1)" = /dev/null ] && pass "closed stdin: /dev/null in its place" ||
    fail "closed stdin: /dev/null in its place" "$(cat "$T/parent-fd0" 2>&1)"
[ "$(cat "$T/parent-fd2" 2>&1)" = /dev/null ] && pass "closed stderr: /dev/null in its place" ||
    fail "closed stderr: /dev/null in its place" "$(cat "$T/parent-fd2" 2>&1)"
r=$(db_integrity)
[ "$r" = ok ] && pass "closed descriptors: the database is intact" || fail "closed descriptors: the database is intact" "$r"
cp "$T/good.conf" "$WATCHDOG_CONFIG"
unset WATCHDOG_TOKEN

# --- as root: the team install ---------------------------------------------
if [ "$(id -u)" != 0 ]; then
	echo "  $script: skip: the team install test needs root"
	finish
	exit 0
fi
for tool in groupadd groupdel useradd userdel setpriv getent tmux; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		echo "  $script: skip: the team install test needs $tool"
		finish
		exit 0
	fi
done

G="wdg$$"
U="wdu$$"
I="$T/inst"
SOCK="wdpriv$$"
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	if getent passwd "$U" > /dev/null; then userdel -f "$U" 2>/dev/null; fi
	if getent group "$U" > /dev/null; then groupdel "$U" 2>/dev/null; fi
	if getent group "$G" > /dev/null; then groupdel "$G" 2>/dev/null; fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if getent group "$G" > /dev/null || getent passwd "$U" > /dev/null; then
	fail "install: names $G and $U are free"
	finish
	exit 0
fi
useradd -M -U -s /bin/sh "$U"
UG=$(id -g "$U")
chmod 711 "$T"
mkdir -p "$I/src" "$I/build-home" "$I/home" "$I/out"
chown "$U:$U" "$I/home" "$I/out"
chmod 755 "$I"

# Build a copy of this tree with the paths of the temporary root compiled
# in (SYSCONFDIR and LOCALSTATEDIR are in the binary), and install it.
# Never with the sanitizers of make check SANITIZE=1: LeakSanitizer cannot
# work in a setgid process, which the kernel makes undumpable.
(cd "$top" && tar cf - Makefile src include data tools man contrib watchdog.conf.example) |
    (cd "$I/src" && tar xf -)
mkdir -p "$I/src/build"
[ -f "$top/build/config.mk" ] && cp "$top/build/config.mk" "$I/src/build/"
PREFIX="$I/prefix"
shared() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$I/src" \
	    -j"$(nproc 2>/dev/null || echo 2)" install-shared DESTDIR= SANITIZE= \
	    PREFIX="$PREFIX" SYSCONFDIR="$PREFIX/etc" LOCALSTATEDIR="$PREFIX/var" \
	    WATCHDOG_GROUP="$G"
}
start=$(date +%s)
run shared
end=$(date +%s)
echo "  $script: build and make install-shared: $((end - start))s"
expect_rc 0 "install-shared"
expect_grep "^\*/5 \* \* \* \* $PREFIX/bin/watchdog --check-sla$" "install-shared prints the crontab line"
P="$PREFIX/bin/watchdog"
CONF="$PREFIX/etc/watchdog.conf"
DATA="$PREFIX/var/lib/watchdog"
DB="$DATA/watchdog.db"
getent group "$G" > /dev/null && pass "install-shared made the group" || fail "install-shared made the group"
expect_mode "$P" "root:$G 2755" "binary root:GROUP 2755"
expect_mode "$DATA" "root:$G 2770" "data directory root:GROUP 2770"
expect_mode "$CONF" "root:$G 640" "config root:GROUP 0640"
grep -qx "DATABASE_URL=$DB" "$CONF" && pass "config names the database" || fail "config names the database" "$(grep DATABASE_URL "$CONF")"
[ -f "$PREFIX/share/man/man1/watchdog.1" ] && pass "install-shared installs the rest" || fail "install-shared installs the rest"

# Twice is harmless, and the configuration is never overwritten.
printf '# edited by the administrator\n' >> "$CONF"
sum=$(cksum < "$CONF")
run shared
expect_rc 0 "install-shared again"
expect_grep "exists: left as it is" "install-shared again: says it keeps the config"
[ "$(cksum < "$CONF")" = "$sum" ] && pass "install-shared again: config untouched" || fail "install-shared again: config untouched"
expect_mode "$P" "root:$G 2755" "install-shared again: binary still 2755"
expect_mode "$DATA" "root:$G 2770" "install-shared again: data directory still 2770"

# The administrator, as root through the installed binary.
cd "$I" || exit 1
unset WATCHDOG_CONFIG
export HOME="$I/build-home"

# as_user CMD...: run CMD as the temporary user, nothing inherited of root
# but the environment (its HOME the user's).
as_user() {
	setpriv --reuid="$U" --regid="$U" --init-groups -- env HOME="$I/home" "$@"
}

tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
# screen_wait PATTERN [SECONDS]: until the pane shows PATTERN.
screen_wait() {
	i=0
	while [ $i -lt "$(( ${2:-5} * 10 ))" ]; do
		tm capture-pane -p -t 0 | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# The configuration install-shared writes turns self-registration off, and
# only root creates the first administrator, whatever screen is used.
grep -qx 'ALLOW_REGISTRATION=false' "$CONF" && pass "install-shared: ALLOW_REGISTRATION=false" ||
    fail "install-shared: ALLOW_REGISTRATION=false" "$(grep ALLOW_REGISTRATION "$CONF")"
run shared
expect_grep "watchdog --add-user NAME --email ADDR --admin" "install-shared says how to create the first administrator"
run -i "$(printf 'mallory horse 9\nmallory horse 9\n')" as_user "$P" --add-user mallory --email m@example.org --password-stdin
expect_rc 77 "user: no first administrator before the database exists"
expect_err "no administrator yet: ask .* as root: watchdog --add-user" "user: told to ask the administrator"
[ ! -e "$DB" ] && pass "user: the refusal creates no database" || fail "user: the refusal creates no database"
run "$P" --init
expect_rc 0 "root: --init creates the empty database"
run -i "$(printf 'mallory horse 9\nmallory horse 9\n')" as_user "$P" --add-user mallory --email m@example.org --password-stdin
expect_rc 77 "user: no first administrator on the empty database"
cat > "$I/tui0.sh" <<EOF
#!/bin/sh
setpriv --reuid='$U' --regid='$U' --init-groups -- env HOME='$I/home' \
    TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC '$P' 2> '$I/out/tui0.err'
echo "EXIT=\$?"
sleep 600
EOF
tm new-session -d -x 100 -y 30 "sh '$I/tui0.sh'"
if screen_wait 'no administrator yet' 5; then pass "user: the first-run screen says to ask the administrator"; else
	fail "user: the first-run screen says to ask the administrator" "$(tm capture-pane -p -t 0)"; fi
tm capture-pane -p -t 0 | grep -q 'Account:' && fail "user: no account form on the first run" || pass "user: no account form on the first run"
tm send-keys -t 0 q
screen_wait 'EXIT=77' 5 && pass "user: the first-run refusal exits 77" || fail "user: the first-run refusal exits 77" "$(tm capture-pane -p -t 0)"
grep -q 'no administrator yet' "$I/out/tui0.err" && pass "user: the first-run refusal is one line on stderr" ||
    fail "user: the first-run refusal is one line on stderr" "$(cat "$I/out/tui0.err")"
tm kill-server 2>/dev/null
n=$(sqlite3 "$DB" 'SELECT count(*) FROM users')
[ "$n" = 0 ] && pass "user: no account was created" || fail "user: no account was created" "$n"
run -i "$(printf 'correct horse 1\n')" "$P" --add-user admin --email admin@example.org --password-stdin
expect_rc 0 "root adds the administrator through the setgid binary"
expect_mode "$DB" "root:$G 660" "database root:GROUP 0660"
ADMIN=$(printf 'correct horse 1\n' | "$P" --token --user admin --password-stdin)
run -i "$(printf 'alice horse 2\n')" env WATCHDOG_TOKEN="$ADMIN" "$P" --add-user alice --email alice@example.org --password-stdin
expect_rc 0 "the administrator adds alice"

run as_user "$P" --doctor
expect_rc 0 "user: --doctor on the team install exits 0"
expect_grep "^ok   binary $P: root:$G 2755$" "user: doctor ok binary"
expect_grep "^ok   install: team \(setgid $G\)$" "user: doctor sees the team install"
expect_grep "^ok   config $CONF: root:$G 0640$" "user: doctor ok config"
expect_grep "^ok   data directory $DATA: root:$G 2770$" "user: doctor ok data directory"
expect_grep "^ok   database $DB: root:$G 0660$" "user: doctor ok database"
no_fail_lines "user: doctor, no FAIL line"
# A setgid program ignores settings in the environment, and says so.
run as_user env EMAIL_PORT=notaport TIME_ZONE=Mars/Olympus_Mons \
    BUSINESS_HOURS=never HOLIDAYS_FILE="$CONF" "$P" --doctor
expect_rc 0 "user: the environment's settings do not reach the setgid program"
expect_grep "^ok   settings in the environment: ignored" "user: doctor says the environment is ignored"

run -i "$(printf 'alice horse 2\n')" as_user "$P" --token --user alice --password-stdin
expect_rc 0 "user: logs in (--token)"
ALICE=$out
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --create --title 'Made by a staff member' --deadline +2h
expect_rc 0 "user: creates a ticket"
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --list
expect_grep "Made by a staff member" "user: lists tickets"

# --check-sla reads every due ticket and recipient with the group's
# rights: only root (as cron runs it) or an administrator may run it.
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --create --title 'Due for the pass' --deadline @1000000002
run as_user "$P" --check-sla --dry-run
expect_rc 77 "user: --check-sla --dry-run without an account is refused"
expect_err "only root .* or an administrator" "user: --check-sla refusal says who may"
[ -z "$out" ] && pass "user: the refused dry run prints nothing" || fail "user: the refused dry run prints nothing" "$out"
run as_user "$P" --check-sla
expect_rc 77 "user: --check-sla without an account is refused"
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --check-sla --dry-run
expect_rc 77 "user: --check-sla with a non-administrator's token is refused"
run -i "$(printf 'alice horse 2\n')" as_user "$P" --check-sla --dry-run --user alice --password-stdin
expect_rc 77 "user: --check-sla logged in as a non-administrator is refused"
n=$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE kind = 'missed' AND ticket_id = (SELECT id FROM tickets WHERE title = 'Due for the pass')")
[ "$n" = 0 ] && pass "user: refused passes queued nothing" || fail "user: refused passes queued nothing" "$n"
run as_user env WATCHDOG_TOKEN="$ADMIN" "$P" --check-sla --dry-run
expect_rc 0 "user: --check-sla with an administrator's token runs"
expect_grep "would queue missed notice for #[0-9]+ Due for the pass" "user: the administrator's dry run shows the notice"
run -i "$(printf 'correct horse 1\n')" as_user "$P" --check-sla --user admin --password-stdin
expect_rc 0 "user: --check-sla logged in as an administrator runs"
run "$P" --check-sla --verbose
expect_rc 0 "root: --check-sla runs (cron)"
expect_grep "^checked " "root: the pass ran"

run as_user cat "$DB"
[ "$rc" -ne 0 ] && pass "user: cannot read the database" || fail "user: cannot read the database"
run as_user cat "$CONF"
[ "$rc" -ne 0 ] && pass "user: cannot read the config" || fail "user: cannot read the config"
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --config "$CONF" --list
expect_rc 78 "user: --config on the system file is refused"
expect_err "cannot read: Permission denied" "user: --config reads as the user"
run as_user env WATCHDOG_TOKEN="$ALICE" WATCHDOG_CONFIG="$CONF" "$P" --list
expect_rc 78 "user: WATCHDOG_CONFIG on the system file is refused"
expect_err "cannot read: Permission denied" "user: WATCHDOG_CONFIG reads as the user"
printf 'EMAIL_BACKEND=file\n' > "$I/home/own.conf"
chown "$U:$U" "$I/home/own.conf"
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --config "$I/home/own.conf" --db "$DB" --list
expect_rc 77 "user: --db on the team database is refused"
expect_err "cannot open database $DB: Permission denied" "user: --db opens as the user"
printf 'DATABASE_URL=%s\n' "$DB" > "$I/home/own.conf"
run as_user env WATCHDOG_TOKEN="$ALICE" "$P" --config "$I/home/own.conf" --list
expect_rc 77 "user: DATABASE_URL of their own config cannot reach the team database"
run as_user "$P" --db "$DB" --list
[ "$rc" -ne 0 ] && pass "user: --db alone is refused" || fail "user: --db alone is refused"
printf 'DATABASE_URL=%s/own.db\nEMAIL_BACKEND=file\n' "$I/home" > "$I/home/own.conf"
run as_user "$P" --config "$I/home/own.conf" --init
expect_rc 0 "user: --config of their own works, unprivileged"
expect_mode "$I/home/own.db" "$U:$U 660" "user: their own database is theirs, not the group's"
# The HOLIDAYS_FILE of their own configuration is read as the user too.
printf 'DATABASE_URL=%s/own.db\nHOLIDAYS_FILE=%s\n' "$I/home" "$CONF" > "$I/home/own.conf"
run as_user "$P" --config "$I/home/own.conf" --list
expect_rc 78 "user: HOLIDAYS_FILE of their own config cannot reach the group's files"
expect_err "HOLIDAYS_FILE: $CONF: Permission denied" "user: HOLIDAYS_FILE is read as the user"

# --copy-to writes its target without the group (watchdog(1) --copy-to):
# not into the team's data directory, and a copy in the user's home is
# the user's, not the group's.
run as_user env WATCHDOG_TOKEN="$ADMIN" "$P" --copy-to "$DATA/copy.db"
expect_rc 77 "user: --copy-to cannot write into the group's directory"
[ ! -e "$DATA/copy.db" ] && pass "user: no copy in the group's directory" ||
    fail "user: no copy in the group's directory"
run as_user env WATCHDOG_TOKEN="$ADMIN" "$P" --copy-to "$I/home/copy.db"
expect_rc 0 "user: an administrator copies the team database into their home"
expect_mode "$I/home/copy.db" "$U:$U 660" "user: the copy is the user's, not the group's"

# The children: the sendmail backend's, with the user's group only.
cat > "$I/sendmail" <<EOF
#!/bin/sh
cat > /dev/null
id -G > "$I/out/sendmail.groups"
grep '^Gid:' /proc/\$\$/status > "$I/out/sendmail.gid"
env > "$I/out/sendmail.env"
EOF
chmod 755 "$I/sendmail"
printf 'EMAIL_BACKEND=sendmail\nSENDMAIL_PATH=%s\n' "$I/sendmail" >> "$CONF"
run as_user env WATCHDOG_TOKEN="$ALICE" LD_LIBRARY_PATH=/nonexistent \
    WATCHDOG_JUNK=1 TMPDIR="$I/home" PATH="$I:/usr/bin:/bin" "$P" --create --title 'Mailed through sendmail' --deadline +3h
expect_rc 0 "user: creates a ticket (sendmail backend)"
i=0
while [ ! -s "$I/out/sendmail.gid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
want=$(printf 'Gid:\t%s\t%s\t%s\t%s' "$UG" "$UG" "$UG" "$UG")
[ "$(cat "$I/out/sendmail.gid" 2>/dev/null)" = "$want" ] && pass "sendmail child: real, effective, saved and fs group are the user's" ||
    fail "sendmail child: real, effective, saved and fs group are the user's" "$(cat "$I/out/sendmail.gid" 2>&1)"
[ "$(cat "$I/out/sendmail.groups" 2>/dev/null)" = "$(id -G "$U")" ] && pass "sendmail child: only the user's groups" ||
    fail "sendmail child: only the user's groups" "$(cat "$I/out/sendmail.groups" 2>&1)"
grep -qx 'PATH=/usr/bin:/bin' "$I/out/sendmail.env" && pass "setgid: PATH is /usr/bin:/bin" ||
    fail "setgid: PATH is /usr/bin:/bin" "$(grep PATH "$I/out/sendmail.env" 2>&1)"
grep -q '^WATCHDOG_JUNK=\|^LD_LIBRARY_PATH=' "$I/out/sendmail.env" &&
    fail "setgid: the environment is cut down" "$(cat "$I/out/sendmail.env")" ||
    pass "setgid: the environment is cut down"
grep -q '^TZ=UTC$' "$I/out/sendmail.env" && pass "setgid: TZ is kept" ||
    fail "setgid: TZ is kept" "$(cat "$I/out/sendmail.env")"
# As watchdog(1) says in SECURITY: glibc removes TMPDIR from a setgid
# program's environment, though the program would keep it.
grep -q '^TMPDIR=' "$I/out/sendmail.env" && fail "setgid: TMPDIR is gone (glibc)" "$(cat "$I/out/sendmail.env")" ||
    pass "setgid: TMPDIR is gone (glibc)"
grep -q "$ALICE" "$I/out/sendmail.env" && fail "sendmail child: not handed the token" ||
    pass "sendmail child: not handed the token"

# The $EDITOR child of the terminal interface, as the user in tmux. (The
# shell keeps its script on descriptor 10, so that one is not counted.)
cat > "$I/editor" <<EOF
#!/bin/sh
printf 'edited\n' >> "\$1"
grep '^Gid:' /proc/\$\$/status > "$I/out/editor.gid"
id -G > "$I/out/editor.groups"
fds=
for fd in 3 4 5 6 7 8 9 11 12 13 14 15 16 17 18 19 20; do
	[ -e /proc/\$\$/fd/\$fd ] && fds="\$fds \$fd"
done
echo "\$fds" > "$I/out/editor.fds"
EOF
chmod 755 "$I/editor"
cat > "$I/tui.sh" <<EOF
#!/bin/sh
setpriv --reuid='$U' --regid='$U' --init-groups -- env HOME='$I/home' \
    TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC VISUAL='$I/editor' '$P'
echo "EXIT=\$?"
sleep 600
EOF
tm new-session -d -x 100 -y 30 "sh '$I/tui.sh'"
screen_wait 'Account:' 5
tm send-keys -t 0 -l alice
tm send-keys -t 0 Enter
tm send-keys -t 0 -l 'alice horse 2'
tm send-keys -t 0 Enter
if screen_wait 'ID +PRI' 10; then pass "user: logs in to the terminal interface"; else
	fail "user: logs in to the terminal interface" "$(tm capture-pane -p -t 0)"; fi
# While the interface holds the database open, -wal and -shm are there.
expect_mode "$DB-wal" "$G 660" "database -wal: GROUP 0660"
expect_mode "$DB-shm" "$G 660" "database -shm: GROUP 0660"
tm send-keys -t 0 g E
i=0
while [ ! -s "$I/out/editor.gid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(cat "$I/out/editor.gid" 2>/dev/null)" = "$want" ] && pass "editor child: real, effective, saved and fs group are the user's" ||
    fail "editor child: real, effective, saved and fs group are the user's" "$(cat "$I/out/editor.gid" 2>&1) $(tm capture-pane -p -t 0)"
[ "$(cat "$I/out/editor.groups" 2>/dev/null)" = "$(id -G "$U")" ] && pass "editor child: only the user's groups" ||
    fail "editor child: only the user's groups" "$(cat "$I/out/editor.groups" 2>&1)"
[ -f "$I/out/editor.fds" ] && [ -z "$(tr -d ' ' < "$I/out/editor.fds")" ] && pass "editor child: no descriptor beyond 0-2" ||
    fail "editor child: no descriptor beyond 0-2" "$(cat "$I/out/editor.fds" 2>&1)"
if screen_wait 'description saved' 5; then pass "user: the edit is saved through the setgid binary"; else
	fail "user: the edit is saved through the setgid binary" "$(tm capture-pane -p -t 0)"; fi
tm send-keys -t 0 q
screen_wait 'EXIT=0' 5 && pass "user: the interface exits 0" || fail "user: the interface exits 0" "$(tm capture-pane -p -t 0)"
tm kill-server 2>/dev/null

r=$(sqlite3 "$DB" 'PRAGMA integrity_check')
[ "$r" = ok ] && pass "team database intact" || fail "team database intact" "$r"

# make uninstall takes the program away, never the data or the config.
run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$I/src" uninstall \
    DESTDIR= PREFIX="$PREFIX" SYSCONFDIR="$PREFIX/etc" LOCALSTATEDIR="$PREFIX/var"
expect_rc 0 "make uninstall"
[ ! -e "$P" ] && pass "uninstall removes the binary" || fail "uninstall removes the binary"
[ -f "$CONF" ] && [ -f "$DB" ] && pass "uninstall keeps the config and the data" ||
    fail "uninstall keeps the config and the data"
cd "$top" || exit 1
finish
