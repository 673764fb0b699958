#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Mutation check: does the test suite catch real bugs?
#
# Each mutant in scripts/mutants.txt is a small change to one source file (a sign flip, an
# off-by-one, a dropped term), with a line saying which bug it stands for. For each one this
# script applies it to a scratch copy of the tree (never the real one), builds the tests that
# cover that file, runs them, and reports KILLED (a test failed, crashed or hung) or SURVIVED
# (every test passed: the suite misses that bug). A mutant whose text is no longer found in
# its file exactly once is an ERROR, not a kill, and so is a mutant that does not compile.
#
# Usage: bash scripts/mutants.sh [ID...]        (no ID: every mutant in the list)
# Environment: MUTANTS_KEEP=1 keeps the scratch folder; MUTANTS_JOBS (default 2).
# Runs on demand, not in CI: a full run rebuilds the core for every mutant (tens of minutes).
#
# Suites: mutants of core/ run every test in tests/core (they link only sobolev_core);
# mutants of ui/storage/ run tst_runfiles and tst_runhistory (they link sobolev_storage).
# A mutant's "tests:" line adds tests from elsewhere that cover it; when a selected mutant
# has one, the scratch build includes the UI (and so the whole application).
# Exit status: 0 when every mutant was killed, 1 when one survived or was in error, 2 when
# the unmutated tree does not build or pass.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
list="$repo/scripts/mutants.txt"
jobs="${MUTANTS_JOBS:-2}"
command -v python3 > /dev/null || { echo "mutants.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sobolev-mutants.XXXXXX")
if [[ "${MUTANTS_KEEP:-0}" == 1 ]]; then
    echo "scratch folder: $work"
else
    trap 'rm -rf "$work"' EXIT
fi
src="$work/src"
build="$work/build"
mkdir -p "$src" "$work/mutants" "$work/logs"

# The tree as it is on disk (tracked and new files, committed or not), copied to the scratch.
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
    python3 -c '
import os, sys
names = [n for n in sys.stdin.buffer.read().split(b"\0") if n and os.path.isfile(n)]
sys.stdout.buffer.write(b"\0".join(names))' |
    tar --null -T - -cf -) | tar -C "$src" -xf -

# Split the list into one file per mutant (work/mutants/ID with PATH, WHY and the pairs) and
# print the ids in order. Malformed entries stop the script here.
mapfile -t all_ids < <(python3 - "$list" "$work/mutants" <<'PY'
import json, os, sys
path, out = sys.argv[1], sys.argv[2]
mutants, cur = [], None
for no, raw in enumerate(open(path, encoding="utf-8"), 1):
    line = raw.rstrip("\n")
    if line.startswith("== "):
        parts = line[3:].split()
        if len(parts) != 2:
            sys.exit(f"{path}:{no}: expected '== ID PATH'")
        cur = {"id": parts[0], "path": parts[1], "why": "", "tests": "", "pairs": []}
        mutants.append(cur)
    elif line.startswith("#") or not line.strip():
        continue
    elif cur is None:
        sys.exit(f"{path}:{no}: text before the first '== ID PATH'")
    elif line.startswith("why: "):
        cur["why"] = line[5:]
    elif line.startswith("tests: "):
        cur["tests"] = " ".join(line[7:].split())
    elif line.startswith("- "):
        cur["pairs"].append([line[2:], None])
    elif line == "+" or line.startswith("+ "):
        if not cur["pairs"]:
            sys.exit(f"{path}:{no}: '+' without a '-' before it")
        text = line[2:]
        if cur["pairs"][-1][1] is None:
            cur["pairs"][-1][1] = text
        else:  # a second '+' line continues the replacement on a new line
            cur["pairs"][-1][1] += "\n" + text
    else:
        sys.exit(f"{path}:{no}: cannot read: {line}")
seen = set()
for m in mutants:
    if m["id"] in seen:
        sys.exit(f"{path}: mutant {m['id']} twice")
    seen.add(m["id"])
    if not m["why"] or not m["pairs"] or any(p[1] is None for p in m["pairs"]):
        sys.exit(f"{path}: mutant {m['id']} needs a why: line and -/+ pairs")
    json.dump(m, open(os.path.join(out, m["id"]), "w"))
    print(m["id"])
PY
)

