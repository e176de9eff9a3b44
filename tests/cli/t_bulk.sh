#!/bin/sh
# --update - and --delete -: ids on standard input, one transaction, one
# history entry and one failure line each (watchdog(1), FILTERS AND
# FORMATS).
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
past=$(($(date +%s) - 3600))

a=$("$WD" --create --title 'one' --deadline "@$past")
b=$("$WD" --create --title 'two' --deadline "@$past")
c=$("$WD" --create --title 'three' --deadline "@$past" --assignee bob)
d=$("$WD" --create --title 'four' --deadline +4h)
e=$(WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --create --title 'five' --deadline +5h)

# The pipeline of the manual: missed and unassigned, to admin.
"$WD" --list --sla missed --assignee none --ids > "$T/ids"
run sh -c "\"$WD\" --list --sla missed --assignee none --ids | \"$WD\" --update - --assignee admin"
expect_rc 0 "--list --ids | --update - --assignee"
expect_out "" "--update - prints nothing"
[ -z "$err" ] && pass "--update - in a pipe: no progress on stderr" || fail "--update - in a pipe: no progress on stderr" "$err"
[ "$(sql_join ' ' "SELECT id || ':' || coalesce(CAST(assignee_id AS TEXT), '-') FROM tickets ORDER BY id")" = "$a:1 $b:1 $c:2 $d:- $e:-" ] &&
    pass "the missed unassigned tickets are assigned, the others not" ||
    fail "the missed unassigned tickets are assigned, the others not" "$(sql 'SELECT id, assignee_id FROM tickets')"
[ "$(sql "SELECT count(*) FROM ticket_history WHERE field = 'assignee'")" = 2 ] &&
    pass "one history entry each" || fail "one history entry each"
[ "$(sql "SELECT count(DISTINCT version) || ',' || max(version) FROM tickets WHERE id IN ($a, $b)")" = "1,2" ] &&
    pass "each ticket's own version" || fail "each ticket's own version"

# Failures: one line each, the others applied, exit 1.
printf '%s\n\n  %s  \nx12\n999\n#%s\n' "$a" "$d" "$b" > "$T/in"
run -i "$(cat "$T/in")" "$WD" --update - --priority high
expect_rc 1 "a failure makes the exit status 1"
expect_err "^watchdog: line 4: bad ticket id 'x12'" "a bad line: one line naming it"
expect_err "^watchdog: #999: not found$" "a missing ticket: #999: not found"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 2 ] && pass "two failures, two lines" || fail "two failures, two lines" "$err"
[ "$(sql_join ' ' "SELECT id FROM tickets WHERE priority = 'high' ORDER BY id")" = "$a $b $d" ] &&
    pass "the good ids were updated, blank lines skipped" || fail "the good ids were updated, blank lines skipped" "$(sql "SELECT id FROM tickets WHERE priority='high'")"

# Usage and data errors before any id is read: nothing changed.
before=$(sql_join , "SELECT version FROM tickets ORDER BY id")
run -i "$a" "$WD" --update - --priority high --if-version 1
expect_rc 64 "--if-version with -: usage error"
run -i "$a" "$WD" --update -
expect_rc 64 "--update - with nothing to change"
run -i "$a" "$WD" --update - --description -
expect_rc 64 "--update - --description -"
run -i "$a" "$WD" --update - --priority critical
expect_rc 65 "a bad value: 65 before reading"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass "a bad value: one line" || fail "a bad value: one line" "$err"
[ "$(sql_join , "SELECT version FROM tickets ORDER BY id")" = "$before" ] && pass "refused runs changed nothing" || fail "refused runs changed nothing"

# --json: one object a line, each a read against RATE_LIMIT_READ; the
# limit stops the run with 75 and says where.
write_config RATE_LIMIT_READ=2/hour
run -i "$(printf '%s\n%s\n%s\n' "$a" "$b" "$c")" "$WD" --update - --status in_progress --json
expect_rc 75 "the read limit stops a --json run: 75"
[ "$(printf '%s\n' "$out" | grep -c '"status":"in_progress"')" -eq 2 ] && pass "two objects printed before the limit" || fail "two objects printed before the limit" "$out"
expect_err "^watchdog: #$c: .*stopped there \(2 updated before it\)" "the stop names the id"
[ "$(sql "SELECT status FROM tickets WHERE id = $c")" = open ] && pass "the refused ticket is unchanged" || fail "the refused ticket is unchanged"
write_config

# --delete -: only the owner or an administrator; each one its own.
run -i "$(printf '%s\n%s\n' "$e" "$d")" "$WD" --delete -
expect_rc 1 "--delete - with one refusal"
expect_err "^watchdog: #$e: only the owner" "the refusal names the ticket"
[ "$(sql "SELECT count(*) FROM tickets WHERE id IN ($d, $e)")" = 1 ] && pass "the allowed one was deleted" || fail "the allowed one was deleted"
[ "$(sql "SELECT count(*) FROM audit WHERE event = 'ticket_deleted'")" = 1 ] && pass "an audit entry for the deletion" || fail "an audit entry for the deletion"

# On a terminal, progress on stderr.
"$WD" --list --all --ids > "$T/all"
TERM=dumb script -qec "\"$WD\" --update - --title renamed < \"$T/all\"" /dev/null > "$T/tty" 2>&1
if grep -q "watchdog: 4 updated, 0 failed" "$T/tty"; then pass "progress on a terminal"; else
	fail "progress on a terminal" "$(cat -A "$T/tty")"; fi
[ "$(sql "SELECT count(*) FROM tickets WHERE title = 'renamed'")" = 4 ] && pass "the run on a terminal updated" || fail "the run on a terminal updated"
finish
