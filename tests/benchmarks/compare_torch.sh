#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One recipe, trained by the workbench and by PyTorch one after the other in one go, with
# the same seed, data sizes and network: prints both JSON results and the wall-time ratio.
# Usage: tests/benchmarks/compare_torch.sh [RECIPE] [SEED]
#   RECIPE: adam (the reference), cosine (Adam with cosine decay to lr/100), or
#           lbfgs (Adam 1000 epochs then 2000 full-batch L-BFGS iterations, float64)
# Needs build/bin/sobolev-workbench and Debian's python3-torch.
#
# Time to accuracy: tests/benchmarks/compare_torch.sh tta RECIPE [SEEDS]
#   RECIPE cosine or lbfgs, SEEDS (default 1-5) as "1-5" or "1,2,3". Per seed the workbench,
#   PyTorch (torch_reference.py) and LibTorch (build/bin/sobolev-torch-tta, built where
#   libtorch-dev is installed) train the recipe one after the other, on the workbench's data
#   and initial weights, one thread each (two in the L-BFGS phase, as the workbench's
#   full-batch loss on this 2-core machine); then tta_table.py prints the Markdown tables.
#   The histories stay in TTA_KEEP when it is set.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" = tta ]; then
    recipe=${2:?compare_torch.sh tta: the recipe is missing; allowed: cosine, lbfgs}
    case "$recipe" in
    cosine) ours=(--schedule cosine) theirs=(--schedule cosine) ;;
    lbfgs) ours=(--lbfgs-iterations 2000 --precision float64)
           theirs=(--lbfgs-iterations 2000 --float64 --lbfgs-threads 2) ;;
    *) echo "compare_torch.sh tta: unknown recipe '$recipe'; allowed: cosine, lbfgs" >&2; exit 2 ;;
    esac
    seeds=${3:-1-5}
    [[ $seeds =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] ||
        { echo "compare_torch.sh tta: bad seeds '$seeds'; allowed: e.g. 1-5 or 1,2,3" >&2; exit 2; }
    seed_list=()
    for part in ${seeds//,/ }; do seed_list+=($(seq "${part%-*}" "${part#*-}")); done
    peer=$repo/build/bin/sobolev-torch-tta
    [ -x "$peer" ] || { echo "compare_torch.sh tta: $peer is missing (build it where libtorch-dev is installed)" >&2; exit 2; }
    /usr/bin/python3 -c 'import torch' 2>/dev/null ||
        { echo "compare_torch.sh tta: Debian's python3-torch is not installed" >&2; exit 2; }
    out=${TTA_KEEP:-$(mktemp -d)}
    mkdir -p "$out"
    [ -n "${TTA_KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
    for s in "${seed_list[@]}"; do
        echo "seed $s: workbench, PyTorch, LibTorch" >&2
        rm -rf "$out/workbench-$s" "$out/problem-$s"
        "$repo/build/bin/sobolev-workbench" --headless --quiet --seed "$s" "${ours[@]}" --out "$out/workbench-$s"
        mkdir -p "$out/problem-$s"
        "$peer" --recipe "$recipe" --seed "$s" --dump "$out/problem-$s"
        /usr/bin/python3 "$repo/tests/benchmarks/torch_reference.py" --seed "$s" "${theirs[@]}" \
            --problem "$out/problem-$s" --history "$out/pytorch-$s.csv" >/dev/null
        "$peer" --recipe "$recipe" --seed "$s" --history "$out/libtorch-$s.csv"
    done
    /usr/bin/python3 "$repo/tests/benchmarks/tta_table.py" "$out" "$recipe" "${seed_list[@]}"
    exit 0
fi
recipe=${1:-lbfgs}
seed=${2:-1}
case "$recipe" in
adam) ours=() theirs=() ;;
cosine) ours=(--schedule cosine) theirs=(--schedule cosine) ;;
lbfgs) ours=(--lbfgs-iterations 2000 --precision float64)
       theirs=(--lbfgs-iterations 2000 --float64) ;;
*) echo "compare_torch.sh: unknown recipe '$recipe'; allowed: adam, cosine, lbfgs" >&2; exit 2 ;;
esac
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
"$repo/build/bin/sobolev-workbench" --headless --quiet --seed "$seed" "${ours[@]}" --out "$out/run"
ours_seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "workbench: $(tr -d '\n ' < "$out/run/metrics.json")"
start=$(date +%s.%N)
/usr/bin/python3 "$repo/tests/benchmarks/torch_reference.py" --seed "$seed" "${theirs[@]}"
torch_seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "{\"recipe\": \"$recipe\", \"seed\": $seed, \"workbench_wall_seconds\": $ours_seconds," \
     "\"torch_wall_seconds\": $torch_seconds," \
     "\"torch_over_workbench\": $(echo "scale=2; $torch_seconds / $ours_seconds" | bc)}"
