# apt.sh: sourced by tools/deps.sh and tests/fuzz/deps.sh, which name
# the Debian packages they miss and have them installed here.
#
#   apt_provide TAG LOG PACKAGE...
#	as root, with apt-get: install the packages, one line a step on
#	standard error, the output of apt-get and dpkg in LOG, shown only
#	when a step fails; returns non-zero when the install failed.
#	Otherwise: name the packages and the command to run as root, and
#	return 1. Every line starts with "TAG: ".

# Run one step, named by one line; its output goes to $apt_log and is
# shown when it fails. Returns the step's exit status.
apt_step() {
	echo "$apt_tag: $*" >&2
	start=$(wc -l < "$apt_log")
	if "$@" >> "$apt_log" 2>&1; then
		return 0
	else
		rc=$?
	fi
	echo "$apt_tag: $1 $2 failed (exit $rc); its output, from $apt_log:" >&2
	tail -n "+$((start + 1))" "$apt_log" >&2
	return "$rc"
}

apt_provide() {
	apt_tag=$1
	apt_log=$2
	shift 2
	echo "$apt_tag: missing packages: $*" >&2
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		if command -v apt-get >/dev/null 2>&1; then
			echo "$apt_tag: install them, as root: apt-get update &&" \
			    "apt-get install -y --no-install-recommends $*" >&2
		else
			echo "$apt_tag: install them with the system's package" \
			    "manager (these are Debian's names)" >&2
		fi
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	mkdir -p "$(dirname "$apt_log")"
	: > "$apt_log"
	# A failed update may still leave lists good enough to install from:
	# its output is shown, and the install goes on.
	apt_step apt-get update || true
	apt_step apt-get install -y --no-install-recommends "$@"
}
