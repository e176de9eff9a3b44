#!/bin/sh
# Invisible format characters (bidirectional overrides such as U+202E,
# zero-width characters) and titles that show nothing: refused in titles
# (exit 65, nothing written), made visible as <U+202E> wherever stored text
# is shown (watchdog(1), --create).
. "$(dirname "$0")/lib.sh"

setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
RLO=$(printf '\342\200\256')	# U+202E
ZWSP=$(printf '\342\200\213')	# U+200B
IDSP=$(printf '\343\200\200')	# U+3000, ideographic space

count() { sql "SELECT count(*) FROM tickets"; }
before=$(count)
run "$WD" --create --title "Invoice${RLO}txt.exe" --deadline +1h
expect_rc 65 "a title with U+202E is refused"
expect_err "invisible format character \(U\+202E\)" "the refusal names the character"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass "the refusal is one line" || fail "the refusal is one line" "$err"
run "$WD" --create --title "pay${ZWSP}pal" --deadline +1h
expect_rc 65 "a title with U+200B is refused"
run "$WD" --create --title "${IDSP}${IDSP}" --deadline +1h
expect_rc 65 "a title with no visible character is refused"
expect_err "no visible character" "the refusal says why"
[ "$(count)" = "$before" ] && pass "refused titles: nothing created" || fail "refused titles: nothing created" "$(count)"

id=$("$WD" --create --title 'Plain title' --deadline +90m)
v=$(sql "SELECT version FROM tickets WHERE id = $id")
run "$WD" --update "$id" --title "a${RLO}b"
expect_rc 65 "--update to a title with U+202E is refused"
[ "$(sql "SELECT title || ' ' || version FROM tickets WHERE id = $id")" = "Plain title $v" ] &&
    pass "refused update: ticket unchanged" || fail "refused update: ticket unchanged"

# Text stored behind the program's back is shown, not obeyed.
sql "UPDATE tickets SET title = 'Invoice${RLO}txt.exe' WHERE id = $id"
run "$WD" --list
expect_grep "Invoice<U\+202E>txt\.exe" "--list shows <U+202E>"
run "$WD" --show "$id"
expect_grep "Invoice<U\+202E>txt\.exe" "--show shows <U+202E>"
case "$out" in *"$RLO"*) fail "--show prints no raw U+202E" ;; *) pass "--show prints no raw U+202E" ;; esac
run "$WD" --show "$id" --json
case "$out" in *"$RLO"*) fail "--show --json prints no raw U+202E" ;; *) pass "--show --json prints no raw U+202E" ;; esac
t=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"].encode("unicode_escape").decode())')
[ "$t" = 'Invoice\u202etxt.exe' ] && pass "--show --json: the same title to a parser" || fail "--show --json: the same title to a parser" "$t"
run "$WD" --list --json
expect_grep 'Invoice\\u202etxt\.exe' "--list --json writes \\u202e"
# The pass runs 31 minutes ahead: first let the background deliveries of
# the created notices land, or the pass would take their claims for stale.
i=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
run faketime -f '+31m' "$WD" --check-sla
expect_rc 0 "--check-sla with the stored title"
warning() { grep -l "SLA warning" "$T"/mail/new/* 2>/dev/null | head -1; }
i=0
while [ -z "$(warning)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
f=$(warning)
if [ -n "$f" ]; then
	grep -q "^Subject: .*Invoice<U+202E>txt\.exe" "$f" && pass "the notice's subject shows <U+202E>" ||
	    fail "the notice's subject shows <U+202E>" "$(grep '^Subject' "$f")"
	if grep -q "$RLO" "$f" || grep -qi "=E2=80=AE" "$f"; then
		fail "the notice holds no raw U+202E"
	else
		pass "the notice holds no raw U+202E"
	fi
else
	fail "the warning was written" "$(ls "$T/mail/new" 2>&1)"
fi
finish
