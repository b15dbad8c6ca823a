#!/usr/bin/env bash
# Installs what Cabildo needs to build, run and test, and only what is missing:
#   - Debian/Ubuntu packages (Tauri's WebKitGTK stack, Xvfb, WebKitWebDriver…)
#   - the UI's and the end-to-end tests' npm packages (npm ci)
#   - tauri-driver 2.1.0 (cargo install)
# Safe to run any number of times. Works as root or with sudo.
# Assumes a Rust toolchain (rustup) and Node.js >= 20.19 are installed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev
  libayatana-appindicator3-dev build-essential pkg-config
  xvfb webkit2gtk-driver imagemagick dbus xauth
  desktop-file-utils shared-mime-info libglib2.0-bin
)
TAURI_DRIVER_VERSION=2.1.0
NODE_MIN=20.19.0

section "setup: system packages"
if ! command -v dpkg-query >/dev/null 2>&1; then
  die "dpkg not found: this script supports Debian and Ubuntu"
fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  [ "${status:0:2}" = "ii" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  info "all ${#APT_PACKAGES[@]} packages present"
else
  info "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

section "setup: toolchains"
if ! command -v cargo >/dev/null 2>&1; then
  die "cargo not found. Install Rust with rustup (https://rustup.rs), open a new shell, and run this again."
fi
info "$(cargo --version)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  die "node/npm not found. Install Node.js >= $NODE_MIN (Vite 8 needs it) and run this again."
fi
node_version=$(node -p 'process.versions.node')
if [ "$(printf '%s\n%s\n' "$NODE_MIN" "$node_version" | sort -V | head -n1)" != "$NODE_MIN" ]; then
  die "Node.js $node_version is too old: Vite 8 needs >= $NODE_MIN."
fi
info "node $node_version, npm $(npm --version)"

# npm ci when node_modules is missing or package-lock.json changed since the
# last install (a stamp in node_modules records the lock file's checksum).
npm_install() {
  local dir=$1
  local stamp="$dir/node_modules/.cabildo-package-lock.sha256"
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -d "$dir/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    info "$dir: node_modules up to date"
    return
  fi
  info "$dir: npm ci"
  # --ignore-scripts: no package may download anything at install time
  # (browser drivers, binaries); everything needed ships inside the packages.
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
  echo "$want" >"$stamp"
}

section "setup: npm packages"
npm_install ui
npm_install tests/e2e

section "setup: tauri-driver"
if cargo install --list 2>/dev/null | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
  info "tauri-driver $TAURI_DRIVER_VERSION present"
else
  info "installing tauri-driver $TAURI_DRIVER_VERSION (about 2 minutes)"
  cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked
fi
command -v WebKitWebDriver >/dev/null 2>&1 || die "WebKitWebDriver not found (package webkit2gtk-driver)"

info "setup done"
