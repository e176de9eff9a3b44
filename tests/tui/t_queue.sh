#!/bin/sh
# The queue: rows, countdowns, forms, edits, conflicts, resolve, delete,
# search, filters, live changes, resize, NO_COLOR, $EDITOR.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
soon=$("$WD" --create --title 'Soon ticket 打印机' --deadline +30m --priority urgent --assignee admin)
"$WD" --create --title 'Overdue ticket' --deadline @1000000000 > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "filter: open +sort: urgency" "title bar"
expect_screen "ID +PRI +STATUS +SLA +TITLE" "column header"
expect_screen "bob +3 open +1 warning +1 missed" "status line counts"
expect_screen "q:quit" "key hint"
first=$(tui_screen | sed -n 3p)
case "$first" in *"Overdue ticket"*) pass "most urgent on top" ;; *) fail "most urgent on top" "$(tui_screen)" ;; esac
expect_screen "Soon ticket 打印机" "wide characters drawn"
l1=$(tui_screen | grep 'Soon ticket' | grep -Eo '[0-9]+m [0-9]+s left')
sleep 2.2
l2=$(tui_screen | grep 'Soon ticket' | grep -Eo '[0-9]+m [0-9]+s left')
[ -n "$l1" ] && [ "$l1" != "$l2" ] && pass "the countdown ticks ($l1 -> $l2)" || fail "the countdown ticks" "'$l1' '$l2'"
expect_screen "overdue " "overdue countdown"

# A change by a script appears within two seconds.
"$WD" --create --title 'From a script' --deadline +2h > /dev/null
expect_screen "From a script" "a script's ticket appears" 3

