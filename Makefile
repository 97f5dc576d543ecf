# buildsleuth - tells why a container build failed.
#
#   make              build build/buildsleuth and build/libbuildsleuth.a
#   make demo         build, then diagnose the bundled sample failures
#   make check        build and run every test (SANITIZE=1: ASan+UBSan build;
#                     VALGRIND=1: the end-to-end runs under memcheck;
#                     WERROR=1: warnings are errors, as in CI)
#   make unit-tests   build the unit test binaries only
#   make accuracy     top-1 category and subject accuracy over fixtures/, then
#                     the real-failure corpus (dev and held-out) and the green
#                     corpus (corpus/README.md)
#   make bless        rewrite the golden outputs from the current binary and
#                     the test rules (tests/rules/); only when every run exits
#                     0 with an empty stderr; removes those of deleted fixtures
#   make install      PREFIX=/usr/local DESTDIR= : the binary (stripped), the
#                     rules and their schema.json, the JSON report's schema,
#                     the man page, the bash completion and the LICENSE
#   make uninstall    the same PREFIX and DESTDIR: removes exactly those files
#
# Missing build dependencies are installed with apt-get when run as root on
# Debian/Ubuntu; otherwise the exact command is printed.

CC ?= cc
PREFIX ?= /usr/local
SANITIZE ?=

ifeq ($(SANITIZE),1)
BUILD := build/sanitize
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1 -g
else
BUILD := build
SAN_FLAGS :=
OPT := -O2 -g
endif

LIB_PKGS := libcurl json-c libpcre2-8 sqlite3
TEST_PKGS := cmocka
# pkg-config name -> Debian package
DEB_libcurl := libcurl4-openssl-dev
DEB_json-c := libjson-c-dev
DEB_libpcre2-8 := libpcre2-dev
DEB_sqlite3 := libsqlite3-dev
DEB_cmocka := libcmocka-dev

