#!/usr/bin/env bash
# Cabildo's chart benchmark beside matplotlib (issue 4): runs `cargo bench --bench charts`
# (every chart, demo and 100 cities, SVG and 1920x1080 PNG), then renders the same
# cost-by-category chart from the same figures (the ROI engine's JSON) with matplotlib,
# installed into a virtual environment under target/, and prints both.
#
#   benches/matplotlib_compare.sh            # full run
#   SKIP_CARGO_BENCH=1 benches/...           # reuse the last criterion results
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/chart-compare"
venv="$target/matplotlib-venv"
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv and installing matplotlib" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check matplotlib
fi

cd "$root"
if [ -z "${SKIP_CARGO_BENCH:-}" ]; then
    cargo bench --bench charts
fi

# The same figures the Rust benchmark draws: the demo anchored on 2025-06-30, its last
# twelve months, exported by the ROI engine.
cargo build --quiet --bin cabildo
cabildo="$target/debug/cabildo"
rm -f "$work/demo.cabildo"
"$cabildo" demo "$work/demo.cabildo" --anchor 2025-06-30 >/dev/null
"$cabildo" summary "$work/demo.cabildo" --to 2025-06-30 --json >"$work/figures.json"
"$cabildo" chart "$work/demo.cabildo" cost-by-category --to 2025-06-30 --lang es \
    --out "$work/cabildo-cost-by-category.png" >/dev/null

"$venv/bin/python" "$root/benches/matplotlib_compare.py" \
    "$work/figures.json" "$work/matplotlib-cost-by-category.png" "$target/criterion" 20
echo
echo "pictures: $work/cabildo-cost-by-category.png and $work/matplotlib-cost-by-category.png"
