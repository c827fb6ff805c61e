"""Draws docs/regimes.png from the CLI's JSON (a documentation aid, not part of the build).

    scaling-path path --data examples/data/example.csv --tau-range 1e-3:1e3:41 > path.json
    python3 docs/plot_regimes.py path.json docs/regimes.png      # needs matplotlib
"""
import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

report = json.load(open(sys.argv[1]))
path = report["path"]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
cmap = plt.get_cmap("viridis")
lo, hi = math.log10(path[0]["tau"]), math.log10(path[-1]["tau"])
wanted = [1e-3, 1e-1, 1, 2, 4, 8, 16, 100, 1e3]
shown = sorted({min(path, key=lambda r: abs(math.log(r["tau"] / w)))["tau"]: None for w in wanted})
shown = [r for r in path if r["tau"] in shown]
for r in shown:
    c = cmap((math.log10(r["tau"]) - lo) / (hi - lo))
    left.plot(r["fit"]["x"], r["fit"]["y"], color=c, lw=1.2, label=f"τ = {r['tau']:.2g}")
left.plot(report["rich_limit"]["fit"]["x"], report["rich_limit"]["fit"]["y"], "k--", lw=1, label="rich limit")
left.plot(report["kernel_limit"]["fit"]["x"], report["kernel_limit"]["fit"]["y"], "k:", lw=1.5, label="kernel limit")
left.plot(report["data"]["x"], report["data"]["y"], "o", color="#D55E00", ms=6, zorder=5, label="data")
left.set_title("fits f_τ: piecewise linear (small τ) → kernel interpolant (large τ)")
left.set_xlabel("x")
left.legend(fontsize=7, ncol=2)
taus = [r["tau"] for r in path]
right.loglog(taus, [r["transport_cost"] / r["tau"] ** 2 for r in path], color="#0072B2", label="W²/τ² (normalized transport cost)")
right.loglog(taus, [max(r["kernel_distance"], 1e-16) for r in path], color="#009E73", label="sup |f_τ − f_kernel|")
right.loglog(taus, [max(r["rich_distance"], 1e-16) for r in path], color="#CC79A7", label="sup |f_τ − f_rich|")
right.loglog(taus, [max(abs(r["relative_gap"]), 1e-16) for r in path], color="#999999", ls="--", label="|relative duality gap|")
right.set_xlabel("τ (initialization scale)")
right.set_title("along the path")
right.legend(fontsize=7)
fig.tight_layout()
fig.savefig(sys.argv[2])