# Recursive (=) so they are read after the deps step has installed them.
PKG_CFLAGS = $(shell pkg-config --cflags $(LIB_PKGS) 2>/dev/null)
# libcurl is built against (its headers) but not linked: src/curl_lazy.c
# opens it on first use (-ldl for the C libraries where dlopen is apart)
PKG_LIBS = $(shell pkg-config --libs $(filter-out libcurl,$(LIB_PKGS)) 2>/dev/null) -ldl
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla
# WERROR=1 (CI, .ci/run): any warning of gcc or clang fails the build.
ifeq ($(WERROR),1)
WARN += -Werror
endif
# Each compile also writes the headers it read to a .d file beside its output
# (-MP: a deleted header is no error), included below: editing a header
# rebuilds exactly what includes it. The .d names its target both relative
# and absolute, as BUILD may name the same folder either way.
DEPFLAGS = -MMD -MP -MF $@.d $(addprefix -MT ,$(sort $(abspath $@) $(patsubst $(CURDIR)/%,%,$(abspath $@))))
CFLAGS ?= $(OPT)
# Every translation unit starts with banned.h (strcpy, sprintf, atoi... are
# compile errors); since it includes system headers, the feature macros are
# set here for all (_GNU_SOURCE: memmem), not in a .c file.
DEFS := -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -include include/buildsleuth/banned.h
ALL_CFLAGS = $(DEFS) $(WARN) $(CFLAGS) $(SAN_FLAGS) -Iinclude -I$(BUILD)/gen $(PKG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/builtin_rules.o \
	$(BUILD)/obj/builtin_codes.o
RULE_FILES := $(sort $(shell find rules -name '*.json' ! -name schema.json 2>/dev/null))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

BIN := $(BUILD)/buildsleuth
LIB := $(BUILD)/libbuildsleuth.a

.PHONY: all deps test-deps unit-tests demo check accuracy bless install uninstall clean

all: $(BIN)

# --- dependencies -----------------------------------------------------------
# $(1): stamp, $(2): pkg-config names, $(3): Python modules (Debian package
# python3-MODULE), $(4): extra commands
define ensure_deps
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	for p in $(2); do \
		pkg-config --exists $$p 2>/dev/null || missing="$$missing $$(case $$p in \
			libcurl) echo $(DEB_libcurl);; json-c) echo $(DEB_json-c);; \
			libpcre2-8) echo $(DEB_libpcre2-8);; sqlite3) echo $(DEB_sqlite3);; cmocka) echo $(DEB_cmocka);; esac)"; \
	done; \
	for m in $(3); do python3 -c "import $$m" >/dev/null 2>&1 || missing="$$missing python3-$$m"; done; \
	for c in $(4); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "buildsleuth: installing build dependencies: $$missing"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null || \
				{ echo "buildsleuth: apt-get install $$missing failed" >&2; exit 1; }; \
		else \
			echo "buildsleuth: missing build dependencies; install them with:" >&2; \
			echo "  sudo apt-get install -y $$missing" >&2; \
			exit 1; \
		fi; \
	fi; \
	mkdir -p $(dir $(1)) && touch $(1)
endef

deps: $(BUILD)/.deps
$(BUILD)/.deps: Makefile
	$(call ensure_deps,$@,$(LIB_PKGS),,)

test-deps: $(BUILD)/.test-deps
$(BUILD)/.test-deps: Makefile | $(BUILD)/.deps
	$(call ensure_deps,$@,$(TEST_PKGS),jsonschema,python3 jq cmark-gfm yq man)

# --- build -----------------------------------------------------------------
# The compile command, remembered in $(1) (rewritten when it changes, as
# make reads this file; not by a dry run, make -n): objects depend on it, so
# other flags (WERROR=1, CC=clang, CFLAGS=...) rebuild them, as git's
# GIT-CFLAGS does.
DRY_RUN := $(findstring n,$(firstword -$(MAKEFLAGS)))
# (compared through variables: ifneq would split flags such as
# -fsanitize=address,undefined at their comma)
define remember_flags
ifeq ($(DRY_RUN),)
remember_now := $(strip $(2))
remember_then := $$(file <$(1))
ifneq ($$(remember_now),$$(remember_then))
$$(shell mkdir -p $(dir $(1)))
$$(file >$(1),$$(remember_now))
endif
endif
endef
# (not the folder's own -I: the same tree named by an absolute BUILD, as
# tests/e2e/test_install.sh does, is not rebuilt)
$(eval $(call remember_flags,$(BUILD)/.cflags,$(CC) $(filter-out -I$(BUILD)/gen,$(ALL_CFLAGS))))

$(BUILD)/obj/%.o: src/%.c $(BUILD)/.cflags | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/embed: src/gen/embed.c $(BUILD)/.cflags
	@mkdir -p $(dir $@)
	$(CC) $(DEFS) $(WARN) -O1 -o $@ $<

# The default rules, compiled in so a binary copied alone still works.
$(BUILD)/gen/builtin_rules.c: $(BUILD)/embed $(RULE_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $(RULE_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/builtin_rules.o: $(BUILD)/gen/builtin_rules.c $(BUILD)/.cflags | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# Their combined patterns compiled at build time (pcre2_serialize_encode),
# by a generator linked from the library's other objects, so that a start
# decodes them instead of compiling (a PCRE2 library of another version or
# build refuses them, and the rules compile as before: see rules.h). The
# codes depend on the rules and on how rules.c combines and compiles them;
# the other objects are only linked (order-only), and a rule whose code
# was generated from another pattern compiles at load all the same.
SERIALIZE_OBJ := $(filter-out $(BUILD)/obj/builtin_codes.o,$(LIB_OBJ))
$(BUILD)/serialize: src/gen/serialize.c src/gen/no_codes.c $(BUILD)/obj/rules.o \
		$(BUILD)/obj/builtin_rules.o $(BUILD)/.cflags | $(SERIALIZE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c,$^) $(SERIALIZE_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/gen/builtin_codes.c: $(BUILD)/serialize
	@mkdir -p $(dir $@)
	$(BUILD)/serialize > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/builtin_codes.o: $(BUILD)/gen/builtin_codes.c $(BUILD)/.cflags | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(BUILD)/.cflags | $(BUILD)/.test-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit $(DEPFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(TEST_LIBS)

# What each object and test binary was built from (written by DEPFLAGS). An
# object without its .d yet (built by an older Makefile) depends on every
# header instead.
-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
$(filter-out $(basename $(wildcard $(BUILD)/obj/*.o.d)),$(LIB_OBJ) $(BUILD)/obj/main.o): \
	$(wildcard include/buildsleuth/*.h)

# --- use and test ------------------------------------------------------------
unit-tests: $(UNIT_BIN)

demo: $(BIN) | $(BUILD)/.test-deps
	@BUILDSLEUTH=$(BIN) sh tests/demo.sh

check: $(BIN) $(UNIT_BIN) | $(BUILD)/.test-deps
	@BUILD=$(BUILD) VALGRIND=$(VALGRIND) bash tests/run.sh $(UNIT_BIN)

accuracy: $(BIN) | $(BUILD)/.test-deps
	@BUILDSLEUTH=$(BIN) bash tests/accuracy.sh
	@rm -rf $(BUILD)/corpus && python3 corpus/frame.py $(BUILD)/corpus >/dev/null && \
		python3 corpus/score.py $(BUILD)/corpus --bin $(BIN)

bless: $(BIN)
	@BUILDSLEUTH=$(BIN) bash tests/e2e/test_golden.sh --bless

# Where `make install` puts things (all below $(DESTDIR)$(PREFIX)).
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/buildsleuth
MANDIR = $(PREFIX)/share/man/man1
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions
DOCDIR = $(PREFIX)/share/doc/buildsleuth

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(DOCDIR)
	install -s -m 755 $(BIN) $(DESTDIR)$(BINDIR)/buildsleuth
	install -m 644 $(RULE_FILES) rules/schema.json $(DESTDIR)$(DATADIR)/rules/
	install -m 644 docs/report.schema.json $(DESTDIR)$(DATADIR)/report.schema.json
	install -m 644 docs/buildsleuth.1 $(DESTDIR)$(MANDIR)/buildsleuth.1
	install -m 644 docs/completion/buildsleuth.bash $(DESTDIR)$(COMPLETIONDIR)/buildsleuth
	install -m 644 LICENSE $(DESTDIR)$(DOCDIR)/LICENSE

# Only the files install put, then the folders that are buildsleuth's own
# when nothing else is left in them; bin/, man1/ and the like stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/buildsleuth $(DESTDIR)$(MANDIR)/buildsleuth.1 \
		$(DESTDIR)$(COMPLETIONDIR)/buildsleuth $(DESTDIR)$(DOCDIR)/LICENSE \
		$(DESTDIR)$(DATADIR)/report.schema.json \
		$(addprefix $(DESTDIR)$(DATADIR)/rules/,$(notdir $(RULE_FILES)) schema.json)
	rmdir $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf build
-include tests/fuzz/fuzz.mk

-include bench/bench.mk
