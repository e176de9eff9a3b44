#!/bin/sh
# make install / uninstall lay out and remove every file under DESTDIR.
. "$(dirname "$0")/lib.sh"

run "$WD" --help
expect_grep "^System configuration file: /.*/watchdog.conf$" "--help names the system configuration file"

root="$T/root"
# Only directories that are not compiled in: PREFIX or SYSCONFDIR would
# rebuild the tree's own binary with other paths.
run make -s -C "$top" install DESTDIR="$root" BINDIR=/usr/bin MANDIR=/usr/share/man DOCDIR=/usr/share/doc/watchdog
expect_rc 0 "make install"
for f in usr/bin/watchdog usr/share/man/man1/watchdog.1 \
    usr/share/man/man5/watchdog.conf.5 usr/share/doc/watchdog/watchdog.conf.example \
    usr/share/doc/watchdog/templates/created.txt usr/share/doc/watchdog/templates/warning.txt \
    usr/share/doc/watchdog/templates/missed.txt; do
	[ -f "$root/$f" ] && pass "installed $f" || fail "installed $f"
done
[ -x "$root/usr/bin/watchdog" ] && pass "binary executable" || fail "binary executable"
"$root/usr/bin/watchdog" --version >/dev/null && pass "installed binary runs" || fail "installed binary runs"
run make -s -C "$top" uninstall DESTDIR="$root" BINDIR=/usr/bin MANDIR=/usr/share/man DOCDIR=/usr/share/doc/watchdog
expect_rc 0 "make uninstall"
n=$(find "$root" -type f | wc -l)
[ "$n" = 0 ] && pass "uninstall removes every file" || fail "uninstall removes every file" "$(find "$root" -type f)"

finish
