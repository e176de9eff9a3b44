#!/bin/sh
# The ticket forms: status and priority as choices, the description as
# lines of text typed in the form, the deadline's example and its live
# meaning, the question on a deadline in the past, Ctrl-S and F2.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
old=$("$WD" --create --title 'Old ticket' --deadline +5h --description 'first
second')

# json FIELD ID: one field of --show --json (a string, as JSON).
json() { "$WD" --show "$2" --json | sed -n "s/.*\"$1\":\(\"\([^\"\\\\]\|\\\\.\)*\"\|null\).*/\1/p"; }

tui_start -x 80 -y 24
tui_login bob 'battery staple 2'
tui_wait "ID +PRI"

# The new form: every field, the hint drawn from the key table.
day0=$(date -u -d tomorrow +%Y-%m-%d)
tui_keys n
expect_screen "New ticket" "n opens the form"
expect_screen "Status: < open >" "status is a choice"
expect_screen "Priority: < normal >" "priority is a choice, normal first"
expect_screen "Description:" "the description is in the form"
expect_screen "Enter: save +Tab: next field +Esc: cancel" "hint: Enter saves from a field"
day1=$(date -u -d tomorrow +%Y-%m-%d)
expect_screen "e\.g\. \+4h, \+2d, ($day0|$day1) 17:00" "deadline example built from now"
expect_no_screen "2026-12-01 17:00" "no fixed example date"

tui_type 'Made in the form'
tui_keys Tab
# The minute may turn while the screen is read: either one will do.
a=$(date -u -d '+4 hours' '+%a %H:%M')
tui_type '+4h'
b=$(date -u -d '+4 hours 1 minute' '+%a %H:%M')
expect_screen "-> ($a|$b) \(4h 0m left\)" "relative deadline shown as typed (+4h -> $a)"
tui_keys BSpace BSpace
a=$(date -u -d '+2 days' '+%a %H:%M')
tui_type '2d'
b=$(date -u -d '+2 days 1 minute' '+%a %H:%M')
expect_screen "-> ($a|$b) \(2d 0h left\)" "the preview follows the typing"

# Status: Right twice; priority: Left then Right twice (low, normal, high).
tui_keys Tab
tui_keys Right Right
expect_screen "Status: < on_hold >" "Right cycles the status"
expect_screen "Space: change" "hint on a choice"
tui_keys Tab
tui_keys Left
expect_screen "Priority: < low >" "Left cycles the priority back"
tui_keys Right Space
expect_screen "Priority: < high >" "Right and Space cycle it on"

# The description over three lines; Enter there is a new line.
tui_keys Tab Tab
expect_screen "\^S/F2: save +Enter: new line" "hint in the description: ^S saves, Enter is a new line"
tui_type 'The printer on the third floor'
tui_keys Enter
tui_type 'prints only blank pages 打印机'
tui_keys Enter Enter
tui_type 'since Monday.'
expect_screen "since Monday\." "the description is typed in the form"
expect_screen "New ticket" "Enter in the description does not save"
tui_keys C-s
expect_screen "ticket #[0-9]+ created" "Ctrl-S saves from the description"
id=$(sql "SELECT id FROM tickets WHERE title = 'Made in the form'")
s=$(json status "$id")
[ "$s" = '"on_hold"' ] && pass "saved with status on_hold" || fail "saved with status on_hold" "$s"
p=$(json priority "$id")
[ "$p" = '"high"' ] && pass "saved with priority high" || fail "saved with priority high" "$p"
d=$(json description "$id")
[ "$d" = '"The printer on the third floor\nprints only blank pages 打印机\n\nsince Monday."' ] &&
    pass "the description's lines saved as typed" || fail "the description's lines saved as typed" "$d"

# F2 saves from a one-line field too.
tui_keys n
tui_wait "New ticket"
tui_type 'Saved with F2'
tui_keys Tab
tui_type '+1h'
tui_keys F2
expect_screen "ticket #[0-9]+ created" "F2 saves"
n=$(sql "SELECT count(*) FROM tickets WHERE title = 'Saved with F2'")
[ "$n" = 1 ] && pass "F2 created the ticket" || fail "F2 created the ticket" "$n"

# A deadline in the past asks first: n keeps the form, y saves.
tui_keys n
tui_wait "New ticket"
tui_type 'Logged after the fact'
tui_keys Tab
tui_type '2020-01-01 09:00'
expect_screen "overdue" "a past deadline is said as typed"
tui_keys Enter
expect_screen "Deadline in the past" "a past deadline asks first"
expect_screen "y: save +n: back to the form" "the question's keys"
tui_keys n
expect_screen "not saved: the deadline is in the past" "n: back to the form, said"
expect_screen "Title: Logged after the fact" "n keeps what was typed"
n=$(sql "SELECT count(*) FROM tickets WHERE title = 'Logged after the fact'")
[ "$n" = 0 ] && pass "n saves nothing" || fail "n saves nothing" "$n"
tui_keys Enter
expect_screen "Deadline in the past" "asked again"
tui_keys y
expect_screen "ticket #[0-9]+ created" "y saves"
n=$(sql "SELECT count(*) FROM tickets WHERE title = 'Logged after the fact'")
[ "$n" = 1 ] && pass "y saved the ticket" || fail "y saved the ticket" "$n"

# The edit form: the current status and description, changed in place.
tui_keys '?'
tui_wait "leave the help"
tui_keys q
tui_stop
tui_start -x 80 -y 24
tui_login bob 'battery staple 2'
tui_wait "ID +PRI"
tui_keys /
tui_type 'Old ticket'
tui_keys Enter
tui_wait "search: Old ticket"
tui_keys e
expect_screen "Edit ticket #$old" "e opens the edit form"
expect_screen "Status: < open >" "the edit form shows the status"
expect_screen "^ *│ second" "the edit form shows the description's lines"
tui_keys Tab Tab Right
expect_screen "Status: < in_progress >" "the status changes in the edit form"
tui_keys Tab Tab Tab
tui_keys Down End
tui_type ' and third'
tui_keys C-s
expect_screen "ticket #$old saved" "the edit is saved"
s=$(json status "$old")
[ "$s" = '"in_progress"' ] && pass "edit: status in_progress" || fail "edit: status in_progress" "$s"
d=$(json description "$old")
[ "$d" = '"first\nsecond and third"' ] && pass "edit: description changed in the form" || fail "edit: description changed in the form" "$d"
t=$(json title "$old")
[ "$t" = '"Old ticket"' ] && pass "edit: the other fields as they were" || fail "edit: the other fields as they were" "$t"
# The smallest terminal: every field, the message and the key line fit.
tm resize-window -t 0 -x 60 -y 16
tui_wait "ID +PRI"
tui_keys n
expect_screen "New ticket" "60x16: the form opens"
expect_screen "Description:" "60x16: the description is there"
expect_screen "│ Enter: save +Tab: next field +Esc: cancel +│" "60x16: the key line in the box"
tui_keys Tab Tab Tab Tab Tab
expect_screen "│ \^S/F2:save  Enter:new line  Esc:cancel +│" "60x16: a shorter key line in the description"
w=$(tui_screen | wc -L)
[ "$w" -le 60 ] && pass "60x16: nothing wider" || fail "60x16: nothing wider" "$w"
tui_keys Escape
tui_keys q
tui_stop

finish
