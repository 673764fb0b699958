#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The balancing study: on three targets, every balancing rule against the best hand-tuned β of
# the grid {1e-3, 1e-2, 0.1, 1, 10, 100} (α = 1), each over the same seeds with the cosine
# schedule. Prints one Markdown table per target: the median and [min–max] over the seeds of
# MSE f, MSE f′ and the H¹ error on the test grid, the final β/α, and the training time per
# epoch. A rule whose median H¹ error is above the best grid point's is marked "loses".
# Usage: tests/benchmarks/balance_study.sh [OUT] [SEEDS] [EPOCHS]
#   OUT: the folder for the sweeps (default: a temporary one, removed at the end)
#   SEEDS: as --seeds takes them (default 1-5); EPOCHS: Adam epochs (default 1000)
# Environment: SOBOLEV_BIN (default build/bin/sobolev-workbench), THREADS (runs at once,
# default 2; the time per epoch is then measured with the runs sharing the machine).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SOBOLEV_BIN:-$repo/build/bin/sobolev-workbench}
out=${1:-}
seeds=${2:-1-5}
epochs=${3:-1000}
threads=${THREADS:-2}
if [ -z "$out" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
[ -x "$bin" ] || { echo "balance_study.sh: no program at $bin; build it first" >&2; exit 2; }
case "$epochs" in '' | *[!0-9]*) echo "balance_study.sh: EPOCHS must be a whole number; got '$epochs'" >&2; exit 2 ;; esac

grid=0.001,0.01,0.1,1,10,100
rules=lra,relobralo,softadapt,gradnorm,inverse-dirichlet,analytic
# name | the flags that set the target
targets=(
    "runge|--target runge"
    "pinn|--target pinn --domain 0,1"
    "sine|--target sine"
)

sweep() { # FOLDER FLAGS...
    local folder=$1
    shift
    if [ -f "$folder/summary.csv" ]; then
        echo "  $folder: done before, kept" >&2
        return
    fi
    "$bin" --headless --quiet --schedule cosine --epochs "$epochs" --seeds "$seeds" \
        --threads "$threads" --out "$folder" "$@"
}

for entry in "${targets[@]}"; do
    name=${entry%%|*}
    read -r -a flags <<<"${entry#*|}"
    echo "== $name: the β grid, then the rules ==" >&2
    sweep "$out/$name-grid" "${flags[@]}" --sweep "beta=$grid"
    sweep "$out/$name-rules" "${flags[@]}" --sweep "balance=$rules"
done

python3 - "$out" "$seeds" "$epochs" "${targets[@]%%|*}" <<'EOF'
import csv, math, statistics, sys

out, seeds, epochs, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]

def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))

def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan

def final_ratio(folder):
    # beta/alpha in force at the last history row (the rule's final weights)
    last = None
    with open(folder + "/history.csv", newline="") as f:
        for last in csv.DictReader(f):
            pass
    return number(last["beta"]) / number(last["alpha"]) if last else math.nan

def groups(path, knob, sweep_folder):
    by = {}
    for r in rows(path):
        by.setdefault(r[knob], []).append(r)
    for key, rs in by.items():
        yield key, rs, [final_ratio(sweep_folder + "/" + r["folder"]) for r in rs]

def spread(values):
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return "—"
    return f"{statistics.median(values):.2e} [{min(values):.1e}–{max(values):.1e}]"

def per_epoch_ms(rs):
    return statistics.median(number(r["train_seconds"]) / max(1, number(r["epochs_run"])) * 1e3
                             for r in rs)

def median_h1(rs):
    values = [number(r["h1_error"]) for r in rs]
    values = [v if not math.isnan(v) else math.inf for v in values]
    return statistics.median(values)

print(f"Seeds {seeds}, {epochs} epochs, cosine schedule, α = 1. Median [min–max] over the seeds.\n")
for name in names:
    grid = list(groups(f"{out}/{name}-grid/summary.csv", "beta", f"{out}/{name}-grid"))
    best_key, best_rows, best_ratios = min(grid, key=lambda g: median_h1(g[1]))
    best_h1 = median_h1(best_rows)
    grid_off = next((g for g in grid if float(g[0]) == 1.0), None)
    base_ms = per_epoch_ms(grid_off[1]) if grid_off else math.nan
    print(f"### {name}\n")
    print("| weighting | MSE f | MSE f′ | H¹ error | final β/α | ms/epoch (× off) | vs best grid β |")
    print("|---|---|---|---|---|---|---|")
    def line(label, rs, ratios, verdict):
        ms = per_epoch_ms(rs)
        print(f"| {label} | {spread([number(r['mse_f']) for r in rs])} "
              f"| {spread([number(r['mse_fprime']) for r in rs])} "
              f"| {spread([number(r['h1_error']) for r in rs])} "
              f"| {statistics.median(ratios):.3g} | {ms:.2f} ({ms / base_ms:.2f}×) | {verdict} |")
    line(f"grid best: β = {best_key}", best_rows, best_ratios, "—")
    if grid_off and grid_off[0] != best_key:
        h1 = median_h1(grid_off[1])
        line("off (β = 1)", grid_off[1], grid_off[2], f"{h1 / best_h1:.2f}× its H¹")
    for key, rs, ratios in groups(f"{out}/{name}-rules/summary.csv", "balance", f"{out}/{name}-rules"):
        h1 = median_h1(rs)
        verdict = (f"loses: {h1 / best_h1:.2f}× its H¹" if h1 > best_h1
                   else f"wins: {h1 / best_h1:.2f}× its H¹")
        line(key, rs, ratios, verdict)
    print()
EOF
