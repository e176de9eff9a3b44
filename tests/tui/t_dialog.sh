#!/bin/sh
# The dialogs: the delete question keeps its keys on one line at 80 and 60
# columns; the edit conflict, from the form and from $EDITOR (E), shows
# what changed and reloads or cancels.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
long=$("$WD" --create --title 'A rather long title that fills the delete question' --deadline +5h)

# At 80 columns the question's keys are one line of their own.
tui_start -x 80 -y 24
tui_login bob 'battery staple 2'
tui_wait "ID +PRI"
tui_keys d
expect_screen "Delete ticket #$long" "d asks first"
expect_screen "│ y: delete +n: keep +│" "80 columns: the keys on one line"
expect_no_screen "^ *│ n: keep" "80 columns: no key wrapped to a line of its own"
tui_keys n
expect_screen "ticket #$long kept" "n keeps it"
tm resize-window -t 0 -x 60 -y 16
tui_wait "ID +PRI"
tui_keys d
expect_screen "Delete ticket #$long" "60 columns: d asks"
expect_screen "│ y: delete +n: keep +│" "60 columns: the keys on one line"
w=$(tui_screen | wc -L)
[ "$w" -le 60 ] && pass "60 columns: nothing wider" || fail "60 columns: nothing wider" "$w"
tui_keys Escape
expect_screen "ticket #$long kept" "Esc keeps it"
tm resize-window -t 0 -x 80 -y 24

# The edit form: someone else changes the ticket before the save.
tui_keys e
expect_screen "Edit ticket #$long" "e opens the edit form"
tui_type ' (edited)'
"$WD" --update "$long" --priority low > /dev/null
tui_keys C-s
expect_screen "changed by someone else" "form: the conflict dialog"
expect_screen "priority: normal -> low" "form: what changed"
expect_screen "r: reload, re-apply your changes +Esc: cancel" "form: the dialog's keys"
tui_keys r
expect_screen "Edit ticket #$long \(version 2\)" "form: r reloads"
expect_screen "Priority: < low >" "form: the other's change in the fields"
tui_keys Enter
expect_screen "ticket #$long saved" "form: saved after the reload"
t=$(sql "SELECT title || '|' || priority FROM tickets WHERE id = $long")
[ "$t" = "A rather long title that fills the delete question (edited)|low" ] &&
    pass "form: nothing silently overwritten" || fail "form: nothing silently overwritten" "$t"
tui_keys e
tui_wait "Edit ticket #$long"
tui_type '!'
"$WD" --update "$long" --status in_progress > /dev/null
tui_keys Enter
expect_screen "status: open -> in_progress" "form: a second conflict"
tui_keys Escape
expect_screen "edit of ticket #$long cancelled" "form: Esc cancels the edit"
t=$(sql "SELECT title FROM tickets WHERE id = $long")
[ "$t" = "A rather long title that fills the delete question (edited)" ] &&
    pass "form: the cancelled edit saved nothing" || fail "form: the cancelled edit saved nothing" "$t"
tui_stop

# E: while the editor runs, another account changes the ticket (to the
# priority in editor.change, once).
cat > "$T/editor" <<SH
#!/bin/sh
if [ -e '$T/editor.change' ]; then
	p=\$(cat '$T/editor.change')
	rm -f '$T/editor.change'
	WATCHDOG_TOKEN='$ADMIN_TOKEN' '$WD' --update $long --priority "\$p" > /dev/null
fi
printf 'from the editor\n' >> "\$1"
SH
echo urgent > "$T/editor.change"
chmod +x "$T/editor"
tui_start -x 80 -y 24 VISUAL="$T/editor"
tui_login bob 'battery staple 2'
tui_wait "ID +PRI"
tui_keys E
expect_screen "changed by someone else" "E: the conflict dialog"
expect_screen "priority: low -> urgent" "E: what changed"
tui_keys r
expect_screen "ticket #$long: description saved" "E: r runs the editor again and saves"
d=$(sql "SELECT priority || '|' || description FROM tickets WHERE id = $long")
[ "$d" = "urgent|from the editor
from the editor" ] && pass "E: the edit saved over the other's change" || fail "E: the edit saved over the other's change" "$d"
echo high > "$T/editor.change"
tui_keys E
expect_screen "changed by someone else" "E: a second conflict"
tui_keys Escape
expect_screen "edit of ticket #$long cancelled" "E: Esc cancels"
tui_keys q
tui_stop

finish
