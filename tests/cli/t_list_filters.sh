#!/bin/sh
# --list filters, pages, counts and formats (watchdog(1), FILTERS AND
# FORMATS), on the real binary; the clock is the real one, deadlines are
# relative to it and far from the edges.
. "$(dirname "$0")/lib.sh"
setup_accounts
PY=/usr/bin/python3
export WATCHDOG_TOKEN=$BOB_TOKEN

new() { "$WD" --create "$@"; }
a=$(new --title 'Printer on fire' --deadline @$(($(date +%s) - 7200)) --priority urgent --assignee admin)
b=$(new --title 'Café crème machine' --description 'the ÉCLAIR, "cold"' --deadline +30m --status on_hold)
c=$(new --title 'Disk full, again' --description "$(printf 'line one\nline two')" --deadline +5h --priority high --assignee bob)
d=$(new --title 'Old thing' --deadline +7h --status resolved)
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --create --title 'Admin own' --deadline +9h >/dev/null
e=$(sql "SELECT max(id) FROM tickets")

ids() { printf '%s' "$out" | tr '\n' ' ' | sed 's/ $//'; }
expect_ids() {
	if [ "$rc" -eq 0 ] && [ "$(ids)" = "$1" ]; then pass "$2"; else
		fail "$2" "exit $rc, ids '$(ids)', expected '$1'; stderr: $err"; fi
}

run "$WD" --list --ids
expect_ids "$a $b $c $e" "--ids: the open tickets, most urgent first"
run "$WD" --list --all --ids
expect_ids "$a $b $c $d $e" "--all --ids"
run "$WD" --list --status on_hold,resolved --ids
expect_ids "$b $d" "--status, a list"
run "$WD" --list --priority urgent,high --ids
expect_ids "$a $c" "--priority, a list"
run "$WD" --list --assignee none --ids
expect_ids "$b $e" "--assignee none"
run "$WD" --list --assignee me --ids
expect_ids "$c" "--assignee me"
run "$WD" --list --assignee ADMIN --ids
expect_ids "$a" "--assignee NAME, any case"
run "$WD" --list --owner admin --ids
expect_ids "$e" "--owner NAME"
run "$WD" --list --owner me --ids
expect_ids "$a $b $c" "--owner me"
run "$WD" --list --sla missed --ids
expect_ids "$a" "--sla missed"
run "$WD" --list --sla warning,ok --ids
expect_ids "$c $e" "--sla warning,ok (the on_hold one is paused)"
run "$WD" --list --sla met --ids
expect_ids "$d" "--sla met lists resolved tickets"
run "$WD" --list --sla paused --ids
expect_ids "$b" "--sla paused: the on_hold ticket (SLA_PAUSE_STATUSES)"
run "$WD" --list --due-within 1h --ids
expect_ids "$a $b" "--due-within 1h (overdue included)"
run "$WD" --list --due-within 1h30m --sla paused,ok --ids
expect_ids "$b" "--due-within and --sla combine"
run "$WD" --list --search 'CAFE eclair' --ids
expect_ids "$b" "--search: any case, any accent, every word"
run "$WD" --list --search 'dis' --ids
expect_ids "$c" "--search: words as prefixes"
run "$WD" --list --search 'thing' --all --ids
expect_ids "$d" "--search with --all"
run "$WD" --list --mine --ids
expect_ids "$a $b $c" "--mine still works"
run "$WD" --list --overdue --ids
expect_ids "$a" "--overdue still works"
run "$WD" --list --priority normal --assignee none --owner me --ids
expect_ids "$b" "three filters combine with AND"

# Keyset pages and counts.
run "$WD" --list --all --limit 2 --ids
expect_ids "$a $b" "--limit"
run "$WD" --list --all --limit 2 --after "$b" --ids
expect_ids "$c $d" "--after the last id of a page: the next page"
run "$WD" --list --all --after "$e" --ids
expect_ids "" "--after the last ticket: nothing"
run "$WD" --list --count
expect_out 4 "--count"
run "$WD" --list --count --all --limit 3
expect_out 3 "--count honours --limit"
run "$WD" --list --count --sla missed
expect_out 1 "--count with a filter"

