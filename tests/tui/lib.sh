# lib.sh: helpers for the terminal UI tests, sourced after tests/cli/lib.sh.
# The real ./watchdog runs inside a private tmux server; the tests type
# with send-keys and read the screen back with capture-pane (tmux's own
# regress/ tests work this way).
#
#   tui_start [-x COLS] [-y LINES] [VAR=VALUE...] [-- ARGS]
#                       start ./watchdog ARGS in a new tmux session; when it
#                       exits, "EXIT=<status>" is printed on its screen
#   tui_screen          the screen as text
#   tui_keys KEYS...    tmux send-keys (literal text with -l first)
#   tui_type TEXT       type TEXT literally
#   tui_wait PATTERN [SECONDS]
#                       wait until the screen matches PATTERN (grep -E);
#                       returns 1 after SECONDS (default 5)
#   tui_stop            kill the tmux server and remove its socket
#   tui_pg_private      for a script with a PostgreSQL server of its own
#                       (skipped in the tui-pg layer): the server, its
#                       database wd set up with the test accounts as
#                       DATABASE_URL, sql() asking it, WATCHDOG_TOKEN bob's
TUI_SOCK="wdtest$$"
TUI_COLS=100
TUI_LINES=30

tm() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }

# The server goes away after kill-server returns, and leaves its socket
# behind: remove the socket, so that the next tui_start starts a server of
# its own instead of reaching this one on its way out ("server exited
# unexpectedly"), and so that no socket is left in /tmp.
tui_stop() {
	tm kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK"
	return 0
}
trap 'tui_stop; rm -rf "$T"' EXIT

tui_start() {
	tui_stop
	cols=$TUI_COLS
	lines=$TUI_LINES
	while [ $# -gt 0 ]; do
		case $1 in
		-x) cols=$2; shift 2 ;;
		-y) lines=$2; shift 2 ;;
		*) break ;;
		esac
	done
	envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs="$envs '$1'"
		shift
	done
	[ "${1:-}" = -- ] && shift
	args=
	for a in "$@"; do args="$args '$a'"; done
	cat > "$T/tui.sh" <<SH
#!/bin/sh
cd '$T'
env WATCHDOG_CONFIG='$WATCHDOG_CONFIG' TZ='$TZ' LC_ALL='$LC_ALL' HOME='$HOME' \
    TERM=screen-256color $envs '$WD' $args
echo "EXIT=\$?"
sleep 600
SH
	tm new-session -d -x "$cols" -y "$lines" "sh '$T/tui.sh'"
	sleep 0.3
}

tui_screen() { tm capture-pane -p -t 0; }

tui_keys() { tm send-keys -t 0 "$@"; }

tui_type() { tm send-keys -t 0 -l "$1"; }

tui_wait() {
	n=$(( ${2:-5} * 10 ))
	i=0
	while [ $i -lt $n ]; do
		if tui_screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# expect_screen PATTERN NAME [SECONDS]: pass when the screen shows PATTERN.
expect_screen() {
	if tui_wait "$1" "${3:-5}"; then
		pass "$2"
	else
		fail "$2" "screen does not match /$1/:
$(tui_screen)"
	fi
}

# expect_no_screen PATTERN NAME: pass when the screen does not show it.
expect_no_screen() {
	if tui_screen | grep -Eq -- "$1"; then
		fail "$2" "screen matches /$1/:
$(tui_screen)"
	else
		pass "$2"
	fi
}

# Log in as NAME with PASSWORD on the login screen.
tui_login() {
	tui_wait 'Account:' 5
	tui_type "$1"
	tui_keys Enter
	tui_type "$2"
	tui_keys Enter
}

# tui_wait_gone PATTERN [SECONDS]: wait until the screen no longer matches
# PATTERN; returns 1 after SECONDS (default 5).
tui_wait_gone() {
	n=$(( ${2:-5} * 10 ))
	i=0
	while [ $i -lt $n ]; do
		if ! tui_screen | grep -Eq -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# expect_gone PATTERN NAME [SECONDS]: pass when the screen stops showing
# PATTERN (after a key that should take it away).
expect_gone() {
	if tui_wait_gone "$1" "${3:-5}"; then
		pass "$2"
	else
		fail "$2" "screen still matches /$1/:
$(tui_screen)"
	fi
}

# expect_sql QUERY VALUE NAME [SECONDS]: pass when QUERY on the test
# database gives VALUE, polling until then.
expect_sql() {
	n=$(( ${4:-5} * 10 ))
	i=0
	while [ $i -lt $n ]; do
		got=$(sql "$1")
		if [ "$got" = "$2" ]; then
			pass "$3"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$3" "$1: '$got', expected '$2'"
}

tui_pg_private() {
	pg_unsupported "it runs in the tui layer, on a PostgreSQL server of its own"
	. "$top/tests/pg/lib.sh"
	pg_private 'tui_stop'
	pg_createdb "$PGD" wd
	write_config "DATABASE_URL=$(pg_url "$PGD" wd)"
	sql() { pg_psql "$PGD" wd "$1"; }
	"$WD" --init > /dev/null
	setup_accounts
	export WATCHDOG_TOKEN=$BOB_TOKEN
}
