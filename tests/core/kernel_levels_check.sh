#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The portable build's kernel levels: the baseline library holds no AVX instruction (it must run
# on any x86-64 CPU), v3 holds AVX2 but no AVX-512, v4 holds AVX-512; SOBOLEV_KERNELS loads the
# level it names (where this CPU runs it) and refuses anything else; each level repeats its own
# bits. Usage: kernel_levels_check.sh LIBDIR WORKBENCH
set -euo pipefail
libdir=$1
workbench=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

registers() { objdump -d --no-show-raw-insn "$1" | grep -oE '%[xyz]mm[0-9]+' | cut -c2-4 | sort -u | tr '\n' ' '; }
v1=$(registers "$libdir/libsobolev_core.so")
v3=$(registers "$libdir/glibc-hwcaps/x86-64-v3/libsobolev_core.so")
v4=$(registers "$libdir/glibc-hwcaps/x86-64-v4/libsobolev_core.so")
echo "registers used: v1 [$v1] v3 [$v3] v4 [$v4]"
[[ $v1 == "xmm " ]] || fail "the baseline library uses [$v1]: only xmm registers run on any x86-64 CPU"
# AVX also encodes xmm instructions (vaddps %xmm...): the baseline must hold no VEX/EVEX one.
vex=$(objdump -d --no-show-raw-insn "$libdir/libsobolev_core.so" | awk -F'\t' 'NF >= 2 { split($2, a, " "); print a[1] }' | grep -c '^v' || true)
[[ $vex == 0 ]] || fail "the baseline library holds $vex AVX (VEX/EVEX-encoded) instructions"
[[ $v3 == *ymm* && $v3 != *zmm* ]] || fail "the v3 library uses [$v3]: expected ymm and no zmm"
[[ $v4 == *zmm* ]] || fail "the v4 library uses [$v4]: expected zmm"

supported=(v1)
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && supported+=(v3)
grep -qw avx512f /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && supported+=(v4)
declare -A expected=([v1]="x86-64 (SSE2)" [v3]="x86-64-v3 (AVX2, FMA)" [v4]="x86-64-v4 (AVX-512)")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for level in "${supported[@]}"; do
    version=$(SOBOLEV_KERNELS=$level "$workbench" --version)
    [[ $version == *"kernels ${expected[$level]}" ]] || fail "SOBOLEV_KERNELS=$level: --version says '$version'"
    for attempt in 1 2; do
        SOBOLEV_KERNELS=$level "$workbench" --headless --quiet --epochs 20 --out "$work/$level-$attempt" >/dev/null
    done
    # every column but the training time (the 8th, seconds)
    cmp -s <(cut -d, -f1-7,9- "$work/$level-1/history.csv") <(cut -d, -f1-7,9- "$work/$level-2/history.csv") ||
        fail "SOBOLEV_KERNELS=$level: two runs of one config differ"
    cmp -s "$work/$level-1/predictions.csv" "$work/$level-2/predictions.csv" ||
        fail "SOBOLEV_KERNELS=$level: two runs of one config predict differently"
    echo "$level: $version; two runs identical; last row $(tail -1 "$work/$level-1/history.csv")"
done

set +e
message=$(SOBOLEV_KERNELS=avx9 "$workbench" --version 2>&1)
status=$?
set -e
[[ $status == 2 && $message == *"is not a kernel level: use v1"* ]] ||
    fail "SOBOLEV_KERNELS=avx9: exit $status, '$message'"
echo "SOBOLEV_KERNELS=avx9 refused: $message"
