#!/bin/sh
# make install / uninstall lay out and remove every file under DESTDIR;
# installed in place, they refresh the index of the manual pages.
. "$(dirname "$0")/lib.sh"

run "$WD" --help
expect_grep "^System configuration file: /.*/watchdog.conf$" "--help names the system configuration file"

# Stand-ins for the indexers of the manual pages, in front of PATH: they
# record their arguments, talk, and fail when $STUB_FAIL is set.
S="$T/stub"
mkdir -p "$S"
for tool in makewhatis mandb; do
	cat > "$S/$tool" <<EOF
#!/bin/sh
echo "$tool \$*" >> '$T/index.calls'
echo "$tool: indexing, noisily"
echo "$tool: more noise" >&2
[ -z "\${STUB_FAIL:-}" ]
EOF
	chmod 755 "$S/$tool"
done

root="$T/root"
# Only directories that are not compiled in: PREFIX or SYSCONFDIR would
# rebuild the tree's own binary with other paths.
run env PATH="$S:$PATH" make -s -C "$top" install DESTDIR="$root" BINDIR=/usr/bin DATAROOTDIR=/usr/share MANDIR=/usr/share/man DOCDIR=/usr/share/doc/watchdog
expect_rc 0 "make install"
[ -e "$T/index.calls" ] && fail "make install DESTDIR=...: no makewhatis or mandb" "$(cat "$T/index.calls")" ||
    pass "make install DESTDIR=...: no makewhatis or mandb"
for f in usr/bin/watchdog usr/share/man/man1/watchdog.1 \
    usr/share/man/man5/watchdog.conf.5 usr/share/doc/watchdog/watchdog.conf.example \
    usr/share/doc/watchdog/templates/created.txt usr/share/doc/watchdog/templates/warning.txt \
    usr/share/doc/watchdog/templates/missed.txt \
    usr/share/bash-completion/completions/watchdog \
    usr/local/lib/systemd/system/watchdog-api.service; do
	[ -f "$root/$f" ] && pass "installed $f" || fail "installed $f"
done
# The systemd unit names the installed binary and data directory.
unit=$root/usr/local/lib/systemd/system/watchdog-api.service
grep -q '^ExecStart=/usr/bin/watchdog --serve$' "$unit" &&
    grep -q '^ReadWritePaths=/usr/local/var/lib/watchdog$' "$unit" &&
    ! grep -q '@' "$unit" && pass "systemd unit: paths filled in" ||
    fail "systemd unit: paths filled in" "$(grep -e ExecStart -e ReadWrite "$unit")"
[ -x "$root/usr/bin/watchdog" ] && pass "binary executable" || fail "binary executable"
"$root/usr/bin/watchdog" --version >/dev/null && pass "installed binary runs" || fail "installed binary runs"
run env PATH="$S:$PATH" make -s -C "$top" uninstall DESTDIR="$root" BINDIR=/usr/bin DATAROOTDIR=/usr/share MANDIR=/usr/share/man DOCDIR=/usr/share/doc/watchdog
expect_rc 0 "make uninstall"
n=$(find "$root" -type f | wc -l)
[ "$n" = 0 ] && pass "uninstall removes every file" || fail "uninstall removes every file" "$(find "$root" -type f)"
[ -e "$T/index.calls" ] && fail "make uninstall DESTDIR=...: no makewhatis or mandb" "$(cat "$T/index.calls")" ||
    pass "make uninstall DESTDIR=...: no makewhatis or mandb"

# Installed in place (no DESTDIR), the index of the pages is refreshed,
# quietly, and its failure does not fail the install.
p="$T/plain"
dirs="BINDIR=$p/bin DATAROOTDIR=$p/share MANDIR=$p/man DOCDIR=$p/doc"
for stub_fail in "" 1; do
	name="make install in place${stub_fail:+, the indexers failing}"
	rm -f "$T/index.calls"
	# shellcheck disable=SC2086
	run env PATH="$S:$PATH" STUB_FAIL="$stub_fail" make -s -C "$top" install $dirs
	expect_rc 0 "$name"
	[ -f "$p/man/man1/watchdog.1" ] && pass "$name: the page installed" ||
	    fail "$name: the page installed"
	[ "$(cat "$T/index.calls" 2>/dev/null)" = "makewhatis $p/man
mandb -q $p/man" ] && pass "$name: runs makewhatis and mandb on MANDIR" ||
	    fail "$name: runs makewhatis and mandb on MANDIR" "$(cat "$T/index.calls" 2>/dev/null)"
	printf '%s\n' "$out$err" | grep -q noise &&
	    fail "$name: the indexers are quiet" "$out$err" ||
	    pass "$name: the indexers are quiet"
done
rm -f "$T/index.calls"
# shellcheck disable=SC2086
run env PATH="$S:$PATH" make -s -C "$top" uninstall $dirs
expect_rc 0 "make uninstall in place"
[ "$(cat "$T/index.calls" 2>/dev/null)" = "makewhatis $p/man
mandb -q $p/man" ] && pass "make uninstall in place: refreshes the index" ||
    fail "make uninstall in place: refreshes the index" "$(cat "$T/index.calls" 2>/dev/null)"
[ -e "$p/man/man1/watchdog.1" ] && fail "make uninstall in place: the page removed" ||
    pass "make uninstall in place: the page removed"

finish
