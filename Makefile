# eseal: the two set-up commands (README) and a few more.
#   make run    install what is missing, build, start the platform with demo data
#   make test   install what is missing, build, run every test (unit, then interop)
PRESET ?= debug
BUILD  := build/$(PRESET)

.PHONY: all deps configure build test test-asan run bench clean format tidy

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@test -f $(BUILD)/build.ninja || cmake --preset $(PRESET)

build: configure
	cmake --build $(BUILD)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -L unit
	ctest --test-dir $(BUILD) --output-on-failure -L token
	ctest --test-dir $(BUILD) --output-on-failure -L interop
	ctest --test-dir $(BUILD) --output-on-failure -L e2e

test-asan:
	$(MAKE) test PRESET=asan

run: build
	@bash scripts/demo.sh $(BUILD)/src/app/eseal

bench:
	$(MAKE) build PRESET=release
	ESEAL=build/release/src/app/eseal bash bench/issue.sh

format:
	find src -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

tidy: configure
	find src -name '*.cpp' ! -name '*_test.cpp' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf build
