#!/bin/sh
# The notices after a miss over SMTP through a simulated fortnight
# (watchdog(1), SLA POLICIES): a three-step escalation ladder, the missed
# notice repeated daily, quiet hours holding notices until the next
# opening and releasing them, a calendar-policy ticket never held; each
# exactly once with two passes at every hour and a pass killed with -9.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
mail_prereqs || { finish; exit 0; }
start_smtpd || { fail "smtpd started"; finish; exit 0; }
smtp_config DEFAULT_FROM_EMAIL=watchdog@example.net RATE_LIMIT_CREATE=0 \
    TIME_ZONE=Europe/Berlin 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'SLA_POLICY_URGENT=4h business' 'SLA_POLICY_LOW=2h calendar' \
    SLA_WARNINGS=60m \
    'SLA_ESCALATION=0m:lead@example.com, 2h:manager@example.com, 1d:director@example.com' \
    SLA_MISSED_REPEAT=1d QUIET_OUTSIDE_BUSINESS_HOURS=true
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN

# at UTC-TIME CMD...: the binary at that moment.
at() { t=$1; shift; run faketime -f "@$t" "$WD" "$@"; }
# What the server received for ticket $1: "recipient kind" lines, sorted,
# counted (kind from the subject: created, warning or missed). A message
# is counted once per Message-ID: a pass killed with -9 may send again the
# one message it had in flight, with the same Message-ID (watchdog(1));
# copies() counts those.
got() {
	$PY - "$SMTP_MAILDIR" "$1" <<'PYEOF'
import collections, email, os, re, sys
d, tid = sys.argv[1], sys.argv[2]
seen = set()
for f in os.listdir(d):
    if not f.endswith('.eml'):
        continue
    m = email.message_from_bytes(open(os.path.join(d, f), 'rb').read())
    subj = re.sub(r'\s+', ' ', str(m['Subject']))
    if '[watchdog #%s]' % tid not in subj:
        continue
    kind = 'missed' if 'missed' in subj else 'warning' if 'warning' in subj else 'created'
    for line in open(os.path.join(d, f[:-4] + '.env')):
        if line.startswith('to '):
            seen.add((line[3:].strip(), kind, m['Message-ID']))
c = collections.Counter('%s %s' % (to, kind) for to, kind, _ in seen)
for k in sorted(c):
    print('%d %s' % (c[k], k))
PYEOF
}
# copies: "twice N, more M": the Message-IDs received twice, and more often.
copies() {
	$PY - "$SMTP_MAILDIR" <<'PYEOF'
import collections, email, os, sys
d = sys.argv[1]
c = collections.Counter(
    email.message_from_bytes(open(os.path.join(d, f), 'rb').read())['Message-ID']
    for f in os.listdir(d) if f.endswith('.eml'))
print('twice %d, more %d' % (sum(1 for n in c.values() if n == 2),
                             sum(1 for n in c.values() if n > 2)))
PYEOF
}
# hour UTC-TIME: two passes at once, as two crons would run them.
hour() {
	faketime -f "@$1" "$WD" --check-sla > /dev/null 2>&1 &
	p=$!
	faketime -f "@$1" "$WD" --check-sla > /dev/null 2>&1
	wait $p
}

