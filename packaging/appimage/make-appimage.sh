#!/usr/bin/env bash
# Makes Agent Bar's AppImage from its .deb without any download: an AppDir (AppRun, the
# .desktop file, the icon, the binary, WebKitGTK's helper processes and every shared library
# they need except those in excludelist) packed as a zstd squashfs image behind our own
# type-2 runtime (tools/appimage-runtime). Called by scripts/bundle.sh; docs/bundles.md
# explains the choices.
#
#   packaging/appimage/make-appimage.sh DEB RUNTIME OUTPUT.AppImage [ZSTD_LEVEL]
set -euo pipefail

deb=$1
runtime=$2
output=$3
level=${4:-19}
here=$(cd "$(dirname "$0")" && pwd)

multiarch=x86_64-linux-gnu
syslib=/usr/lib/$multiarch
webkit=webkit2gtk-4.1
# The helper folder's path as libwebkit2gtk has it compiled in, and its same-length
# replacement, relative to AppDir/usr where AppRun starts the app.
webkit_dir=$syslib/$webkit
webkit_dir_relative=././/lib/$multiarch/$webkit

appdir=${output%.AppImage}.AppDir
rm -rf "$appdir" "$output"
mkdir -p "$appdir"

# 1. What the .deb installs: usr/bin/<binary>, the .desktop file, the icons.
dpkg-deb -x "$deb" "$appdir"
desktop=$(find "$appdir/usr/share/applications" -name '*.desktop' | head -n 1)
binary=$(sed -n 's/^Exec="\{0,1\}\([^" ]*\).*/\1/p' "$desktop" | head -n 1)
icon=$(sed -n 's/^Icon=//p' "$desktop" | head -n 1)
[ -x "$appdir/usr/bin/$binary" ] || { echo "make-appimage: usr/bin/$binary not in $deb" >&2; exit 1; }

# 2. WebKitGTK's helper processes and injected bundle, at the same place below usr/.
helpers=()
mkdir -p "$appdir/usr/lib/$multiarch/$webkit/injected-bundle"
for f in WebKitWebProcess WebKitNetworkProcess WebKitGPUProcess injected-bundle/libwebkit2gtkinjectedbundle.so; do
  if [ -e "$webkit_dir/$f" ]; then
    cp -L "$webkit_dir/$f" "$appdir/usr/lib/$multiarch/$webkit/$f"
    helpers+=("$appdir/usr/lib/$multiarch/$webkit/$f")
  fi
done

# 3. GIO's TLS module (https in web windows) and the GSettings schemas.
mkdir -p "$appdir/usr/lib/gio/modules" "$appdir/usr/share/glib-2.0/schemas"
cp -L "$syslib/gio/modules/libgiognutls.so" "$appdir/usr/lib/gio/modules/"
cp -L /usr/share/glib-2.0/schemas/gschemas.compiled "$appdir/usr/share/glib-2.0/schemas/"

# 4. Every library those need, by soname, minus the excludelist.
excluded=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$here/excludelist")
roots=("$appdir/usr/bin/$binary" "${helpers[@]}" "$appdir/usr/lib/gio/modules/libgiognutls.so")
missing=$(ldd "${roots[@]}" | grep 'not found' || true)
if [ -n "$missing" ]; then
  echo "make-appimage: unresolved libraries:" >&2
  echo "$missing" >&2
  exit 1
fi
bundled=0
while read -r name path; do
  if grep -qxF "$name" <<<"$excluded"; then
    continue
  fi
  cp -L "$path" "$appdir/usr/lib/$name"
  bundled=$((bundled + 1))
done < <(ldd "${roots[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | sort -u)

# 5. The executables find the bundled libraries through their DT_RPATH, which (unlike
# DT_RUNPATH or LD_LIBRARY_PATH) also serves their libraries' own dependencies and dlopen,
# and is not inherited by programs the app starts (xdg-open, the browser).
# shellcheck disable=SC2016 # $ORIGIN is for the dynamic loader
patchelf --force-rpath --set-rpath '$ORIGIN/../lib' "$appdir/usr/bin/$binary"
for f in "$appdir/usr/lib/$multiarch/$webkit"/WebKit*Process; do
  # shellcheck disable=SC2016
  patchelf --force-rpath --set-rpath '$ORIGIN/../..' "$f"
done
# A library's own RUNPATH would hide the executable's RPATH from its dependencies.
for lib in "$appdir"/usr/lib/*.so* "$appdir/usr/lib/gio/modules"/*.so "$appdir/usr/lib/$multiarch/$webkit"/injected-bundle/*.so; do
  if readelf -d "$lib" 2>/dev/null | grep -qE '\((RUNPATH|RPATH)\)'; then
    patchelf --remove-rpath "$lib"
  fi
done

# 6. Point the bundled libwebkit2gtk at the bundled helpers (see AppRun).
node - "$appdir/usr/lib/libwebkit2gtk-4.1.so.0" "$webkit_dir" "$webkit_dir_relative" <<'JS'
const fs = require("fs");
const [path, from, to] = process.argv.slice(2);
if (from.length !== to.length) throw new Error("the replacement must keep the length");
const data = fs.readFileSync(path);
const old = Buffer.from(from), rewritten = Buffer.from(to);
let count = 0;
for (let i = data.indexOf(old); i !== -1; i = data.indexOf(old, i + old.length)) {
  rewritten.copy(data, i);
  count++;
}
if (count === 0) throw new Error(`${from} not found in ${path}`);
fs.writeFileSync(path, data);
JS
# 7. The AppDir's top level: AppRun, the .desktop file, the icon.
cp "$here/AppRun" "$appdir/AppRun"
chmod 755 "$appdir/AppRun"
cp "$desktop" "$appdir/$icon.desktop"
icon_src=$(find "$appdir/usr/share/icons/hicolor" -name "$icon.png" -path '*/512x512/*' | head -n 1)
[ -n "$icon_src" ] || icon_src=$(find "$appdir/usr/share/icons/hicolor" -name "$icon.png" | sort | tail -n 1)
cp "$icon_src" "$appdir/$icon.png"
ln -s "$icon.png" "$appdir/.DirIcon"

# 8. Pack: runtime ++ squashfs, with the type-2 magic at offset 8 of the ELF header.
image=$(mktemp "${TMPDIR:-/tmp}/agentbar-appimage.XXXXXX")
trap 'rm -f "$image"' EXIT
mksquashfs "$appdir" "$image" -noappend -all-root -no-xattrs -quiet -no-progress \
  -comp zstd -Xcompression-level "$level" -b 131072 >/dev/null
cp "$runtime" "$output"
strip --strip-all "$output"
printf 'AI\002' | dd of="$output" bs=1 seek=8 count=3 conv=notrunc status=none
cat "$image" >>"$output"
chmod 755 "$output"
echo "make-appimage: $bundled libraries bundled; AppDir at $appdir"
