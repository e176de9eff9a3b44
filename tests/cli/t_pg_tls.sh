#!/bin/sh
# PostgreSQL over TCP with TLS (watchdog(1), SEVERAL HOSTS: POSTGRESQL):
# libpq's URL parameters as any libpq program takes them. A private
# server on the loopback with a certificate of a test CA: sslmode=
# verify-full with sslrootcert connects, and --doctor says TLS; a server
# whose certificate the CA did not sign, or that names another host, is
# refused at once (not tried again as if the server were away), on one
# line that says why, exit 78 (the URL is to be mended); sslmode=require
# with no TLS on the server too.
. "$(dirname "$0")/lib.sh"
pg_unsupported "it runs in the cli layer, on a PostgreSQL server of its own"
. "$top/tests/mail/lib.sh"
. "$top/tests/pg/lib.sh"

make_certs || { fail "certificates made" "$(cat "$T/openssl.out")"; finish; exit 1; }
pg_private
pg_createdb "$PGD" wd
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# serve_tls CERT KEY: the server again, on the loopback too, with TLS
# from CERT and KEY (CERT empty: without TLS).
serve_tls() {
	pg_down "$PGD"
	if [ -n "$1" ]; then
		cp "$1" "$PGD/data/server.crt"
		cp "$2" "$PGD/data/server.key"
		[ "$(id -u)" -eq 0 ] && chown postgres:postgres \
		    "$PGD/data/server.crt" "$PGD/data/server.key"
		chmod 600 "$PGD/data/server.key"
		ssl=on
	else
		ssl=off
	fi
	pg_as "$(pg_bindir)/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w \
	    -t 30 -o "-c listen_addresses=127.0.0.1 -c port=$port \
	    -c unix_socket_directories=$PGD -c fsync=off -c ssl=$ssl" start \
	    > /dev/null 2>&1
}
url() { echo "postgresql://postgres@$1:$port/wd?sslmode=$2&sslrootcert=$CERTS/ca.pem&connect_timeout=5"; }
now_ms() { date +%s%3N; }
# once WHAT: the failure was not tried again (no "tried N times").
once() {
	case "$err" in
	*tried*) fail "$1: not tried again" "$err" ;;
	*) pass "$1: not tried again" ;;
	esac
}

serve_tls "$CERTS/server.pem" "$CERTS/server.key" ||
    { fail "the server starts with TLS" "$(tail -5 "$PGD/server.log")"; finish; exit 1; }
write_config "DATABASE_URL=$(url localhost verify-full)"
run "$WD" --init
expect_rc 0 "verify-full, the CA's certificate: --init"
setup_accounts
run env WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --create --title 'Over TLS' --deadline +2h
expect_rc 0 "verify-full: a ticket made"
run "$WD" --doctor
expect_grep "database connection: TLS" "--doctor: TLS"

# A certificate the CA did not sign: refused at once, saying why.
serve_tls "$CERTS/untrusted.pem" "$CERTS/untrusted.key" ||
    fail "the server starts with another certificate"
t0=$(now_ms)
run env WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --list
t1=$(now_ms)
expect_rc 78 "a certificate of another CA: exit 78"
expect_err "^watchdog: cannot connect to database postgresql://postgres@localhost:$port/wd.*certificate verify failed" \
    "a certificate of another CA: says so"
once "a certificate of another CA"
[ $((t1 - t0)) -lt 1500 ] && pass "a certificate of another CA: at once ($((t1 - t0)) ms)" ||
    fail "a certificate of another CA: at once" "$((t1 - t0)) ms"

# The CA's certificate, but for another name than the URL's host.
serve_tls "$CERTS/server.pem" "$CERTS/server.key" || fail "the server starts again"
write_config "DATABASE_URL=postgresql://postgres@127.0.0.2:$port/wd?sslmode=verify-full&sslrootcert=$CERTS/ca.pem&hostaddr=127.0.0.1&connect_timeout=5"
run env WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --list
expect_rc 78 "a certificate for another host: exit 78"
expect_err "does not match host name" "a certificate for another host: says so"
once "a certificate for another host"

# sslmode=require against a server without TLS.
serve_tls "" "" || fail "the server starts without TLS"
write_config "DATABASE_URL=$(url localhost require)"
run env WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --list
expect_rc 78 "require, a server without TLS: exit 78"
expect_err "does not support SSL" "require, a server without TLS: says so"
once "require, a server without TLS"

finish
