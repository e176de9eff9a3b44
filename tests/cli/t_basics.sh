#!/bin/sh
# Usage errors, --help and --version; the libraries loaded at start.
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

# Every command starts with only the libraries all commands need: those of
# one backend or one mode are loaded when used (libcurl by the smtp
# backend, libical by HOLIDAYS_FILE, libpq by a PostgreSQL URL,
# libmicrohttpd by --serve, libcrypto by a Django password hash). Linked
# in, they cost each start milliseconds (an idle --check-sla three times).
needed=$(readelf -d "$WD" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
for lib in libcurl libical libpq libmicrohttpd libcrypto libgnutls; do
	case " $needed" in
	*" $lib"*) fail "$lib is not linked in (loaded when used)" \
	    "needed: $needed" ;;
	*) pass "$lib is not linked in (loaded when used)" ;;
	esac
done

# --doctor itself is in t_privilege.sh; here only that it is a mode.
run "$WD" --doctor
expect_grep '^(ok|warn|FAIL) ' "--doctor prints one line per finding"
[ "$rc" -le 1 ] && pass "--doctor exits 0 or 1" || fail "--doctor exits 0 or 1" "exit $rc"

finish
