#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing, on a fresh
# Debian machine with Rust (run as root, as on our machines). Idempotent and
# non-interactive: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
log() { echo "setup: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_missing=()
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
[ -x /usr/bin/chromedriver ] || apt_missing+=(chromium-driver)
command -v node >/dev/null || apt_missing+=(nodejs)
command -v npm >/dev/null || apt_missing+=(npm)
# nginx runs docs/nginx-inbox.conf in front of the dev CouchDB server in the
# node tests (scripts/couch-server.test.mjs).
[ -x /usr/sbin/nginx ] || apt_missing+=(nginx-light)
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "apt-get install ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  log "cargo install trunk $TRUNK_VERSION (takes ~25 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must be exactly the version in Cargo.lock.
wbg=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg"; then
  log "cargo install wasm-bindgen-cli $wbg"
  # Its own lock file may name a crate the registry no longer has.
  cargo install wasm-bindgen-cli --version "$wbg" --locked || cargo install wasm-bindgen-cli --version "$wbg"
fi
if ! grep -q "^wasm_bindgen = \"$wbg\"" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_bindgen must be $wbg (the Cargo.lock version)" >&2
  exit 1
fi

# Node tooling: wasm-opt (npm binaryen) for Trunk, Playwright for e2e.
# Playwright drives Debian's Chromium and must not download a browser.
if ! npm ls --silent >/dev/null 2>&1 || [ ! -x node_modules/.bin/wasm-opt ]; then
  log "npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

# Trunk builds offline, which makes cargo offline too: fetch crates first.
cargo fetch --locked --quiet
log "ready"
