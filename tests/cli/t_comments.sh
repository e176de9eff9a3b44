#!/bin/sh
# Comments through --comment and --show (watchdog(1), COMMENTS).
. "$(dirname "$0")/lib.sh"
setup_accounts
PY=/usr/bin/python3
export WATCHDOG_TOKEN=$BOB_TOKEN

id=$("$WD" --create --title 'Printer on fire' --deadline '+2h')
other=$("$WD" --create --title 'Other' --deadline '+2h')

# The ticket's updated_at moves, its version does not.
faketime -f '@2030-01-01 10:00:00' "$WD" --create --title 'Clocked' --deadline '2030-01-02 10:00' > "$T/clocked"
clocked=$(cat "$T/clocked")
run faketime -f '@2030-01-01 11:00:00' "$WD" --comment "$clocked" --text 'looked at it'
expect_rc 0 "--comment on a ticket"
expect_grep '^[0-9]+$' "--comment prints the comment's id alone"
run "$WD" --show "$clocked" --json
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["updated_at"] == "2030-01-01T11:00:00Z", d["updated_at"]
assert d["version"] == 1, d["version"]
' && pass "a comment moves updated_at, not the version" || fail "a comment moves updated_at, not the version" "$out"

run "$WD" --comment "$id" --text 'First: power-cycled it'
expect_rc 0 "first comment"
first=$out
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --comment "#$id" --text 'Second, by admin'
expect_rc 0 "any logged-in user comments, #ID accepted"
printf 'line one\n\ttabbed line two\n' > "$T/multi"
run -i "$(cat "$T/multi"; echo)" "$WD" --comment "$id" --text -
expect_rc 0 "--text - reads standard input"

run "$WD" --show "$id" --json
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
c = d["comments"]
assert len(c) == 3, c
assert [list(x.keys()) for x in c] == [["id", "author", "created_at", "text"]] * 3, c
assert [x["author"] for x in c] == ["bob", "admin", "bob"], c
assert c[0]["text"] == "First: power-cycled it", c
assert c[2]["text"] == "line one\n\ttabbed line two", repr(c[2]["text"])
assert c[0]["id"] < c[1]["id"] < c[2]["id"]
assert c[0]["created_at"].endswith("Z")
assert "history" in d
' && pass "--show --json has comments in order, one trailing newline dropped" || fail "--show --json has comments in order, one trailing newline dropped" "$out"
run "$WD" --show "$other" --json
printf '%s' "$out" | $PY -c '
import json, sys
assert json.load(sys.stdin)["comments"] == []
' && pass "no comments: an empty array" || fail "no comments: an empty array" "$out"

run "$WD" --show "$id"
expect_rc 0 "--show with comments"
printf '%s\n' "$out" | $PY -c '
import sys
s = sys.stdin.read()
d, c, h = s.index("Description:") if "Description:" in s else 0, s.index("Comments:"), s.index("History:")
assert d <= c < h, s
assert "First: power-cycled it" in s and "Second, by admin" in s and "    line one" in s, s
assert s.index("First") < s.index("Second") < s.index("line one"), s
' && pass "--show prints comments in order before the history" || fail "--show prints comments in order before the history" "$out"

# Bad input: one line, the right code, nothing stored.
count() { sql "SELECT count(*) FROM comments"; }
before=$(count)
run "$WD" --comment "$id" --text ''
expect_rc 65 "an empty comment exits 65"
expect_err "comment is empty" "an empty comment is explained"
run "$WD" --comment "$id" --text '   '
expect_rc 65 "a blank comment exits 65"
run "$WD" --comment "$id" --text "$(printf 'evil \033]0;pwned\007')"
expect_rc 65 "control characters are refused"
expect_err "comment contains control characters" "control characters explained"
run "$WD" --comment "$id" --text "$(printf 'a\rb')"
expect_rc 65 "a carriage return is refused"
$PY -c 'print("x" * 65537)' > "$T/big"
run -i "$(cat "$T/big")" "$WD" --comment "$id" --text -
expect_rc 65 "a comment over 64 KiB exits 65"
expect_err "longer than 65536 bytes" "the size limit is named"
$PY -c 'print("y" * 65536)' > "$T/max"
run -i "$(cat "$T/max")
" "$WD" --comment "$other" --text -
expect_rc 0 "a comment of exactly 64 KiB (and its newline) is taken"
sql "DELETE FROM comments WHERE ticket_id = $other"
run "$WD" --comment 999999 --text 'hello'
expect_rc 1 "a comment on a missing ticket exits 1"
expect_err "no ticket #999999" "the missing ticket is named"
run "$WD" --comment abc --text 'hello'
expect_rc 65 "a bad ticket id exits 65"
run "$WD" --comment "$id"
expect_rc 64 "--comment without --text exits 64"
run "$WD" --comment
expect_rc 64 "--comment without an id exits 64"
run "$WD" --list --text foo
expect_rc 64 "--text belongs to --comment only"
WATCHDOG_TOKEN= run "$WD" --comment "$id" --text 'hello'
expect_rc 77 "no token: 77"
WATCHDOG_TOKEN=nonsense run "$WD" --comment "$id" --text 'hello'
expect_rc 77 "a bad token: 77"
[ "$(count)" = "$before" ] && pass "refused comments stored nothing" || fail "refused comments stored nothing" "$before -> $(count)"

# Comments count against RATE_LIMIT_CREATE, shared with --create.
write_config "RATE_LIMIT_CREATE=2/h"
run "$WD" --create --title 'rate 1' --deadline '+1h'
rated=$out
run "$WD" --comment "$rated" --text 'rate 2'
expect_rc 0 "a comment within the creation budget"
before=$(count)
run "$WD" --comment "$rated" --text 'rate 3'
expect_rc 75 "a comment past RATE_LIMIT_CREATE exits 75"
expect_err "rate limit" "the rate limit is named"
[ "$(count)" = "$before" ] && pass "a rate-limited comment is not stored" || fail "a rate-limited comment is not stored"
write_config

# --list --search finds the words of the comments, as soon as they are
# added, and forgets them with the ticket.
run "$WD" --list --search 'Zyxwvut' --ids
[ -z "$out" ] && pass "search: the word is in no ticket yet" || fail "search: the word is in no ticket yet" "$out"
run "$WD" --comment "$id" --text 'the Zyxwvut controller was reseated'
run "$WD" --list --search 'zyxwvut reseat' --ids
[ "$out" = "$id" ] && pass "search: finds the words of a comment" || fail "search: finds the words of a comment" "$out"
run "$WD" --list --search 'zyxwvut' --all --count
[ "$out" = 1 ] && pass "search: one ticket for the comment's word" || fail "search: one ticket for the comment's word" "$out"

# Deleting a ticket deletes its comments.
run "$WD" --delete "$id"
expect_rc 0 "delete the commented ticket"
[ "$(sql "SELECT count(*) FROM comments WHERE ticket_id = $id")" = 0 ] && pass "deleting a ticket deletes its comments" || fail "deleting a ticket deletes its comments"
run "$WD" --list --search 'zyxwvut' --all --count
[ "$out" = 0 ] && pass "search: a deleted ticket's comments are not found" || fail "search: a deleted ticket's comments are not found" "$out"

finish
