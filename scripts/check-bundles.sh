#!/usr/bin/env bash
# Checks the Linux packages scripts/bundle.sh made, without installing them, and fails on the
# first problem:
#   .deb       the control data (package, Depends), the binary, the .desktop file (tel:/callto:
#              handler, valid), the icons; then its binary, unpacked with dpkg-deb -x, starts.
#   AppImage   the ELF + "AI" 2 magic and a squashfs image at --appimage-offset;
#              --appimage-extract yields the AppDir; then the AppImage starts the app, once as
#              the runtime chooses (FUSE mount when it can) and once with
#              APPIMAGE_EXTRACT_AND_RUN=1, its WebKit processes coming from inside the image,
#              and the runtime cleans up after it.
# "Starts" means: under Xvfb in a private D-Bus session, with HOME and the XDG folders in a
# temporary directory (so the embedded demo runs), the demo's local listener answers
# GET /api/v1/health within BUNDLE_CHECK_TIMEOUT seconds (default 30); then it is stopped.
#
#   scripts/check-bundles.sh DEB APPIMAGE
set -euo pipefail

deb=$(realpath -- "$1")
appimage=$(realpath -- "$2")
timeout=${BUNDLE_CHECK_TIMEOUT:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/agentbar-bundle-check.XXXXXX")
app_pid=""
session_pid=""

fail() {
  echo "check-bundles: FAIL: $*" >&2
  exit 1
}
ok() { echo "check-bundles: ok: $*"; }

# The PIDs below $1 (the app's WebKit processes), deepest first.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$child"
    echo "$child"
  done
}

