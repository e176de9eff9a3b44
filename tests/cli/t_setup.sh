#!/bin/sh
# The first steps on a minimal system: what make says when a build
# package is missing (tools/deps.sh and tests/fuzz/deps.sh, for a user and
# as root), apt-get kept to one line a step, and make run opening the terminal interface without
# an instruction that the first screen makes stale.
. "$(dirname "$0")/lib.sh"

# The make that runs this script must not hand its flags down.
unset MAKEFLAGS MFLAGS MAKELEVEL || true

# Stubs in front of PATH: id -u says $STUB_UID; pkg-config finds no module
# "check", and the compiler $S/clang (version 14) builds no fuzz target,
# until the stub apt-get has installed check, or libclang-rt-14-dev; apt-get
# talks as the real one does, records its arguments, and fails the install
# when $STUB_APT_FAIL is set.
S="$T/stub"
mkdir -p "$S"
cat > "$S/id" <<EOF
#!/bin/sh
if [ "\$1" = -u ]; then echo "\${STUB_UID:-1000}"; exit 0; fi
exec '$(command -v id)' "\$@"
EOF
cat > "$S/pkg-config" <<EOF
#!/bin/sh
if [ ! -e '$T/installed.check' ]; then
	for a; do [ "\$a" = check ] && exit 1; done
