#!/bin/bash
# Batch-1 sitting for issue 15 (BENCHMARKS.md, "MLAS linear kernel"): CLIP ViT-B/16 towers of
# Vitrail (MLAS and OpenBLAS linear kernels, one thread and the split tower on two) beside ONNX
# Runtime (one and two threads), in alternating rounds. Needs the reference venv
# (../shared/bench/setup.sh; VENV, default /tmp/vitrail-ref) and builds with -Pmlas on first use.
# Usage: bench/batch1_sitting.sh [ROUNDS] [GEMM]   (GEMM: the harness's per-pass GEMM-rate probe
# size, default 2048; 64 keeps it out of the way)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
GEMM="${2:-2048}"
VENV="${VENV:-/tmp/vitrail-ref}"
B16=../shared/bench/configs/clip-vit-base-patch16.json
E=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE VITRAIL_PROFILES=mlas)
T=(./vitrail bench tower --config "$B16" --iters 8 --warmup 2 --batch 1 --gemm "$GEMM")
P=("$VENV/bin/python" bench/peers_cputime.py --config "$B16" --batch 1 --iters 8 --warmup 2 --which ort)
row() { echo "$1"; shift; "$@" 2>&1 | grep "batch=" || true; }
for r in $(seq 1 "$ROUNDS"); do
  echo "## round $r $(date -u +%H:%M) load $(cut -d' ' -f1-3 /proc/loadavg)"
  row "A mlas-1t" "${E[@]}" VITRAIL_LINEAR_KERNEL=mlas "${T[@]}" --torch-threads 1 --blas-threads 1
  row "B dense-1t" "${E[@]}" "${T[@]}" --torch-threads 1 --blas-threads 1
  row "C ort-1t" "${E[@]}" "${P[@]}" --threads 1
  row "D mlas-split" "${E[@]}" VITRAIL_LINEAR_KERNEL=mlas "${T[@]}" --torch-threads 2 --blas-threads 1
  row "E dense-split" "${E[@]}" "${T[@]}" --torch-threads 2 --blas-threads 1
  row "F ort-2t" "${E[@]}" "${P[@]}" --threads 2
done
