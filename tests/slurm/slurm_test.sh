#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A sweep run as shards, end to end, against the real schedulers:
#
#   slurm_test.sh slurm    WORKBENCH   as root: starts munged, slurmctld and slurmd on this host
#                                      (their own config, key, sockets and ports in a temporary
#                                      folder), submits scripts/slurm/sweep.sbatch as
#                                      sbatch --array=0-3 --wait, and stops them again on exit
#   slurm_test.sh parallel WORKBENCH   the same sweep as 4 shards under GNU parallel
#
# Either way the shards are merged with --merge, and the merged summary.csv must equal that of
# the same sweep run locally in one go, the train_seconds column aside. CTest runs both when
# configured with -DSOBOLEV_SLURM_TEST=ON (.ci/run does).
set -euo pipefail

mode=${1:?usage: slurm_test.sh slurm|parallel WORKBENCH}
workbench=$(realpath "${2:?usage: slurm_test.sh slurm|parallel WORKBENCH}")
here=$(cd "$(dirname "$0")" && pwd)
sbatch_script=$(realpath "$here/../../scripts/slurm/sweep.sbatch")

log() { echo "[$mode-test $(date -u +%H:%M:%S)] $*"; }
fail() { log "FAIL: $*"; exit 1; }

tmp=$(mktemp -d /tmp/sobolev-"$mode"-test.XXXXXX)
pids=()
cleanup() {
    local status=$?
    for ((i = ${#pids[@]} - 1; i >= 0; --i)); do
        if kill -0 "${pids[i]}" 2>/dev/null; then
            log "stopping pid ${pids[i]} ($(ps -o comm= -p "${pids[i]}" || true))"
            kill "${pids[i]}" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
            kill -9 "${pids[i]}" 2>/dev/null || true
        fi
    done
    if ((status != 0)); then
        for f in "$tmp"/*.log "$tmp"/job-*.out; do
            [[ -f $f ]] && { echo "----- $f (last 30 lines)"; tail -n 30 "$f"; }
        done
    fi
    rm -rf "$tmp"
    log "exit status $status"
}
trap cleanup EXIT

# The 2 x 2 x 2 sweep: two beta values, two widths, two seeds, short runs.
sweep=(--sweep beta=0,1 --sweep width=8,16 --seeds 1,2 --epochs 30 --n-train 128 --n-val 32
       --batch-size 32 --grid-points 51)

# summary.csv without its train_seconds column, which differs between two trainings.
without_seconds() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "train_seconds") c = i }
             { out = ""; for (i = 1; i <= NF; ++i) if (i != c) out = out (out == "" ? "" : ",") $i; print out }' "$1"
}

log "local reference: $workbench --headless ${sweep[*]}"
"$workbench" --headless --quiet --threads 2 --out "$tmp/local" "${sweep[@]}"
[[ $(($(wc -l < "$tmp/local/summary.csv") - 1)) -eq 8 ]] || fail "the local sweep has not 8 runs"

start_slurm() {
    [[ $(id -u) -eq 0 ]] || fail "the Slurm test starts daemons and must run as root"
    for tool in munged mungekey slurmctld slurmd sbatch sinfo; do
        command -v "$tool" >/dev/null || fail "$tool not found; install Debian's slurm-wlm and munge"
    done
    local host cpus
    host=$(hostname -s)
    cpus=$(nproc)
    # Two free TCP ports for slurmctld and slurmd, so a Slurm already on this host is not touched.
    local port dport
    read -r port dport < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("", 0))
print(*(x.getsockname()[1] for x in s))')
    mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
    chmod 700 "$tmp/munge"
    mungekey --create --keyfile="$tmp/munge/munge.key"
    chmod 600 "$tmp/munge/munge.key"
    log "starting munged (socket $tmp/munge/munge.socket)"
    munged --foreground --force --key-file="$tmp/munge/munge.key" \
        --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munge/munged.pid" \
        --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/munged.log" 2>>"$tmp/munged.stderr.log" &
    pids+=($!)
    for _ in $(seq 100); do [[ -S $tmp/munge/munge.socket ]] && break; sleep 0.1; done
    [[ -S $tmp/munge/munge.socket ]] || fail "munged did not create its socket"

    cat > "$tmp/slurm.conf" <<CONF
ClusterName=sobolevtest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$tmp/slurm.conf
    log "slurm.conf: SlurmctldHost=$host NodeName=$host CPUs=$cpus ports $port/$dport, proctrack/linuxproc, task/none, select/cons_tres"
    log "starting slurmctld"
    slurmctld -D -i -f "$SLURM_CONF" 2>>"$tmp/slurmctld.stderr.log" &
    pids+=($!)
    log "starting slurmd"
    slurmd -D -f "$SLURM_CONF" 2>>"$tmp/slurmd.stderr.log" &
    pids+=($!)
    local state=""
    for _ in $(seq 300); do
        state=$(sinfo -h -N -o %T 2>/dev/null || true)
        [[ $state == idle ]] && break
        sleep 0.2
    done
    [[ $state == idle ]] || fail "the node did not become idle (sinfo says \"$state\")"
    log "node $host is idle: $(sinfo -h -o '%P %a %D %C' | head -n 1) (partition avail nodes cpus A/I/O/T)"
}

merge_and_compare() {
    local folder=$1
    log "merging: $workbench --merge $folder --out $tmp/merged"
    "$workbench" --merge "$folder" --out "$tmp/merged" ||
        fail "--merge exited with $? (1: runs missing, 2: refused)"
    [[ -f $tmp/merged/missing-runs.txt && ! -s $tmp/merged/missing-runs.txt ]] ||
        fail "missing runs: $(cat "$tmp/merged/missing-runs.txt")"
    if ! diff <(without_seconds "$tmp/local/summary.csv") <(without_seconds "$tmp/merged/summary.csv"); then
        fail "the merged summary.csv differs from the local sweep's"
    fi
    log "merged summary.csv equals the local sweep's ($(($(wc -l < "$tmp/merged/summary.csv") - 1)) runs, train_seconds aside)"
    local folders
    folders=$(find "$tmp/merged" -mindepth 1 -maxdepth 1 -type d -name '*seed=*' | wc -l)
    [[ $folders -eq 8 ]] || fail "the merged sweep has $folders run folders, not 8"
}

case $mode in
slurm)
    start_slurm
    cd "$tmp"
    log "submitting: sbatch --array=0-3 --wait sweep.sbatch ${sweep[*]}"
    SOBOLEV_WORKBENCH=$workbench SOBOLEV_SWEEP_OUT=$tmp/shards \
        sbatch --array=0-3 --wait --output="$tmp/job-%A_%a.out" "$sbatch_script" "${sweep[@]}" \
        || fail "sbatch --wait reported a failed array task"
    for out in "$tmp"/job-*.out; do
        log "$(basename "$out"): $(grep -E '^(sobolev-sweep|shard)' "$out" | tr '\n' ' ')"
    done
    summaries=$(ls "$tmp/shards"/summary-shard-*-of-4.csv | wc -l)
    [[ $summaries -eq 4 ]] || fail "$summaries shard summaries, not 4"
    merge_and_compare "$tmp/shards"

    # A requeued or resubmitted array finishes what is missing and repeats nothing: one run
    # loses its metrics.json (as if its task had been killed while writing it).
    damaged=beta=1_width=8_seed=2
    rm "$tmp/shards/$damaged/metrics.json"
    rm -r "$tmp/merged"
    rm "$tmp"/job-*.out
    log "resubmitting the array after deleting $damaged/metrics.json"
    SOBOLEV_WORKBENCH=$workbench SOBOLEV_SWEEP_OUT=$tmp/shards \
        sbatch --array=0-3 --wait --output="$tmp/job-%A_%a.out" "$sbatch_script" "${sweep[@]}" \
        || fail "sbatch --wait reported a failed array task"
    trained=$(cat "$tmp"/job-*.out | grep -c ' ended (' || true)
    while read -r line; do log "  $line"; done < <(grep -h '^shard' "$tmp"/job-*.out)
    log "the resubmitted array trained $trained run(s)"
    [[ $trained -eq 1 ]] || fail "the resubmitted array trained $trained runs, not 1"
    grep -q "ended ($damaged)" "$tmp"/job-*.out || fail "$damaged was not the run trained again"
    merge_and_compare "$tmp/shards"
    ;;
parallel)
    command -v parallel >/dev/null || fail "GNU parallel not found; install Debian's parallel"
    log "running: parallel $workbench --headless --shard {}/4 ... ::: 1 2 3 4"
    parallel --will-cite --halt now,fail=1 "$workbench" --headless --quiet --threads 1 \
        --shard {}/4 --out "$tmp/shards" "${sweep[@]}" ::: 1 2 3 4
    merge_and_compare "$tmp/shards"
    ;;
*)
    fail "unknown mode $mode; use slurm or parallel"
    ;;
esac
log "PASS"
