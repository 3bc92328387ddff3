# The README's two commands: `make demo` and `make test`. Both install what
# is missing (make deps, through apt-get) and build first.

BUILD ?= build
ASAN_BUILD ?= build-asan
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages: DESIGN section 7, plus the tools the build and tests use.
DEPS = cmake make gcc g++ pkg-config binutils python3 \
       libsqlite3-dev libigraph-dev libutf8proc-dev libcsv-dev \
       libjansson-dev libcmocka-dev doxygen graphviz
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build demo test test-fast docs install clean

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

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	./$(BUILD)/examples/networking-evening examples/data/networking-evening

# Everything once more under AddressSanitizer and UndefinedBehaviorSanitizer
# (leaks checked), then the normal build's suite, whose summary ends the run.
test: build
	cmake -S . -B $(ASAN_BUILD) -DNETREF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -LE no-sanitizer
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The normal build's suite alone, for quick iterations.
test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

docs: build
	cmake --build $(BUILD) --target docs

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
