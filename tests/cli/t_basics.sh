#!/bin/sh
# Usage errors, --help and --version.
. "$(dirname "$0")/lib.sh"

run "$WD" --help
expect_rc 0 "--help exits 0"
expect_grep '--create --title T \[--deadline D\]' "--help lists --create"
expect_grep '--if-version N' "--help lists the options"

run "$WD" --version
expect_rc 0 "--version exits 0"
expect_grep '^watchdog [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

run "$WD" --frobnicate
expect_rc 64 "unknown option is a usage error"
expect_err '^watchdog: unknown option --frobnicate' "unknown option named"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass "one line on stderr" || fail "one line on stderr" "$err"

run "$WD" --lis
expect_rc 64 "abbreviated options are refused"
expect_err 'unknown option --lis' "abbreviation named"

run "$WD" --show
expect_rc 64 "missing argument is a usage error"
expect_err 'needs an argument' "missing argument said"

run "$WD" --list --create
expect_rc 64 "two modes are a usage error"

run "$WD" --list --title x
expect_rc 64 "option of another mode is a usage error"
expect_err '--title is not used with --list' "option/mode mismatch named"

run "$WD" --list stray
expect_rc 64 "stray operand is a usage error"

run "$WD" --list --mine --all
expect_rc 64 "--mine and --all exclude each other"

run "$WD" --update 1
expect_rc 64 "--update with nothing to change"

run "$WD" --create --deadline +1h
expect_rc 64 "--create without --title"

# --doctor itself is in t_privilege.sh; here only that it is a mode.
run "$WD" --doctor
expect_grep '^(ok|warn|FAIL) ' "--doctor prints one line per finding"
[ "$rc" -le 1 ] && pass "--doctor exits 0 or 1" || fail "--doctor exits 0 or 1" "exit $rc"

finish
