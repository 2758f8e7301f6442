#!/usr/bin/env bash
# Installs what building and testing Agent Bar needs on Debian/Ubuntu, skipping what is there.
set -euo pipefail

packages=(
  build-essential pkg-config curl ca-certificates
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth dbus-x11 keyutils webkit2gtk-driver
  chromium fonts-wqy-microhei
  squashfs-tools patchelf desktop-file-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm not found; installing Debian's nodejs and npm (the web UI needs Node 20 or later)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node $(node --version 2>/dev/null) is too old for the web UI build (Vite needs Node 20 or later)" >&2
  exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; installing the stable Rust toolchain with rustup"
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

# The test command checks formatting; a minimal toolchain has no rustfmt.
if ! cargo fmt --version >/dev/null 2>&1; then
  echo "setup: adding rustfmt"
  rustup component add rustfmt
fi
