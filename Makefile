# SLA Watchdog: hand-written GNU Makefile.
#
#   make            build ./watchdog (installs missing build packages first)
#   make check      build and run every test layer
#   make run        start the program on a private database under ./run/
#   make bench      measure the performance budgets (about four minutes)
#   make install    PREFIX, DESTDIR, BINDIR, MANDIR, SYSCONFDIR, LOCALSTATEDIR
#   make install-shared   as root: the setgid team install (WATCHDOG_GROUP)
#   make fuzz       run the libFuzzer targets for FUZZ_SECONDS (default 30) each
#   make V=1        show the full commands

VERSION		:= 0.1.0

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
DATAROOTDIR	?= $(PREFIX)/share
MANDIR		?= $(DATAROOTDIR)/man
DOCDIR		?= $(DATAROOTDIR)/doc/watchdog
BASHCOMPDIR	?= $(DATAROOTDIR)/bash-completion/completions
SYSTEMDDIR	?= $(PREFIX)/lib/systemd/system
SYSCONFDIR	?= $(PREFIX)/etc
LOCALSTATEDIR	?= $(PREFIX)/var

CC		?= cc
HOSTCC		?= $(CC)
AR		?= ar
INSTALL		?= install

WARNINGS	:= -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wwrite-strings -Wcast-qual -Wvla -Werror
CFLAGS		?= -O2 -g
ALL_CFLAGS	 = -std=c17 $(WARNINGS) $(CFLAGS) -D_GNU_SOURCE \
		   -Iinclude -Ibuild/gen $(PKG_CFLAGS) \
		   -DWATCHDOG_VERSION='"$(VERSION)"' \
		   -DWATCHDOG_SYSCONFDIR='"$(SYSCONFDIR)"' \
		   -DWATCHDOG_LOCALSTATEDIR='"$(LOCALSTATEDIR)"'
ALL_LDFLAGS	 = $(LDFLAGS)

ifeq ($(SANITIZE),1)
CFLAGS		:= -O1 -g -fno-omit-frame-pointer
ALL_CFLAGS	+= -fsanitize=address,undefined -fno-sanitize-recover=all
ALL_LDFLAGS	+= -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

# Library flags come from pkg-config, through build/config.mk, which
# tools/deps.sh writes after installing (or naming) any missing package.
# It runs while this file is read (as tests/fuzz/deps.sh does for make
# check and make fuzz, below), so that a missing package stops make at
# once, with the messages of the two scripts and one line after them.
NODEPS_GOALS	:= clean distclean uninstall
DEPS_GOALS	:= $(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all))
DEPS_FAILED	:=
ifneq ($(DEPS_GOALS),)
ifneq ($(shell test build/config.mk -nt tools/deps.sh && echo ok),ok)
ifneq ($(shell mkdir -p build && sh tools/deps.sh build/config.mk >&2 && echo ok),ok)
DEPS_FAILED	+= tools/deps.sh
endif
endif
include build/config.mk
endif

# smtp.c loads libcurl when it first sends (dlopen): only its headers here.
PKG_LIBS	:= $(filter-out -lcurl,$(PKG_LIBS))