# New ticket through the form.
tui_keys n
expect_screen "New ticket" "n opens the form"
tui_type 'Made in the form'
tui_keys Tab
tui_type 'soon'
tui_keys Enter
expect_screen "bad deadline" "a bad deadline is said in the form"
expect_screen "Made in the form" "typed title kept"
tui_keys C-u
tui_type '+3h'
tui_keys Enter
expect_screen "Made in the form" "new ticket in the queue"
n=$(sql "SELECT count(*) FROM tickets WHERE title = 'Made in the form'")
[ "$n" = 1 ] && pass "form creates the ticket" || fail "form creates the ticket" "$n"
i=0
while [ "$(grep -l 'Made in the form' "$T"/mail/new/* 2>/dev/null | wc -l)" = 0 ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
[ $i -lt 30 ] && pass "created notice delivered without waiting" || fail "created notice delivered without waiting"

# Search, then clear it.
tui_keys /
tui_type 'form'
tui_keys Enter
expect_screen "search: form" "search shown in the title bar"
expect_no_screen "Later ticket" "search narrows the rows"
tui_keys /
tui_keys Escape
expect_screen "Later ticket" "Esc clears the search"

# Filters cycle.
tui_keys f
expect_screen "filter: mine" "f: mine"
tui_keys f
expect_screen "filter: overdue" "f: overdue"
expect_no_screen "Later ticket" "overdue filter hides future tickets"
tui_keys f
expect_screen "filter: all" "f: all"
tui_keys f
expect_screen "filter: open" "f: back to open"
tui_keys s
expect_screen "sort: id" "s: sort by id"
tui_keys s s s
expect_screen "sort: urgency" "s: back to urgency"

# Open the top ticket (overdue one), then resolve it from the queue.
tui_keys g Enter
expect_screen "Ticket #3" "Enter opens the ticket"
expect_screen "History" "the view shows the history"
tui_keys q
expect_screen "ID +PRI" "q goes back to the queue"
tui_keys g r
expect_screen "ticket #3 resolved" "r resolves"
s=$(sql "SELECT status FROM tickets WHERE id = 3")
[ "$s" = resolved ] && pass "resolved in the database" || fail "resolved in the database" "$s"

# Edit, with a conflict made by a script while the form is open.
tui_keys g
expect_screen "ticket #3 resolved" "still on the queue"
# The overdue ticket is resolved: the most urgent open one is on top.
tui_keys e
expect_screen "Edit ticket #$soon" "e opens the edit form"
tui_type ' (edited)'
"$WD" --update "$soon" --priority low > /dev/null
tui_keys Enter
expect_screen "changed by someone else" "conflict dialog"
expect_screen "priority: urgent -> low" "conflict shows what changed"
tui_keys r
expect_screen "Edit ticket #$soon" "r reloads the form"
tui_keys Enter
expect_screen "Soon ticket 打印机 \(edited\)" "re-applied edit saved"
t=$(sql "SELECT title || '|' || priority FROM tickets WHERE id = $soon")
[ "$t" = "Soon ticket 打印机 (edited)|low" ] && pass "nothing silently overwritten" || fail "nothing silently overwritten" "$t"

# $EDITOR for the description.
cat > "$T/editor" <<'SH'
#!/bin/sh
printf 'written by the editor\n' >> "$1"
# No pipes here: the shell would open descriptors of its own for them.
fds=
for fd in 3 4 5 6 7 8 9 11 12 13 14 15 16 17 18 19 20; do
	[ -e /proc/$$/fd/$fd ] && fds="$fds $fd"
done
echo "$fds" > "$(dirname "$0")/editor.fds"
SH
chmod +x "$T/editor"
tui_stop
tui_start VISUAL="$T/editor"
tui_login bob 'battery staple 2'
tui_wait "ID +PRI"
tui_keys g E
expect_screen "ID +PRI" "back from the editor"
sleep 0.5
d=$(sql "SELECT description FROM tickets WHERE description LIKE '%written by the editor%'")
[ -n "$d" ] && pass "the editor's text is saved" || fail "the editor's text is saved"
if [ -f "$T/editor.fds" ] && [ -z "$(tr -d ' ' < "$T/editor.fds")" ]; then
	pass "the editor holds no descriptor beyond 0-2"
else
	fail "the editor holds no descriptor beyond 0-2" "$(cat "$T/editor.fds" 2>/dev/null)"
fi

# Delete asks first.
tui_keys g d
expect_screen "Delete ticket #" "d asks first"
tui_keys n
expect_no_screen "Delete ticket #" "n keeps it"
before=$(sql "SELECT count(*) FROM tickets")
tui_keys d
tui_wait "Delete ticket #"
tui_keys y
sleep 0.5
after=$(sql "SELECT count(*) FROM tickets")
[ $((before - after)) = 1 ] && pass "y deletes" || fail "y deletes" "$before -> $after"

# Help from the key table.
tui_keys '?'
expect_screen "cycle the filter" "? shows the help"
tui_keys q

# Resize: 80x24 usable, too small said, back again.
tm resize-window -t 0 -x 80 -y 24
expect_screen "ID +PRI" "80x24 shows the queue"
w=$(tui_screen | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$w" -le 80 ] && pass "no line wider than 80 columns" || fail "no line wider than 80 columns" "$w"
expect_screen "q:quit" "80x24 keeps the hint line"
tm resize-window -t 0 -x 50 -y 10
expect_screen "terminal too small" "too small is said"
tm resize-window -t 0 -x 100 -y 30
expect_screen "ID +PRI" "back to full size"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop

# NO_COLOR: no colour escape sequences, the SLA words still there.
tui_start NO_COLOR=1
tui_login bob 'battery staple 2'
tui_wait "ID +PRI"
if tm capture-pane -p -e -t 0 | grep -Eq '\[(3[0-7]|9[0-7]|38;5;)[0-9;]*m'; then
	fail "NO_COLOR: no colours" "$(tm capture-pane -p -e -t 0 | head -5)"
else
	pass "NO_COLOR: no colours"
fi
expect_screen "missed|breached" "NO_COLOR: state words shown"
tui_keys q
tui_stop

finish
