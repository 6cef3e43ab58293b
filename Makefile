# xbrg: cross-border certificate recognition gateway.
#
# Public targets install missing Debian packages first (make deps), then run
# the real work in a sub-make so that pkg-config is evaluated only once the
# packages are there.
#
#   make            build build/xbrg
#   make test       build, generate fixtures, run every test (cmocka)
#   make SANITIZE=1 test   the same under ASan + UBSan (what CI runs)
#   make demo       the main job: generate the demo PKI and start the gateway
#   make fuzz-smoke run each libFuzzer harness briefly on its seeds
#   make bench      benchmarks (never part of test)

SHELL := /bin/bash
CC ?= gcc
ifeq ($(CC),cc)
CC := gcc
endif

ifeq ($(SANITIZE),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else ifeq ($(SANITIZE),)
BUILD := build/rel
SANFLAGS :=
else
$(error SANITIZE must be 1 or empty, not '$(SANITIZE)')
endif

FIXTURES := build/fixtures
PKGS := openssl libxml-2.0 xmlsec1-openssl libcurl libmicrohttpd gnutls \
	sqlite3 jansson
DEB_PKGS := gcc make pkg-config libssl-dev libxml2-dev libxmlsec1-dev \
	libxmlsec1-openssl xmlsec1 libcurl4-openssl-dev libmicrohttpd-dev \
	libgnutls28-dev libsqlite3-dev libjansson-dev libcmocka-dev clang-14 \
	libclang-rt-14-dev openssl curl ca-certificates wrk jq

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2
XCFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
	$(WARN) $(SANFLAGS) -Ivalidators -Itrustlists -Igateway $(PKG_CFLAGS) \
	$(CFLAGS)
XLDFLAGS = $(SANFLAGS) $(LDFLAGS)
XLDLIBS = $(PKG_LIBS) -lpthread -lm $(LDLIBS)

VAL_SRC := $(wildcard validators/*.c)
TL_SRC := $(wildcard trustlists/*.c)
GW_SRC := $(filter-out gateway/gw_main.c,$(wildcard gateway/*.c))
TEST_SRC := $(wildcard tests/test_*.c)
HELPER_SRC := $(wildcard tests/helpers/*.c)
FIX_SRC := $(wildcard fixtures/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_SRC := $(wildcard tests/bench/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIBVAL := $(BUILD)/libval.a
LIBTL := $(BUILD)/libtl.a
LIBGW := $(BUILD)/libgw.a
LIBS := $(LIBGW) $(LIBTL) $(LIBVAL)
XBRG := $(BUILD)/xbrg
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
FIXBINS := $(patsubst fixtures/%.c,$(BUILD)/fixtures-bin/%,$(FIX_SRC))
BENCHBINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all deps test demo fuzz-smoke bench clean fixtures \
	_all _test _demo _fuzz-smoke _bench _fixtures
.DEFAULT_GOAL := all
.SECONDARY:

all: deps
	@$(MAKE) --no-print-directory _all
test: deps
	@$(MAKE) --no-print-directory _test
demo: deps
	@$(MAKE) --no-print-directory _demo
fuzz-smoke: deps
	@$(MAKE) --no-print-directory _fuzz-smoke
bench: deps
	@$(MAKE) --no-print-directory _bench
fixtures: deps
	@$(MAKE) --no-print-directory _fixtures

# Idempotent: one dpkg-query when everything is present.
deps:
	@missing=$$(dpkg-query -W -f='$${Package} $${db:Status-Status}\n' \
		$(DEB_PKGS) 2>/dev/null | awk '$$2=="installed"{print $$1}' | \
		sort | comm -13 - <(printf '%s\n' $(DEB_PKGS) | sort)); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then \
			echo "deps: need root to apt-get install" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq $$missing \
			>/dev/null || exit 1; \
	fi
	@# Node may come from elsewhere than Debian: install it only if absent.
	@if ! command -v npm >/dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			nodejs npm >/dev/null || exit 1; fi
	@tests/interop/npm-deps.sh

_all: $(XBRG) $(FIXBINS)

$(BUILD)/obj/%.o: %.c $(wildcard validators/*.h trustlists/*.h gateway/*.h tests/helpers/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -c -o $@ $<

$(LIBVAL): $(call obj,$(VAL_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBTL): $(call obj,$(TL_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBGW): $(call obj,$(GW_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(XBRG): $(call obj,gateway/gw_main.c) $(LIBS)
	$(CC) $(XLDFLAGS) -o $@ $^ $(XLDLIBS)

$(BUILD)/tests/%: $(call obj,tests/%.c) $(call obj,$(HELPER_SRC)) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(XLDFLAGS) -o $@ $^ $(XLDLIBS) -lcmocka

$(BUILD)/fixtures-bin/%: $(call obj,fixtures/%.c) $(LIBVAL)
	@mkdir -p $(dir $@)
	$(CC) $(XLDFLAGS) -o $@ $^ $(XLDLIBS)

# Fixtures are generated, never committed; each gen-*.sh runs in name order
# and writes below $(FIXTURES).  The stamp is rebuilt when a script changes.
FIX_SCRIPTS := $(sort $(wildcard fixtures/gen-*.sh))
$(FIXTURES)/.stamp: $(FIX_SCRIPTS) $(FIXBINS) $(wildcard fixtures/*.cnf)
	@mkdir -p $(FIXTURES)
	@set -e; for s in $(FIX_SCRIPTS); do \
		echo "fixtures: $$s"; \
		FIXTURES=$(FIXTURES) FIXBIN=$(BUILD)/fixtures-bin bash $$s; \
	done
	@touch $@
_fixtures: $(FIXTURES)/.stamp

_test: $(XBRG) $(TESTS) $(FIXTURES)/.stamp
	@XBRG=$(XBRG) BUILD=$(BUILD) FIXTURES=$(FIXTURES) \
		tests/run.sh $(TESTS)

_demo: $(XBRG) $(FIXTURES)/.stamp
	@XBRG=$(XBRG) FIXTURES=$(FIXTURES) bash gateway/demo.sh

# libFuzzer harnesses: clang with the fuzzer runtime, own object tree.
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
	-fsanitize=fuzzer-no-link,address,undefined -Ivalidators \
	-Itrustlists -Igateway $(PKG_CFLAGS)
FUZZ_LIB_SRC := $(VAL_SRC) $(TL_SRC) $(GW_SRC)
FUZZ_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_LIB_SRC))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 10

$(FUZZ_BUILD)/obj/%.o: %.c $(wildcard validators/*.h trustlists/*.h gateway/*.h)
	@mkdir -p $(dir $@)
	clang-14 $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	clang-14 $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lpthread -lm

# Each harness fuzz_NAME.c takes its seeds from the folders listed in
# tests/fuzz/NAME.seeds (one path a line, fixtures included).
_fuzz-smoke: $(FUZZ_BINS) $(FIXTURES)/.stamp
	@set -e; for b in $(FUZZ_BINS); do \
		n=$$(basename $$b); n=$${n#fuzz_}; \
		corpus=$(FUZZ_BUILD)/corpus-$$n; mkdir -p $$corpus; \
		seeds=$$(sed 's/#.*//' tests/fuzz/$$n.seeds 2>/dev/null | \
			xargs -r ls -d 2>/dev/null || true); \
		echo "fuzz-smoke: $$n for $(FUZZ_SECONDS)s"; \
		ASAN_OPTIONS=detect_leaks=1 $$b -max_total_time=$(FUZZ_SECONDS) \
			-rss_limit_mb=2048 -timeout=10 -max_len=1048576 \
			-print_final_stats=1 $$corpus $$seeds 2>&1 | tail -n 12; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

# Benchmarks: tests/bench/NN-*.sh in order; they print their own figures.
# tests/bench/*.c are small programs built into $(BUILD)/bench (BENCHBIN).
$(BUILD)/bench/%: $(call obj,tests/bench/%.c) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(XLDFLAGS) -o $@ $^ $(XLDLIBS)

_bench: $(XBRG) $(BENCHBINS) $(FIXTURES)/.stamp
	@set -e; for s in $(sort $(wildcard tests/bench/*.sh)); do \
		echo "== $$s"; XBRG=$(XBRG) BUILD=$(BUILD) \
		BENCHBIN=$(BUILD)/bench FIXTURES=$(FIXTURES) bash $$s; done

clean:
	rm -rf build
