#!/usr/bin/env bash
# Sets up what is missing, builds, and opens the desktop bar against the built-in simulated
# call center: agent 8005 张三 at extension 2011, signed in; a first call pops after about 3 s,
# then one every 20 s; the local listener answers on 127.0.0.1:10800 (README.md has URLs).
#
#   scripts/demo.sh              the desktop bar (Tauri window, tray, pop-up window)
#   scripts/demo.sh --headless   the same demo without a window (`agentbar-cli demo`); open
#                                http://127.0.0.1:10800/ui/ in a browser for the bar
#
# With no display ($DISPLAY / $WAYLAND_DISPLAY unset, e.g. over ssh) it says so and runs the
# headless demo. Other arguments go to `agentbar-cli demo` in headless mode.
set -euo pipefail
cd "$(dirname "$0")/.."

headless=0
if [ "${1:-}" = "--headless" ]; then
  headless=1
  shift
elif [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "demo: no display (\$DISPLAY and \$WAYLAND_DISPLAY are unset): starting the headless demo;" \
       "open http://127.0.0.1:10800/ui/ for the bar" >&2
  headless=1
fi

scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
(cd ui && npm ci --no-audit --no-fund && npm run build)

if [ "$headless" = 1 ]; then
  cargo build --locked -p agentbar-cli
  [ "$#" -gt 0 ] || set -- --first-call 3
  exec target/debug/agentbar-cli demo "$@"
fi
cargo build --locked -p agentbar-desktop
# The demo even when a profile was saved from the settings before.
export AGENTBAR_DEMO=1
exec target/debug/agentbar-desktop
