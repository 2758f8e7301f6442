#!/usr/bin/env bash
# Sets up what is missing, then runs every test of Agent Bar: unit, seed samples, engine,
# conformance, end-to-end, the desktop smoke test, and the parser fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

export CARGO_TERM_COLOR=never

# Runs a stage with a time limit, so that a test that hangs fails this run with its stage's
# name, well inside CI's 90 minutes, instead of eating them. The limits are several times
# what a cold 2-core machine needs.
within() {
    local minutes=$1
    shift
    local rc=0
    timeout --kill-after=30s "${minutes}m" "$@" || rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "!! timed out after ${minutes} min: $*" >&2
    fi
    return "$rc"
}
echo "== web UI: install, build (ui/dist), unit and component tests"
within 15 bash -c 'cd ui && npm ci --no-audit --no-fund && npm run build && npm test'

echo "== JavaScript SDK: unit tests and its contract with the Rust API and docs/openapi.json (sdk/)"
within 5 node --test sdk/test/

echo "== format (cargo fmt --check)"
within 5 cargo fmt --all -- --check

echo "== build (workspace, including the desktop shell)"
within 40 cargo build --workspace --all-targets --locked

echo "== tests"
within 20 cargo test --workspace --locked

echo "== browser end-to-end: the demo and the built UI in headless Chromium (e2e/)"
within 20 bash -c 'cd e2e && npm ci --no-audit --no-fund && npm test'

echo "== desktop window: the real window under Xvfb, driven through WebDriver (tauri-driver + WebKitWebDriver)"
within 10 scripts/window-test.sh

echo "== parser fuzz: 100000 property-test inputs per property against the MVB2000, asterCC, Guoxin and 800hu parsers (release build)"
PROPTEST_CASES=100000 within 15 cargo test --release --locked -p agentbar-mvb2000 --test proptest_parsers
PROPTEST_CASES=100000 within 10 cargo test --release --locked -p agentbar-astercc --test proptest_parsers
PROPTEST_CASES=100000 within 10 cargo test --release --locked -p agentbar-guoxin --test proptest_parsers
PROPTEST_CASES=100000 within 10 cargo test --release --locked -p agentbar-hu800 --test proptest_parsers

echo "== bundles: the .deb and the AppImage from the debug build, checked and started (scripts/bundle.sh --debug --check)"
within 15 scripts/bundle.sh --debug --check
