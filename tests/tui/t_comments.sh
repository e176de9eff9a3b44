#!/bin/sh
# Comments in the ticket view: shown in order between the description and
# the history, c writes one in the UI (Enter a new line, Ctrl-D saves, Esc
# cancels), C in $VISUAL, and another process's comment appears by itself.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$ADMIN_TOKEN
id=$("$WD" --create --title 'Printer on fire' --deadline +5h --description 'Smoke from tray 2')
"$WD" --comment "$id" --text 'First, by admin' > /dev/null
cat > "$T/editor" <<'SH'
#!/bin/sh
printf 'Written in the editor\n' >> "$1"
SH
chmod +x "$T/editor"

tui_start -x 100 -y 40 VISUAL="$T/editor"
tui_login bob 'battery staple 2'
expect_screen "Printer on fire" "the queue"
tui_keys Enter
expect_screen "^Comments" "the view has a comments section"
expect_screen "^    First, by admin" "an existing comment is shown"
screen=$(tui_screen)
d=$(printf '%s\n' "$screen" | grep -n '^Description' | cut -d: -f1)
c=$(printf '%s\n' "$screen" | grep -n '^Comments' | cut -d: -f1)
h=$(printf '%s\n' "$screen" | grep -n '^History' | cut -d: -f1)
[ -n "$d" ] && [ -n "$c" ] && [ -n "$h" ] && [ "$d" -lt "$c" ] && [ "$c" -lt "$h" ] && pass "comments sit between the description and the history" || fail "comments sit between the description and the history" "$screen"

# c: a comment of two lines, saved with Ctrl-D.
tui_keys c
expect_screen "Comment on ticket #$id" "c opens the comment editor"
tui_type "Tried a reboot"
tui_keys Enter
tui_type "then a new fuser"
tui_keys C-d
expect_sql "SELECT text FROM comments WHERE ticket_id = $id AND author_id = (SELECT id FROM users WHERE name = 'bob')" "Tried a reboot
then a new fuser" "Ctrl-D saves the comment, Enter made a new line"
expect_screen "^    then a new fuser" "the new comment is in the view"
# Esc cancels.
tui_keys c
expect_screen "Comment on ticket #$id" "c again"
tui_type "never saved"
tui_keys Escape
expect_gone "Comment on ticket #$id" "Esc leaves the editor"
expect_sql "SELECT count(*) FROM comments WHERE text = 'never saved'" 0 "Esc saves nothing"
# An empty comment is refused in the form.
tui_keys c
expect_screen "Comment on ticket #$id" "c once more"
tui_keys C-s
expect_screen "comment is empty" "an empty comment is refused in the form"
tui_keys Escape
expect_gone "Comment on ticket #$id" "and left"

# Another process comments: it appears within two seconds.
"$WD" --comment "$id" --text 'Added by a script' > /dev/null
expect_screen "^    Added by a script" "another process's comment appears" 2

# C: in the editor.
tui_keys C
expect_sql "SELECT count(*) FROM comments WHERE ticket_id = $id AND text = 'Written in the editor'" 1 "C saves the editor's text as a comment"
expect_screen "^    Written in the editor" "the editor's comment is in the view"

# / finds the words of a comment.
tui_keys q
tui_wait "ID +PRI"
"$WD" --create --title 'Unrelated' --deadline +6h > /dev/null
expect_screen "Unrelated" "another ticket in the queue"
tui_keys /
tui_type 'fuser'
tui_keys Enter
expect_screen "search: fuser" "searching for a word of a comment"
expect_gone "Unrelated" "the search leaves out tickets without it"
expect_screen "Printer on fire" "the search finds the ticket by its comment"
tui_keys Enter
expect_screen "^Comments" "back in the view"

expect_sql "SELECT substr(text, 1, 5) FROM comments WHERE ticket_id = $id ORDER BY id" "First
Tried
Added
Writt" "comments stored in order"
tui_keys q
tui_wait "ID +PRI"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
