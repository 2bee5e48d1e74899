#!/usr/bin/env bash
# Runs every test layer and prints each layer's counts:
#   1. native: cargo test (unit and property tests of the pure core)
#   2. wasm:   wasm-bindgen-test in headless Chromium (IndexedDB, browser APIs,
#              the HTTP transport against the dev CouchDB-protocol server)
#   3. e2e:    Playwright driving Debian's Chromium against the release dist/
#   4. node:   node --test of the build and benchmark scripts (scripts/*.test.mjs)
# Exits non-zero if any layer fails or runs no test.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
status=0

# Sums "N passed" / "N failed" over cargo's and libtest's result lines.
count() { grep -Eo "$2" "$1" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }

run_layer() {
  local name=$1; shift
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || { echo "=== $name FAILED (exit $rc)"; status=1; }
  return 0
}

# The wasm layer's tests/transport.rs talks to the dev CouchDB-protocol
# server, started here on a port of its own (the test runner serves its page
# on another, so CORS is real) and always stopped, whatever happens. A wasm
# test cannot read the environment at run time, so the URL is compiled in
# (option_env!). The runner's page is served without COOP/COEP, like the
# app's pages (under COEP no `no-cors` probe can work).
couch_port=${SERVICELENS_TEST_COUCH_PORT:-5985}
stop_couch() { scripts/couch-ctl.sh stop "$couch_port" >/dev/null 2>&1 || true; }
trap stop_couch EXIT
trap 'exit 130' INT TERM
wasm_layer() {
  scripts/couch-ctl.sh start "$couch_port" || return 1
  SERVICELENS_TEST_COUCH="http://127.0.0.1:$couch_port" WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 \
    cargo test --locked --target wasm32-unknown-unknown --test '*'
  local rc=$?
  stop_couch
  return $rc
}

run_layer native cargo test --locked
run_layer node node --test --test-reporter=tap scripts/
run_layer wasm wasm_layer
run_layer build trunk build --release --offline
if [ -f dist/index.html ]; then
  run_layer e2e npx playwright test --config tests/e2e/playwright.config.mjs
else
  echo "=== e2e skipped: the release build failed"; status=1
  : > "$logs/e2e.log"
fi

echo
echo "=== Summary"
total_pass=0; total_fail=0
for layer in native wasm e2e node; do
  case $layer in
    node) p=$(count "$logs/node.log" '^# pass [0-9]+'); f=$(count "$logs/node.log" '^# fail [0-9]+') ;;
    e2e) p=$(count "$logs/e2e.log" '[0-9]+ passed'); f=$(count "$logs/e2e.log" '[0-9]+ failed') ;;
    *)   p=$(count "$logs/$layer.log" '[0-9]+ passed;'); f=$(count "$logs/$layer.log" '[0-9]+ failed;') ;;
  esac
  printf '%-7s %4d passed, %d failed\n' "$layer:" "$p" "$f"
  [ "$p" -gt 0 ] || { echo "=== $layer ran no test"; status=1; }
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done
echo "all: $total_pass passed, $total_fail failed"
exit $status