# Bad values: one line, 64 or 65.
bad() {
	want=$1; shift
	run "$WD" --list "$@"
	if [ "$rc" -eq "$want" ] && [ -z "$out" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	    printf '%s' "$err" | grep -q '^watchdog: '; then pass "bad: $* -> $want"; else
		fail "bad: $* -> $want" "exit $rc; out '$out'; err '$err'"; fi
}
bad 65 --status closed
bad 65 --status open,
bad 65 --priority critical
bad 65 --sla late
bad 65 --assignee nobody
bad 65 --owner none
bad 65 --due-within soon
bad 65 --due-within -2h
bad 65 --limit 0
bad 65 --limit x
bad 65 --after 999
bad 65 --search '  '
bad 65 --search "$(printf 'caf\351')"
bad 64 --csv --json
bad 64 --ids --count
bad 64 --columns id --json
bad 64 --columns id,nope
bad 64 --no-headers --ids
bad 64 --mine --all
run "$WD" --list --status closed
expect_err "use open, in_progress, on_hold or resolved" "a bad value names the choices"

# Formats: --ndjson, --json, --csv, --columns, --no-headers.
run "$WD" --list --all --ndjson
expect_rc 0 "--ndjson"
printf '%s\n' "$out" | $PY -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 5, lines
objs = [json.loads(l) for l in lines]
want = ["id","title","description","status","priority","owner","assignee","deadline","created_at","updated_at","resolved_at","sla_state","sla_policy","paused_seconds","version"]
assert all(list(o.keys()) == want for o in objs), objs[0].keys()
assert objs[1]["title"] == "Café crème machine"
' && pass "--ndjson: one object a line, the ticket fields" || fail "--ndjson: one object a line, the ticket fields" "$out"
run "$WD" --list --all --json
printf '%s' "$out" | $PY -c '
import json, sys
a = json.load(sys.stdin)
assert [o["id"] for o in a] == [int(x) for x in sys.argv[1:]], a
' "$a" "$b" "$c" "$d" "$e" && pass "--json: one array, in list order" || fail "--json: one array, in list order" "$out"
run "$WD" --list --search nothingmatches --json
expect_out "[]" "--json with no rows: an empty array"
"$WD" --list --all --csv > "$T/list.csv"
$PY - "$T/list.csv" "$b" "$c" <<'PYEOF' && pass "--csv: RFC 4180, CRLF, quoting, the JSON fields" || fail "--csv: RFC 4180, CRLF, quoting, the JSON fields" "$(cat -A "$T/list.csv")"
import csv, sys
raw = open(sys.argv[1], newline="").read()
assert raw.endswith("\r\n") and raw.count("\r\n") == 6, repr(raw)
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["id","title","description","status","priority","owner","assignee","deadline","created_at","updated_at","resolved_at","sla_state","sla_policy","paused_seconds","version"], rows[0]
by = {r[0]: r for r in rows[1:]}
assert by[sys.argv[2]][2] == 'the ÉCLAIR, "cold"', by[sys.argv[2]]
assert by[sys.argv[3]][1] == "Disk full, again"
assert by[sys.argv[3]][2] == "line one\nline two", by[sys.argv[3]]
assert by[sys.argv[2]][6] == "" and by[sys.argv[2]][10] == ""
PYEOF
run "$WD" --list --csv --no-headers --limit 1
expect_grep "^$a,Printer on fire," "--csv --no-headers"
run "$WD" --list --columns id,sla,owner,title
expect_grep '^ID +SLA +OWNER +TITLE$' "--columns: the header"
expect_grep "^$a +missed +bob +Printer on fire$" "--columns: the row"
run "$WD" --list --columns title,id --no-headers --limit 1
expect_grep "^Printer on fire +$a$" "--no-headers, columns in the order given"
run "$WD" --list --no-headers --search nothingmatches
expect_out "" "--no-headers with no rows prints nothing"
run "$WD" --list
expect_grep '^ID +PRIORITY +STATUS +SLA +DEADLINE +LEFT +ASSIGNEE +TITLE$' "the default table is as before"

# One read per command against RATE_LIMIT_READ.
write_config RATE_LIMIT_READ=2/hour
before=$(sql "SELECT count(*) FROM rate_events WHERE kind = 'read'")
run "$WD" --list --all --ids
after=$(sql "SELECT count(*) FROM rate_events WHERE kind = 'read'")
[ $((after - before)) -eq 1 ] && pass "a list of five is one read" || fail "a list of five is one read" "$before -> $after"
run "$WD" --list --count
run "$WD" --list --count
expect_rc 75 "past RATE_LIMIT_READ: 75"
finish
