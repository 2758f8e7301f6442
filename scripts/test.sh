#!/usr/bin/env bash
# Sets up what is missing, then runs every test of Agent Bar: unit, seed samples, engine,
# conformance, end-to-end, the desktop smoke test, and the parser fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

export CARGO_TERM_COLOR=never
echo "== web UI: install, build (ui/dist), unit and component tests"
(cd ui && npm ci --no-audit --no-fund && npm run build && npm test)

echo "== format (cargo fmt --check)"
cargo fmt --all -- --check

echo "== build (workspace, including the desktop shell)"
cargo build --workspace --all-targets --locked

echo "== tests"
cargo test --workspace --locked

echo "== browser end-to-end: the demo and the built UI in headless Chromium (e2e/)"
(cd e2e && npm ci --no-audit --no-fund && npm test)

echo "== desktop window: the real window under Xvfb, driven through WebDriver (tauri-driver + WebKitWebDriver)"
scripts/window-test.sh

echo "== parser fuzz: 100000 property-test inputs per property against the MVB2000, asterCC and Guoxin parsers (release build)"
PROPTEST_CASES=100000 cargo test --release --locked -p agentbar-mvb2000 --test proptest_parsers
PROPTEST_CASES=100000 cargo test --release --locked -p agentbar-astercc --test proptest_parsers
PROPTEST_CASES=100000 cargo test --release --locked -p agentbar-guoxin --test proptest_parsers

echo "== bundles: the .deb and the AppImage from the debug build, checked and started (scripts/bundle.sh --debug --check)"
scripts/bundle.sh --debug --check
