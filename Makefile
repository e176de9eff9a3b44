# SLA Watchdog: hand-written GNU Makefile.
#
#   make            build ./watchdog (installs missing build packages first)
#   make check      build and run every test layer
#   make run        start the program on a private database under ./run/
#   make install    PREFIX, DESTDIR, BINDIR, MANDIR, SYSCONFDIR, LOCALSTATEDIR
#   make V=1        show the full commands

VERSION		:= 0.1.0

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
DATAROOTDIR	?= $(PREFIX)/share
MANDIR		?= $(DATAROOTDIR)/man
DOCDIR		?= $(DATAROOTDIR)/doc/watchdog
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
NODEPS_GOALS	:= clean distclean uninstall
ifeq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
else
-include build/config.mk
endif

build/config.mk: tools/deps.sh
	$(Q)mkdir -p build
	$(Q)sh tools/deps.sh build/config.mk

# Objects depend on the flags they were built with: switching SANITIZE=1
# on or off rebuilds everything.
FLAGS_STAMP	:= build/flags.txt
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
$(shell mkdir -p build; printf '%s\n' '$(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $(FLAGS_STAMP) || printf '%s\n' '$(ALL_CFLAGS) $(ALL_LDFLAGS)' > $(FLAGS_STAMP))
endif

CORE_SRC	:= $(filter-out src/main.c,$(wildcard src/*.c))
CLI_SRC		:= $(wildcard src/cli/*.c)
TUI_SRC		:= $(wildcard src/tui/*.c)
CORE_OBJ	:= $(CORE_SRC:src/%.c=build/obj/%.o) build/obj/gen/embedded.o
CLI_OBJ		:= $(CLI_SRC:src/%.c=build/obj/%.o)
TUI_OBJ		:= $(TUI_SRC:src/%.c=build/obj/%.o)
MAIN_OBJ	:= build/obj/main.o
UNIT_SRC	:= $(wildcard tests/unit/*.c)
UNIT_OBJ	:= $(UNIT_SRC:tests/unit/%.c=build/obj/tests/%.o)

EMBED_FILES	:= $(sort $(wildcard data/migrations/*.sql)) \
		   data/common-passwords.txt \
		   $(sort $(wildcard data/templates/*.txt))

.PHONY: all check test-unit test-cli test-mail test-tui lint-man run install uninstall clean distclean
.DEFAULT_GOAL := all

all: watchdog

watchdog: $(MAIN_OBJ) $(CLI_OBJ) $(TUI_OBJ) build/libcore.a $(FLAGS_STAMP)
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(CLI_OBJ) $(TUI_OBJ) build/libcore.a $(PKG_LIBS) $(TUI_LIBS)

build/libcore.a: $(CORE_OBJ)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

build/obj/%.o: src/%.c build/config.mk $(FLAGS_STAMP)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(if $(findstring /tui/,$@),$(TUI_CFLAGS)) -MMD -MP -c -o $@ $<

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

lint-man:
	$(Q)sh tests/run.sh man

# A private instance: database and Maildir under ./run/ (ignored by git).
run: watchdog
	$(Q)mkdir -p run
	$(Q)test -f run/watchdog.conf || printf '%s\n' \
		'# Written by make run: a private instance under this checkout.' \
		"DATABASE_URL=$(CURDIR)/run/watchdog.db" \
		'EMAIL_BACKEND=file' \
		"EMAIL_FILE_PATH=$(CURDIR)/run/mail" > run/watchdog.conf
	$(Q)WATCHDOG_CONFIG=$(CURDIR)/run/watchdog.conf ./watchdog --init
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

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/watchdog $(DESTDIR)$(MANDIR)/man1/watchdog.1 \
		$(DESTDIR)$(MANDIR)/man5/watchdog.conf.5 \
		$(DESTDIR)$(DOCDIR)/watchdog.conf.example \
		$(DESTDIR)$(DOCDIR)/templates/created.txt \
		$(DESTDIR)$(DOCDIR)/templates/warning.txt \
		$(DESTDIR)$(DOCDIR)/templates/missed.txt
	-rmdir $(DESTDIR)$(DOCDIR)/templates $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build watchdog

distclean: clean
	rm -rf run

-include $(wildcard build/obj/*.d build/obj/*/*.d)
