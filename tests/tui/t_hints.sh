#!/bin/sh
# The key hint: the essential keys fit at 80 columns and give way in a
# chosen order below; the help screen says where it is.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'A ticket' --deadline +5h > /dev/null

hint() { tui_screen | tail -n 1; }

tui_start -x 80 -y 24
tui_login bob 'battery staple 2'
expect_screen "ID +PRI" "the queue at 80x24"
h=$(hint)
for item in q:quit '?:help' Enter:open n:new e:edit r:resolve /:search '#:goto' f:filter s:sort; do
	case "$h" in
	*"$item"*) pass "80 columns: the hint has $item" ;;
	*) fail "80 columns: the hint has $item" "'$h'" ;;
	esac
done
[ ${#h} -le 80 ] && pass "80 columns: the hint fits" || fail "80 columns: the hint fits" "${#h}: '$h'"

tm resize-window -t 0 -x 60 -y 16
tui_wait "ID +PRI"
i=0
while [ ${#h} -gt 60 ] && [ $i -lt 30 ]; do h=$(hint); sleep 0.1; i=$((i + 1)); done
[ ${#h} -le 60 ] && pass "60 columns: the hint fits" || fail "60 columns: the hint fits" "'$h'"
for item in q:quit '?:help' Enter:open n:new e:edit r:resolve; do
	case "$h" in
	*"$item"*) pass "60 columns: the hint keeps $item" ;;
	*) fail "60 columns: the hint keeps $item" "'$h'" ;;
	esac
done
case "$h" in
*d:delete*) fail "60 columns: d:delete gives way" "'$h'" ;;
*) pass "60 columns: d:delete gives way" ;;
esac

# The help says which line it shows, and that there is more.
tm resize-window -t 0 -x 80 -y 24
tui_wait "ID +PRI"
tui_keys '?'
expect_screen "help  line 1/[0-9]+  --More--" "the help shows its position"
tui_keys G
expect_screen "help  line [0-9]+/[0-9]+ *\$" "at the end: no --More--"
expect_no_screen "--More--" "at the end: no --More--, really"
tui_keys q
expect_screen "ID +PRI" "q leaves the help"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