# Objects depend on the flags they were built with: switching SANITIZE=1
# on or off rebuilds everything.
FLAGS_STAMP	:= build/flags.txt
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
$(shell mkdir -p build; printf '%s\n' '$(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $(FLAGS_STAMP) || printf '%s\n' '$(ALL_CFLAGS) $(ALL_LDFLAGS)' > $(FLAGS_STAMP))
endif

CORE_SRC	:= $(filter-out src/main.c,$(wildcard src/*.c))
CLI_SRC		:= $(wildcard src/cli/*.c)
TUI_SRC		:= $(wildcard src/tui/*.c)
API_SRC		:= $(wildcard src/api/*.c)
CORE_OBJ	:= $(CORE_SRC:src/%.c=build/obj/%.o) build/obj/gen/embedded.o
CLI_OBJ		:= $(CLI_SRC:src/%.c=build/obj/%.o)
TUI_OBJ		:= $(TUI_SRC:src/%.c=build/obj/%.o)
API_OBJ		:= $(API_SRC:src/%.c=build/obj/%.o)
MAIN_OBJ	:= build/obj/main.o
UNIT_SRC	:= $(wildcard tests/unit/*.c)
UNIT_OBJ	:= $(UNIT_SRC:tests/unit/%.c=build/obj/tests/%.o)

EMBED_FILES	:= $(sort $(wildcard data/migrations/*.sql)) \
		   $(sort $(wildcard data/pg/*.sql)) \
		   data/common-passwords.txt \
		   $(sort $(wildcard data/templates/*.txt))

.PHONY: all check test-unit test-cli test-mail test-tui test-pg lint-man run install uninstall clean distclean bench
.DEFAULT_GOAL := all

all: watchdog

watchdog: $(MAIN_OBJ) $(CLI_OBJ) $(TUI_OBJ) $(API_OBJ) build/libcore.a $(FLAGS_STAMP)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(CLI_OBJ) $(TUI_OBJ) $(API_OBJ) build/libcore.a $(PKG_LIBS) $(TUI_LIBS)

build/libcore.a: $(CORE_OBJ)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

build/obj/%.o: src/%.c build/config.mk $(FLAGS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(if $(findstring /tui/,$@),$(TUI_CFLAGS))$(if $(findstring /api/,$@), $(API_CFLAGS)) -MMD -MP -c -o $@ $<

# Data files (schema migrations, password list, templates) compiled in.
build/embed: tools/embed.c
	$(quiet) HOSTCC $@
	$(Q)mkdir -p build
	$(Q)$(HOSTCC) -std=c17 -O1 -o $@ $<

build/gen/embedded.c: build/embed $(EMBED_FILES) Makefile
	$(quiet) GEN $@
	$(Q)mkdir -p build/gen
	$(Q)build/embed $@.tmp $(EMBED_FILES) && mv $@.tmp $@

build/obj/gen/embedded.o: build/gen/embedded.c $(FLAGS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Unit tests: Check, linked against libcore.a only (no curses).
build/unit-tests: $(UNIT_OBJ) build/libcore.a $(FLAGS_STAMP)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) build/libcore.a $(PKG_LIBS) $(CHECK_LIBS)

build/obj/tests/%.o: tests/unit/%.c build/config.mk $(FLAGS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -DDATA_DIR='"data"' -MMD -MP -c -o $@ $<

# A test driver for the mail transports: sends one message through mailer.c.
build/mail-send: tests/mail/mail_send.c build/libcore.a $(FLAGS_STAMP)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< build/libcore.a $(PKG_LIBS) $(ALL_LDFLAGS)

# The benchmark: a generator of large databases and a timer, both
# linked against libcore.a only.
build/bench-gen: tests/bench/gen.c build/libcore.a $(FLAGS_STAMP)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< build/libcore.a $(PKG_LIBS) $(ALL_LDFLAGS)

build/bench: tests/bench/bench.c build/libcore.a $(FLAGS_STAMP)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< build/libcore.a $(PKG_LIBS) $(ALL_LDFLAGS)

check: watchdog build/unit-tests build/mail-send
	$(Q)sh tests/run.sh

test-unit: build/unit-tests
	$(Q)sh tests/run.sh unit

test-cli: watchdog
	$(Q)sh tests/run.sh cli

test-mail: watchdog build/mail-send
	$(Q)sh tests/run.sh mail

test-tui: watchdog
	$(Q)sh tests/run.sh tui

test-pg: watchdog build/mail-send
	$(Q)sh tests/run.sh cli-pg mail-pg tui-pg

lint-man:
	$(Q)sh tests/run.sh man

bench: watchdog build/bench-gen build/bench
	$(Q)sh tests/bench/deps.sh build/bench-deps.log
	$(Q)sh tests/bench/run.sh

# A private instance: database and Maildir under ./run/ (ignored by git).
# --init is quiet here: on a database without accounts, the first screen
# of the terminal interface creates the first administrator.
run: watchdog
	$(Q)mkdir -p run
	$(Q)test -f run/watchdog.conf || printf '%s\n' \
		'# Written by make run: a private instance under this checkout.' \
		"DATABASE_URL=$(CURDIR)/run/watchdog.db" \
		'EMAIL_BACKEND=file' \
		"EMAIL_FILE_PATH=$(CURDIR)/run/mail" > run/watchdog.conf
	$(Q)WATCHDOG_CONFIG=$(CURDIR)/run/watchdog.conf ./watchdog --init >/dev/null
	WATCHDOG_CONFIG=$(CURDIR)/run/watchdog.conf ./watchdog $(ARGS)

install: watchdog
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 755 watchdog $(DESTDIR)$(BINDIR)/watchdog
	$(INSTALL) -m 644 man/watchdog.1 $(DESTDIR)$(MANDIR)/man1/watchdog.1
	$(INSTALL) -m 644 man/watchdog.conf.5 $(DESTDIR)$(MANDIR)/man5/watchdog.conf.5
	$(INSTALL) -m 644 watchdog.conf.example $(DESTDIR)$(DOCDIR)/watchdog.conf.example
	$(INSTALL) -d $(DESTDIR)$(DOCDIR)/templates
	$(INSTALL) -m 644 data/templates/*.txt $(DESTDIR)$(DOCDIR)/templates/
	$(INSTALL) -d $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 644 contrib/watchdog.bash $(DESTDIR)$(BASHCOMPDIR)/watchdog
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDDIR)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' \
		contrib/watchdog-api.service > $(DESTDIR)$(SYSTEMDDIR)/watchdog-api.service
	chmod 644 $(DESTDIR)$(SYSTEMDDIR)/watchdog-api.service
	$(Q)$(MAN_INDEX)

# After install and uninstall, refresh the index of the manual pages
# (mandoc's makewhatis, man-db's mandb), when present, so that apropos and
# man watchdog know the page; quietly, never failing, and not for a staged
# install (DESTDIR), whose pages are not yet where they will be read.
MAN_INDEX	 = if [ -z "$(DESTDIR)" ]; then \
		   if command -v makewhatis >/dev/null 2>&1; then \
		   makewhatis "$(MANDIR)" >/dev/null 2>&1 || true; fi; \
		   if command -v mandb >/dev/null 2>&1; then \
		   mandb -q "$(MANDIR)" >/dev/null 2>&1 || true; fi; fi

# The team install on a shared host (SECURITY in watchdog(1)), as root:
# the group WATCHDOG_GROUP, the binary setgid to it, the data directory and
# the configuration file closed to everyone else. A configuration file that
# exists is left as it is; running it again is harmless. make uninstall
# leaves the data and the configuration alone.
WATCHDOG_GROUP	?= watchdog
SHARED_DIR	 = $(LOCALSTATEDIR)/lib/watchdog

.PHONY: install-shared
install-shared: install
	getent group $(WATCHDOG_GROUP) >/dev/null || groupadd --system $(WATCHDOG_GROUP)
	chown root:$(WATCHDOG_GROUP) $(DESTDIR)$(BINDIR)/watchdog
	chmod 2755 $(DESTDIR)$(BINDIR)/watchdog
	$(INSTALL) -d $(DESTDIR)$(LOCALSTATEDIR)/lib $(DESTDIR)$(SYSCONFDIR)
	$(INSTALL) -d -o root -g $(WATCHDOG_GROUP) -m 2770 $(DESTDIR)$(SHARED_DIR)
	$(Q)conf=$(DESTDIR)$(SYSCONFDIR)/watchdog.conf; \
	if [ -e "$$conf" ] || [ -L "$$conf" ]; then \
		echo "install-shared: $$conf exists: left as it is"; \
	else \
		(umask 077; sed -e 's|^#DATABASE_URL=$$|DATABASE_URL=$(SHARED_DIR)/watchdog.db|' \
			-e 's|^#ALLOW_REGISTRATION=true$$|ALLOW_REGISTRATION=false|' \
			watchdog.conf.example > "$$conf.new") && \
		grep -q '^DATABASE_URL=/' "$$conf.new" && \
		grep -q '^ALLOW_REGISTRATION=false$$' "$$conf.new" && \
		chown root:$(WATCHDOG_GROUP) "$$conf.new" && \
		chmod 0640 "$$conf.new" && \
		mv "$$conf.new" "$$conf" && \
		echo "install-shared: wrote $$conf (root:$(WATCHDOG_GROUP) 0640)"; \
	fi
	$(Q)echo "install-shared: done; check it with: $(BINDIR)/watchdog --doctor"; \
	echo "Then, as root (only root creates the first administrator):"; \
	echo "$(BINDIR)/watchdog --add-user NAME --email ADDR --admin"; \
	echo "and the SLA pass in a crontab (crontab -e), every five minutes:"; \
	echo "*/5 * * * * $(BINDIR)/watchdog --check-sla"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/watchdog $(DESTDIR)$(MANDIR)/man1/watchdog.1 \
		$(DESTDIR)$(MANDIR)/man5/watchdog.conf.5 \
		$(DESTDIR)$(DOCDIR)/watchdog.conf.example \
		$(DESTDIR)$(DOCDIR)/templates/created.txt \
		$(DESTDIR)$(DOCDIR)/templates/warning.txt \
		$(DESTDIR)$(DOCDIR)/templates/missed.txt \
		$(DESTDIR)$(BASHCOMPDIR)/watchdog \
		$(DESTDIR)$(DOCDIR)/templates/assigned.txt \
		$(DESTDIR)$(DOCDIR)/templates/commented.txt \
		$(DESTDIR)$(SYSTEMDDIR)/watchdog-api.service
	-rmdir $(DESTDIR)$(DOCDIR)/templates $(DESTDIR)$(DOCDIR) 2>/dev/null
	$(Q)$(MAN_INDEX)

clean:
	rm -rf build watchdog

distclean: clean
	rm -rf run

# libFuzzer targets for the parsers (tests/fuzz/): make fuzz FUZZ_SECONDS=30.
# Built with clang apart from everything else, in build/fuzz/, and run on a
# copy of the seed corpora. tests/fuzz/deps.sh checks for clang and its
# fuzzer runtime (installing them as root).
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 30
FUZZ_TARGETS	:= config deadline address mail output calendar
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS	:= -std=c17 $(WARNINGS) -O1 -g -fno-omit-frame-pointer \
		   -D_GNU_SOURCE -Iinclude -Ibuild/gen $(FUZZ_SAN)
FUZZ_OBJ	:= build/fuzz/obj

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(Q)sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

build/fuzz/fuzz_config: $(addprefix $(FUZZ_OBJ)/,config.o address.o util.o status.o \
		   zone.o privilege.o utf8.o calendar_parse.o sla.o sla_policy.o \
		   ticket_vocab.o calendar.o calendar_ics.o netaddr.o)
build/fuzz/fuzz_deadline: $(addprefix $(FUZZ_OBJ)/,timeutil.o utf8.o util.o status.o \
		   zone.o)
build/fuzz/fuzz_address: $(addprefix $(FUZZ_OBJ)/,address.o utf8.o util.o)
build/fuzz/fuzz_mail: $(addprefix $(FUZZ_OBJ)/,mail.o timeutil.o utf8.o util.o \
		   status.o embedded.o gen/embedded.o zone.o)
build/fuzz/fuzz_output: $(addprefix $(FUZZ_OBJ)/,utf8.o util.o)
build/fuzz/fuzz_calendar: $(addprefix $(FUZZ_OBJ)/,calendar_parse.o util.o status.o)

$(FUZZ_TARGETS:%=build/fuzz/fuzz_%): build/fuzz/fuzz_%: $(FUZZ_OBJ)/tests/fuzz_%.o
	$(quiet) LINK $@
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^

build/fuzz/clang.ok: tests/fuzz/deps.sh
	$(Q)mkdir -p build/fuzz
	$(Q)sh tests/fuzz/deps.sh $(FUZZ_CC) && touch $@

# make check runs the fuzz targets too: their compiler is checked before
# anything is built, with the packages of tools/deps.sh (above).
ifneq ($(filter check fuzz,$(DEPS_GOALS)),)
ifneq ($(shell test build/fuzz/clang.ok -nt tests/fuzz/deps.sh && echo ok),ok)
ifneq ($(shell mkdir -p build/fuzz && sh tests/fuzz/deps.sh $(FUZZ_CC) && touch build/fuzz/clang.ok && echo ok),ok)
DEPS_FAILED	+= tests/fuzz/deps.sh
endif
endif
endif
ifneq ($(strip $(DEPS_FAILED)),)
$(error install the missing packages, then run make again)
endif

# The code under test carries the coverage instrumentation, the harness not.
$(FUZZ_OBJ)/%.o: src/%.c | build/fuzz/clang.ok
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_OBJ)/gen/embedded.o: build/gen/embedded.c | build/fuzz/clang.ok
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_OBJ)/tests/%.o: tests/fuzz/%.c | build/fuzz/clang.ok
	$(quiet) FUZZCC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard $(FUZZ_OBJ)/*.d $(FUZZ_OBJ)/tests/*.d)

-include $(wildcard build/obj/*.d build/obj/*/*.d)
