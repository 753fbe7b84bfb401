# smx — the two commands a new user needs:
#   make demo   runs the main job on the embedded PostgreSQL (no services to set up)
#   make test   runs the test suite (real PostgreSQL and Redis; embedded PostgreSQL as fallback outside CI)

SMX := node bin/smx

.PHONY: all install build test demo bench typecheck lint format clean data check-install

all: build

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	npx tsc -p tsconfig.json

typecheck: install
	npx tsc -p tsconfig.json --noEmit

lint: install
	npm run --silent lint

format: install
	npm run --silent format

test: build
	node scripts/run-tests.mjs

# A new user's path from a fresh clone of HEAD: plain npm ci, npx smx --help, npm link (about 30 s).
check-install:
	bash scripts/check-fresh-install.sh

demo: build
	bash scripts/demo.sh

bench: build
	bash bench/run-all.sh

# data/ is not in git: data.dvc describes it (DVC 3 format). It is regenerated
# deterministically by smx generate, then checked against data.dvc.
data: build
	rm -rf data && mkdir -p data
	$(SMX) generate --sensors 6 --days 2 --seed 7 --anomalies --labels data/labels.csv -o data/readings.csv
	$(SMX) generate --sensors 6 --days 2 --seed 7 --drift-at 2024-01-02T00:00:00Z -o data/readings-drift.csv
	$(SMX) data status

clean:
	rm -rf dist
