#!/usr/bin/env bash
# The coordinator-scale figures of issue 13, in one run: the first and a later ROI
# report, the floor (the plainest SQL of the same totals), the Costs list's first page,
# a re-sort and a filter, the global search, and the merge of a second office's file
# (then the same file again). Each phase runs as its own process (examples/bench_scale.rs)
# so each figure comes with its own peak memory.
#
#   scripts/bench-scale.sh [CITIES]     13,800 by default (every Global Covenant signatory)
#
# The generated files (two seeds) are cached under target/bench-scale; at 13,800 cities
# they take about 6.6 GB each and the merge needs as much again three times over, so
# check `df -h .` first. CABILDO_BENCH_PROFILE=dev runs the same code paths in the dev
# profile (CI does, on 50 cities, without a second build of the crate).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

cities=${1:-13800}
case "$cities" in '' | *[!0-9]*) echo "CITIES must be a number" >&2; exit 2 ;; esac
profile=${CABILDO_BENCH_PROFILE:-release}
case "$profile" in
  dev) out=debug ;;
  release) out=release ;;
  *) echo "CABILDO_BENCH_PROFILE must be dev or release" >&2; exit 2 ;;
esac

cargo build --quiet --profile "$profile" --example bench_scale --bin cabildo
bench="$TARGET_DIR/$out/examples/bench_scale"
cli="$TARGET_DIR/$out/cabildo"

data="$TARGET_DIR/bench-scale"
mkdir -p "$data"
generated() {
  local seed=$1 file="$data/c$cities-s$1.cabildo"
  if [ ! -f "$file" ]; then
    info "generating $cities cities (seed $seed) into $file" >&2
    rm -f "$file.partial"
    "$cli" generate "$file.partial" --cities "$cities" --seed "$seed" >&2
    mv "$file.partial" "$file"
  fi
  echo "$file"
}
local_file=$(generated 1)
incoming_file=$(generated 2)
info "local file: $(du -h "$local_file" | cut -f1), received file: $(du -h "$incoming_file" | cut -f1), $(df -h --output=avail "$data" | tail -1 | tr -d ' ') free"

results=$(mktemp)
trap 'rm -f "$results"; rm -rf "$data/merge-work-$cities"' EXIT
phase() {
  section "$1"
  # Every line shows; FIGURE and PEAK lines are kept for the table.
  "$bench" "$@" | tee -a "$results"
}
# The search index is a cache beside the file: removed, so the first search builds it.
rm -f "$local_file.search" "$local_file.search-wal" "$local_file.search-shm"
phase report "$local_file"
phase floor "$local_file"
phase list "$local_file"
phase list_kept "$local_file"
phase search "$local_file"
phase charts "$local_file"
phase merge "$local_file" "$incoming_file" "$data/merge-work-$cities"

section "figures ($cities cities, $profile profile)"
awk '
  $1 == "FIGURE" { n++; name[n] = $2; secs[n] = $3; split($2, p, "."); ph[n] = p[1];
                   $1 = ""; $2 = ""; $3 = ""; sub(/^ +/, ""); what[n] = $0 }
  $1 == "PEAK" { peak[$2] = $3 }
  END {
    printf "%-24s %10s %9s  %s\n", "figure", "time", "peak MB", "what"
    for (i = 1; i <= n; i++) {
      s = secs[i]; shown = (s < 1) ? sprintf("%.1f ms", s * 1000) : sprintf("%.2f s", s)
      printf "%-24s %10s %9s  %s\n", name[i], shown, peak[ph[i]], what[i]
      v[name[i]] = s
    }
    if (v["floor"] > 0 && v["report.later.period"] > 0)
      printf "\nlater report / floor: %.2f (the previous 12 months against the plain SQL of the default period)\n", v["report.later.period"] / v["floor"]
  }' "$results"
