#!/usr/bin/env python3
"""Model-capacity chart: each algorithm's return at the end of its runs against the model's size,
one line per algorithm (mean over seeds, ± one standard error as bars) with every seed as a dot.
A seed's value is the mean of its last three evaluations (as the results matrix's column).
Usage: capacity_chart.py OUT.png TITLE ALGORITHM@SIZE=DIR_GLOB [ALGORITHM@SIZE=DIR_GLOB ...] [ref:LABEL=VALUE ...]
SIZE is the x-axis label (e.g. 5-5); sizes are drawn in the order they first appear. Each DIR_GLOB
matches curve.csv files ('steps' and 'evaluation_return' columns); a pattern may be given twice
for one point (e.g. seeds 1-3 and 4-10 from two rows). ref: draws a dashed line (a yardstick).
"""
import csv
import glob
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def last_three(path):
    values = []
    with open(path) as f:
        for row in csv.DictReader(f):
            if row.get("evaluation_return"):
                values.append(float(row["evaluation_return"]))
    return float(np.mean(values[-3:])) if values else None


def main():
    out, title = sys.argv[1], sys.argv[2]
    points, sizes, algorithms = {}, [], []
    references = [spec[4:].rsplit("=", 1) for spec in sys.argv[3:] if spec.startswith("ref:")]
    for spec in sys.argv[3:]:
        if spec.startswith("ref:"):
            continue
        key, pattern = spec.split("=", 1)
        algorithm, size = key.rsplit("@", 1)
        if size not in sizes:
            sizes.append(size)
        if algorithm not in algorithms:
            algorithms.append(algorithm)
        values = [v for v in (last_three(p) for p in sorted(glob.glob(pattern))) if v is not None]
        points.setdefault((algorithm, size), []).extend(values)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    width = 0.6 / max(len(algorithms), 1)
    for k, algorithm in enumerate(algorithms):
        xs, means, errors = [], [], []
        for i, size in enumerate(sizes):
            values = points.get((algorithm, size), [])
            if not values:
                continue
            x = i + (k - (len(algorithms) - 1) / 2) * width
            xs.append(x)
            means.append(np.mean(values))
            errors.append(np.std(values, ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0)
        seeds = len(points.get((algorithm, sizes[0]), []))
        line = ax.errorbar(xs, means, yerr=errors, marker="o", capsize=4, label=f"{algorithm} ({seeds} seeds per size)")
        color = line[0].get_color()
        for x, size in zip(xs, [s for s in sizes if points.get((algorithm, s))]):
            values = points[(algorithm, size)]
            jitter = np.linspace(-width / 3, width / 3, len(values))
            ax.scatter(x + jitter, values, color=color, alpha=0.35, s=12)
        print(algorithm + "\t" + "  ".join(f"{s}: {m:.1f} ± {e:.1f} (n={len(points[(algorithm, s)])})"
                                           for s, m, e in zip([s for s in sizes if points.get((algorithm, s))], means, errors)))
    for (label, value), style in zip(references, ["--", ":", "-."]):
        ax.axhline(float(value), color="0.35", linestyle=style, linewidth=1, label=label)
    ax.set_xticks(range(len(sizes)), sizes)
    ax.set_xlabel("model hidden units per state dimension")
    ax.set_ylabel("return, mean of the last three evaluations")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main()
