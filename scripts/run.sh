#!/usr/bin/env bash
# Installs what is missing, builds, and starts Cabildo.
#   bash scripts/run.sh            start the app (with the demo database, once
#                                  the core's CLI can make one)
#   bash scripts/run.sh FILE       start the app on a .cabildo file (opened as
#                                  the database: `cabildo-app --open FILE`)
# A file given to the app without --open (what the file manager does when a
# .cabildo file is opened with Cabildo) is a received file: it is merged into
# the open database after a preview.
# The app keeps its files in $CABILDO_DATA_DIR when set, else in the platform's
# app data folder (~/.local/share/org.cabildo.desktop on Linux).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh
bash scripts/build-app.sh

DATA_DIR="${CABILDO_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/org.cabildo.desktop}"

if [ $# -eq 0 ]; then
  # No file given: open the demo database, made by the core's command line.
  if [ -f src/bin/cabildo.rs ]; then
    section "build: command line (cargo build -p cabildo --bin cabildo)"
    cargo build -p cabildo --bin cabildo || info "note: the cabildo CLI did not build; starting without demo data"
  fi
  if [ -x "$CLI_BIN" ]; then
    demo="$DATA_DIR/demo.cabildo"
    if [ ! -f "$demo" ]; then
      mkdir -p "$DATA_DIR"
      "$CLI_BIN" demo "$demo" || info "note: could not create the demo database; starting without it"
    fi
    [ -f "$demo" ] && set -- "$demo"
  fi
fi
if [ $# -gt 0 ]; then
  set -- --open "$1"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no display to show the window on (for a headless machine: xvfb-run -a bash scripts/run.sh)"
fi

section "run: $APP_BIN $*"
exec "$APP_BIN" "$@"
