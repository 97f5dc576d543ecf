# buildsleuth - tells why a container build failed.
#
#   make              build build/buildsleuth and build/libbuildsleuth.a
#   make demo         build, then diagnose the bundled sample failures
#   make check        build and run every test (SANITIZE=1: ASan+UBSan build;
#                     VALGRIND=1: the end-to-end runs under memcheck)
#   make accuracy     top-1 category and subject accuracy over fixtures/, then
#                     the real-failure corpus (dev and held-out) and the green
#                     corpus (corpus/README.md)
#   make bless        rewrite the golden outputs from the current binary
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

LIB_PKGS := libcurl json-c libpcre2-8
TEST_PKGS := cmocka
# pkg-config name -> Debian package
DEB_libcurl := libcurl4-openssl-dev
DEB_json-c := libjson-c-dev
DEB_libpcre2-8 := libpcre2-dev
DEB_cmocka := libcmocka-dev

# Recursive (=) so they are read after the deps step has installed them.
PKG_CFLAGS = $(shell pkg-config --cflags $(LIB_PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(LIB_PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS ?= $(OPT)
ALL_CFLAGS = -std=gnu11 -D_FILE_OFFSET_BITS=64 $(WARN) $(CFLAGS) $(SAN_FLAGS) -Iinclude -I$(BUILD)/gen $(PKG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/builtin_rules.o
RULE_FILES := $(sort $(shell find rules -name '*.json' ! -name schema.json 2>/dev/null))
HEADERS := $(wildcard include/buildsleuth/*.h)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

BIN := $(BUILD)/buildsleuth
LIB := $(BUILD)/libbuildsleuth.a

.PHONY: all deps test-deps demo check accuracy bless install uninstall clean

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
			libpcre2-8) echo $(DEB_libpcre2-8);; cmocka) echo $(DEB_cmocka);; esac)"; \
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
$(BUILD)/obj/%.o: src/%.c $(HEADERS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/embed: src/gen/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O1 -o $@ $<

# The default rules, compiled in so a binary copied alone still works.
$(BUILD)/gen/builtin_rules.c: $(BUILD)/embed $(RULE_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $(RULE_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/builtin_rules.o: $(BUILD)/gen/builtin_rules.c include/buildsleuth/builtin.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/main.o: src/main.c $(HEADERS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB) | $(BUILD)/.test-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(TEST_LIBS)

# --- use and test ------------------------------------------------------------
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
