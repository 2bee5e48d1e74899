# The README's commands. Each installs what is missing first (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup serve couch release test bench bench-kpi bench-import

setup:
	@scripts/setup.sh

## Build and serve the app on http://127.0.0.1:8080 (rebuilds on change).
serve: setup
	trunk serve --offline --address 127.0.0.1 --port 8080

## The dev CouchDB-protocol server for trying the inbox and team sync, in the
## foreground on http://127.0.0.1:5984 (in memory: Ctrl-C loses everything),
## with the inbox, forms and team databases installed (docs/sync.md).
COUCH_PORT ?= 5984
COUCH_ADMIN ?= admin:admin
COUCH_MANAGER ?= manager:manager
COUCH_ORIGINS ?= *
couch: setup
	node scripts/couch-server.mjs --port $(COUCH_PORT) --admin '$(COUCH_ADMIN)' --origins '$(COUCH_ORIGINS)' --install --manager '$(COUCH_MANAGER)'

## Release build in dist/, relative URLs: copy it to any static host, any sub-path.
release: setup
	trunk build --release --offline

## Every test layer: native, wasm in headless Chromium, end-to-end.
test: setup
	@scripts/test.sh

## Every benchmark against the budgets of bench/budgets.json: builds the
## release, prints one table, writes docs/bench/latest.json, exits 1 naming
## each broken budget (scripts/bench.mjs; E2E_PORT sets its ports).
bench: setup
	node scripts/bench.mjs

## KPI engine benchmark: native (10k/100k/1M) and in headless Chromium (10k/100k).
bench-kpi: setup
	cargo bench --features bench-data --bench kpi
	cargo test --release --target wasm32-unknown-unknown --features browser-bench --test kpi_browser -- --nocapture

## Bundle benchmark: native write/parse (10k/100k), then a 100k import into
## IndexedDB in headless Chromium against Dexie bulkPut (needs `npm ci`).
bench-import: setup
	cargo bench --features bench-data --bench bundle
	WASM_BINDGEN_TEST_TIMEOUT=1200 cargo test --release --target wasm32-unknown-unknown --features browser-bench --test import_browser -- --nocapture
