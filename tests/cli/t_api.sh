#!/bin/sh
# watchdog --serve over real sockets (watchdog(1), THE HTTP API): every
# endpoint and error status, two users' permissions, rate limits, 413,
# If-Match, keyset pages, the notice after POST, the log line, the root
# refusal, SIGTERM.
. "$(dirname "$0")/lib.sh"

setup_accounts
# The server runs as nobody: it refuses root.
NOBODY=65534
chmod 755 "$T"
mkdir -p "$T/db" "$T/mail"
chown -R "$NOBODY:$NOBODY" "$T/db" "$T/mail"
as_nobody() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@"; }

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Start the server; wait until it answers (or 10 s).
start_server() {
	PORT=$(free_port)
	BASE="${SCHEME:-http}://127.0.0.1:$PORT"
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- \
	    "$WD" --serve --listen "127.0.0.1:$PORT" 2> "$T/server.log" &
	SPID=$!
	i=0
	while [ $i -lt 100 ]; do
		curl -s ${CACERT:+--cacert "$CACERT"} -o /dev/null "$BASE/" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "server starts" "$(cat "$T/server.log")"
	# One that never answered is not left running.
	kill -KILL "$SPID" 2>/dev/null
}

# Stop it with SIGTERM; it must exit 0 within 10 s.
stop_server() {
	kill -TERM "$SPID"
	i=0
	while kill -0 "$SPID" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$SPID" 2>/dev/null; then
		kill -KILL "$SPID"
		fail "SIGTERM stops the server"
	fi
	wait "$SPID"
	src=$?
}

# req METHOD PATH [TOKEN] [BODY] [HEADER]: $code, $out (body), $hdr.
req() {
	set -- "$1" "$2" "${3:-}" "${4:-}" "${5:-}"
	set -- "$@" -X "$1"
	[ -n "$3" ] && set -- "$@" -H "Authorization: Token $3"
	[ -n "$4" ] && set -- "$@" -H 'Content-Type: application/json' --data-binary "$4"
	[ -n "$5" ] && set -- "$@" -H "$5"
	path=$2
	shift 5
	code=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@" "$BASE$path")
	out=$(cat "$T/body")
	hdr=$(cat "$T/hdr")
}
expect_code() {
	if [ "$code" = "$1" ]; then pass "$2"; else
		fail "$2" "HTTP $code, expected $1: $out"; fi
}
expect_hdr() {
	if printf '%s\n' "$hdr" | grep -Eiq -- "$1"; then pass "$2"; else
		fail "$2" "headers do not match /$1/: $hdr"; fi
}

# The root refusal.
run "$WD" --serve --listen 127.0.0.1:1
expect_rc 77 "--serve as root: exit 77"
expect_err "refuses to run as root" "--serve as root: one line"

run as_nobody "$WD" --serve --listen nowhere
expect_rc 64 "--listen garbage: exit 64"

# Configuration errors: exit 78, one line.
write_config "API_TLS_CERT=$T/cert.pem"
run as_nobody "$WD" --serve
expect_rc 78 "API_TLS_CERT without API_TLS_KEY: exit 78"
expect_err "go together" "API_TLS_CERT without API_TLS_KEY: the message"
write_config "API_TLS_CERT=$T/none.pem" "API_TLS_KEY=$T/none.pem"
run as_nobody "$WD" --serve
expect_rc 78 "unreadable API_TLS_CERT: exit 78"
expect_err "API_TLS_CERT: cannot read" "unreadable API_TLS_CERT: the message"
write_config "API_LISTEN=localhost:8000"
run as_nobody "$WD" --serve
expect_rc 78 "API_LISTEN with a host name: exit 78"
expect_err "API_LISTEN" "API_LISTEN with a host name: the key named"
write_config

start_server

