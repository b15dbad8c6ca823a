#!/usr/bin/env bash
# Measures the start-up of the release app on the demo database, under Xvfb:
#   - time from process spawn to the dashboard painted (the UI calls the
#     `app_painted` command after the first dashboard frame; with
#     CABILDO_MEASURE_START set the shell prints `CABILDO_PAINTED <unix ms>`);
#   - resident memory (RSS) of the app and every process it spawned (WebKit's
#     web and network processes), summed, once the dashboard is up.
#
#   bash scripts/measure-start.sh [RUNS]       (default 5 runs; prints each and the median)
#
# Needs a release build that serves the bundled UI:
#   (cd ui && npm run build) && cargo build --release -p cabildo-app --features custom-protocol
# and the CLI (target/debug/cabildo or target/release/cabildo) to write the demo file.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

RUNS=${1:-5}
APP="${CABILDO_APP:-$TARGET_DIR/release/cabildo-app}"
[ -x "$APP" ] || die "no release app at $APP (cargo build --release -p cabildo-app --features custom-protocol)"
CLI="$TARGET_DIR/release/cabildo"
[ -x "$CLI" ] || CLI="$TARGET_DIR/debug/cabildo"
[ -x "$CLI" ] || die "no cabildo CLI to write the demo file (cargo build --bin cabildo)"
command -v Xvfb >/dev/null || die "Xvfb missing (apt-get install xvfb)"

work=$(mktemp -d /tmp/cabildo-measure-XXXXXX)
"$CLI" demo "$work/demo.cabildo" >/dev/null

disp=$((200 + RANDOM % 300))
while [ -e "/tmp/.X11-unix/X$disp" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
sleep 1

now_ms() { date +%s%3N; }

# The pid and every descendant of it.
tree_pids() {
  local pid=$1
  echo "$pid"
  local child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    tree_pids "$child"
  done
}

rss_kb() {
  local total=0 pid rss
  for pid in $(tree_pids "$1"); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# Proportional set size: shared pages (the WebKit and GTK libraries mapped by
# every process) counted once in the sum instead of once per process.
pss_kb() {
  local total=0 pid pss
  for pid in $(tree_pids "$1"); do
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${pss:-0}))
  done
  echo "$total"
}

starts=()
memories=()
proportional=()
for run in $(seq 1 "$RUNS"); do
  data="$work/data-$run"
  mkdir -p "$data"
  out="$work/out-$run.log"
  : >"$out"
  started=$(now_ms)
  DISPLAY=":$disp" WEBKIT_DISABLE_DMABUF_RENDERER=1 CABILDO_DATA_DIR="$data" CABILDO_MEASURE_START=1 \
    "$APP" --open "$work/demo.cabildo" >"$out" 2>"$work/err-$run.log" &
  app=$!
  painted=""
  for _ in $(seq 1 300); do
    painted=$(awk '/^CABILDO_PAINTED / {print $2; exit}' "$out")
    [ -n "$painted" ] && break
    sleep 0.05
  done
  [ -n "$painted" ] || die "run $run: the dashboard did not paint within 15 s (see $work/err-$run.log)"
  elapsed=$((painted - started))
  sleep 2 # let the web process settle after the first frame
  kb=$(rss_kb "$app")
  pkb=$(pss_kb "$app")
  printf 'run %d: dashboard painted %d ms after spawn; app + children: RSS %d MB, PSS %d MB (%d processes)\n' \
    "$run" "$elapsed" $((kb / 1024)) $((pkb / 1024)) "$(tree_pids "$app" | wc -l)"
  starts+=("$elapsed")
  memories+=($((kb / 1024)))
  proportional+=($((pkb / 1024)))
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median over $RUNS runs: start to dashboard $(median "${starts[@]}") ms; RSS sum $(median "${memories[@]}") MB; PSS sum $(median "${proportional[@]}") MB"
