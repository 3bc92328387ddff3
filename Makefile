# The README's two commands: `make demo` and `make test`. Both install what
# is missing (make deps, through apt-get) and build first.

BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
# Release (-O3) builds with each compiler: the optimizer finds warnings
# (maybe-uninitialized, ...) that the -O2 build does not.
RELEASE_GCC_BUILD ?= build-release-gcc
RELEASE_CLANG_BUILD ?= build-release-clang
FUZZ_BUILD ?= build-fuzz
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages: DESIGN section 7, plus the tools the build and tests use
# (clang: the second compiler of `make test` and the fuzzers' compiler,
# with libclang-rt-14-dev for libFuzzer; abigail-tools: abidw and abidiff
# for the ABI baseline; mypy: the Python binding's type check;
# libgraphviz-dev and fonts-dejavu-core: 'netref draw' renders with
# Graphviz's library, in a font with Latin, Greek and Cyrillic;
# python3-networkx and python3-igraph: test export.readers loads what
# `netref export` writes with NetworkX's and igraph's readers;
# clang-format: the style check, style.clang_format).
DEPS = cmake make gcc g++ clang pkg-config binutils python3 \
       libsqlite3-dev libigraph-dev libutf8proc-dev libcsv-dev \
       libjansson-dev libcmocka-dev doxygen graphviz abigail-tools \
       libclang-rt-14-dev mypy libgraphviz-dev fonts-dejavu-core \
       python3-networkx python3-igraph clang-format
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build demo pictures format test test-fast test-release abi-update fuzz \
        fuzz-build bench bench-large docs install clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $$missing; \
	fi

# Warnings are errors here (NETREF_WERROR), not in a plain `cmake` build.
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETREF_WERROR=ON
	cmake --build $(BUILD) -j$(JOBS)

# The demo's own output, not the build's: the build goes to a log that is
# shown only when the build fails.
demo: deps
	@mkdir -p $(BUILD)
	@echo "make demo: building netref into $(BUILD)/ (log: $(BUILD)/build.log)"
	@{ cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DNETREF_WERROR=ON && cmake --build $(BUILD) -j$(JOBS); } \
	  > $(BUILD)/build.log 2>&1 || { cat $(BUILD)/build.log; \
	  echo "make demo: the build failed (log above and in $(BUILD)/build.log)"; \
	  exit 1; }
	@./$(BUILD)/examples/networking-evening examples/data/networking-evening
	@echo
	@examples/scripts/draw-evening.sh ./$(BUILD)/examples/netref $(BUILD)/demo
	@echo
	@examples/scripts/import-contacts.sh ./$(BUILD)/examples/netref $(BUILD)/demo

# Format every C file as .clang-format says (style.clang_format checks).
format:
	tests/style/check_format.sh . --fix

# The picture the README shows, regenerated from the evening's network
# (commit docs/images/party-planning.png after a change of the drawing).
pictures: build
	examples/scripts/draw-evening.sh ./$(BUILD)/examples/netref \
	  $(BUILD)/pictures png
	mkdir -p docs/images
	cp $(BUILD)/pictures/party-planning.png docs/images/

# The Release builds (gcc and clang, warnings as errors), everything once
# more under AddressSanitizer and UndefinedBehaviorSanitizer (leaks
# checked; tests/lsan.supp names the few third-party leaks that are not
# netref's), the two-thread read of a large ties file
# (unit.test_import_halves) under ThreadSanitizer, each fuzz target for
# FUZZ_TEST_SECONDS, then the normal build's suite, whose summary ends
# the run. The normal build's suite
# includes packaging.abi, the check against the ABI baseline
# abi/libnetref.abi.
FUZZ_TEST_SECONDS ?= 20
test: build test-release fuzz-build
	cmake -S . -B $(ASAN_BUILD) -DNETREF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
	  -DNETREF_WERROR=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -LE no-sanitizer
	cmake -S . -B $(TSAN_BUILD) -DNETREF_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNETREF_WERROR=ON
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target test_import_halves
	TSAN_OPTIONS=halt_on_error=1 \
	  ctest --test-dir $(TSAN_BUILD) --output-on-failure -R '^unit\.test_import_halves$$'
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_TEST_SECONDS) $(FUZZ_JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Everything (library, CLI, examples, tests, benchmarks) built as Release
# with gcc and with clang, warning-free, and the unit tests run in both.
# $(call release_build,DIR,COMPILER)
define release_build
	cmake -S . -B $(1) -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=$(2) \
	  -DNETREF_WERROR=ON
	cmake --build $(1) -j$(JOBS)
	ctest --test-dir $(1) --output-on-failure -j$(JOBS) -R '^unit\.'
endef

test-release: deps
	$(call release_build,$(RELEASE_GCC_BUILD),gcc)
	$(call release_build,$(RELEASE_CLANG_BUILD),clang)

# Record the ABI of the library as built now as the baseline that
# packaging.abi compares with (README.md, "ABI baseline"): only after a
# deliberate change of the public header, and commit abi/libnetref.abi
# with it.
abi-update: build
	python3 tests/packaging/check_abi.py update \
	  $(BUILD)/lib/libnetref.so.1 include abi/libnetref.abi .

# Fuzzing (tests/fuzz/README.md): the libFuzzer targets, built with clang
# under ASan and UBSan in $(FUZZ_BUILD); `make fuzz SECONDS=N` runs each
# for N seconds from its seed corpus, FUZZ_JOBS at a time, and prints the
# executions per target. A crash is saved into tests/fuzz/regressions/.
SECONDS ?= 60
FUZZ_JOBS ?= 2
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DNETREF_FUZZ=ON \
	  -DNETREF_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target netref_fuzzers

fuzz: fuzz-build
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD) $(SECONDS) $(FUZZ_JOBS)

