#!/bin/bash
# Every CPU compute mode of issue 15 in one sitting (BENCHMARKS.md, "Zen 4"): CLIP ViT-B/16 towers
# of Vitrail (f32 split across the cores, MLAS shards with the -Pmlas build; bf16 on libtorch's
# pool and split; int8 on libtorch's pool) beside HF transformers f32 and bf16 and ONNX Runtime f32,
# all on two threads, batch 1 and 8, in alternating rounds. Needs the reference venv
# (../shared/bench/setup.sh; VENV, default /tmp/vitrail-ref); builds with -Pmlas on first use.
# Usage: bench/modes_sitting.sh [ROUNDS] [ITERS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-2}"
ITERS="${2:-4}"
VENV="${VENV:-/tmp/vitrail-ref}"
B16=../shared/bench/configs/clip-vit-base-patch16.json
E=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE VITRAIL_PROFILES=mlas)
T=(./vitrail bench tower --config "$B16" --iters "$ITERS" --warmup 2 --batch 1 8 --gemm 64 --torch-threads 2 --blas-threads 1)
P=("$VENV/bin/python" bench/peers_cputime.py --config "$B16" --batch 1 8 --iters "$ITERS" --warmup 2 --threads 2)
row() { echo "$1"; shift; "$@" 2>&1 | grep -E "batch=|accuracy" | sed 's/ gflop_per_image=.*kernel=/ kernel=/' || true; }
for r in $(seq 1 "$ROUNDS"); do
  echo "## round $r $(date -u +%H:%M) load $(cut -d' ' -f1-3 /proc/loadavg)"
  row "A vitrail f32 split (auto)" "${E[@]}" "${T[@]}"
  row "B vitrail bf16 pool (auto)" "${E[@]}" "${T[@]}" --dtype bf16
  row "C vitrail bf16 split 2" "${E[@]}" VITRAIL_TOWER_SPLIT=2 "${T[@]}" --dtype bf16
  row "D vitrail int8 pool (auto)" "${E[@]}" "${T[@]}" --dtype int8
  row "E peers: onnx runtime f32, hf f32, hf bf16" "${E[@]}" "${P[@]}" --which ort hf32 hfbf16
done
