#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Guided fuzzing of the config reader, the run-folder readers and writers, the command-line
# parser, the typed-target reader, the measured-data CSV reader and the checkpoint reader,
# with libFuzzer (clang 16) under AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Usage: bash scripts/fuzz.sh [SECONDS] [TARGET...]   fuzz each target for SECONDS (default 60)
#        bash scripts/fuzz.sh --runs N [TARGET...]    fuzz each target for N executions
#        bash scripts/fuzz.sh --build-only [TARGET...]  build, and run each target once over its
#                                                       corpus and crash inputs, no fuzzing (CI)
# TARGET: config, runfolder, cmdline, expression, csv, checkpoint (default: all six).
#
# The build is in build-fuzz/ (core, storage and the command line only, no window). Fuzzing
# starts each target from a fresh copy of tests/fuzz/corpus/<target> in
# build-fuzz/corpus/<target>, which keeps what the run found. A crashing input is copied to
# tests/fuzz/crashes/<target>/ and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '7,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
mode=time
seconds=60
runs=0
targets=()
while (($#)); do
    case "$1" in
        --build-only) mode=replay ;;
        --runs) mode=runs; runs="${2:-}"; shift
                [[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --runs needs a positive whole number" >&2; exit 2; } ;;
        config|runfolder|cmdline|expression|csv|checkpoint) targets+=("$1") ;;
        -h|--help) usage ;;
        *) [[ "$1" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: unknown argument '$1'" >&2; usage; }
           seconds="$1" ;;
    esac
    shift
done
((${#targets[@]})) || targets=(config runfolder cmdline expression csv checkpoint)

# clang 16 and its compiler-rt, which holds libFuzzer (libclang_rt.fuzzer-x86_64.a) and the
# sanitizer runtimes. clang 14, Debian's default clang, cannot compile the project (C++20).
bash scripts/install-deps.sh
missing=()
for p in clang-16 libclang-rt-16-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Crash reports name functions and lines only with a symbolizer; clang-16's runtime looks for
# llvm-symbolizer-16 (in the large llvm-16 package), and any llvm-symbolizer will do.
for symbolizer in llvm-symbolizer-16 llvm-symbolizer llvm-symbolizer-15 llvm-symbolizer-14; do
    if command -v "$symbolizer" > /dev/null; then
        export ASAN_SYMBOLIZER_PATH=$(command -v "$symbolizer")
        break
    fi
done

build=build-fuzz
# A build directory configured for another compiler cannot be switched over in place.
if [[ -f $build/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-16$' "$build/CMakeCache.txt"; then
    rm -rf "$build"
fi
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DSOBOLEV_FUZZ=ON -DSOBOLEV_BUILD_UI=OFF > /dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

# Every input is bounded: while fuzzing, one that runs longer than 1 s counts as a hang
# (-timeout) and one that takes more than 2 GB, ASan's shadow included, as a memory blow-up
# (-rss_limit_mb, and -malloc_limit_mb for a single allocation); libFuzzer saves either as a
# crash. The CI replay (--build-only) sets no time limit, as a loaded CI machine is slow.
hang_seconds=1
rss_mb=2048
case "$mode" in
    time) limit=(-max_total_time="$seconds" -timeout="$hang_seconds"); what=" in ${seconds}s" ;;
    runs) limit=(-runs="$runs" -timeout="$hang_seconds"); what="" ;;
    replay) limit=(-runs=0 -timeout=0); what=" (corpus and crash inputs only)" ;;
esac
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1
# GiNaC and CLN leak what they allocated when they throw (e.g. at a pole); the formula reader
# avoids the throws it knows of, and leaks allocated inside those libraries are not ours.
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in "${targets[@]}"; do
    scratch=$(mktemp -d)
    if [[ $mode == replay ]]; then
        # The inputs in the tree as they are (libFuzzer's output folder is a scratch one), so
        # that the last fuzzing run's corpus in build-fuzz/ stays.
        corpora=("$scratch" "tests/fuzz/corpus/$target" "tests/fuzz/crashes/$target")
        log="$build/replay_$target.log"
    else
        corpus="$build/corpus/$target"
        rm -rf "$corpus"
        mkdir -p "$corpus"
        cp -r "tests/fuzz/corpus/$target/." "$corpus/"
        corpora=("$corpus" "tests/fuzz/crashes/$target")
        log="$build/fuzz_$target.log"
    fi
    artifacts=$(mktemp -d)
    if "$build/bin/fuzz_$target" "${corpora[@]}" "${limit[@]}" \
            -dict="tests/fuzz/$target.dict" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" -print_final_stats=1 \
            -artifact_prefix="$artifacts/" > "$log" 2>&1; then
        result="no crash"
    else
        result="CRASHED"
        status=1
        if [[ $mode != replay ]]; then # a replayed input is in the tree already
            mkdir -p "tests/fuzz/crashes/$target"
            cp "$artifacts"/* "tests/fuzz/crashes/$target/" 2>/dev/null || true
        fi
    fi
    rm -rf "$artifacts" "$scratch"
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    edges=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || echo "?")
    echo "fuzz_$target: $executions executions$what, $edges edges covered, $result (log: $log)"
done
exit "$status"
