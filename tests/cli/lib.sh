# lib.sh: helpers for the command-line tests. Each tests/cli/t_*.sh sources
# it, runs the real ./watchdog on a temporary database and reports one
# line per check to $WATCHDOG_RESULTS (PASS/FAIL name).
#
#   run [-i INPUT] CMD...    run CMD; stdout in $out, stderr in $err,
#                             exit status in $rc
#   expect_rc N NAME          check $rc
#   expect_out TEXT NAME      stdout equals TEXT
#   expect_grep PAT NAME      stdout matches PAT (grep -E)
#   expect_err PAT NAME       stderr matches PAT (grep -E)
set -u
top=${WATCHDOG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
WD="$top/watchdog"
results=${WATCHDOG_RESULTS:-/dev/null}
script=$(basename "$0" .sh)
# Named after the script's process id: tests/run.sh checks that it is gone.
T=$(mktemp -d "/tmp/watchdog-cli.$$.XXXXXX")
trap 'rm -rf "$T"' EXIT
nfail=0

# faketime is tests/bin/faketime: libfaketime without the wrapper process.
PATH="$top/tests/bin:$PATH"
export PATH
# faketime works by LD_PRELOAD, which AddressSanitizer would refuse.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1"
export TZ=UTC
export LC_ALL=C.UTF-8
unset WATCHDOG_TOKEN WATCHDOG_CONFIG XDG_DATA_HOME || true
export HOME="$T/home"
mkdir -p "$HOME"

# A configuration on a private database, file mail, generous rate limits;
# KEY=VALUE lines given as arguments replace or add to these.
write_config() {
	{
		for line in "DATABASE_URL=$T/db/watchdog.db" "EMAIL_BACKEND=file" \
		    "EMAIL_FILE_PATH=$T/mail" "RATE_LIMIT_CREATE=0" "RATE_LIMIT_READ=0"; do
			case " $* " in
			*" ${line%%=*}="*) ;;
			*) printf '%s\n' "$line" ;;
			esac
		done
		for line in "$@"; do printf '%s\n' "$line"; done
	} > "$T/watchdog.conf"
	export WATCHDOG_CONFIG="$T/watchdog.conf"
}
write_config

# Run SQL on the test database, waiting out a writer's lock.
sql() { sqlite3 -cmd '.timeout 5000' "$T/db/watchdog.db" "$@"; }

pass() { echo "PASS $script: $1" >> "$results"; }
fail() {
	echo "FAIL $script: $1" >> "$results"
	echo "  FAIL $script: $1"
	[ -n "${2:-}" ] && printf '    %s\n' "$2"
	nfail=$((nfail + 1))
}

run() {
	input=
	if [ "$1" = "-i" ]; then
		input=$2
		shift 2
	fi
	printf '%s' "$input" > "$T/stdin"
	"$@" < "$T/stdin" > "$T/stdout" 2> "$T/stderr"
	rc=$?
	out=$(cat "$T/stdout")
	err=$(cat "$T/stderr")
}

expect_rc() {
	if [ "$rc" -eq "$1" ]; then pass "$2"; else
		fail "$2" "exit $rc, expected $1; stderr: $err"; fi
}
expect_out() {
	if [ "$out" = "$1" ]; then pass "$2"; else
		fail "$2" "stdout: '$out', expected '$1'"; fi
}
expect_grep() {
	if printf '%s\n' "$out" | grep -Eq -- "$1"; then pass "$2"; else
		fail "$2" "stdout does not match /$1/: '$out'"; fi
}
expect_err() {
	if printf '%s\n' "$err" | grep -Eq -- "$1"; then pass "$2"; else
		fail "$2" "stderr does not match /$1/: '$err'"; fi
}

# An administrator "admin" with password "correct horse 1" and a token in
# $ADMIN_TOKEN; a user "bob" ("battery staple 2") with $BOB_TOKEN.
setup_accounts() {
	printf 'correct horse 1\n' | "$WD" --add-user admin --email admin@example.org --password-stdin >/dev/null 2>&1
	ADMIN_TOKEN=$(printf 'correct horse 1\n' | "$WD" --token --user admin --password-stdin)
	printf 'battery staple 2\n' | WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --add-user bob --email bob@example.org --password-stdin >/dev/null 2>&1
	BOB_TOKEN=$(printf 'battery staple 2\n' | "$WD" --token --user bob --password-stdin)
}

# Called at the end of each script.
finish() {
	[ "$nfail" -eq 0 ] && echo "  $script: ok" || echo "  $script: $nfail failed"
	return 0
}
