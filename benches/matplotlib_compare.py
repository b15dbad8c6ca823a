"""Renders Cabildo's cost-by-category chart with matplotlib from the ROI engine's figures
(`cabildo summary --json`), to a 1920x1080 PNG, and times it; then prints Cabildo's own
criterion figures beside it.

    python matplotlib_compare.py FIGURES.json OUT.png CRITERION_DIR [RUNS]

Timing covers what Cabildo's PNG render covers once the figures exist: building the
figure, drawing, and writing the PNG file. Importing matplotlib is left out.
"""

import json
import os
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CATEGORIES = [
    ("dues", "Cuotas", "#0072B2"),
    ("travel", "Viajes", "#E69F00"),
    ("staff_time", "Tiempo del personal", "#009E73"),
    ("officials_time", "Tiempo de funcionarios", "#CC79A7"),
    ("hosting", "Sede de eventos", "#56B4E9"),
    ("other", "Otros", "#999999"),
]


def abbreviate(value):
    """Spanish abbreviations, as Cabildo's format::abbreviate writes them."""
    for divisor, suffix in ((1e9, " mil M"), (1e6, " M"), (1e3, " mil")):
        if abs(value) >= divisor:
            scaled = value / divisor
            text = f"{scaled:,.1f}" if abs(scaled) < 10 else f"{scaled:,.0f}"
            return text.removesuffix(".0") + suffix
    return f"{value:,.0f}"


def render(report, out):
    networks = [n for n in report["by_network"] if n["cost_total_minor"] > 0]
    networks.sort(key=lambda n: n["cost_total_minor"])
    labels = [n["label"].split(" — ")[0] for n in networks]
    present = [c for c in CATEGORIES if report["totals"]["cost"][c[0]] > 0]
    fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
    left = [0.0] * len(networks)
    for key, name, colour in present:
        values = [n["cost"][key] / 100 for n in networks]
        ax.barh(labels, values, left=left, color=colour, label=name, height=0.72)
        left = [a + b for a, b in zip(left, values)]
    for i, total in enumerate(left):
        ax.text(total, i, "  " + abbreviate(total), va="center", fontsize=18, weight="bold")
    query = report["query"]
    ax.set_title(
        "Costo por categoría y red\n"
        f"Montos en {query['currency']} · Periodo {query['from']} – {query['to']}",
        loc="left",
        fontsize=26,
    )
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: abbreviate(v)))
    ax.tick_params(labelsize=18)
    ax.grid(axis="x", color="#DDDDDD")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(ncol=len(present), loc="upper left", bbox_to_anchor=(0, 1.02), fontsize=18, frameon=False)
    fig.text(0.01, 0.01, "Fuente: registros de la oficina en Cabildo", fontsize=18)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(out, dpi=100)
    plt.close(fig)


def criterion_estimates(root):
    """Mean time in ms of every criterion benchmark under `root`, by (group, function)."""
    found = {}
    for directory, _, files in os.walk(root):
        if "benchmark.json" in files and os.path.basename(directory) == "new":
            with open(os.path.join(directory, "benchmark.json")) as f:
                meta = json.load(f)
            with open(os.path.join(directory, "estimates.json")) as f:
                estimates = json.load(f)
            found[(meta["group_id"], meta["function_id"])] = estimates["mean"]["point_estimate"] / 1e6
    return found


def main():
    figures, out, criterion_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    with open(figures) as f:
        report = json.load(f)
    render(report, out)  # warm-up: font cache, first-use imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render(report, out)
        times.append((time.perf_counter() - started) * 1000)
    mpl_mean = statistics.mean(times)
    print(f"matplotlib {matplotlib.__version__}: cost-by-category 1920x1080 PNG, {runs} runs")
    print(f"  mean {mpl_mean:.1f} ms, median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms")

    estimates = criterion_estimates(criterion_dir)
    if not estimates:
        print("no criterion results found under", criterion_dir)
        return
    print()
    print("Cabildo (criterion means, ms); PNG = report + drawing + rasterising + encoding")
    for group in ("charts-demo", "charts-100-cities"):
        if (group, "roi-report") not in estimates:
            continue
        print(f"  {group}: ROI report alone {estimates[(group, 'roi-report')]:.1f} ms")
        print(f"    {'chart':<22}{'SVG':>9}{'PNG':>9}  PNG vs matplotlib")
        for (g, function), mean in sorted(estimates.items()):
            if g != group or not function.startswith("svg/"):
                continue
            kind = function[4:]
            png = estimates.get((group, "png/" + kind))
            if png is None:
                continue
            verdict = "≤ half" if png <= mpl_mean / 2 else "over half"
            print(f"    {kind:<22}{mean:>9.1f}{png:>9.1f}  {png / mpl_mean:5.2f}× ({verdict})")
        print("    from a computed report (ChartContext::draw):")
        print(f"    {'chart':<22}{'SVG':>9}{'PNG':>9}  PNG vs matplotlib")
        for (g, function), mean in sorted(estimates.items()):
            if g != group or not function.startswith("draw-svg/"):
                continue
            kind = function[len("draw-svg/"):]
            png = estimates.get((group, "draw-png/" + kind))
            if png is None:
                continue
            verdict = "≤ half" if png <= mpl_mean / 2 else "over half"
            print(f"    {kind:<22}{mean:>9.1f}{png:>9.1f}  {png / mpl_mean:5.2f}× ({verdict})")
        only = estimates.get((group, "png-only/cost-by-category"))
        if only is not None:
            print(f"    rasterise + encode only (cost-by-category): {only:.1f} ms")


if __name__ == "__main__":
    main()
