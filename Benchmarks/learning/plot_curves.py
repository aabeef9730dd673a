#!/usr/bin/env python3
"""Learning-curve chart: evaluation return against environment steps, one line per algorithm
(mean over seeds) with the spread (min to max over seeds) shaded.
Usage: plot_curves.py OUT.png TITLE LABEL=DIR_GLOB [LABEL=DIR_GLOB ...] [ref:LABEL=VALUE ...]
Each DIR_GLOB matches CSV files with 'steps' and 'evaluation_return' columns (svgrt's curve.csv
or sb3_pendulum.py's output); each ref: draws a dashed horizontal line at VALUE (a yardstick,
e.g. what a controller that knows the plant scores).
"""
import csv
import glob
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def load(path):
    points = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row.get("evaluation_return"):
                points[int(row["steps"])] = float(row["evaluation_return"])
    return points


def main():
    out, title = sys.argv[1], sys.argv[2]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    summary = []
    everything = []
    references = [spec[4:].rsplit("=", 1) for spec in sys.argv[3:] if spec.startswith("ref:")]
    for spec in sys.argv[3:]:
        if spec.startswith("ref:"):
            continue
        label, pattern = spec.split("=", 1)
        runs = [load(p) for p in sorted(glob.glob(pattern))]
        runs = [r for r in runs if r]
        if not runs:
            continue
        steps = sorted(set.intersection(*[set(r) for r in runs]))
        values = np.array([[r[s] for s in steps] for r in runs])
        mean = values.mean(axis=0)
        line, = ax.plot(steps, mean, label=f"{label} ({len(runs)} seeds)")
        ax.fill_between(steps, values.min(axis=0), values.max(axis=0), color=line.get_color(), alpha=0.2)
        summary.append((label, steps, mean))
        everything.extend(values.ravel())
    # Returns that are all negative and span more than two decades (the Hand: −250 early, −1
    # late) would leave the end of the curves flat on a linear axis: symmetric log, linear
    # within ±1.
    if everything and max(everything) < 0 and min(everything) / max(everything) > 100:
        ax.set_yscale("symlog", linthresh=1)
    for (label, value), style in zip(references, ["--", ":", "-.", (0, (5, 1))]):
        ax.axhline(float(value), color="0.35", linestyle=style, linewidth=1, label=label)
    ax.set_xlabel("environment steps")
    ax.set_ylabel("evaluation return (deterministic policy)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out)
    for label, steps, mean in summary:
        print(label + "\t" + " ".join(f"{s}:{m:.1f}" for s, m in zip(steps, mean)))


if __name__ == "__main__":
    main()
