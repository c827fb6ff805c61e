"""Draws docs/gd-vs-path.png from `scaling-path compare` (a documentation aid, not part of the build).

    scaling-path compare --data examples/data/example.csv --tau-range 1e-3:1e3:41 \
        --width 400 --seed 1 --max-steps 200000 > compare.json
    python3 docs/plot_gd_vs_path.py compare.json docs/gd-vs-path.png      # needs matplotlib
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

report = json.load(open(sys.argv[1]))
rows = report["comparison"]
tau = [r["tau"] for r in rows]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)

left.loglog(tau, [r["w_path"] / t**2 for r, t in zip(rows, tau)], "k-", lw=2, label="scaling path W²/τ²")
for status, marker, label in [("converged", "o", "GD converged"), ("stalled", "x", "GD stalled"), ("capped", "^", "GD at its step cap")]:
    pts = [(t, r["w_gd"] / t**2) for r, t in zip(rows, tau) if r["gd_status"] == status]
    if pts:
        left.loglog(*zip(*pts), marker, color="#009E73", ms=6, mfc="none" if status == "converged" else None, label=label + " W²/τ²")
left.set_xlabel("τ (initialization scale)")
left.set_title("transport cost: never above that of a GD run that fits")
left.legend(fontsize=8)

right.loglog(tau, [max(r["sup_distance"], 1e-16) for r in rows], "o-", color="#009E73", ms=4, label="sup |f_GD − f_τ| on the grid")
if "kernel_distance" in report["path"]["path"][0]:
    right.loglog(tau, [r.get("kernel_distance", float("nan")) for r in report["path"]["path"]], "--", color="#0072B2", label="sup |f_τ − kernel prediction|")
if "rich_distance" in report["path"]["path"][0]:
    right.loglog(tau, [max(r.get("rich_distance", float("nan")), 1e-16) for r in report["path"]["path"]], ":", color="#D55E00", lw=2, label="sup |f_τ − rich limit|")
right.set_xlabel("τ (initialization scale)")
right.set_title("GD's final state tracks the path across τ")
right.legend(fontsize=8)
fig.suptitle("Gradient descent vs the scaling path, from the same 400 neurons (examples/data/example.csv)", fontsize=10)
fig.tight_layout()
fig.savefig(sys.argv[2])
