# tests/fuzz/fuzz.mk - libFuzzer targets, included at the end of the Makefile.
#
#   make fuzz                   build the four targets, replay the regressions,
#                               then run each for FUZZ_SECONDS (default 20);
#                               ends with "fuzz: N passed, M failed" like
#                               make check, and fails when M is not 0
#   make fuzz-log               one target (fuzz-log, fuzz-json, fuzz-rules,
#                               fuzz-markdown); -j2 runs two at once
#   make fuzz-build             build them only: build/fuzz/fuzz_*
#
# FUZZ_SECONDS=N how long each runs; FUZZ_FLAGS=... extra libFuzzer flags.
# New corpus entries go to build/fuzz/corpus/<target>/ (the seeds in
# tests/fuzz/corpus/<target>/ are only read), crashes to
# build/fuzz/artifacts/. A crash or a broken property fails the target; add
# the input under tests/fuzz/regressions/<target>/ once fixed, and `make
# check` replays it from then on (tests/unit/test_fuzz_regressions.c).
#
# Needs clang with libFuzzer and the sanitizer runtimes (Debian:
# libclang-rt-<version>-dev), installed with apt-get when run as root.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB ?= 2048
FUZZ_FLAGS ?=
FUZZ_BUILD := build/fuzz
FUZZ_NAMES := log json rules markdown
FUZZ_BINS := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))
FUZZ_RUNS := $(patsubst %,fuzz-%,$(FUZZ_NAMES))
# Longest input per target: logs and API pages up to 1 MiB, rule files and
# comments smaller (their cost is per rule and per finding, not per byte).
FUZZ_MAXLEN_log := 1048576
FUZZ_MAXLEN_json := 1048576
FUZZ_MAXLEN_rules := 65536
FUZZ_MAXLEN_markdown := 262144

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = $(DEFS) $(WARN) -O1 -g $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link -Iinclude -Itests/fuzz $(PKG_CFLAGS)
FUZZ_OBJ := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC)) \
	$(FUZZ_BUILD)/obj/builtin_rules.o $(FUZZ_BUILD)/obj/harness.o

.PHONY: fuzz fuzz-build $(FUZZ_RUNS)