# The normal build's suite alone, for quick iterations.
test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Benchmarks (issue 4, tests/bench): `make bench` at 100k people, `make
# bench-large` at 1M (20 ties each). The network is generated once per size
# and seed into $(BENCH_DIR) and reused; it is made again when the schema or
# import code (which decide the file and the import rate) or the generator
# changed since. The table goes to stdout, the JSON to
# $(BENCH_DIR)/bench-SIZE.json. BENCH_ARGS adds netref-bench options. Then
# the Python line (tests/bench/python_bench.py): the same kind of
# prospects queries through the binding and as the bare C call, with
# their ratio (JSON in $(BENCH_DIR)/python-SIZE.json). Then the cold-start
# lines (tests/bench/cold_bench.py): `netref prospects --hops 2` as a new
# process against `netref person show`, and open to first answer with the
# index snapshot (FILE-index) and on the first build (JSON in
# $(BENCH_DIR)/cold-SIZE.json). bench-large adds the cold-start lines at
# 200k people, where issue 12 sets the cold-process target.
BENCH_DIR ?= $(BUILD)/bench
BENCH_SEED ?= 1
BENCH_ARGS ?=
BENCH_STALE = $(wildcard lib/store.c lib/import.c lib/tie*.c lib/keymap*.c) \
              tests/bench/netref-gen.c

# $(call bench_net,SIZE-LABEL,PEOPLE): generate the network (or reuse it)
# and leave its path in $$db.
define bench_net
	@mkdir -p $(BENCH_DIR)
	@db=$(BENCH_DIR)/net-$(1)-s$(BENCH_SEED).db; \
	if [ ! -f $$db.gen.json ] || \
	   [ -n "$$(find $(BENCH_STALE) -newer $$db.gen.json 2>/dev/null)" ]; then \
	  echo "bench: generating $(2) people (seed $(BENCH_SEED)) into $$db" >&2; \
	  ./$(BUILD)/tests/bench/netref-gen --people $(2) --ties-per-person 20 \
	    --seed $(BENCH_SEED) --out $$db --force || exit 1; \
	else \
	  echo "bench: reusing $$db (rm $$db.gen.json to generate it again)" >&2; \
	fi
endef

# $(call bench_cold,SIZE-LABEL,TARGET-OPTIONS): the cold-start lines on
# the network of that size; each target is judged only at the size issue
# 12 sets it for (--first-answer-target at 1M, --cold-target at 200k).
define bench_cold
	NETREF_LIBRARY=$(CURDIR)/$(BUILD)/lib/libnetref.so.1 \
	  python3 tests/bench/cold_bench.py \
	  --db $(BENCH_DIR)/net-$(1)-s$(BENCH_SEED).db --seed $(BENCH_SEED) \
	  --cli ./$(BUILD)/examples/netref $(2) --json $(BENCH_DIR)/cold-$(1).json
endef

# $(call bench_run,SIZE-LABEL,PEOPLE,COLD-TARGET-OPTIONS)
define bench_run
	$(call bench_net,$(1),$(2))
	./$(BUILD)/tests/bench/netref-bench \
	  --db $(BENCH_DIR)/net-$(1)-s$(BENCH_SEED).db --seed $(BENCH_SEED) \
	  --json $(BENCH_DIR)/bench-$(1).json $(BENCH_ARGS)
	NETREF_LIBRARY=$(CURDIR)/$(BUILD)/lib/libnetref.so.1 \
	PYTHONPATH=$(CURDIR)/bindings/python \
	  python3 tests/bench/python_bench.py \
	  --db $(BENCH_DIR)/net-$(1)-s$(BENCH_SEED).db --seed $(BENCH_SEED) \
	  --json $(BENCH_DIR)/python-$(1).json
	$(call bench_cold,$(1),$(3))
endef

bench: build
	$(call bench_run,100k,100000)

bench-large: build
	$(call bench_run,1m,1000000,--first-answer-target)
	$(call bench_net,200k,200000)
	$(call bench_cold,200k,--cold-target)

docs: build
	cmake --build $(BUILD) --target docs

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(RELEASE_GCC_BUILD) $(RELEASE_CLANG_BUILD) \
	  $(FUZZ_BUILD)