# Monday 7 December 2026 13:00 CET: urgent, due 17:00 (16:00Z), the close.
at '2026-12-07 12:00:00' --create --title 'Urgent' --priority urgent
a=$out
# 16:30 CET: low on a calendar policy, due 18:30 (17:30Z), after hours.
at '2026-12-07 15:30:00' --create --title 'Low' --priority low
b=$out
wait_n() { i=0; while [ "$(received_count)" -lt "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; }
wait_n 2

# A fortnight of hourly passes; quiet hours hold what falls outside.
d=7
while [ $d -le 21 ]; do
	h=0
	while [ $h -le 23 ]; do
		now=$(printf '2026-12-%02d %02d:00:00' $d $h)
		case "$now" in
		'2026-12-08 08:00:00')
			# Tue 09:00 CET, the opening: what was held goes now.
			# A pass killed in the middle first loses nothing.
			faketime -f "@$now" "$WD" --check-sla > /dev/null 2>&1 &
			k=$!
			sleep 0.02
			kill -9 $k 2>/dev/null
			wait $k 2>/dev/null
			;;
		'2026-12-07 16:00:00')
			hour "$now"
			got "$a" > "$T/a-held"
			;;
		'2026-12-10 12:00:00')
			at "$now" --update "$b" --status resolved
			;;
		'2026-12-16 11:00:00')
			at "$now" --update "$a" --status resolved
			;;
		esac
		hour "$now"
		h=$((h + 1))
	done
	d=$((d + 1))
done
wait_n 1

# Held at 17:00 CET (the close): only the created notice and the warning.
[ "$(cat "$T/a-held")" = "1 bob@example.org created
1 bob@example.org warning" ] && pass "quiet hours: the miss at the close is held" || fail "quiet hours: the miss at the close is held" "$(cat "$T/a-held")"
# Urgent (business policy): warning Mon 16:00; held missed, the 0m lead
# and the 2h manager at Tue 09:00; the 1d director and the first repeat at
# Wed 09:00; then a repeat each business morning (Thu, Fri, Mon, Tue, Wed;
# the weekend's held to Monday, one only) until resolved Wed 16th noon:
# the missed notice and six repeats to the owner.
got "$a" > "$T/a"
[ "$(cat "$T/a")" = "1 bob@example.org created
7 bob@example.org missed
1 bob@example.org warning
1 director@example.com missed
1 lead@example.com missed
1 manager@example.com missed" ] && pass "business ticket: ladder, repeats, each once" || fail "business ticket: ladder, repeats, each once" "$(cat "$T/a")"
n=$(copies)
case "$n" in
'twice 0, more 0' | 'twice 1, more 0') pass "sent again only what the killed pass had in flight ($n)" ;;
*) fail "sent again only what the killed pass had in flight" "$n" ;;
esac
# When they went: the missed notice of the urgent one at Tue 09:00 CET.
n=$(sql "SELECT count(*) FROM outbox WHERE ticket_id = $a AND kind = 'missed' AND seq IN (0, 2) AND created_at = $(date -u -d '2026-12-08 08:00:00' +%s)")
[ "$n" = 3 ] && pass "released at the opening: missed and the 2h step at Tue 09:00" || fail "released at the opening" "$n"
n=$(sql "SELECT count(*) FROM outbox WHERE ticket_id = $a AND kind = 'missed' AND created_at = $(date -u -d '2026-12-14 08:00:00' +%s)")
[ "$n" = 1 ] && pass "the weekend's repeat held to Monday 09:00, once" || fail "the weekend's repeat held to Monday 09:00, once" "$n"
# Low (calendar policy): never held: missed 19:00 CET, steps and repeats
# at their hours; resolved Thursday: the missed notice and two repeats.
got "$b" > "$T/b"
[ "$(cat "$T/b")" = "1 bob@example.org created
3 bob@example.org missed
1 bob@example.org warning
1 director@example.com missed
1 lead@example.com missed
1 manager@example.com missed" ] && pass "calendar ticket: never held" || fail "calendar ticket: never held" "$(cat "$T/b")"
n=$(sql "SELECT count(*) FROM outbox WHERE ticket_id = $b AND seq = 2 AND created_at = $(date -u -d '2026-12-07 20:00:00' +%s)")
[ "$n" = 1 ] && pass "calendar ticket: the 2h step at 21:00 CET, after hours" || fail "calendar ticket: the 2h step at 21:00 CET" "$n"
[ "$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] && pass "all delivered" || fail "all delivered" "$(sql "SELECT kind, seq, state FROM outbox WHERE state <> 'sent'")"

finish
