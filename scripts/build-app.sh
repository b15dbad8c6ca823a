#!/usr/bin/env bash
# Builds the desktop app as tests and people run it: the UI into ui/dist, then
# the shell with the `custom-protocol` feature (serves ui/dist, never a dev
# server), in the dev profile (the one profile every test uses).
# Result: target/debug/cabildo-app. Run scripts/setup.sh first.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -d ui/node_modules ] || die "ui/node_modules missing: run bash scripts/setup.sh"

section "build: UI (vite build -> ui/dist)"
(cd ui && npm run build)

section "build: desktop app (cargo build -p cabildo-app --features custom-protocol)"
started=$(date +%s)
cargo build -p cabildo-app --features custom-protocol
info "built $APP_BIN in $(($(date +%s) - started)) s"
