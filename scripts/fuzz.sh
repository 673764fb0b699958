#!/usr/bin/env bash
# Bounded fuzzing of the config reader, the run-folder readers and the command-line parser.
# Usage: bash scripts/fuzz.sh [SECONDS per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number; got '$seconds'" >&2; exit 2; }

bash scripts/install-deps.sh
missing=()
for p in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOBOLEV_SANITIZE=ON -DSOBOLEV_FUZZ=ON > /dev/null
cmake --build build-fuzz -j2 --target fuzz_config fuzz_runfolder fuzz_cmdline

status=0
for target in config runfolder cmdline; do
    scratch=$(mktemp -d)
    cp -r "tests/fuzz/corpus/$target/." "$scratch/"
    artifacts=$(mktemp -d)
    log="build-fuzz/fuzz_$target.log"
    if ASAN_OPTIONS=detect_leaks=1 build-fuzz/bin/fuzz_$target "$scratch" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$artifacts/" > "$log" 2>&1; then
        result="no crash"
    else
        result="CRASHED"
        status=1
        mkdir -p "tests/fuzz/crashes/$target"
        cp "$artifacts"/* "tests/fuzz/crashes/$target/" 2>/dev/null || true
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz_$target: $runs executions in ${seconds}s, $result (log: $log)"
    rm -rf "$scratch" "$artifacts"
done
exit "$status"
