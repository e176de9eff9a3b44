#!/bin/sh
# Tickets through the scripting modes: create, list, show, update, delete.
. "$(dirname "$0")/lib.sh"
setup_accounts
PY=/usr/bin/python3
export WATCHDOG_TOKEN=$BOB_TOKEN

run "$WD" --create --title 'Printer on fire' --deadline '+2h'
expect_rc 0 "--create"
expect_grep '^[0-9]+$' "--create prints the id alone"
id1=$out

run "$WD" --create --title 'Mail queue stuck' --deadline '2030-01-02 10:30' --priority urgent --assignee admin --description 'postfix says: "deferred"'
expect_rc 0 "--create with every field"
id2=$out

run "$WD" --create --title 'Logged after the fact' --deadline '@1000000000' --json
expect_rc 0 "--create --json with a past deadline"
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
want = ["id","title","description","status","priority","owner","assignee","deadline","created_at","updated_at","resolved_at","sla_state","sla_policy","paused_seconds","version"]
assert list(d.keys()) == want, d.keys()
assert d["sla_state"] == "missed", d
assert d["deadline"] == "2001-09-09T01:46:40Z", d
assert d["resolved_at"] is None and d["assignee"] is None
assert d["owner"] == "bob" and d["version"] == 1 and d["status"] == "open"
assert d["priority"] == "normal"
' && pass "--create --json has the documented fields" || fail "--create --json has the documented fields" "$out"
id3=$(printf '%s' "$out" | $PY -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# Deadline forms, local time through TZ.
TZ=Europe/Berlin run "$WD" --create --title tz --deadline '2030-06-01 12:00' --json
printf '%s' "$out" | grep -q '"deadline":"2030-06-01T10:00:00Z"' && pass "local deadline through TZ" || fail "local deadline through TZ" "$out"
run "$WD" --create --title iso --deadline '2030-06-01T12:00:00+02:00' --json
printf '%s' "$out" | grep -q '"deadline":"2030-06-01T10:00:00Z"' && pass "ISO deadline with offset" || fail "ISO deadline with offset" "$out"
run "$WD" --create --title bad --deadline 'tomorrow'
expect_rc 65 "bad deadline exits 65"
expect_err "bad deadline" "bad deadline explained"
run "$WD" --create --title bad --deadline '2030-02-30 10:00'
expect_rc 65 "impossible date exits 65"

# Bad titles and fields: 65, nothing written.
before=$(sql 'SELECT count(*) FROM tickets')
run "$WD" --create --title '' --deadline +1h
expect_rc 65 "empty title"
run "$WD" --create --title "$(printf 'two\nlines')" --deadline +1h
expect_rc 65 "multi-line title"
run "$WD" --create --title "$(printf 'esc \033]0;pwned\007')" --deadline +1h
expect_rc 65 "escape sequence in title"
run "$WD" --create --title "$(printf '%0256d' 0)" --deadline +1h
expect_rc 65 "title over 255 characters"
run "$WD" --create --title ok --deadline +1h --priority critical
expect_rc 65 "bad priority"
run "$WD" --create --title ok --deadline +1h --status closed
expect_rc 65 "bad status"
run "$WD" --create --title ok --deadline +1h --assignee nobody
expect_rc 65 "unknown assignee"
after=$(sql 'SELECT count(*) FROM tickets')
[ "$before" = "$after" ] && pass "refused creations wrote nothing" || fail "refused creations wrote nothing"

# Hostile text round-trips exactly through --json.
title="Quote \" back\\slash 'single' \$(id) \`id\`; DROP TABLE tickets;-- 日本語 ✓"
run "$WD" --create --title "$title" --deadline +1d
expect_rc 0 "hostile title accepted"
idh=$out
run "$WD" --show "$idh" --json
got=$(printf '%s' "$out" | $PY -c 'import json,sys; print(json.load(sys.stdin)["title"])')
[ "$got" = "$title" ] && pass "title round-trips through --json" || fail "title round-trips through --json" "$got"
sql 'SELECT count(*) FROM tickets' >/dev/null && pass "tickets table intact" || fail "tickets table intact"

# Description from standard input, with newlines and tabs.
printf 'line one\n\tindented\nlast' > "$T/desc"
run -i "$(cat "$T/desc")" "$WD" --create --title 'from stdin' --deadline +3h --description -
expect_rc 0 "--description - reads stdin"
idd=$out
run "$WD" --show "$idd" --json
got=$(printf '%s' "$out" | $PY -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["description"])')
[ "$got" = "$(cat "$T/desc")" ] && pass "description round-trips" || fail "description round-trips" "$got"
head -c 70000 /dev/zero | tr '\0' a > "$T/big"
"$WD" --create --title big --deadline +1h --description - < "$T/big" > /dev/null 2>&1
[ $? -eq 65 ] && pass "description over 64 KiB refused" || fail "description over 64 KiB refused"

# Listing.
run "$WD" --list
expect_rc 0 "--list"
expect_grep '^ID +PRIORITY +STATUS +SLA +DEADLINE +LEFT +ASSIGNEE +TITLE$' "--list header"
first=$(printf '%s\n' "$out" | sed -n 2p | awk '{print $1}')
[ "$first" = "$id3" ] && pass "most urgent first" || fail "most urgent first" "$out"
expect_grep "Printer on fire" "--list shows titles"
expect_grep "1h 59m left|2h 0m left" "--list shows the countdown"
# Columns line up by display width, wide characters included.
col=$(printf '%s\n' "$out" | $PY -c '
import sys, unicodedata
def cw(ch): return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
lines = sys.stdin.read().splitlines()
hdr = lines[0].index("TITLE")
ok = True
for l in lines[1:]:
    cols = 0; i = 0
    while i < len(l) and cols < hdr:
        cols += cw(l[i]); i += 1
    ok = ok and cols == hdr and l[i-2:i] == "  " and l[i] != " "
print("ok" if ok else "bad")
')
[ "$col" = ok ] && pass "--list columns aligned" || fail "--list columns aligned" "$out"

run "$WD" --list --json
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) >= 5
dl = [t["deadline"] for t in d]
assert dl == sorted(dl), dl
' && pass "--list --json is a sorted array" || fail "--list --json is a sorted array" "$out"

run "$WD" --list --mine --json
n=$(printf '%s' "$out" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --list --mine --json
m=$(printf '%s' "$out" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" -ge 5 ] && [ "$m" = 1 ] && pass "--mine: owner or assignee" || fail "--mine: owner or assignee" "$n $m"
run "$WD" --list --overdue --json
n=$(printf '%s' "$out" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 1 ] && pass "--overdue" || fail "--overdue" "$out"

# Show, update, history, conflicts.
run "$WD" --show "$id2"
expect_rc 0 "--show"
expect_grep '^Ticket #'"$id2"': Mail queue stuck$' "--show title line"
expect_grep '^Assignee: +admin$' "--show assignee"
expect_grep 'created: Mail queue stuck' "--show history"
run "$WD" --update "$id2" --status in_progress --assignee bob --json
expect_rc 0 "--update"
printf '%s' "$out" | grep -q '"version":2' && pass "--update bumps the version" || fail "--update bumps the version" "$out"
run "$WD" --update "$id2" --title 'stale edit' --if-version 1
expect_rc 1 "--if-version conflict exits 1"
expect_err "changed by someone else" "conflict explained"
run "$WD" --update "$id2" --title 'fresh edit' --if-version 2
expect_rc 0 "--if-version current applies"
run "$WD" --update "$id2" --status resolved --json
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "resolved" and d["resolved_at"] is not None and d["sla_state"] == "met", d
' && pass "resolving records resolved_at" || fail "resolving records resolved_at" "$out"
run "$WD" --update "$id2" --status open --json
printf '%s' "$out" | grep -q '"resolved_at":null' && pass "reopening clears resolved_at" || fail "reopening clears resolved_at" "$out"
run "$WD" --show "$id2" --json
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
fields = [h["field"] for h in d["history"]]
assert fields == ["created","status","assignee","title","status","status"], fields
h = d["history"][2]
assert h["old"] == "admin" and h["new"] == "bob" and h["user"] == "bob", h
' && pass "history: who, field, old, new" || fail "history: who, field, old, new" "$out"
run "$WD" --update 99999 --title x
expect_rc 1 "--update of a missing ticket exits 1"
run "$WD" --show 99999
expect_rc 1 "--show of a missing ticket exits 1"
expect_err "no ticket #99999" "missing ticket named"
run "$WD" --show abc
expect_rc 65 "bad ticket id exits 65"
run "$WD" --update "$id1" --deadline 'soon'
expect_rc 65 "bad deadline on update"

# Delete: the owner or an administrator only.
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --create --title "admin's" --deadline +1h
ida=$out
run "$WD" --delete "$ida"
expect_rc 77 "a non-owner cannot delete"
run "$WD" --delete "$id1"
expect_rc 0 "the owner deletes"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --delete "$idd"
expect_rc 0 "an administrator deletes any ticket"
run "$WD" --delete "$id1"
expect_rc 1 "deleting twice exits 1"

# Rate limits, shared by every process.
write_config RATE_LIMIT_CREATE=2/m RATE_LIMIT_READ=3/m
run "$WD" --create --title r1 --deadline +1h
run "$WD" --create --title r2 --deadline +1h
run "$WD" --create --title r3 --deadline +1h
expect_rc 75 "creation rate limit exits 75"
expect_err "try again in [0-9]+ s" "rate limit says when"
run "$WD" --list --json
run "$WD" --list --json
run "$WD" --show "$id2"
run "$WD" --list
expect_rc 75 "read rate limit exits 75"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --list
expect_rc 0 "limits are per account"
write_config

# The clock moves: states follow (faketime).
run "$WD" --create --title 'due soon' --deadline +90m
idc=$out
run faketime -f '+45m' "$WD" --show "$idc" --json
printf '%s' "$out" | grep -q '"sla_state":"warning"' && pass "warning inside SLA_WARNING_MINUTES" || fail "warning inside SLA_WARNING_MINUTES" "$out"
run faketime -f '+2h' "$WD" --show "$idc" --json
printf '%s' "$out" | grep -q '"sla_state":"missed"' && pass "missed after the deadline" || fail "missed after the deadline" "$out"
run faketime -f '+2h' "$WD" --update "$idc" --status resolved --json
printf '%s' "$out" | grep -q '"sla_state":"breached"' && pass "resolved late is breached" || fail "resolved late is breached" "$out"

# The database stays consistent.
r=$(db_integrity)
[ "$r" = ok ] && pass "integrity_check ok" || fail "integrity_check ok" "$r"

finish
