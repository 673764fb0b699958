#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The run history at scale: writes N stored 1000-epoch runs (copies of a real reference run,
# knobs and errors perturbed) straight into a history folder, then measures the window over
# it against an empty history, and the first start after the index is deleted (a screenshot
# of its progress bar). Prints the JSON lines of sobolev-history-bench and a summary.
# Needs about 100 kB of disk per run (10,000 runs: 1 GB) under WORK; deletes it at the end.
# Usage: tests/benchmarks/bench_history.sh [BUILD_DIR] [RUNS] [REPEATS]
# Environment: WORK (default /tmp/sobolev-history-bench), SCREENSHOT (default WORK/../rebuild.png)
set -euo pipefail
build=${1:-build}
runs=${2:-10000}
repeats=${3:-3}
work=${WORK:-/tmp/sobolev-history-bench}
shot=${SCREENSHOT:-$(dirname "$work")/sobolev-history-rebuild.png}
bench="$build/bin/sobolev-history-bench"
app="$build/bin/sobolev-workbench"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# A real 1000-epoch run of the reference experiment.
"$app" --headless --quiet --out "$work/source" >/dev/null
empty="$work/empty" full="$work/full"
mkdir -p "$empty" "$full"
QT_QPA_PLATFORM=offscreen XDG_DATA_HOME="$full" "$bench" generate --from "$work/source" --runs "$runs"
du -sh "$full" | sed 's/^/disk: /'

# Each start is its own process, on the display xvfb-run gives (the window is really shown).
open_window() { # XDG_DATA_HOME, extra args…
    local data=$1
    shift
    XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$work/config" \
        xvfb-run -a -s '-screen 0 1600x1000x24' "$bench" open "$@"
}
# The first start over the generated folders has no index yet: it builds it.
echo "first start, no index:"
open_window "$full" | tee "$work/rebuild.json"
for ((r = 0; r < repeats; ++r)); do
    open_window "$empty" | tee -a "$work/empty.json"
    open_window "$full" | tee -a "$work/full.json"
done
echo "after deleting the index:"
rm -f "$full/SobolevWorkbenchBench/history/runs/.index.sqlite"
open_window "$full" --screenshot "$shot" | tee -a "$work/rebuild.json"

python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
def load(name):
    return [json.loads(l) for l in open(f"{work}/{name}.json") if l.startswith("{")]
empty, full, rebuild = load("empty"), load("full"), load("rebuild")
med = lambda rows, key: statistics.median(r[key] for r in rows)
print(f"runs: {full[0]['runs']}")
for key, what in (("open_seconds", "wall"), ("open_cpu_seconds", "CPU")):
    print(f"window open ({what}): empty {med(empty,key):.3f} s, full {med(full,key):.3f} s, "
          f"slower by {med(full,key) - med(empty,key):.3f} s (medians of {len(full)})")
print(f"resident memory: empty {med(empty,'rss_mb'):.1f} MB, full {med(full,'rss_mb'):.1f} MB, "
      f"above baseline {med(full,'rss_mb') - med(empty,'rss_mb'):.1f} MB")
print(f"Runs panel, worst over {len(full)} starts: filter keystroke "
      f"{max(r['worst_filter_ms'] for r in full):.1f} ms wall ({max(r['worst_filter_cpu_ms'] for r in full):.1f} ms CPU), "
      f"sort {max(r['worst_sort_ms'] for r in full):.1f} ms wall ({max(r['worst_sort_cpu_ms'] for r in full):.1f} ms CPU)")
for r in rebuild:
    print(f"rebuild: {r['open_seconds']:.1f} s wall ({r['open_cpu_seconds']:.1f} s CPU) for {r['runs']} runs, "
          f"rebuilt={r['rebuilt']}, {r['rss_mb']:.0f} MB resident after ({r['index_note']})")
print("load average:", open("/proc/loadavg").read().split()[:3])
PY
echo "screenshot of the rebuild: $shot"
