#!/usr/bin/env bash
# Sets up what is missing, builds, and starts the demo: the bar's engine against the built-in
# simulated call center, with the local listener on 127.0.0.1:10800 and a scripted incoming
# call every few seconds. Open http://127.0.0.1:10800/ui/ or use the URLs in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
(cd ui && npm ci --no-audit --no-fund && npm run build)
cargo build --locked -p agentbar-cli
exec target/debug/agentbar-cli demo "$@"