# Stops the app (TERM, then KILL after 10 s) and the processes it started, by PID.
stop_app() {
  [ -n "$session_pid" ] || return 0
  local children="" p alive
  if [ -n "$app_pid" ]; then
    children=$(descendants "$app_pid")
    kill -TERM "$app_pid" 2>/dev/null || true
  fi
  for _ in $(seq 100); do
    kill -0 "$session_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$session_pid" 2>/dev/null; then
    echo "check-bundles: the app did not stop within 10 s; killing it"
    if [ -n "$app_pid" ]; then kill -KILL "$app_pid" 2>/dev/null || true; fi
    kill -TERM "$session_pid" 2>/dev/null || true
  fi
  wait "$session_pid" 2>/dev/null || true
  # WebKit's processes and the AppImage's helper end on their own once the app is gone (the
  # helper may wait 5 s for WebKit's processes before it unmounts).
  for _ in $(seq 100); do
    alive=""
    for p in $children; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  # shellcheck disable=SC2086 # a list of PIDs
  if [ -n "$alive" ]; then kill -KILL $alive 2>/dev/null || true; fi
  session_pid=""
  app_pid=""
}
cleanup() {
  stop_app
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" || true; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f "$deb" ] || fail "no .deb at $deb"
[ -f "$appimage" ] || fail "no AppImage at $appimage"

# --- The .deb's metadata and files -------------------------------------------------------
info=$(dpkg-deb --info "$deb")
contents=$(dpkg-deb --contents "$deb")
grep -q '^ Package: agent-bar$' <<<"$info" || fail ".deb: package name is not agent-bar"
depends=$(sed -n 's/^ Depends: //p' <<<"$info")
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
  grep -qw -- "$dep" <<<"$depends" || fail ".deb: Depends lacks $dep ($depends)"
done
ok ".deb Depends: $depends"
grep -qE ' (\./)?usr/bin/agentbar-desktop$' <<<"$contents" || fail ".deb: no usr/bin/agentbar-desktop"
for size in 32x32 128x128 512x512; do
  grep -qE " (\./)?usr/share/icons/hicolor/$size/apps/agentbar-desktop\.png$" <<<"$contents" \
    || fail ".deb: no $size icon"
done
grep -qE ' (\./)?usr/share/applications/.*\.desktop$' <<<"$contents" || fail ".deb: no .desktop file"

mkdir -p "$work/deb"
dpkg-deb -x "$deb" "$work/deb"
desktop=$(find "$work/deb/usr/share/applications" -name '*.desktop' | head -n 1)
grep -qx 'MimeType=x-scheme-handler/tel;x-scheme-handler/callto;' "$desktop" \
  || fail ".deb: $(basename "$desktop") lacks MimeType=x-scheme-handler/tel;x-scheme-handler/callto;"
grep -q '^Exec=agentbar-desktop %u$' "$desktop" || fail ".deb: Exec does not pass the link (%u)"
desktop-file-validate "$desktop" || fail ".deb: desktop-file-validate rejects $(basename "$desktop")"
ok ".deb files: binary, $(basename "$desktop") (tel:/callto: handler), icons"

# --- The AppImage's header, image and AppDir ---------------------------------------------
[ -x "$appimage" ] || fail "AppImage is not executable"
[ "$(od -An -tx1 -N4 "$appimage" | tr -d ' ')" = 7f454c46 ] || fail "AppImage: not an ELF file"
[ "$(od -An -tx1 -j8 -N3 "$appimage" | tr -d ' ')" = 414902 ] || fail "AppImage: no 'AI' 2 magic at offset 8"
offset=$("$appimage" --appimage-offset)
[ "$(od -An -c -j"$offset" -N4 "$appimage" | tr -d ' ')" = hsqs ] \
  || fail "AppImage: no squashfs image at --appimage-offset ($offset)"
ok "AppImage: ELF runtime of $offset bytes with the type-2 magic, squashfs image after it"

(cd "$work" && "$appimage" --appimage-extract >/dev/null 2>&1) || fail "AppImage: --appimage-extract failed"
root=$work/squashfs-root
for f in AppRun .DirIcon agentbar-desktop.png usr/bin/agentbar-desktop usr/lib/libwebkit2gtk-4.1.so.0 \
  usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/WebKitWebProcess \
  usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/WebKitNetworkProcess \
  usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/injected-bundle/libwebkit2gtkinjectedbundle.so; do
  [ -e "$root/$f" ] || fail "AppImage: the AppDir lacks $f"
done
[ -x "$root/AppRun" ] || fail "AppImage: AppRun is not executable"
top_desktop=$(find "$root" -maxdepth 1 -name '*.desktop' | head -n 1)
[ -n "$top_desktop" ] || fail "AppImage: no .desktop file at the AppDir's top"
grep -qx 'MimeType=x-scheme-handler/tel;x-scheme-handler/callto;' "$top_desktop" \
  || fail "AppImage: the .desktop file lacks the tel:/callto: MimeType"
resolved=$(ldd "$root/usr/bin/agentbar-desktop" | awk '$1 == "libwebkit2gtk-4.1.so.0" { print $3 }')
[ "$resolved" = "$root/usr/bin/../lib/libwebkit2gtk-4.1.so.0" ] \
  || fail "AppImage: the binary's libwebkit2gtk resolves to $resolved, not the bundled copy"
ok "AppImage: --appimage-extract gives the AppDir ($(find "$root" -type f | wc -l) files, $(du -sh "$root" | cut -f1)); the binary uses the bundled libraries"
rm -rf "$root"

# --- Starting them -----------------------------------------------------------------------
port=10800
if curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/"; then
  # Someone else's demo holds the README's port: run ours on a free one.
  port=$(node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  echo "check-bundles: 127.0.0.1:10800 is in use; the app listens on $port (AGENTBAR_DEMO_LISTEN)"
fi

# Starts "$@" under Xvfb in a private D-Bus session and a fresh HOME; sets app_pid (the
# command's own PID: the AppImage runtime and AppRun exec, so it is the app's) and
# session_pid.
start_app() {
  local home=$work/home
  rm -rf "$home"
  mkdir -p "$home/.config" "$home/.local/share" "$home/.cache"
  rm -f "$work/app.pid"
  env -u DBUS_SESSION_BUS_ADDRESS -u AGENTBAR_CONFIG -u AGENTBAR_DEMO \
    HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    XDG_CACHE_HOME="$home/.cache" AGENTBAR_DEMO_LISTEN="127.0.0.1:$port" \
    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
    sh -c 'echo $$ >"$0"; exec "$@"' "$work/app.pid" "$@" >"$work/app.log" 2>&1 &
  session_pid=$!
  for _ in $(seq 50); do
    [ -s "$work/app.pid" ] && break
    sleep 0.1
  done
  app_pid=$(cat "$work/app.pid" 2>/dev/null || true)
  [ -n "$app_pid" ] || fail "$1 did not start (log: $(tail -n 5 "$work/app.log"))"
}

# Polls the local listener's health until it answers or $timeout seconds pass.
wait_healthy() {
  local what=$1 started=$SECONDS
  while [ $((SECONDS - started)) -lt "$timeout" ]; do
    if curl -sf -o /dev/null -m 2 -H "Host: 127.0.0.1:$port" "http://127.0.0.1:$port/api/v1/health"; then
      ok "$what: health answered after $((SECONDS - started)) s"
      return 0
    fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "--- app log (last 30 lines) ---" >&2
  tail -n 30 "$work/app.log" >&2
  fail "$what: no answer from GET /api/v1/health within $timeout s"
}

# Prints the executables of the app's WebKit processes (children of the app).
webkit_exes() {
  local child
  for child in $(ps -o pid= --ppid "$app_pid" 2>/dev/null); do
    readlink "/proc/$child/exe" 2>/dev/null || true
  done | grep 'WebKit' || true
}

# The .deb's binary, unpacked.
start_app "$work/deb/usr/bin/agentbar-desktop"
wait_healthy ".deb binary"
stop_app

# The AppImage: as it chooses (FUSE when it can), then forced to unpack.
for mode in default extract; do
  if [ "$mode" = extract ]; then
    export APPIMAGE_EXTRACT_AND_RUN=1
  fi
  start_app "$appimage"
  wait_healthy "AppImage ($mode)"
  app_exe=$(readlink "/proc/$app_pid/exe")
  case $app_exe in
    */.mount_*/usr/bin/agentbar-desktop) how="mounted with FUSE" ;;
    */.extract_*/usr/bin/agentbar-desktop) how="unpacked to a temporary folder" ;;
    *) fail "AppImage ($mode): the app runs from $app_exe, not from the image" ;;
  esac
  appdir=${app_exe%/usr/bin/agentbar-desktop}
  # The web process starts with the page; give it a moment after health answers.
  exes=""
  for _ in $(seq 50); do
    exes=$(webkit_exes)
    grep -q WebKitWebProcess <<<"$exes" && break
    sleep 0.2
  done
  grep -q WebKitWebProcess <<<"$exes" || fail "AppImage ($mode): no WebKitWebProcess started"
  while read -r exe; do
    [ "${exe#"$appdir"/}" != "$exe" ] || fail "AppImage ($mode): $exe is the host's, not the bundled one"
  done <<<"$exes"
  ok "AppImage ($mode): $how at $appdir; WebKit processes from the image: $(xargs -n1 basename <<<"$exes" | sort -u | xargs)"
  stop_app
  for _ in $(seq 50); do
    [ -e "$appdir" ] || break
    sleep 0.1
  done
  [ ! -e "$appdir" ] || fail "AppImage ($mode): $appdir is still there after the app ended"
  ! grep -qF " $appdir " /proc/mounts || fail "AppImage ($mode): $appdir is still mounted"
  ok "AppImage ($mode): cleaned up after the app ended"
  unset APPIMAGE_EXTRACT_AND_RUN
done

echo "check-bundles: all checks passed"
