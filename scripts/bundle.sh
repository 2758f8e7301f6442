#!/usr/bin/env bash
# Builds Agent Bar's Linux packages, a .deb and an AppImage, on Debian/Ubuntu, with nothing
# downloaded but packages from the registries (Debian, npm, crates.io):
#
#   scripts/bundle.sh                  release build
#   scripts/bundle.sh --debug          the debug build (CI's target/debug, no rebuild when fresh)
#   scripts/bundle.sh --debug --check  ... then scripts/check-bundles.sh on both packages
#
# Output: target/<release|debug>/bundle/deb/Agent Bar_<version>_amd64.deb (Tauri's bundler)
# and target/<release|debug>/bundle/appimage/Agent Bar_<version>_amd64.AppImage (our AppDir
# and runtime, packaging/appimage/). docs/bundles.md tells what each holds, how the .msi and
# .dmg are built on their systems, and the AppImage's limits.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
check=0
for arg in "$@"; do
  case $arg in
    --debug) profile=debug ;;
    --release) profile=release ;;
    --check) check=1 ;;
    -h | --help)
      sed -n '2,12p' "$0"
      exit 0
      ;;
    *)
      echo "bundle: unknown option $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export CARGO_TERM_COLOR=never

# npm ci, unless node_modules already matches the lock file (CI's test run just did it).
npm_ci() {
  if [ ! "$1/node_modules/.package-lock.json" -nt "$1/package-lock.json" ]; then
    (cd "$1" && npm ci --no-audit --no-fund)
  fi
}

echo "== bundle: web UI (ui/dist)"
# Skipped when ui/dist is newer than the UI's sources: rebuilding it would only touch its
# files and make cargo rebuild the app that embeds them (CI's test run built both already).
ui_inputs=(ui/src ui/public ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts ui/tsconfig.json)
if [ -f ui/dist/index.html ] && [ -z "$(find "${ui_inputs[@]}" -newer ui/dist/index.html 2>/dev/null | head -n 1)" ]; then
  echo "ui/dist is up to date"
else
  npm_ci ui
  (cd ui && npm run build)
fi

echo "== bundle: the app and the AppImage runtime ($profile)"
if [ "$profile" = release ]; then
  # As `tauri build` does: custom-protocol marks a production build (no dev server).
  cargo build --release --locked -p agentbar-desktop --features tauri/custom-protocol
  cargo build --release --locked -p agentbar-appimage-runtime
else
  # The very command scripts/test.sh builds with: the same features (dev-dependencies
  # included), so right after it this rebuilds nothing and packs the binary the tests ran.
  cargo build --workspace --all-targets --locked
fi

metadata=$(cargo metadata --no-deps --format-version 1 --locked)
target_dir=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).target_directory)' <<<"$metadata")
out=$target_dir/$profile/bundle

echo "== bundle: .deb (Tauri's bundler, packaging/node_modules/@tauri-apps/cli)"
npm_ci packaging
# The tauri CLI bundles from a folder of its own (see packaging/tauri-project.sh); it builds
# nothing, cargo did.
stage=$target_dir/bundle-project
packaging/tauri-project.sh "$stage"
debug_flag=()
[ "$profile" = debug ] && debug_flag=(--debug)
# --no-binary-patching: leave target/*/agentbar-desktop as cargo made it (CI's tests and other
# runs share it); the mark it would add only serves the updater, which the app does not use.
(cd packaging && CARGO_TARGET_DIR=$target_dir TAURI_APP_PATH=$stage CI=true \
  node_modules/.bin/tauri bundle "${debug_flag[@]}" --bundles deb --no-binary-patching)
version=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).version)' <tauri.conf.json)
product=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).productName)' <tauri.conf.json)
deb="$out/deb/${product}_${version}_amd64.deb"
[ -f "$deb" ] || { echo "bundle: the tauri CLI made no $deb" >&2; exit 1; }

echo "== bundle: AppImage (packaging/appimage/make-appimage.sh)"
appimage="$out/appimage/${product}_${version}_amd64.AppImage"
mkdir -p "$out/appimage"
runtime=$target_dir/$profile/appimage-runtime
# zstd level: 19 makes the smallest release file; the debug bundle favours speed.
level=${APPIMAGE_ZSTD_LEVEL:-$([ "$profile" = release ] && echo 19 || echo 3)}
packaging/appimage/make-appimage.sh "$deb" "$runtime" "$appimage" "$level"

echo "== bundle: done"
for f in "$deb" "$appimage"; do
  printf '  %s  (%s bytes, %s)\n' "$f" "$(stat -c %s "$f")" "$(du -h "$f" | cut -f1)"
done

if [ "$check" = 1 ]; then
  echo "== bundle: check"
  scripts/check-bundles.sh "$deb" "$appimage"
fi
