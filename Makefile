# Gatehouse: `make run` and `make test` work on a fresh Debian machine (as root, or with sudo).
BUILD     ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
GATEHOUSE := $(BUILD)/src/app/gatehouse

# ccache: hits across checkouts in different folders (CI builds a fresh clone elsewhere).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
export CCACHE_MAXSIZE ?= 5G

.PHONY: all deps build run test test-asan bench fuzz format clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

# Starts the server on SQLite at http://127.0.0.1:8080 (state in ./gatehouse.db).
run: build
	$(GATEHOUSE) serve

# Every suite: unit, store contract (SQLite and a throw-away PostgreSQL), integration, end to end.
test:
	@scripts/install-deps --test
	@$(MAKE) --no-print-directory build
	scripts/test $(BUILD)

# The C++ suites again, built with AddressSanitizer and UndefinedBehaviorSanitizer (CI runs it).
test-asan:
	@scripts/install-deps --test
	@$(MAKE) --no-print-directory build BUILD=build-asan BUILD_TYPE=Debug \
	  CMAKE_FLAGS="-DGATEHOUSE_SANITIZE=ON -DGATEHOUSE_BENCH=OFF"
	GATEHOUSE_REQUIRE_POSTGRES=1 scripts/with-postgres ctest --test-dir build-asan --output-on-failure -j2

bench:
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory build
	bench/run --gatehouse $(GATEHOUSE) $(BENCH_ARGS)

fuzz:
	@scripts/install-deps --test
	scripts/fuzz

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
