#!/bin/sh
# The bash completion (contrib/watchdog.bash), run by bash itself: source
# it, set COMP_WORDS and COMP_CWORD, call the function, read COMPREPLY.
# Account names come from --account-names, only with a token.
. "$(dirname "$0")/lib.sh"
setup_accounts
printf 'battery staple 3\n' | WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --add-user bobby --email bobby@example.org --password-stdin >/dev/null 2>&1

# complete WORD...: the completions of the last word, sorted, on one line.
complete_words() {
	bash -c '
		. "$1/contrib/watchdog.bash"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_watchdog "$WD" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ \$//"
	' sh "$top" "$@"
}
export WD
expect() {
	got=$(complete_words "$@")
	want=$expected
	[ "$got" = "$want" ] && pass "complete '$*'" || fail "complete '$*'" "got '$got', want '$want'"
}

expected='--list'; expect watchdog --lis
expected='--no-headers'; expect watchdog --list --no-h
expected='--db --deadline --delete --description --disable --doctor --dry-run --due-within'; expect watchdog --d
expected='in_progress'; expect watchdog --list --status in
expected='open,on_hold open,open'; expect watchdog --list --status open,o
expected='missed,breached'; expect watchdog --list --sla missed,b
expected='high'; expect watchdog --list --priority h
expected='id,sla,deadline'; expect watchdog --list --columns id,sla,dea
expected='-'; expect watchdog --update ''
expected='me none'; expect watchdog --list --assignee ''
expected=''; expect watchdog --create --title ''

# With a token: account names, from the program, quietly.
export WATCHDOG_TOKEN=$BOB_TOKEN
expected='bob bobby'; expect watchdog --list --assignee bo
expected='admin'; expect watchdog --list --owner a
expected='admin bob bobby me none'; expect watchdog --update 3 --assignee ''
run "$WD" --account-names
expect_rc 0 "--account-names with a token"
expect_out "$(printf 'admin\nbob\nbobby')" "--account-names: one a line, in order"

# A bad token: no names, nothing on the terminal, and the program says no.
export WATCHDOG_TOKEN=wdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
got=$(complete_words watchdog --list --assignee '' 2>&1)
[ "$got" = "me none" ] && pass "a bad token: no names, nothing shown" || fail "a bad token: no names, nothing shown" "$got"
run "$WD" --account-names
expect_rc 77 "--account-names with a bad token: 77"
[ -z "$out" ] && pass "--account-names with a bad token prints no name" || fail "--account-names with a bad token prints no name" "$out"
unset WATCHDOG_TOKEN
run "$WD" --account-names
expect_rc 77 "--account-names without a token: 77"
[ -z "$out" ] && pass "--account-names without a token prints no name" || fail "--account-names without a token prints no name" "$out"
finish
