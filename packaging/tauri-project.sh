#!/usr/bin/env bash
# Makes the folder the tauri CLI bundles from, since our layout is not the one it expects.
#
# The CLI looks for tauri.conf.json beside a Cargo.toml that has a [package]; ours sit apart:
# the config at the top level (so src-tauri/build.rs and generate_context! read it from
# there), the app's manifest in src-tauri/, the top-level Cargo.toml a workspace only
# ("No package info in the config file"). So the CLI gets DIR, made fresh:
#   tauri.conf.json, icons/, packaging/linux/   links to the real ones (relative paths in the
#                                               config resolve as from the top level)
#   Cargo.toml                                  the app's name, version, description and tauri
#                                               features, from src-tauri/Cargo.toml through
#                                               cargo metadata, and an empty [workspace]
# The CLI only reads these; it does not build there (cargo already did), and whatever it
# rewrites in a manifest it rewrites in DIR, never in src-tauri/.
#
#   packaging/tauri-project.sh DIR
#
# Then, from packaging/: TAURI_APP_PATH=DIR CARGO_TARGET_DIR=<target> node_modules/.bin/tauri bundle ...
# (scripts/bundle.sh does this; docs/bundles.md shows it for macOS and Windows).
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$1

rm -rf "$stage"
mkdir -p "$stage/packaging"
# On Windows' Git Bash, ln -s copies instead of linking, which serves as well.
ln -s "$PWD/tauri.conf.json" "$stage/tauri.conf.json"
ln -s "$PWD/icons" "$stage/icons"
ln -s "$PWD/packaging/linux" "$stage/packaging/linux"

manifest_js=$(
  cat <<'JS'
const fs = require("fs");
const meta = JSON.parse(fs.readFileSync(0));
const app = meta.packages.find((p) => p.name === "agentbar-desktop");
const bin = app.targets.find((t) => t.kind.includes("bin"));
const tauri = app.dependencies.find((d) => d.name === "tauri" && d.kind === null);
const q = JSON.stringify;
process.stdout.write(`# Made by packaging/tauri-project.sh from src-tauri/Cargo.toml for the tauri CLI; never built.
[package]
name = ${q(app.name)}
version = ${q(app.version)}
description = ${q(app.description || "")}
edition = ${q(app.edition)}
publish = false

[[bin]]
name = ${q(bin.name)}
path = ${q(bin.src_path)}

[dependencies]
tauri = { version = ${q(tauri.req)}, default-features = false, features = ${q(tauri.features)} }

[workspace]
`);
JS
)
cargo metadata --no-deps --format-version 1 --locked | node -e "$manifest_js" >"$stage/Cargo.toml"
