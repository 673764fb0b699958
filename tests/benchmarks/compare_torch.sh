#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One recipe, trained by the workbench and by PyTorch one after the other in one go, with
# the same seed, data sizes and network: prints both JSON results and the wall-time ratio.
# Usage: tests/benchmarks/compare_torch.sh [RECIPE] [SEED]
#   RECIPE: adam (the reference), cosine (Adam with cosine decay to lr/100), or
#           lbfgs (Adam 1000 epochs then 2000 full-batch L-BFGS iterations, float64)
# Needs build/bin/sobolev-workbench and Debian's python3-torch.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
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
