# outpost — a plain Makefile in the manner of nnn: PREFIX, DESTDIR, flags from pkg-config.
# Each layer's *.c files become one static library; adding a file needs no edit here.

PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    ?= $(PREFIX)/bin
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
LOCALEDIR ?= $(PREFIX)/share/locale
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
PKG_CONFIG ?= pkg-config
CC        ?= cc
B         ?= build

PKGS      = sqlite3 libsodium libcrypto ncursesw libzmq libzstd libcbor libpq xlsxwriter

# On a fresh machine the libraries are not there yet: install them first (once).
ifneq ($(filter-out clean format deb,$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell $(PKG_CONFIG) --exists $(PKGS) cmocka 2>/dev/null && echo ok),ok)
$(info outpost: installing the Debian packages it needs (scripts/deps.sh))
DEPS_RC := $(shell scripts/deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/deps.sh failed; run it by hand to see why)
endif
endif
endif
CFLAGS    ?= -O2 -g
XCFLAGS   = -DOUTPOST_VERSION='"0.1"' -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. \
            -DLOCALEDIR='"$(LOCALEDIR)"' $(shell $(PKG_CONFIG) --cflags $(PKGS))
LDLIBS    = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm -lpthread
TESTLIBS  = $(shell $(PKG_CONFIG) --libs cmocka)

