#!/bin/sh
# The terminal interface on a PostgreSQL database (watchdog(1), SEVERAL
# HOSTS: POSTGRESQL), against a private server: the queue and its pages,
# sort orders, filters and search; the ticket view with its comments and
# history; the new-ticket and edit forms, resolve and delete; the accounts
# screen.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
tui_pg_private
# Forty tickets, an hour apart: more than a screen.
i=1
while [ $i -le 40 ]; do
	"$WD" --create --title "Routine task $i" --deadline "+${i}h" > /dev/null
	i=$((i + 1))
done
"$WD" --create --title 'Printer on fire' --deadline +30m --priority urgent \
    --assignee bob --description 'Smoke from tray 2' > /dev/null
fire=$(sql "SELECT id FROM tickets WHERE title = 'Printer on fire'")
"$WD" --comment "$fire" --text 'Tried turning it off' > /dev/null
"$WD" --create --title 'Overdue one' --deadline @1000000000 > /dev/null
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --create --title 'Admin own ticket' \
    --deadline +50h > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "filter: open +sort: urgency" "the queue on PostgreSQL"
expect_screen "bob +43 open +2 warning +1 missed" "the counts"
first=$(tui_screen | sed -n 3p)
case "$first" in *"Overdue one"*) pass "most urgent on top" ;;
*) fail "most urgent on top" "$(tui_screen)" ;; esac
expect_screen "Printer on fire" "the urgent ticket is shown"

# Pages.
tui_keys NPage
expect_screen "Routine task 30 " "PgDn shows the next page"
expect_gone "Overdue one" "the first page is gone"
tui_keys NPage
expect_screen "Admin own ticket" "PgDn again, to the last rows"
tui_keys PPage
tui_keys PPage
expect_screen "Overdue one" "PgUp back to the top"
tui_keys G
expect_screen "Admin own ticket" "G: the last row"
tui_keys g
expect_screen "Overdue one" "g: the first row"

# Sort orders.
tui_keys s
expect_screen "sort: id" "s: by id"
first=$(tui_screen | sed -n 3p)
case "$first" in *"Admin own ticket"*) pass "newest first" ;;
*) fail "newest first" "$(tui_screen)" ;; esac
tui_keys s
expect_screen "sort: priority" "s: by priority"
first=$(tui_screen | sed -n 3p)
case "$first" in *"Printer on fire"*) pass "urgent first" ;;
*) fail "urgent first" "$(tui_screen)" ;; esac
tui_keys s
expect_screen "sort: updated" "s: by last update"
tui_keys S
expect_screen "sort: updated ↑" "S reverses it"
tui_keys s
expect_screen "sort: urgency" "s: back to urgency"

# Filters: mine holds bob's and the one assigned to him, not the admin's.
tui_keys f
expect_screen "filter: mine" "f: mine"
expect_screen "Printer on fire" "mine: assigned to me"
expect_gone "Admin own ticket" "mine: not another's"
tui_keys f
expect_screen "filter: overdue" "f: overdue"
expect_gone "Routine task" "overdue: only the late ones"
expect_screen "Overdue one" "overdue: the late one"
tui_keys f
expect_screen "filter: all" "f: all"
tui_keys f
expect_screen "filter: open" "f: open again"

# Search, without regard to case, and in comments.
tui_keys /
tui_type 'TURNING'
tui_keys Enter
expect_screen "search: TURNING" "/ searches"
expect_screen "Printer on fire" "a comment's word, in another case"
expect_gone "Routine task" "the rest left out"
tui_keys /
tui_keys C-u
tui_type 'task 3'
tui_keys Enter
expect_screen "Routine task 39" "a search of the titles"
expect_gone "Printer on fire" "the search replaced the last one"
tui_keys /
tui_keys C-u
tui_keys Enter
expect_screen "Overdue one" "an empty search shows all again"

# The ticket view, with its comment and history; a comment added.
tui_keys "#"
tui_type "$fire"
tui_keys Enter
expect_screen "Ticket #$fire: Printer on fire" "#N opens the ticket"
expect_screen "^  Smoke from tray 2" "its description"
expect_screen "^    Tried turning it off" "its comment"
expect_screen "created: Printer on fire" "its history"
tui_keys c
expect_screen "Comment on ticket #$fire" "c opens the comment editor"
tui_type "Replaced the fuser"
tui_keys C-d
expect_screen "^    Replaced the fuser" "the comment is saved and shown"
expect_sql "SELECT count(*) FROM comments WHERE ticket_id = $fire" 2 \
    "the comment is in the database"

# Edit: the priority.
tui_keys e
expect_screen "Edit ticket #$fire" "e opens the form"
tui_keys Tab Tab Tab Left
tui_keys Enter
expect_sql "SELECT priority FROM tickets WHERE id = $fire" high \
    "the edit is saved"
expect_screen "priority: urgent -> high" "the history shows it"

# Resolve, then delete.
tui_keys r
expect_sql "SELECT status FROM tickets WHERE id = $fire" resolved "r resolves"
expect_screen "^Status: +resolved" "the view shows it"
tui_keys d
expect_screen "Delete ticket #$fire" "d asks first"
tui_keys y
expect_sql "SELECT count(*) FROM tickets WHERE id = $fire" 0 "y deletes"
expect_screen "filter: open" "back in the queue"
expect_gone "Printer on fire" "the queue no longer shows it"

# The new-ticket form.
tui_keys n
expect_screen "New ticket" "n opens the form"
tui_type 'Made in the form'
tui_keys Tab
tui_type '+20m'
tui_keys Enter
expect_sql "SELECT count(*) FROM tickets WHERE title = 'Made in the form'" 1 \
    "the new ticket is saved"
expect_screen "Made in the form" "and shown in the queue"
tui_keys q
expect_screen "EXIT=0" "quit"

# The accounts screen of an administrator.
tui_start
tui_login admin 'correct horse 1'
expect_screen "ID +PRI" "the admin's queue"
tui_keys A
expect_screen "SLA Watchdog  accounts" "A opens the accounts screen"
expect_screen "bob +bob@example.org +user +active" "bob listed"
tui_keys j
tui_keys a
expect_sql "SELECT role FROM users WHERE name = 'bob'" admin \
    "a makes bob an administrator"
expect_screen "bob +bob@example.org +admin" "the row shows it"
tui_keys q
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