# Tokens: /api-token-auth/.
req POST /api-token-auth/ "" '{"username": "bob", "password": "battery staple 2"}'
expect_code 200 "token auth: 200"
BOB2=$(printf '%s' "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
[ -n "$BOB2" ] && pass "token auth: a token" || fail "token auth: a token" "$out"
req POST /api-token-auth/ "" '{"username": "bob", "password": "wrong one here"}'
expect_code 400 "token auth, wrong password: 400"
req POST /api-token-auth/ "" '{"username": "bob"'
expect_code 400 "malformed JSON: 400"
expect_grep '"detail"' "malformed JSON: a detail"
req POST /api-token-auth/ "" '["bob", "battery staple 2"]'
expect_code 400 "not an object: 400"
req POST /api-token-auth/ "" '{"username": "bob", "username": "x", "password": "battery staple 2"}'
expect_code 400 "a field named twice: 400"
# Bytes that are not UTF-8: 400 on either engine, never a database error.
code=$(printf '{"username": "bob\377", "password": "x"}' |
    curl -s -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @- "$BASE/api-token-auth/")
out=$(cat "$T/body")
expect_code 400 "a body that is not UTF-8: 400"
expect_grep "not valid UTF-8" "a body that is not UTF-8: says so"
# PostgreSQL's text holds no NUL: refused as not readable (watchdog(1)).
if on_pg; then
	req POST /api-token-auth/ "" '{"username": "bob\u0000", "password": "battery staple 2"}'
	expect_code 400 "a \\u0000 escape on PostgreSQL: 400"
fi

# Registration.
req POST /register/ "" '{"username": "carol", "email": "carol@example.org", "password": "horse battery 3"}'
expect_code 201 "register: 201"
expect_grep '"username": "carol"' "register: the account"
req POST /register/ "" '{"username": "dave", "email": "not an address", "password": "horse battery 3"}'
expect_code 400 "register, bad e-mail: 400"

# 401 and 404 routes, 405.
req GET /api/tickets/
expect_code 401 "no token: 401"
expect_hdr '^WWW-Authenticate: Token' "401: WWW-Authenticate"
req GET /api/tickets/ wdt_not_a_token
expect_code 401 "bad token: 401"
req GET /nowhere/ "$BOB2"
expect_code 404 "unknown path: 404"
req DELETE /api/tickets/ "$BOB2"
expect_code 405 "DELETE on the list: 405"

# POST /api/tickets/: the notice is mailed in the background.
req POST /api/tickets/ "$BOB2" '{"title": "Disk full on db1", "deadline": "2099-01-01T12:00:00Z", "description": "from monitoring", "priority": "high"}'
expect_code 201 "create: 201"
expect_grep '"sla_missed":false' "create: sla_missed"
expect_grep '"sla_warning_sent":false' "create: sla_warning_sent"
expect_grep '"owner":"bob"' "create: owner is the token's account"
expect_hdr '^Location: /api/tickets/1/' "create: Location"
expect_hdr '^ETag: "1"' "create: ETag is the version"
mail_has 'Disk full on db1' && pass "create: notice delivered" ||
    fail "create: notice delivered" "$(ls -R "$T/mail")"
req POST /api/tickets/ "$BOB2" '{"title": "no deadline"}'
expect_code 400 "create without deadline: 400"
req POST /api/tickets/ "$BOB2" '{"title": "x", "deadline": "soon"}'
expect_code 400 "create, bad deadline: 400"
req POST /api/tickets/ "$BOB2" '{"title": 42, "deadline": "+1h"}'
expect_code 400 "create, title not a string: 400"
req POST /api/tickets/ "$BOB2" '{"title": "a\nb", "deadline": "+1h"}'
expect_code 400 "create, two-line title: 400"
[ "$(sql 'SELECT count(*) FROM tickets')" = 1 ] && pass "bad creates change nothing" ||
    fail "bad creates change nothing"

# 413 without reading the body.
python3 -c 'print("{\"title\": \"" + "x" * 1100000 + "\"}")' > "$T/big.json"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Token $BOB2" \
    -H 'Content-Type: application/json' --data-binary "@$T/big.json" "$BASE/api/tickets/")
out=$(cat "$T/body")
expect_code 413 "body over 1 MiB: 413"

# GET one, PATCH with If-Match, 409, PUT, 404.
req GET /api/tickets/1/ "$ADMIN_TOKEN"
expect_code 200 "get: 200"
expect_grep '"title":"Disk full on db1"' "get: the ticket"
req PATCH /api/tickets/1/ "$ADMIN_TOKEN" '{"status": "in_progress"}' 'If-Match: "1"'
expect_code 200 "patch with If-Match: 200"
expect_grep '"version":2' "patch: version 2"
req PATCH /api/tickets/1/ "$BOB2" '{"status": "on_hold"}' 'If-Match: "1"'
expect_code 409 "patch, stale If-Match: 409"
[ "$(sql 'SELECT status FROM tickets WHERE id = 1')" = in_progress ] &&
    pass "409 changes nothing" || fail "409 changes nothing"
req PUT /api/tickets/1/ "$BOB2" '{"status": "open"}'
expect_code 400 "put without title: 400"
req PUT /api/tickets/1/ "$BOB2" '{"title": "Disk full on db1 (sdb)", "deadline": "2099-01-02T12:00:00Z"}'
expect_code 200 "put: 200"
req GET /api/tickets/99/ "$BOB2"
expect_code 404 "get, no such ticket: 404"
req PATCH /api/tickets/1/ "$BOB2" '{"status": "done"}'
expect_code 400 "patch, bad status: 400"

# Permissions: carol may not delete bob's ticket; bob may.
CAROL=$(printf 'horse battery 3\n' | "$WD" --token --user carol --password-stdin)
req DELETE /api/tickets/1/ "$CAROL"
expect_code 403 "delete another's ticket: 403"
req POST /api/tickets/ "$CAROL" '{"title": "Carol 1", "deadline": "+2h"}'
req DELETE /api/tickets/1/ "$BOB2"
expect_code 204 "delete own ticket: 204"
req GET /api/tickets/1/ "$BOB2"
expect_code 404 "deleted: 404"

# Comments: bob comments on carol's ticket; carol gets the notice.
req POST /api/tickets/2/comments/ "$BOB2" '{"text": "Rebooted db1 at noon"}'
expect_code 201 "comment: 201"
mail_has 'Rebooted db1 at noon' && pass "comment: notice delivered" ||
    fail "comment: notice delivered" "$(ls -R "$T/mail")"
req POST /api/tickets/2/comments/ "$BOB2" '{"text": ""}'
expect_code 400 "comment, empty: 400"
req POST /api/tickets/99/comments/ "$BOB2" '{"text": "x"}'
expect_code 404 "comment, no such ticket: 404"
req GET /api/tickets/2/comments/ "$BOB2"
expect_code 405 "GET comments: 405"

# Keyset pages: follow Link until there is none.
for n in 1 2 3 4; do
	req POST /api/tickets/ "$BOB2" "{\"title\": \"Page $n\", \"deadline\": \"+${n}h\"}"
done
next="/api/tickets/?limit=2"
seen=
pages=0
while [ -n "$next" ] && [ $pages -lt 10 ]; do
	req GET "$next" "$BOB2"
	seen="$seen$(printf '%s' "$out" | python3 -c 'import json, sys; print(" ".join(str(t["id"]) for t in json.load(sys.stdin)), end=" ")')"
	next=$(printf '%s\n' "$hdr" | sed -n 's/^Link: <\([^>]*\)>; rel="next".*/\1/p' | tr -d '\r')
	pages=$((pages + 1))
done
# List order: earliest deadline first (Carol's +2h sits after Page 1).
[ "$seen" = "3 2 4 5 6 " ] && pass "keyset pages follow Link" ||
    fail "keyset pages follow Link" "ids '$seen' in $pages pages"
req GET "/api/tickets/?mine=1" "$CAROL"
expect_grep '"title":"Carol 1"' "?mine=1"
req GET "/api/tickets/?status=resolved" "$CAROL"
expect_out "[]" "?status=resolved"
req GET "/api/tickets/?limit=0" "$CAROL"
expect_code 400 "?limit=0: 400"

# The log: one line a request, never a token.
i=0
while [ $i -lt 50 ] && ! grep -q ' GET /api/tickets/ 400 ' "$T/server.log"; do
	sleep 0.1
	i=$((i + 1))
done
grep -Eq '^127\.0\.0\.1 bob POST /api/tickets/ 201 [0-9]+ [0-9]+$' "$T/server.log" &&
    pass "log line: address user method path status bytes us" ||
    fail "log line" "$(cat "$T/server.log")"
if grep -q -e "$BOB2" -e "$CAROL" -e "battery staple" "$T/server.log"; then
	fail "log: no token or password"
else
	pass "log: no token or password"
fi
grep -q 'limit=' "$T/server.log" && fail "log: no query" || pass "log: no query"

stop_server
[ "$src" = 0 ] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit 0" "exit $src"

# HTTPS with API_TLS_CERT and API_TLS_KEY, the certificate verified.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" \
    -out "$T/cert.pem" >/dev/null 2>&1
chmod 644 "$T/key.pem"
write_config "API_TLS_CERT=$T/cert.pem" "API_TLS_KEY=$T/key.pem"
SCHEME=https CACERT=$T/cert.pem start_server
code=$(curl -s --cacert "$T/cert.pem" -o "$T/body" -w '%{http_code}' \
    -H "Authorization: Token $CAROL" "$BASE/api/tickets/2/")
expect_code 200 "HTTPS: 200 with a verified certificate"
stop_server

# Rate limits: 429 with Retry-After.
write_config "RATE_LIMIT_CREATE=1/m" "RATE_LIMIT_READ=1/m"
start_server
req POST /api/tickets/ "$CAROL" '{"title": "one", "deadline": "+1h"}'
expect_code 201 "first create under the limit"
req POST /api/tickets/ "$CAROL" '{"title": "two", "deadline": "+1h"}'
expect_code 429 "create past the limit: 429"
expect_hdr '^Retry-After: [0-9]+' "429: Retry-After"
req GET /api/tickets/2/ "$CAROL"
req GET /api/tickets/2/ "$CAROL"
expect_code 429 "read past the limit: 429"
# A disabled account's token no longer works.
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update-user carol --disable >/dev/null 2>&1
req GET /api/tickets/ "$CAROL"
expect_code 401 "disabled account: 401"
stop_server

finish
