#!/bin/bash
# Every CPU compute mode of issue 15 in one sitting (BENCHMARKS.md, "Zen 4"): CLIP ViT-B/16 towers
# of Vitrail (f32 split across the cores, MLAS shards with the -Pmlas build; bf16 on libtorch's
# pool and split; int8 on libtorch's pool) beside HF transformers f32 and bf16 and ONNX Runtime f32,
# all on two threads, batch 1 and 8, in alternating rounds. Needs the reference venv
# (../shared/bench/setup.sh; VENV, default /tmp/vitrail-ref); builds with -Pmlas on first use.
# Usage: bench/modes_sitting.sh [ROUNDS] [ITERS]
set -euo pipefail
source "$(dirname "$0")/sitting_common.sh"
ROUNDS="${1:-2}"
ITERS="${2:-4}"
E+=(VITRAIL_PROFILES=mlas)
ROW_SED='s/ gflop_per_image=.*kernel=/ kernel=/'
T=(./vitrail bench tower --config "$B16" --iters "$ITERS" --warmup 2 --batch 1 8 --gemm 64 --torch-threads 2 --blas-threads 1)
P=("$VENV/bin/python" bench/peers_cputime.py --config "$B16" --batch 1 8 --iters "$ITERS" --warmup 2 --threads 2)
for r in $(seq 1 "$ROUNDS"); do
  round_header "$r"
  row "A vitrail f32 split (auto)" "${E[@]}" "${T[@]}"
  row "B vitrail bf16 pool (auto)" "${E[@]}" "${T[@]}" --dtype bf16
  row "C vitrail bf16 split 2" "${E[@]}" VITRAIL_TOWER_SPLIT=2 "${T[@]}" --dtype bf16
  row "D vitrail int8 pool (auto)" "${E[@]}" "${T[@]}" --dtype int8
  row "E peers: onnx runtime f32, hf f32, hf bf16" "${E[@]}" "${P[@]}" --which ort hf32 hfbf16
done
