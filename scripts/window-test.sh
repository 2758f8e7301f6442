#!/usr/bin/env bash
# The desktop window test (e2e/window/): the real agentbar-desktop window under Xvfb, driven
# through WebDriver (tauri-driver in front of WebKitWebDriver) against the embedded demo.
#
# Installs what is missing (the Debian packages, tauri-driver), builds the UI and the desktop
# binary when needed, then runs the test in a private D-Bus session, a session key ring and a
# virtual X screen, with HOME and the XDG folders in a temporary directory (so no saved
# profile replaces the demo). Logs and screenshots land in e2e/artifacts/.
#
#   scripts/window-test.sh
#
# Every wait is bounded: WINDOW_TEST_TIMEOUT (seconds, default 300) caps the whole run.
# WINDOW_TEST_BUILD=0 skips the cargo build and tests target/debug/agentbar-desktop as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ARTIFACTS="$ROOT/e2e/artifacts"
BIN="$ROOT/target/debug/agentbar-desktop"
NATIVE_DRIVER=/usr/bin/WebKitWebDriver

# Whether process $1 still runs (a zombie does not: it only waits to be reaped).
running() {
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st#Z}" = "$st" ]
}

# --- Inside Xvfb (the script runs itself again there, see the end) --------------------------
if [ "${1:-}" = "--inside" ]; then
  tmp=$2
  driver_pid=""
  test_pid=""

  # The PIDs under $1, deepest first: the driver's WebKitWebDriver, the app, its web processes.
  descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
      descendants "$child"
      echo "$child"
    done
  }
  # Stops tauri-driver and everything it started (WebKitWebDriver, the app) by PID: TERM,
  # up to 5 s, then KILL.
  stop_driver() {
    [ -n "$driver_pid" ] || return 0
    local pids p alive=""
    pids="$(descendants "$driver_pid") $driver_pid"
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do
      alive=""
      for p in $pids; do running "$p" && alive="$alive $p"; done
      [ -z "$alive" ] && break
      sleep 0.1
    done
    [ -n "$alive" ] && { echo "window-test: killing$alive"; kill -KILL $alive 2>/dev/null || true; }
    driver_pid=""
  }
  stop_all() {
    [ -n "$test_pid" ] && kill -TERM "$test_pid" 2>/dev/null
    stop_driver
  }
  trap stop_all EXIT
  trap 'exit 130' INT TERM

  export HOME="$tmp/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
  unset AGENTBAR_CONFIG

  # Four free ports for tauri-driver, WebKitWebDriver, the demo's local API and its simulator,
  # below Linux's ephemeral range (32768-60999), where outgoing connections cannot take one
  # between this check and the bind.
  read -r wd_port native_port api_port sim_port < <(node -e '
    const net = require("node:net");
    const free = (port) => new Promise((ok) => {
      const s = net.createServer().once("error", () => ok(false));
      s.listen(port, "127.0.0.1", () => s.close(() => ok(true)));
    });
    (async () => {
      const ports = new Set();
      while (ports.size < 4) {
        const port = 20000 + Math.floor(Math.random() * 12000);
        if (await free(port)) ports.add(port);
      }
      console.log([...ports].join(" "));
    })();')
  # The app inherits these through tauri-driver and WebKitWebDriver (src-tauri/src/bootstrap.rs).
  export AGENTBAR_DEMO_LISTEN="127.0.0.1:$api_port"
  export AGENTBAR_DEMO_SIM_LISTEN="127.0.0.1:$sim_port"
  # No scripted call cuts across the clicks: the test makes its own.
  export AGENTBAR_DEMO_FIRST_CALL=3600 AGENTBAR_DEMO_CALL_EVERY=3600
  # The local API's pairing token, so the test can read the app's state as a paired program.
  AGENTBAR_API_TOKEN=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  export AGENTBAR_API_TOKEN
  export RUST_LOG="${RUST_LOG:-info}" NO_COLOR=1
  # WebKitWebDriver discards the app's stderr: the app logs to a file instead (src-tauri/src/lib.rs).
  rm -f "$ARTIFACTS/window-app.log"
  export AGENTBAR_LOG_FILE="$ARTIFACTS/window-app.log"

  # The drivers' own messages; WebKitWebDriver discards the app's output.
  "$TAURI_DRIVER" --port "$wd_port" --native-port "$native_port" --native-driver "$NATIVE_DRIVER" \
    >"$ARTIFACTS/window-driver.log" 2>&1 &
  driver_pid=$!
  for i in $(seq 100); do
    curl -sf -m 2 "http://127.0.0.1:$wd_port/status" >/dev/null && break
    running "$driver_pid" || { echo "window-test: tauri-driver exited:" >&2; cat "$ARTIFACTS/window-driver.log" >&2; exit 1; }
    [ "$i" -eq 100 ] && { echo "window-test: tauri-driver not ready after 10 s" >&2; exit 1; }
    sleep 0.1
  done

  # In the background, so that a TERM (the cap below, Ctrl-C) runs the traps at once rather
  # than after the test; every wait inside the test is bounded too.
  WEBDRIVER_URL="http://127.0.0.1:$wd_port" AGENTBAR_BIN="$BIN" \
    AGENTBAR_API="http://$AGENTBAR_DEMO_LISTEN" AGENTBAR_SIM="http://$AGENTBAR_DEMO_SIM_LISTEN" \
    node --test --test-concurrency=1 --test-timeout=120000 e2e/window/window.test.js &
  test_pid=$!
  status=0
  wait "$test_pid" || status=$?
  test_pid=""
  if [ "$status" -ne 0 ] && [ -s "$ARTIFACTS/window-app.log" ]; then
    echo "window-test: the app's last log lines ($ARTIFACTS/window-app.log):" >&2
    tail -n 40 "$ARTIFACTS/window-app.log" >&2
  fi
  exit "$status"
fi

# --- Outside: what the test needs, then the run -----------------------------------------------
# fonts-wqy-microhei: without a CJK font the bar's Chinese renders as boxes.
packages=(webkit2gtk-driver xvfb xauth dbus-x11 keyutils curl fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "window-test: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
# Major 2 pinned: a 3.0 alpha exists.
if ! TAURI_DRIVER=$(command -v tauri-driver); then
  echo "window-test: installing tauri-driver 2 (cargo install)"
  cargo install tauri-driver --locked --version '^2.1'
  TAURI_DRIVER=$(command -v tauri-driver)
fi
export TAURI_DRIVER

# The binary embeds ui/dist: rebuild that when missing or older than the UI's sources, then the
# binary (a no-op when fresh: scripts/test.sh built both already). WINDOW_TEST_BUILD=0 tests
# the binary as it is.
if [ "${WINDOW_TEST_BUILD:-1}" != 0 ]; then
  if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html -newer ui/dist/index.html | head -1)" ]; then
    echo "window-test: building the UI (ui/dist)"
    [ -d ui/node_modules ] || (cd ui && npm ci --no-audit --no-fund)
    (cd ui && npm run build)
  fi
  cargo build -p agentbar-desktop --locked
fi
[ -x "$BIN" ] || { echo "window-test: no $BIN; build it: cargo build -p agentbar-desktop --locked" >&2; exit 1; }

mkdir -p "$ARTIFACTS"
tmp=$(mktemp -d)
runner=""
group=""
# The live (not zombie) processes left in process group $1.
group_left() {
  ps -eo pgid=,pid=,stat= | awk -v g="$1" '$1 == g && $3 !~ /^Z/ { print $2 }'
}
# On any exit: stop the run (timeout passes the TERM on to everything it started, whose own
# traps stop the driver and the app), at most 15 s; then whatever is left in its process group
# (an orphan, say a WebKitWebDriver whose tauri-driver died) by PID; then the temporary HOME.
finish() {
  if [ -n "$runner" ] && kill -TERM "$runner" 2>/dev/null; then
    for _ in $(seq 150); do running "$runner" || break; sleep 0.1; done
    kill -KILL "$runner" 2>/dev/null || true
  fi
  if [ -n "$group" ] && [ -n "$(group_left "$group")" ]; then
    # shellcheck disable=SC2046
    kill -TERM $(group_left "$group") 2>/dev/null || true
    for _ in $(seq 30); do [ -z "$(group_left "$group")" ] && break; sleep 0.1; done
    left=$(group_left "$group")
    [ -n "$left" ] && { echo "window-test: killing" $left >&2; kill -KILL $left 2>/dev/null || true; }
  fi
  rm -rf "$tmp"
}
trap finish EXIT
trap 'exit 130' INT TERM
limit="${WINDOW_TEST_TIMEOUT:-300}"
# timeout signals its whole process group, so nothing it started outlives the cap; it runs in
# the background so that Ctrl-C and TERM reach this script's traps at once.
timeout -k 10 "$limit" \
  dbus-run-session -- keyctl session - \
  xvfb-run -a -s "-screen 0 1280x800x24" "$ROOT/scripts/window-test.sh" --inside "$tmp" &
runner=$!
# timeout leads a process group of its own: all that the run starts.
group=$runner
status=0
wait "$runner" || status=$?
runner=""
[ "$status" -eq 124 ] && echo "window-test: timed out after $limit s" >&2
exit "$status"
