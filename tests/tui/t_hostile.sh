#!/bin/sh
# Text already in the database (put there behind the program's back) never
# reaches the terminal as control characters: it is drawn made visible.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
id=$("$WD" --create --title 'placeholder' --deadline +1h)
ESC=$(printf '\033') BEL=$(printf '\007') RLO=$(printf '\342\200\256')
sql "UPDATE tickets SET title = 'evil ${ESC}[2J${ESC}]0;pwned${BEL} end', description = 'line${ESC}[31m red' WHERE id = $id"
id2=$("$WD" --create --title 'placeholder 2' --deadline +2h)
sql "UPDATE tickets SET title = 'Invoice${RLO}txt.exe' WHERE id = $id2"

tui_start
tui_login bob 'battery staple 2'
expect_screen 'evil \^\[\[2J\^\[\]0;pwned\^G end' "escape sequences in a title are shown, not obeyed"
expect_screen "ID +PRI" "the screen was not cleared by the title"
expect_screen 'Invoice<U\+202E>txt\.exe' "a bidirectional override in a title is shown, not obeyed"
tui_keys g Enter
expect_screen 'line\^\[\[31m red' "escape sequences in a description are shown"
tui_keys q q
expect_screen "EXIT=0" "quit"
tui_stop

run "$WD" --show "$id"
case "$out" in
*"$(printf '\033')"*) fail "--show makes control characters visible" "$out" ;;
*) pass "--show makes control characters visible" ;;
esac
finish
