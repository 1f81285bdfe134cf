#!/bin/bash
# Batch-1 sitting for issue 15 (BENCHMARKS.md, "MLAS linear kernel" and "oneDNN shards"): CLIP
# ViT-B/16 towers of Vitrail (MLAS, OpenBLAS and the default build's probed kernel; one thread,
# the split tower on two, and one tower on libtorch's two-thread pool) beside ONNX Runtime (one
# and two threads), in alternating rounds. Needs the reference venv (../shared/bench/setup.sh;
# VENV, default /tmp/vitrail-ref); the -Pmlas rows build with it on first use, the "default"
# rows run the default build's class path.
# Usage: bench/batch1_sitting.sh [ROUNDS] [GEMM] [split]   (GEMM: the harness's per-pass GEMM-rate
# probe size, default 2048; 64 keeps it out of the way; "split": the two-thread rows only)
set -euo pipefail
source "$(dirname "$0")/sitting_common.sh"
ROUNDS="${1:-3}"
GEMM="${2:-2048}"
ONLY_SPLIT="${3:-}"
M=("${E[@]}" VITRAIL_PROFILES=mlas)
T=(./vitrail bench tower --config "$B16" --iters 8 --warmup 2 --batch 1 --gemm "$GEMM")
P=("$VENV/bin/python" bench/peers_cputime.py --config "$B16" --batch 1 --iters 8 --warmup 2 --which ort)
for r in $(seq 1 "$ROUNDS"); do
  round_header "$r"
  if [ "$ONLY_SPLIT" != split ]; then
    row "A mlas-1t" "${M[@]}" VITRAIL_LINEAR_KERNEL=mlas "${T[@]}" --torch-threads 1 --blas-threads 1
    row "B dense-1t" "${M[@]}" "${T[@]}" --torch-threads 1 --blas-threads 1
    row "C ort-1t" "${E[@]}" "${P[@]}" --threads 1
  fi
  row "D mlas-split" "${M[@]}" VITRAIL_LINEAR_KERNEL=mlas "${T[@]}" --torch-threads 2 --blas-threads 1
  row "E dense-split" "${M[@]}" VITRAIL_LINEAR_KERNEL=dense "${T[@]}" --torch-threads 2 --blas-threads 1
  row "G default-build split (probed kernel)" "${E[@]}" "${T[@]}" --torch-threads 2 --blas-threads 1
  row "H default-build pool (split off)" "${E[@]}" VITRAIL_TOWER_SPLIT=off "${T[@]}" --torch-threads 2 --blas-threads 1
  row "F ort-2t" "${E[@]}" "${P[@]}" --threads 2
done
