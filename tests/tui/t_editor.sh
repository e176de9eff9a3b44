#!/bin/sh
# E: the description in $VISUAL, which holds no descriptor beyond 0-2.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
id=$("$WD" --create --title 'Needs words' --deadline +5h)
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

tui_start VISUAL="$T/editor"
tui_login bob 'battery staple 2'
expect_screen "Needs words" "the queue"
tui_keys g E
expect_sql "SELECT count(*) FROM tickets WHERE id = $id AND description LIKE '%written by the editor%'" 1 "the editor's text is saved"
expect_screen "ID +PRI" "back from the editor"
if [ -f "$T/editor.fds" ] && [ -z "$(tr -d ' ' < "$T/editor.fds")" ]; then
	pass "the editor holds no descriptor beyond 0-2"
else
	fail "the editor holds no descriptor beyond 0-2" "$(cat "$T/editor.fds" 2>/dev/null)"
fi
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