ids=("$@")
if ((${#ids[@]} == 0)); then
    ids=("${all_ids[@]}")
fi
for id in "${ids[@]}"; do
    [[ -f "$work/mutants/$id" ]] || { echo "mutants.sh: no mutant '$id' in $list" >&2; exit 2; }
done

field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/mutants/$1" "$2"; }

core_tests=$(sed -n 's/^foreach(name \(.*\))$/\1/p' "$src/tests/core/CMakeLists.txt" | sed 's/[^ ]*/tst_&/g')
storage_tests="tst_runfiles tst_runhistory"
[[ -n "$core_tests" ]] || { echo "mutants.sh: cannot read the core tests from tests/core/CMakeLists.txt" >&2; exit 2; }

suite_for() {
    case "$1" in
    core/*) echo "$core_tests" ;;
    ui/storage/*) echo "$storage_tests" ;;
    *) echo "" ;;
    esac
}

# Tests named by the selected mutants' "tests:" lines; they need the UI build.
extra_tests=$(for id in "${ids[@]}"; do field "$id" tests; done | tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd ' ' -)
ui=OFF
[[ -n "$extra_tests" ]] && ui=ON

# Builds the named targets; runs those tests. The logs go to $2.
build_tests() { cmake --build "$build" -j"$jobs" --target $1 > "$2" 2>&1; }
run_tests() {
    local regex="^($(echo $1 | tr ' ' '|'))\$"
    # The timeout only ends a mutant that made a test loop forever (counted as killed); the
    # unmutated suite takes seconds.
    ctest --test-dir "$build" -R "$regex" -j"$jobs" --timeout 900 --output-on-failure > "$2" 2>&1
}
failed_tests() { sed -n 's/^[[:space:]]*[0-9]* - \(tst_[a-z_]*\) (\(.*\))$/\1 (\2)/p' "$1" | paste -sd ',' - | sed 's/,/, /g'; }

echo "Configuring and building the unmutated tree in $work ..."
cmake -S "$src" -B "$build" -DSOBOLEV_BUILD_UI=$ui > "$work/logs/configure.log" 2>&1 ||
    { cat "$work/logs/configure.log"; exit 2; }
baseline="$core_tests $storage_tests $extra_tests"
if ! build_tests "$baseline" "$work/logs/baseline-build.log"; then
    tail -30 "$work/logs/baseline-build.log"; echo "mutants.sh: the unmutated tree does not build" >&2; exit 2
fi
if ! run_tests "$baseline" "$work/logs/baseline-test.log"; then
    tail -30 "$work/logs/baseline-test.log"; echo "mutants.sh: the unmutated tree fails its tests" >&2; exit 2
fi
echo "Unmutated tree (UI $ui): builds, and $(echo $baseline | wc -w) test executables pass."
echo

results=()
killed=0 survived=0 errors=0
for id in "${ids[@]}"; do
    path=$(field "$id" path)
    why=$(field "$id" why)
    file="$src/$path"
    suite=$(suite_for "$path")
    [[ -n "$suite" ]] && suite="$suite $(field "$id" tests)"
    log="$work/logs/$id"
    status="" detail=""
    if [[ -z "$suite" ]]; then
        status=ERROR detail="no test suite for $path"
    elif [[ ! -f "$file" ]]; then
        status=ERROR detail="$path does not exist"
    else
        cp -p "$file" "$work/original"
        # Apply every pair; each '-' text must occur exactly once (checked before writing).
        if ! apply=$(python3 - "$work/mutants/$id" "$file" <<'PY' 2>&1
import json, sys
m = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
for old, new in m["pairs"]:
    n = text.count(old)
    if n != 1:
        sys.exit(f"'{old}' occurs {n} times in {m['path']}")
    text = text.replace(old, new)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
        ); then
            status=ERROR detail="does not apply: $apply"
        elif ! build_tests "$suite" "$log.build"; then
            status=ERROR detail="does not compile (see the build log)"
        elif run_tests "$suite" "$log.test"; then
            status=SURVIVED detail="every test passed"
        else
            status=KILLED detail=$(failed_tests "$log.test")
        fi
        # Back to the original, with a new time stamp so that the next build recompiles it.
        cp "$work/original" "$file"
        touch "$file"
    fi
    case "$status" in
    KILLED) killed=$((killed + 1)) ;;
    SURVIVED) survived=$((survived + 1)) ;;
    *) errors=$((errors + 1)) ;;
    esac
    printf '%-34s %-8s %s\n' "$id" "$status" "$detail"
    printf '    %s: %s\n' "$path" "$why"
    results+=("$(printf '%-34s %-26s %-8s' "$id" "$path" "$status")")
done

echo
echo "Mutation report"
printf '%-34s %-26s %-8s\n' "mutant" "file" "result"
printf '%-34s %-26s %-8s\n' "------" "----" "------"
for r in "${results[@]}"; do echo "$r"; done
echo
printf '%-10s %-8s %-9s %-7s\n' "mutants" "killed" "survived" "errors"
printf '%-10s %-8s %-9s %-7s\n' "${#ids[@]}" "$killed" "$survived" "$errors"
if ((survived + errors > 0)); then
    exit 1
fi
