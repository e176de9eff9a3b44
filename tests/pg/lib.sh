# lib.sh: a private PostgreSQL server for the tests (sourced).
#
#   pg_start DIR     initdb into DIR/data and start the server, listening
#                    only on a Unix socket in DIR (no TCP), fsync off; as
#                    root it runs as the unprivileged account "postgres"
#                    (Debian's package creates it), which owns DIR. A
#                    guard process stops the server and removes DIR when
#                    the shell that started it is gone, even after kill -9.
#   pg_stop DIR      stop it (immediate) and remove DIR.
#   pg_restart DIR   restart it (pg_ctl restart, fast: sessions are ended).
#   pg_down DIR / pg_up DIR
#                    stop it (fast), keeping DIR; start it again.
#   pg_url DIR DB    the libpq URL of database DB on that server.
#   pg_createdb DIR DB / pg_dropdb DIR DB
#   pg_psql DIR DB SQL   run SQL, print the rows unaligned, no headers.
#   pg_private [CLEANUP]  a test script's own server in $PGD (see below).
#
# The binaries are Debian's, under /usr/lib/postgresql/VERSION/bin.

PG_LIB=$(cd "${top:-.}/tests/pg" 2>/dev/null && pwd)/lib.sh

pg_bindir() {
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && last=$d
	done
	[ -n "${last:-}" ] || return 1
	echo "$last"
}

# Run "$@" as the server's account (root: postgres; others: themselves).
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups \
		    --reset-env -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	dir=$1
	bin=$(pg_bindir) || { echo "pg: no PostgreSQL server installed" \
	    "(sh tools/deps.sh installs it)" >&2; return 1; }
	mkdir -p "$dir" || return 1
	# Others may reach the socket (a test's server runs as nobody),
	# but not list the directory; the data directory stays 0700.
	chmod 711 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
	pg_as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust \
	    -E UTF8 --locale=C.UTF-8 --no-sync > "$dir/initdb.log" 2>&1 || {
		echo "pg: initdb failed:" >&2; cat "$dir/initdb.log" >&2
		return 1; }
	pg_up "$dir" || return 1
	# The guard: when the shell that started the server is gone (ended,
	# or killed with no chance to run its traps), stop it and clean up.
	# It runs in a session of its own, so that a kill of the test's
	# process group does not take it too, and it is not a child that
	# the test's "wait" would wait for.
	PG_GUARD="$$ $dir" setsid sh "$PG_LIB" < /dev/null > /dev/null 2>&1 &
}

# Start the server of DIR (initialised by pg_start).
pg_up() {
	pg_as "$(pg_bindir)/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 30 \
	    -o "-c listen_addresses= -c unix_socket_directories=$1 \
	    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=60 -c shared_buffers=32MB" start \
	    > /dev/null 2>&1 || {
		echo "pg: the server did not start:" >&2
		cat "$1/server.log" >&2
		return 1; }
}

# Stop the server of DIR (fast: its sessions are ended), keeping DIR.
pg_down() {
	pg_as "$(pg_bindir)/pg_ctl" -D "$1/data" -m fast -w -t 30 stop \
	    > /dev/null 2>&1
}

pg_restart() {
	pg_as "$(pg_bindir)/pg_ctl" -D "$1/data" -l "$1/server.log" -m fast \
	    -w -t 30 restart > /dev/null 2>&1
}

pg_stop() {
	dir=$1
	[ -d "$dir" ] || return 0
	bin=$(pg_bindir) || return 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		pg_as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop \
		    > /dev/null 2>&1
	fi
	rm -rf "$dir"
}

pg_url() {
	echo "postgresql:///$2?host=$1&user=postgres"
}

pg_psql() {
	"$(pg_bindir)/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
	    -h "$1" -U postgres -d "$2" -c "$3"
}

pg_createdb() {
	pg_psql "$1" postgres "CREATE DATABASE \"$2\"" > /dev/null
}

pg_dropdb() {
	pg_psql "$1" postgres "DROP DATABASE IF EXISTS \"$2\" WITH (FORCE)" \
	    > /dev/null
}

# pg_private [CLEANUP]: for a test script (tests/cli/lib.sh sourced): a
# private server in a new $PGD, stopped and removed when the script exits
# (after CLEANUP, a command, then $T removed); when it cannot start, the
# failure is recorded and the script ends.
pg_private() {
	PGD=$(mktemp -u "/tmp/watchdog-pg.$$.XXXXXX")
	# shellcheck disable=SC2064
	trap "${1:+$1; }pg_stop \"\$PGD\"; rm -rf \"\$T\"" EXIT
	if ! pg_start "$PGD"; then
		fail "the private PostgreSQL server starts"
		finish
		exit 1
	fi
}

# Run as the guard (see pg_start): PG_GUARD is "OWNER_PID DIR".
if [ -n "${PG_GUARD:-}" ]; then
	owner=${PG_GUARD%% *}
	dir=${PG_GUARD#* }
	trap '' HUP INT TERM
	while kill -0 "$owner" 2>/dev/null && [ -d "$dir/data" ]; do
		sleep 1
	done
	pg_stop "$dir"
fi

