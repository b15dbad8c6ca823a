#!/usr/bin/env bash
# Builds the Debian package of the app that scripts/build-app.sh built (dev
# profile: `tauri bundle --debug --bundles deb`) and checks what makes a
# `.cabildo` file open with Cabildo from a file manager:
#   - the package installs the desktop entry and the MIME type definition;
#   - the desktop entry is valid, passes the files (`Exec=cabildo-app %F`) and
#     claims application/x-cabildo;
#   - installed as dpkg's triggers would (update-mime-database,
#     update-desktop-database), a *.cabildo file has that type and Cabildo is
#     the application that opens it (GIO, as GNOME's file manager asks).
# Leaves target/debug/bundle/deb/*.deb and target/debug/bundle/desktop/, an
# XDG data folder as the package installs it; the end-to-end spec
# open-with opens files through it with `gio open`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -x "$APP_BIN" ] || die "app not built: run bash scripts/build-app.sh"
for tool in dpkg-deb desktop-file-validate update-desktop-database update-mime-database gio; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run bash scripts/setup.sh"
done

section "package: .deb (tauri bundle --debug --bundles deb)"
ui/node_modules/.bin/tauri bundle --debug --bundles deb
bundle_dir="$TARGET_DIR/debug/bundle"
compgen -G "$bundle_dir/deb/*.deb" >/dev/null || die "tauri bundle wrote no .deb in $bundle_dir/deb"
deb=$(ls -t "$bundle_dir"/deb/*.deb | head -n 1)
# The folder tauri assembled the package in holds another copy of the binary.
find "$bundle_dir/deb" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
info "built $deb"

section "package: file association"
desktop_dir="$bundle_dir/desktop"
rm -rf "$desktop_dir"
mkdir -p "$desktop_dir"
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpacked" usr/share/applications usr/share/mime
entry=$(ls "$unpacked"/usr/share/applications/*.desktop)
[ -f "$unpacked/usr/share/mime/packages/cabildo.xml" ] || die "the package lacks usr/share/mime/packages/cabildo.xml"
desktop-file-validate "$entry" || die "invalid desktop entry: $entry"
grep -qx 'Exec=cabildo-app %F' "$entry" || die "the desktop entry does not pass the files: $(grep '^Exec=' "$entry")"
grep -q '^MimeType=.*application/x-cabildo;' "$entry" || die "the desktop entry does not claim application/x-cabildo"
cp -r "$unpacked/usr/share/applications" "$unpacked/usr/share/mime" "$desktop_dir/"
# (Its stderr only says the folder is not on XDG_DATA_DIRS, which is the point.)
update-mime-database "$desktop_dir/mime" 2>/dev/null
update-desktop-database "$desktop_dir/applications"

# Ask GIO in a clean environment: only the system's data and this folder.
probe="$unpacked/probe.cabildo"
printf 'SQLite format 3\000' >"$probe"
gio_env=(env -u XDG_DATA_HOME -u XDG_CONFIG_HOME
  XDG_DATA_DIRS="$desktop_dir:/usr/share" XDG_DATA_HOME="$unpacked/data" XDG_CONFIG_HOME="$unpacked/config"
  PATH="$(dirname "$APP_BIN"):$PATH")
type=$("${gio_env[@]}" gio info -a standard::content-type "$probe" | sed -n 's/.*standard::content-type: //p')
[ "$type" = "application/x-cabildo" ] || die "a .cabildo file has type '$type', not application/x-cabildo"
handler=$("${gio_env[@]}" gio mime application/x-cabildo | sed -n 's/^Default application for .*: //p')
[ "$handler" = "$(basename "$entry")" ] || die "application/x-cabildo opens with '$handler', not $(basename "$entry")"
info "*.cabildo is application/x-cabildo, opened by $handler with: $(grep '^Exec=' "$entry")"
info "XDG data folder for the end-to-end tests: $desktop_dir"
