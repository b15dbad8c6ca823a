#!/usr/bin/env bash
# Everything that must pass before a change lands:
#   1. setup (installs what is missing)
#   2. cargo test --workspace (the core, and the shell's mock-runtime tests),
#      then 100 kills of the real CLI (scripts/crash-test.sh) and the scale
#      benchmark's code paths on 50 cities (scripts/bench-scale.sh)
#   3. lint: cargo fmt --check, clippy (every target, warnings are errors), eslint;
#      UI: type check (svelte-check) and unit tests (vitest)
#   4. build the app (dev profile, custom-protocol)
#   5. package it (.deb) and check the .cabildo file association
#   6. end-to-end tests of the real app under Xvfb (WebdriverIO + tauri-driver)
# Runs every step it can, then exits non-zero if any failed.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

failed=()
ok=()

step() {
  local name=$1
  shift
  section "$name"
  local started
  started=$(date +%s)
  if "$@"; then
    ok+=("$name")
    info "-- $name: ok ($(($(date +%s) - started)) s)"
  else
    local code=$?
    failed+=("$name")
    info "-- $name: FAILED (exit $code, $(($(date +%s) - started)) s)"
    return "$code"
  fi
}

run_e2e() {
  # Always a virtual display: the same screen size everywhere, and no window
  # pops up on a developer's desktop.
  command -v xvfb-run >/dev/null 2>&1 || { echo "xvfb-run not found" >&2; return 1; }
  local runner=(xvfb-run -a --server-args="-screen 0 1440x900x24")
  # A private session bus: a second launch finds the running app through it
  # (open-with spec), and never an app running outside the test.
  command -v dbus-run-session >/dev/null 2>&1 || { echo "dbus-run-session not found (package dbus)" >&2; return 1; }
  runner+=(dbus-run-session --)
  (cd tests/e2e && WEBKIT_DISABLE_DMABUF_RENDERER=1 "${runner[@]}" npx wdio run wdio.conf.mjs)
}

# A clean clone builds once: incremental caches would only take disk.
case "${CI:-}" in
  "" | false | 0) ;;
  *) export CARGO_INCREMENTAL=0 ;;
esac

disk_report() {
  # A full disk fails a build with a compiler's I/O error; the figures say why.
  info "disk: $(df -h --output=avail "$ROOT" | tail -1 | tr -d ' ') free where the project is"
  if [ -d "$TARGET_DIR" ]; then
    info "disk: $(du -sh "$TARGET_DIR" 2>/dev/null | cut -f1) in $TARGET_DIR"
  fi
}
disk_report

step "setup" bash scripts/setup.sh || {
  section "summary"
  info "setup failed: nothing else was run"
  exit 1
}
step "core and shell tests (cargo test --workspace)" cargo test --workspace
# 100 SIGKILLs of the real CLI during edits, merge, CDP import, restore and
# migration (about a minute); scripts/crash-test.sh 1000 for the full count.
step "kill test (100 kills)" bash scripts/crash-test.sh 100
# The coordinator-scale benchmark's code paths (reports, floor, lists, search, merge)
# on 50 cities, in the dev profile already built: scripts/bench-scale.sh for the figures.
step "scale benchmark, 50 cities" env CABILDO_BENCH_PROFILE=dev bash scripts/bench-scale.sh 50
step "format (cargo fmt --check)" cargo fmt --all --check
step "lint (cargo clippy --workspace --all-targets)" cargo clippy --workspace --all-targets -- -D warnings
step "UI lint (eslint)" bash -c 'cd ui && npm run lint'
step "UI type check (svelte-check)" bash -c 'cd ui && npm run check'
step "UI unit tests (vitest)" bash -c 'cd ui && npm test'
if step "build app" bash scripts/build-app.sh; then
  step "package (.deb) and file association" bash scripts/package.sh
  step "end-to-end tests (WebdriverIO, Xvfb)" run_e2e
else
  failed+=("end-to-end tests (not run: the app did not build)")
fi

section "summary"
disk_report
for name in "${ok[@]}"; do info "ok      $name"; done
for name in "${failed[@]}"; do info "FAILED  $name"; done
if [ ${#failed[@]} -gt 0 ]; then
  info "test.sh: ${#failed[@]} step(s) failed"
  exit 1
fi
info "test.sh: all ${#ok[@]} steps passed"