fi
exec '$(command -v pkg-config)' "\$@"
EOF
cat > "$S/clang" <<EOF
#!/bin/sh
[ "\$1" = -dumpversion ] && { echo 14.0.6; exit 0; }
[ -e '$T/installed.libclang-rt-14-dev' ] || exit 1
while [ \$# -gt 1 ] && [ "\$1" != -o ]; do shift; done
: > "\$2"
EOF
cat > "$S/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >> '$T/apt.calls'
echo 'Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]'
echo 'Selecting previously unselected package check.'
echo "debconf: delaying package configuration" >&2
if [ "\$1" = install ]; then
	if [ -n "\${STUB_APT_FAIL:-}" ]; then
		echo 'E: Unable to locate package check' >&2
		exit 100
	fi
	for p; do : > "$T/installed.\$p"; done
fi
exit 0
EOF
chmod 755 "$S/id" "$S/pkg-config" "$S/clang" "$S/apt-get"

# A copy of the sources, without a build.
tree="$T/tree"
mkdir -p "$tree"
(cd "$top" && cp -pR Makefile tools src include data man "$tree/")
mkdir -p "$tree/tests/fuzz"
cp -p "$top/tests/fuzz/deps.sh" "$tree/tests/fuzz/"

# A user: make stops after the messages of tools/deps.sh (and for make
# check, of tests/fuzz/deps.sh: the fuzz targets are part of it) and one
# line.
deps_msg="deps: missing packages: check
deps: install them, as root: apt-get update && apt-get install -y --no-install-recommends check"
fuzz_msg="fuzz: $S/clang cannot build libFuzzer targets (-fsanitize=fuzzer,address,undefined)
fuzz: missing packages: libclang-rt-14-dev
fuzz: install them, as root: apt-get update && apt-get install -y --no-install-recommends libclang-rt-14-dev"
for goal in "" run check; do
	name="make${goal:+ $goal}, packages missing"
	(cd "$tree" && PATH="$S:$PATH" make $goal FUZZ_CC="$S/clang" > "$T/make.out" 2>&1)
	rc=$?
	all=$(cat "$T/make.out")
	[ "$rc" -ne 0 ] && pass "$name: exits non-zero" ||
	    fail "$name: exits non-zero" "$all"
	want=$deps_msg
	[ "$goal" = check ] && want="$deps_msg
$fuzz_msg"
	n=$(printf '%s\n' "$want" | wc -l)
	if [ "$(head -n "$n" "$T/make.out")" = "$want" ] &&
	    sed -n "$((n + 1))p" "$T/make.out" | grep -q '\*\*\* install the missing packages, then run make again' &&
	    [ "$(wc -l < "$T/make.out")" -eq $((n + 1)) ]; then
		pass "$name: names the packages and the command, as root, and stops"
	else
		fail "$name: names the packages and the command, as root, and stops" "$all"
	fi
	printf '%s\n' "$all" | grep -Eq 'sudo|No rule to make target' &&
	    fail "$name: no sudo, no 'No rule to make target'" "$all" ||
	    pass "$name: no sudo, no 'No rule to make target'"
done
[ -e "$tree/build/config.mk" ] && fail "packages missing: no build/config.mk written" ||
    pass "packages missing: no build/config.mk written"

# As root: one line a step, apt-get's own output only in build/deps.log.
mkdir -p "$tree/build"
run env PATH="$S:$PATH" STUB_UID=0 sh "$tree/tools/deps.sh" "$tree/build/config.mk"
expect_rc 0 "as root: deps.sh installs the missing package"
expect_out "" "as root: nothing on standard output"
if [ "$err" = "deps: missing packages: check
deps: apt-get update
deps: apt-get install -y --no-install-recommends check" ]; then
	pass "as root: one line a step"
else
	fail "as root: one line a step" "$err"
fi
[ "$(cat "$T/apt.calls" 2>/dev/null)" = "apt-get update
apt-get install -y --no-install-recommends check" ] &&
    pass "as root: apt-get update, then install" ||
    fail "as root: apt-get update, then install" "$(cat "$T/apt.calls" 2>/dev/null)"
grep -q 'Selecting previously unselected' "$tree/build/deps.log" &&
    pass "as root: apt-get's output kept in build/deps.log" ||
    fail "as root: apt-get's output kept in build/deps.log"
grep -q '^CHECK_LIBS := ' "$tree/build/config.mk" 2>/dev/null &&
    pass "as root: build/config.mk written" || fail "as root: build/config.mk written"

# The same for the compiler of the fuzz targets.
rm -f "$T/apt.calls"
run env PATH="$S:$PATH" STUB_UID=0 sh "$tree/tests/fuzz/deps.sh" "$S/clang" "$T/fuzz.log"
expect_rc 0 "as root: tests/fuzz/deps.sh installs the missing package"
if [ "$err" = "fuzz: $S/clang cannot build libFuzzer targets (-fsanitize=fuzzer,address,undefined)
fuzz: missing packages: libclang-rt-14-dev
fuzz: apt-get update
fuzz: apt-get install -y --no-install-recommends libclang-rt-14-dev" ]; then
	pass "as root: tests/fuzz/deps.sh, one line a step"
else
	fail "as root: tests/fuzz/deps.sh, one line a step" "$err"
fi

# As root, a failed install shows apt-get's output and stops.
rm -f "$T/installed.check" "$tree/build/config.mk"
run env PATH="$S:$PATH" STUB_UID=0 STUB_APT_FAIL=1 sh "$tree/tools/deps.sh" "$tree/build/config.mk"
[ "$rc" -ne 0 ] && pass "as root, install fails: exits non-zero" ||
    fail "as root, install fails: exits non-zero" "$err"
expect_err '^deps: apt-get install failed \(exit 100\)' "as root, install fails: says which step"
expect_err '^E: Unable to locate package check$' "as root, install fails: shows apt-get's output"
[ -e "$tree/build/config.mk" ] && fail "as root, install fails: no build/config.mk" ||
    pass "as root, install fails: no build/config.mk"

# Nothing missing: silent.
: > "$T/installed.check"
run env PATH="$S:$PATH" sh "$tree/tools/deps.sh" "$tree/build/config.mk"
expect_rc 0 "nothing missing: deps.sh succeeds"
[ -z "$out$err" ] && pass "nothing missing: deps.sh is silent" ||
    fail "nothing missing: deps.sh is silent" "$out$err"

# make run on a new database says nothing that the first screen (which
# creates the first administrator) makes stale. The tree's own binary is
# taken as built (-o watchdog).
cp -p "$WD" "$tree/watchdog"
(cd "$tree" && make -o watchdog run ARGS=--version > "$T/run.out" 2>&1)
rc=$?
out=$(cat "$T/run.out")
expect_rc 0 "make run ARGS=--version"
expect_grep '^watchdog [0-9]' "make run: runs the program"
printf '%s\n' "$out" | grep -Eq 'next:|--add-user' &&
    fail "make run: no 'next: ... --add-user' before the first screen" "$out" ||
    pass "make run: no 'next: ... --add-user' before the first screen"
[ -f "$tree/run/watchdog.db" ] && pass "make run: creates run/watchdog.db" ||
    fail "make run: creates run/watchdog.db" "$out"

finish
