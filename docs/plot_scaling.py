"""Time of the 41-tau path against the number of points, log-log, from the CSV that
`cargo run --release --example scaling` prints: one line per data kind and width; a run that hit
its time budget before the last tau is drawn hollow, at its budget, labelled with how many tau
it solved. Usage: python3 docs/plot_scaling.py scaling.csv docs/scaling.png"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    rows = list(csv.DictReader(open(source)))
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    styles = {("smooth", "4096 directions"): ("#0072B2", "o", "-"), ("random", "4096 directions"): ("#D55E00", "o", "-"),
              ("smooth", "400 neurons"): ("#0072B2", "s", "--"), ("random", "400 neurons"): ("#D55E00", "s", "--")}
    for (kind, width), (color, marker, line) in styles.items():
        pts = [r for r in rows if r["data"].startswith(kind) and r["width"] == width]
        pts.sort(key=lambda r: int(r["n"]))
        if not pts:
            continue
        ns = [int(r["n"]) for r in pts]
        ts = [float(r["seconds"]) for r in pts]
        ax.plot(ns, ts, line, color=color, label=f"{kind}, {width}")
        for r, n, t in zip(pts, ns, ts):
            done = int(r["taus_done"]) == 41
            ax.plot([n], [t], marker, color=color, markerfacecolor=color if done else "white")
            if not done or int(r["certified"]) < 41:
                ax.annotate(f"{r['certified']}/{r['taus_done']}", (n, t), textcoords="offset points", xytext=(5, -10 if "neurons" in width else 4), fontsize=7, color=color)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks([10, 30, 50, 100])
    ax.set_xticklabels(["10", "30", "50", "100"])
    ax.set_xlabel("data points n")
    ax.set_ylabel("seconds for the 41-τ path (one chain)")
    ax.set_title("Cost against n (hollow: stopped at the time budget; labels: certified/solved τ)", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
