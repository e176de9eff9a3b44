#!/bin/sh
# The login lockout under parallel attempts: 30 wrong passwords and the
# right one started together with LOGIN_MAX_FAILURES=3 check at most three
# passwords against the hash, and a lock, once set, holds against the
# right password (watchdog(1), SECURITY).
. "$(dirname "$0")/lib.sh"

pw() { printf '%s\n' "$@"; }

setup_accounts
write_config LOGIN_MAX_FAILURES=3 LOGIN_LOCKOUT_MINUTES=10
bob_id=$(sql "SELECT id FROM users WHERE name='bob'")
mark=$(sql "SELECT max(id) FROM audit")

# 31 logins at once; the right one in the middle of the wrong ones.
mkdir -p "$T/par"
i=0
while [ $i -lt 31 ]; do
	if [ $i -eq 15 ]; then p='battery staple 2'; else p="wrong horse $i"; fi
	( pw "$p" | "$WD" --token --user bob --password-stdin \
	    > "$T/par/$i.out" 2> "$T/par/$i.err"
	  echo $? > "$T/par/$i.rc" ) &
	i=$((i + 1))
done
wait

done_n=$(ls "$T/par" | grep -c '\.rc$')
[ "$done_n" -eq 31 ] && pass "all 31 attempts ended" || fail "all 31 attempts ended" "$done_n"
bad=0
i=0
while [ $i -lt 31 ]; do
	if [ $i -ne 15 ] && [ "$(cat "$T/par/$i.rc")" != 77 ]; then bad=$((bad + 1)); fi
	i=$((i + 1))
done
[ "$bad" -eq 0 ] && pass "every wrong password exits 77" || fail "every wrong password exits 77" "$bad did not"
right_rc=$(cat "$T/par/15.rc")

# Each password checked against the hash ends as one of these events.
checked=$(sql "SELECT count(*) FROM audit WHERE user_id = $bob_id AND id > $mark AND
    (event IN ('login_failed', 'login') OR
     (event = 'login_locked' AND detail = 'right password while locked'))")
# A success resets the count: when the right password came early enough to
# be accepted, up to LOGIN_MAX_FAILURES more may be checked after it.
ok=$(sql "SELECT count(*) FROM audit WHERE user_id = $bob_id AND id > $mark AND event = 'login'")
limit=3
[ "$ok" -gt 0 ] && limit=6
[ "$checked" -le "$limit" ] && pass "at most LOGIN_MAX_FAILURES passwords checked ($checked, $ok accepted)" ||
    fail "at most LOGIN_MAX_FAILURES passwords checked" "$checked of 31 ($ok accepted)"
refused=$(sql "SELECT count(*) FROM audit WHERE user_id = $bob_id AND id > $mark AND event = 'login_locked'")
[ "$refused" -ge $((31 - limit)) ] && pass "the others refused as locked ($refused)" ||
    fail "the others refused as locked" "$refused"

# A success never comes after the lock, and never clears it.
late=$(sql "SELECT count(*) FROM audit a WHERE a.user_id = $bob_id AND a.id > $mark AND a.event = 'login'
    AND EXISTS (SELECT 1 FROM audit l WHERE l.user_id = $bob_id AND l.event = 'lockout' AND l.id > $mark AND l.id < a.id)")
[ "$late" -eq 0 ] && pass "no login accepted after the lockout" || fail "no login accepted after the lockout" "$late"
locks=$(sql "SELECT count(*) FROM audit WHERE user_id = $bob_id AND id > $mark AND event = 'lockout'")
if [ "$locks" -gt 0 ]; then
	run -i "$(pw 'battery staple 2')" "$WD" --token --user bob --password-stdin
	expect_rc 77 "the lock holds after the storm (right password: exit $right_rc)"
	expect_err "locked .* until" "the lock holds: said so"
else
	[ "$right_rc" -eq 0 ] && pass "no lockout: the right password was among the first three" ||
	    fail "no lockout, yet the right password refused" "$(cat "$T/par/15.err")"
fi

# Sequentially, as before: two failures and the right password clear the
# count; three failures lock, and the right password stays refused.
sql "DELETE FROM login_failures"
run -i "$(pw 'wrong horse')" "$WD" --token --user bob --password-stdin
run -i "$(pw 'wrong horse')" "$WD" --token --user bob --password-stdin
run -i "$(pw 'battery staple 2')" "$WD" --token --user bob --password-stdin
expect_rc 0 "two failures then the right password"
n=$(sql "SELECT count(*) FROM login_failures WHERE user_id = $bob_id")
[ "$n" -eq 0 ] && pass "a success clears the count" || fail "a success clears the count" "$n"

# An attempt killed between its reservation and its answer holds the
# allowance for LOGIN_LOCKOUT_MINUTES at most.
sql "INSERT INTO login_failures (user_id, unix_uid, failures, last_failure_at)
    VALUES ($bob_id, $(id -u), 3, $(date +%s))"
run -i "$(pw 'battery staple 2')" "$WD" --token --user bob --password-stdin
expect_rc 77 "attempts in progress hold the allowance"
run -i "$(pw 'battery staple 2')" faketime -f '+11m' "$WD" --token --user bob --password-stdin
expect_rc 0 "hanging attempts are given back after LOGIN_LOCKOUT_MINUTES"

finish