# The layers, each above the ones after it (ARCHITECTURE.md §0); a layer with no .c file
# yet is left out. Archives are named outpost-LAYER.a, so ours never shadow a system library
# (OpenSSL's is libcrypto). LIBS lists them in link order, highest first.
LAYERS    = $(foreach l,base crypto storage sync hub tui,$(if $(wildcard $(l)/*.c),$(l)))
lib_src   = $(sort $(wildcard $(1)/*.c))
lib_obj   = $(patsubst %.c,$(B)/obj/%.o,$(call lib_src,$(1)))
LIBS      = $(foreach l,tui hub sync storage crypto base,$(if $(filter $(l),$(LAYERS)),$(B)/outpost-$(l).a))

CLI_COMMON = $(filter-out cli/main.c cli/hub-main.c cli/hub-%.c,$(wildcard cli/*.c))
OUTPOST_SRC = cli/main.c $(CLI_COMMON)
HUB_SRC    = $(wildcard cli/hub-*.c) $(filter-out cli/cmd-%.c,$(CLI_COMMON))
OUTPOST_OBJ = $(patsubst %.c,$(B)/obj/%.o,$(OUTPOST_SRC))
HUB_OBJ    = $(patsubst %.c,$(B)/obj/%.o,$(HUB_SRC))

UNIT_SRC  = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN  = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
HELPER_SRC = $(sort $(wildcard tests/helpers/*.c))
HELPER_BIN = $(patsubst tests/helpers/%.c,$(B)/tests/helpers/%,$(HELPER_SRC))
# One benchmark source, two binaries: libsqlcipher and libsqlite3 export the same symbols.
BENCH_BIN = $(B)/bench/bench-plain $(B)/bench/bench-sqlcipher $(B)/bench/bench-records \
            $(B)/bench/bench-sync $(B)/bench/bench-hub $(B)/bench/bench-pg-stations \
            $(B)/bench/bench-stations $(B)/bench/bench-ingest-pages $(B)/bench/bench-pg-group

PO        = $(wildcard po/*.po)
MO        = $(patsubst po/%.po,$(B)/locale/%/LC_MESSAGES/outpost.mo,$(PO))

.PHONY: all run test unit e2e bench bench-series asan fuzz fuzz-bins install uninstall clean format deps lint-man pot deb
HUB_BIN   = $(if $(wildcard cli/hub-main.c),$(B)/outpost-hub)

all: $(B)/outpost $(HUB_BIN) $(MO)

# The catalogs' directory is compiled in (cli/table.c, which also looks beside the
# executable at run time): a stamp holding LOCALEDIR makes `make install PREFIX=/usr`
# rebuild what uses it when PREFIX or LOCALEDIR differ from the last build's.
LOCALEDIR_STAMP = $(B)/localedir.stamp
ifneq ($(filter-out clean format,$(or $(MAKECMDGOALS),all)),)
$(shell mkdir -p $(B) && { [ "$$(cat $(LOCALEDIR_STAMP) 2>/dev/null)" = '$(LOCALEDIR)' ] || printf '%s\n' '$(LOCALEDIR)' > $(LOCALEDIR_STAMP); })
endif
$(B)/obj/cli/table.o: $(LOCALEDIR_STAMP)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(XCFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

.SECONDARY:
.SECONDEXPANSION:
$(B)/outpost-%.a: $$(call lib_obj,%)
	@mkdir -p $(dir $@)
	@rm -f $@; $(AR) rcs $@ $^

$(B)/outpost: $(OUTPOST_OBJ) $(LIBS)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OUTPOST_OBJ) $(LIBS) $(LDLIBS)

$(B)/outpost-hub: $(HUB_OBJ) $(LIBS)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(HUB_OBJ) $(LIBS) $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS) $(TESTLIBS)

$(B)/tests/helpers/%: tests/helpers/%.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-plain: bench/bench.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-records: bench/records.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-sync: bench/sync.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-hub: bench/hub.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-pg-stations: bench/pg-stations.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-pg-group: bench/pg-group.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-stations: bench/stations.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-ingest-pages: bench/ingest-pages.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(B)/bench/bench-sqlcipher: bench/bench.c
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -DBENCH_SQLCIPHER $(shell $(PKG_CONFIG) --cflags sqlcipher) $(XCFLAGS) $(CFLAGS) \
	    $(LDFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs sqlcipher) -lm

$(B)/locale/%/LC_MESSAGES/outpost.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

run: all
	OUTPOSTLOCALEDIR=$(B)/locale ./$(B)/outpost $(ARGS)

test: all $(UNIT_BIN) $(HELPER_BIN) $(B)/bench/bench-hub $(B)/bench/bench-stations
	B=$(B) tests/run.sh

# The unit tests alone (what the Debian build runs).
unit: $(UNIT_BIN)
	CMOCKA_MESSAGE_OUTPUT=TAP OUTPOST_TOP=$(CURDIR); export CMOCKA_MESSAGE_OUTPUT OUTPOST_TOP; \
	for t in $(UNIT_BIN); do $$t >$$t.log 2>&1 || { cat $$t.log; echo "$$t failed"; exit 1; }; done

# The Debian packages outpost and outpost-hub (dpkg-buildpackage -us -uc -b), built in a
# copy of the tree; the .deb files land in $(B)/deb/.
deb:
	scripts/deb.sh . $(B)/deb

bench: all $(BENCH_BIN)
	B=$(B) bench/run.sh
	B=$(B) bench/records.sh
	B=$(B) bench/tui.sh
	$(B)/bench/bench-sync
	B=$(B) bench/hub.sh
	B=$(B) bench/pg.sh

# Issue 12's series (bench/series.sh): one store grown to each of SERIES_SIZES (default
# 1M 5M 10M records; about 4 minutes a backend on two quiet cores, more under load, and
# up to ~7 GB under TMPDIR), on each backend of
# SERIES_BACKENDS. Not part of `make bench`.
SERIES_BACKENDS ?= sqlite postgresql
bench-series: all $(B)/bench/bench-hub $(B)/bench/bench-stations
	@for b in $(SERIES_BACKENDS); do B=$(B) bench/series.sh $$b || exit 1; done

# libFuzzer harnesses (tests/fuzz/fuzz-NAME.c, seeds in tests/fuzz/NAME/), every layer built
# with clang, ASan and UBSan into build-fuzz/; tests/fuzz/run.sh runs each for a few seconds.
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN  = $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined -Wno-error

fuzz:
	$(MAKE) B=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" fuzz-bins

fuzz-bins: $(FUZZ_BIN)

$(B)/fuzz/%: tests/fuzz/%.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(XCFLAGS) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" LDFLAGS="-fsanitize=address,undefined" test

deps:
	scripts/deps.sh

# po/outpost.pot from every source; po/*.po merged with it (then translate what is new).
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -kdngettext:2,3 --package-name=outpost --msgid-bugs-address=none \
	    -o po/outpost.pot $(sort $(wildcard base/*.c base/*.h crypto/*.c storage/*.c sync/*.c hub/*.c tui/*.c cli/*.c))
	for p in $(PO); do msgmerge -q --no-fuzzy-matching --backup=off -U $$p po/outpost.pot && msgattrib --no-obsolete -o $$p $$p; done

lint-man:
	mandoc -Tlint -W warning man/*.[158]

format:
	clang-format -i $(wildcard */*.c */*.h tests/*/*.c)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(B)/outpost $(DESTDIR)$(BINDIR)/outpost
	if [ -n "$(HUB_BIN)" ]; then install -m 755 $(B)/outpost-hub $(DESTDIR)$(SBINDIR)/outpost-hub; fi
	install -m 644 man/outpost.1 $(DESTDIR)$(MANDIR)/man1/outpost.1
	if [ -f man/outpost.5 ]; then install -m 644 man/outpost.5 $(DESTDIR)$(MANDIR)/man5/outpost.5; fi
	if [ -f man/outpost-hub.8 ]; then install -m 644 man/outpost-hub.8 $(DESTDIR)$(MANDIR)/man8/outpost-hub.8; fi
	for mo in $(MO); do l=$${mo#$(B)/locale/}; l=$${l%%/*}; \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	  install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/outpost.mo; done
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(USERUNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/outpost-hub.service >$(DESTDIR)$(SYSTEMDUNITDIR)/outpost-hub.service
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/outpost-sync.service >$(DESTDIR)$(USERUNITDIR)/outpost-sync.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/outpost-hub.service $(DESTDIR)$(USERUNITDIR)/outpost-sync.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/outpost $(DESTDIR)$(SBINDIR)/outpost-hub
	rm -f $(DESTDIR)$(MANDIR)/man1/outpost.1 $(DESTDIR)$(MANDIR)/man5/outpost.5 $(DESTDIR)$(MANDIR)/man8/outpost-hub.8
	for p in $(PO); do l=$${p#po/}; l=$${l%.po}; rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/outpost.mo; done
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/outpost-hub.service $(DESTDIR)$(USERUNITDIR)/outpost-sync.service

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
