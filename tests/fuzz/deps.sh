#!/bin/sh
# Make sure the compiler named by $1 (default clang) can build libFuzzer
# targets with AddressSanitizer and UndefinedBehaviorSanitizer; only
# "make fuzz" needs it, so tools/deps.sh does not ask for it.
#
# On Debian or Ubuntu, run as root, the missing packages (clang and its
# runtime, libclang-rt-N-dev) are installed with apt-get; otherwise the
# exact command is printed and the build stops.
set -eu
cc=${1:-clang}

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
cmd="apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "fuzz: installing $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
	can_fuzz && exit 0
	echo "fuzz: $cc still cannot build -fsanitize=fuzzer,address,undefined" >&2
	exit 1
fi
echo "fuzz: $cc cannot build libFuzzer targets (-fsanitize=fuzzer,address,undefined)" >&2
echo "fuzz: install what it needs with: sudo $cmd" >&2
exit 1
