#!/bin/sh
# Make sure the compiler named by $1 (default clang) can build libFuzzer
# targets with AddressSanitizer and UndefinedBehaviorSanitizer. Only
# "make fuzz" and "make check" need it: the Makefile runs this for them,
# beside tools/deps.sh, which does not ask for it.
#
# On Debian or Ubuntu, run as root, the missing packages (clang and its
# runtime, libclang-rt-N-dev) are installed with apt-get, one line a step,
# its output in $2 (default build/fuzz/deps.log); otherwise the packages
# and the command to run as root are printed and it exits 1.
set -eu
cc=${1:-clang}
log=${2:-build/fuzz/deps.log}
. "$(dirname "$0")/../../tools/apt.sh"

# The major version of $cc, or of the clang Debian would install.
clang_major() {
	if command -v "$cc" >/dev/null 2>&1; then
		"$cc" -dumpversion 2>/dev/null | sed 's/\..*//'
	elif command -v apt-cache >/dev/null 2>&1; then
		apt-cache show clang 2>/dev/null |
		    sed -n 's/^Depends:.*clang-\([0-9][0-9]*\).*/\1/p' | head -n 1
	fi
}

# True when $cc links a libFuzzer target with both sanitizers.
can_fuzz() {
	command -v "$cc" >/dev/null 2>&1 || return 1
	dir=$(mktemp -d /tmp/watchdog-fuzzcheck.XXXXXX)
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' > "$dir/t.c"
	ok=0
	"$cc" -fsanitize=fuzzer,address,undefined -o "$dir/t" "$dir/t.c" \
	    >/dev/null 2>&1 || ok=1
	rm -rf "$dir"
	return $ok
}

can_fuzz && exit 0

major=$(clang_major)
major=${major:-14}
missing="libclang-rt-$major-dev"
command -v "$cc" >/dev/null 2>&1 || missing="clang $missing"
echo "fuzz: $cc cannot build libFuzzer targets" \
    "(-fsanitize=fuzzer,address,undefined)" >&2
# shellcheck disable=SC2086
apt_provide fuzz "$log" $missing || exit 1
can_fuzz && exit 0
echo "fuzz: $cc still cannot build -fsanitize=fuzzer,address,undefined" \
    "(the output of apt-get is in $log)" >&2
exit 1
