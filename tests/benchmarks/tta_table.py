#!/usr/bin/python3
"""Time-to-accuracy tables from the runs of tests/benchmarks/compare_torch.sh tta.

Reads DIR/workbench-SEED/history.csv and DIR/{pytorch,libtorch}-SEED.csv (row, phase,
seconds, val_mse_fprime) and prints Markdown: per validation-MSE f' threshold the median over
the seeds of the training seconds to the first row at or below it (never reached counts as
infinite, printed "not reached") and each peer's ratio to the workbench; then what the time
is made of: the median seconds a row and the median rows to each threshold.
Usage: tta_table.py DIR RECIPE SEED...
"""
import csv
import math
import statistics
import sys

THRESHOLDS = (1e-4, 1e-5, 1e-6, 1e-7)
SIDES = (("workbench", "workbench-{}/history.csv"), ("PyTorch", "pytorch-{}.csv"),
         ("LibTorch", "libtorch-{}.csv"))


def read_rows(path):
    """(phase, seconds so far, validation MSE f') per history row."""
    with open(path, newline="", encoding="utf-8") as f:
        return [(r["phase"], float(r["seconds"]), float(r["val_mse_fprime"]))
                for r in csv.DictReader(f)]


def first_reach(rows, threshold):
    """(seconds, 1-based row) of the first row at or below threshold, or infinities."""
    for i, (_, seconds, val) in enumerate(rows):
        if val <= threshold:
            return seconds, i + 1
    return math.inf, math.inf


def median(values):
    """The median with infinities as the largest values (statistics.median would average
    an infinity in with an even count, which is what is meant)."""
    return statistics.median(sorted(values))


def seconds_per_row(rows, phase):
    """Median training seconds of one row of `phase`."""
    times, last = [], 0.0
    for p, seconds, _ in rows:
        if p == phase:
            times.append(seconds - last)
        last = seconds
    return statistics.median(times) if times else math.nan


def fmt_seconds(s):
    return "not reached" if math.isinf(s) else (f"{s:.3g} s" if s < 100 else f"{s:.0f} s")


def fmt_ratio(peer, ours):
    if math.isinf(peer):
        return "not reached"
    if math.isinf(ours):
        return "(ours not reached)"
    return f"{peer / ours:.1f}×"


def main():
    directory, recipe, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
    runs = {side: [read_rows(f"{directory}/{pattern.format(s)}") for s in seeds]
            for side, pattern in SIDES}
    reach = {side: [[first_reach(rows, t) for rows in runs[side]] for t in THRESHOLDS]
             for side in runs}
    n = len(seeds)
    print(f"Recipe `{recipe}`, seeds {', '.join(seeds)}: median time to validation MSE f′ "
          f"≤ threshold (training only; in brackets the seeds that reached it)\n")
    print("| val MSE f′ ≤ | workbench | PyTorch | PyTorch / workbench | LibTorch "
          "| LibTorch / workbench |")
    print("|---|---|---|---|---|---|")
    for k, t in enumerate(THRESHOLDS):
        med = {side: median([s for s, _ in reach[side][k]]) for side in reach}
        got = {side: sum(not math.isinf(s) for s, _ in reach[side][k]) for side in reach}
        cells = [f"{fmt_seconds(med[side])} ({got[side]}/{n})" for side in reach]
        print(f"| {t:.0e} | {cells[0]} | {cells[1]} | "
              f"{fmt_ratio(med['PyTorch'], med['workbench'])} | {cells[2]} | "
              f"{fmt_ratio(med['LibTorch'], med['workbench'])} |")
    print("\nWhat the time is made of: median seconds a row, median rows to each threshold\n")
    print("| | ms per Adam epoch | ms per L-BFGS iteration | "
          + " | ".join(f"rows to {t:.0e}" for t in THRESHOLDS) + " |")
    print("|---|---|---|" + "---|" * len(THRESHOLDS))
    for side in runs:
        adam = median([seconds_per_row(r, "adam") for r in runs[side]]) * 1e3
        lbfgs = median([seconds_per_row(r, "lbfgs") for r in runs[side]]) * 1e3
        rows = [median([r for _, r in reach[side][k]]) for k in range(len(THRESHOLDS))]
        print(f"| {side} | {adam:.3g} | " + ("–" if math.isnan(lbfgs) else f"{lbfgs:.3g}")
              + " | " + " | ".join("–" if math.isinf(r) else f"{r:.0f}" for r in rows) + " |")


if __name__ == "__main__":
    main()
