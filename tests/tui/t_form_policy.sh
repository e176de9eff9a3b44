#!/bin/sh
# n with SLA policies (watchdog(1), SLA POLICIES): the deadline may stay
# empty when a policy covers the priority, and the form shows the deadline
# the ticket will get before it is saved; without a policy it is needed.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
write_config 'SLA_POLICY_URGENT=4h calendar' 'SLA_POLICY_NORMAL=2d calendar'
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "ID +PRI" "the queue"
tui_keys n
expect_screen "New ticket" "n opens the form"
expect_screen "empty: normal 2d calendar -> .*\(2d 0h left\)" "the normal policy's deadline shown, empty field"
tui_type 'By the policy'
# Priority: Tab to it (Deadline, Status, Priority), Right twice: urgent.
tui_keys Tab Tab Tab Right Right
expect_screen "Priority: < urgent >" "urgent chosen"
expect_screen "empty: urgent 4h calendar -> .*\(4h 0m left\)" "the preview follows the priority"
tui_keys Enter
expect_gone "New ticket" "saved with the deadline empty"
expect_sql "SELECT (deadline - created_at) || ' ' || sla_policy FROM tickets WHERE title = 'By the policy'" "14400 urgent 4h calendar" "the ticket got the policy's deadline"

# High has no policy: the empty deadline is refused in the form.
tui_keys n
expect_screen "New ticket" "the form again"
tui_type 'No policy'
tui_keys Tab Tab Tab Right Right Right
expect_screen "Priority: < low >" "low chosen (no policy)"
expect_no_screen "empty: low" "no preview without a policy"
tui_keys Enter
expect_screen "a ticket needs a deadline" "an empty deadline without a policy is said"
expect_sql "SELECT count(*) FROM tickets WHERE title = 'No policy'" 0 "nothing created"
tui_keys Escape
expect_gone "New ticket" "Esc cancels"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
