#!/usr/bin/env bash
# Reproduces every figure of docs/BENCHMARKS.md, in order. Needs the Chroma baseline installed and
# run once (CHROMA_BASELINE_DIR, default /work/chroma-baseline):
#   CHROMA_BASELINE_DIR=/work/chroma-baseline /work/shared/baselines/chroma/run.sh 13457 --cold-runs 5
#   CHROMA_BASELINE_DIR=/work/chroma-baseline /work/shared/baselines/chroma/run.sh 100000 --cold-runs 3
# Usage: bench/run-all.sh WORK_DIR   (about 25 minutes, most of it the first sync of 13,457 files)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: bench/run-all.sh WORK_DIR}
chroma=${CHROMA_BASELINE_DIR:-/work/chroma-baseline}
gt=/work/shared/baselines/chroma/groundtruth
mkdir -p "$work"
log() { echo "== $*" >&2; }

for n in 13457 100000; do
  [ -d "$work/n$n/index" ] || { log "building synthetic index n=$n"; ./ancla bench synthetic --n "$n" --out "$work/n$n" | tee "$work/synthetic-n$n.json"; }
done
log "cold start, interleaved with Chroma"
./ancla bench coldstart --data "$work/n13457" --runs 15 --chroma "$chroma" | tee "$work/coldstart.json"
log "recall, latency, peak RSS"
for n in 13457 100000; do
  ./ancla bench queries --data "$work/n$n" --groundtruth "$gt/groundtruth-n$n-seed42-q1000-k10.json" | tee "$work/queries-n$n.json"
done
ANCLA_JAVA_OPTS=-Xmx128m ./ancla bench queries --data "$work/n100000" \
  --groundtruth "$gt/groundtruth-n100000-seed42-q1000-k10.json" | tee "$work/queries-n100000-xmx128m.json"
log "search over HTTP and serve's start, interleaved with Chroma's server"
for n in 13457 100000; do
  ./ancla bench http --data "$work/n$n" --groundtruth "$gt/groundtruth-n$n-seed42-q1000-k10.json" \
    --chroma "$chroma" --rounds 5 --spawn-runs 10 --text-rounds 1 --work "$work/http-n$n" \
    | tee "$work/http-n$n.json"
done
log "ingest: end to end vs raw model"
./ancla bench ingest --work "$work/ingest" --files 200 --texts-per-file 16 --runs 3 | tee "$work/ingest.json"
log "re-sync of 13,457 unchanged files"
./ancla bench resync --work "$work/resync" --n 13457 --runs 5 | tee "$work/resync.json"
log "snapshots and restore, S3Proxy on loopback"
bench/snapshots.sh --data "$work/n13457" --runs 7 --threads 4 --sigterm-runs 5 | tee "$work/snapshots.json"