# Every target runs even when one fails (-k), each leaving its verdict in
# build/fuzz/fuzz_<target>.result; then one closing line counts them. The
# sub-make shares this make's job slots (-j2 still runs two at once).
fuzz: fuzz-build
	@rm -f $(FUZZ_BUILD)/*.result
	@$(MAKE) --no-print-directory -k $(FUZZ_RUNS); \
	pass=0; fail=0; \
	for t in $(FUZZ_NAMES); do \
		if [ "$$(cat $(FUZZ_BUILD)/fuzz_$$t.result 2>/dev/null)" = passed ]; then \
			pass=$$((pass + 1)); else fail=$$((fail + 1)); fi; \
	done; \
	echo "fuzz: $$pass passed, $$fail failed"; \
	[ $$fail = 0 ]

# the objects are prerequisites of a pattern rule only: keep them
.SECONDARY: $(FUZZ_OBJ)

fuzz-build: $(FUZZ_BINS)

# libFuzzer and the sanitizer runtimes: probe by linking an empty target.
$(FUZZ_BUILD)/.deps: | $(BUILD)/.deps
	@probe() { printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' | \
		$(FUZZ_CC) -x c -fsanitize=fuzzer,address,undefined -o /dev/null - >/dev/null 2>&1; }; \
	if ! probe; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "buildsleuth: installing libFuzzer (and clang if missing) for make fuzz"; \
			apt-get update -qq >/dev/null || { echo "buildsleuth: apt-get update failed" >&2; exit 1; }; \
			if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null || \
					{ echo "buildsleuth: apt-get install clang failed" >&2; exit 1; }; \
			fi; \
			major=$$($(FUZZ_CC) -dumpversion | cut -d. -f1); \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libclang-rt-$$major-dev >/dev/null || \
				{ echo "buildsleuth: apt-get install libclang-rt-$$major-dev failed" >&2; exit 1; }; \
			probe || { echo "buildsleuth: $(FUZZ_CC) still cannot link -fsanitize=fuzzer" >&2; exit 1; }; \
		else \
			echo "buildsleuth: make fuzz needs clang with libFuzzer; install it with:" >&2; \
			echo "  sudo apt-get install -y clang libclang-rt-$$($(FUZZ_CC) -dumpversion 2>/dev/null | cut -d. -f1 | grep . || echo 14)-dev" >&2; \
			exit 1; \
		fi; \
	fi; \
	mkdir -p $(dir $@) && touch $@

# the compile command, remembered as $(BUILD)/.cflags is
$(eval $(call remember_flags,$(FUZZ_BUILD)/.cflags,$(FUZZ_CC) $(FUZZ_CFLAGS)))

$(FUZZ_BUILD)/obj/%.o: src/%.c $(FUZZ_BUILD)/.cflags | $(FUZZ_BUILD)/.deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/obj/builtin_rules.o: $(BUILD)/gen/builtin_rules.c $(FUZZ_BUILD)/.cflags | $(FUZZ_BUILD)/.deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/obj/harness.o: tests/fuzz/harness.c $(FUZZ_BUILD)/.cflags | $(FUZZ_BUILD)/.deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(FUZZ_BUILD)/.cflags
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(DEPFLAGS) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

# the headers each object and target read (DEPFLAGS); without one yet, all
-include $(wildcard $(FUZZ_BUILD)/obj/*.d $(FUZZ_BUILD)/*.d)
$(filter-out $(basename $(wildcard $(FUZZ_BUILD)/obj/*.o.d)),$(FUZZ_OBJ)): \
	$(wildcard include/buildsleuth/*.h tests/fuzz/harness.h)

# Each run: replay the regressions, then fuzz for FUZZ_SECONDS from the seeds
# and what earlier runs found; print libFuzzer's final figures.
$(FUZZ_RUNS): fuzz-%: $(FUZZ_BUILD)/fuzz_%
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/artifacts
	@echo failed >$(FUZZ_BUILD)/fuzz_$*.result
	@set -- tests/fuzz/regressions/$*/*; \
	if [ -e "$$1" ]; then \
		$(FUZZ_BUILD)/fuzz_$* -runs=1 "$$@" >$(FUZZ_BUILD)/fuzz_$*.replay.log 2>&1 || \
			{ tail -40 $(FUZZ_BUILD)/fuzz_$*.replay.log; echo "fuzz-$*: a regression input fails again" >&2; exit 1; }; \
	fi
	@echo "fuzz-$*: $(FUZZ_SECONDS) s, inputs up to $(FUZZ_MAXLEN_$*) bytes"
	@UBSAN_OPTIONS=print_stacktrace=1 $(FUZZ_BUILD)/fuzz_$* \
		-max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAXLEN_$*) \
		-timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) -print_final_stats=1 \
		-dict=tests/fuzz/$*.dict -artifact_prefix=$(FUZZ_BUILD)/artifacts/$*- $(FUZZ_FLAGS) \
		$(FUZZ_BUILD)/corpus/$* tests/fuzz/corpus/$* >$(FUZZ_BUILD)/fuzz_$*.log 2>&1; \
	rc=$$?; \
	grep -E '^#[0-9]+[[:space:]]' $(FUZZ_BUILD)/fuzz_$*.log | tail -1 | sed 's/^/fuzz-$*: /'; \
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_BUILD)/fuzz_$*.log | sed 's/^/fuzz-$*: /'; \
	if [ $$rc != 0 ]; then \
		tail -60 $(FUZZ_BUILD)/fuzz_$*.log; \
		echo "fuzz-$*: failed (exit $$rc); the input is in $(FUZZ_BUILD)/artifacts/" >&2; \
		exit 1; \
	fi; \
	echo passed >$(FUZZ_BUILD)/fuzz_$*.result

# The replay in `make check` compiles the harness in (one source per unit test).
$(BUILD)/tests/test_fuzz_regressions: tests/fuzz/harness.c tests/fuzz/harness.h
