#!/bin/sh
# The order: the title bar shows its direction (an arrow, or asc/desc in
# ASCII), S reverses it and paging follows; priority puts the open tickets
# of a priority before its resolved ones.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
i=1
while [ $i -le 30 ]; do
	"$WD" --create --title "Ticket number $i" --deadline +${i}h --priority low > /dev/null
	i=$((i + 1))
done
done=$("$WD" --create --title 'High and done' --deadline +1h --priority high)
"$WD" --update "$done" --status resolved > /dev/null
open=$("$WD" --create --title 'High and open' --deadline +40h --priority high)

row() { tui_screen | sed -n "$1p"; }

tui_start -x 80 -y 16
tui_login bob 'battery staple 2'
expect_screen "sort: urgency ↑" "urgency runs up (earliest deadline first)"
tui_keys s
expect_screen "sort: id ↓" "id runs down, and says so"
case "$(row 3)" in *" $open "*) pass "id: newest first" ;; *) fail "id: newest first" "$(tui_screen)" ;; esac
tui_keys S
expect_screen "sort: id ↑" "S flips the arrow"
case "$(row 3)" in *"  1 "*"Ticket number 1 "*) pass "S: oldest first" ;; *) fail "S: oldest first" "$(tui_screen)" ;; esac
# Paging both ways in the reversed order.
tui_keys PageDown
expect_screen "Ticket number 13 " "PgDn pages on in the reversed order"
tui_keys G
expect_screen "High and open" "G: the newest is last"
l=$(tui_screen | grep -n 'High and open' | cut -d: -f1)
[ "$l" = 14 ] && pass "G: the newest on the last row" || fail "G: the newest on the last row" "line $l: $(tui_screen)"
tui_keys PageUp
expect_gone "High and open" "PgUp pages back"
tui_keys g
expect_screen "Ticket number 1 " "g: back to the first"
tui_keys S
expect_screen "sort: id ↓" "S again: back down"

# Priority: under "all", open before resolved within a priority.
tui_keys f f f
expect_screen "filter: all" "filter all"
tui_keys s
expect_screen "sort: priority ↑" "priority"
case "$(row 3)" in *"High and open"*) pass "priority: open first" ;; *) fail "priority: open first" "$(tui_screen)" ;; esac
case "$(row 4)" in *"High and done"*) pass "priority: then resolved" ;; *) fail "priority: then resolved" "$(tui_screen)" ;; esac
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop

# ASCII when the locale is not UTF-8.
saved=$LC_ALL
LC_ALL=C
tui_start -x 80 -y 16
LC_ALL=$saved
tui_login bob 'battery staple 2'
expect_screen "sort: urgency asc" "ASCII: asc"
tui_keys s
expect_screen "sort: id desc" "ASCII: desc"
tui_keys q
tui_stop
finish
