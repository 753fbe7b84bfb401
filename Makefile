# smx — the two commands a new user needs:
#   make demo   runs the main job on the embedded PostgreSQL (no services to set up)
#   make test   runs the test suite (real PostgreSQL and Redis; embedded PostgreSQL as fallback outside CI)

export ONNXRUNTIME_NODE_INSTALL_CUDA := skip
SMX := node bin/smx

.PHONY: all install build test demo bench typecheck clean

all: build

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	npx tsc -p tsconfig.json

typecheck: install
	npx tsc -p tsconfig.json --noEmit

test: build
	node scripts/run-tests.mjs

demo: build
	bash scripts/demo.sh

bench: build
	bash bench/run-all.sh

clean:
	rm -rf dist
