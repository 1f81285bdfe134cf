#!/bin/bash
# bf16 sitting for issue 15 (BENCHMARKS.md, "bf16 on a processor with bf16 instructions"): CLIP
# ViT-B/16 towers of Vitrail (compute-dtype bf16: split across the two cores, and one tower on
# libtorch's two threads) beside HF
# transformers bf16 on two threads, batch 1 and 8, in alternating rounds. Needs the reference venv
# (../shared/bench/setup.sh; VENV, default /tmp/vitrail-ref).
# Usage: bench/bf16_sitting.sh [ROUNDS] [ITERS]
set -euo pipefail
source "$(dirname "$0")/sitting_common.sh"
ROUNDS="${1:-3}"
ITERS="${2:-6}"
T=(./vitrail bench tower --config "$B16" --iters "$ITERS" --warmup 2 --batch 1 8 --gemm 64 --dtype bf16)
P=("$VENV/bin/python" bench/peers_cputime.py --config "$B16" --batch 1 8 --iters "$ITERS" --warmup 2 --which hfbf16)
for r in $(seq 1 "$ROUNDS"); do
  round_header "$r"
  row "A vitrail-bf16 split2" "${E[@]}" VITRAIL_TOWER_SPLIT=2 "${T[@]}" --torch-threads 2 --blas-threads 1
  row "B vitrail-bf16 torch2" "${E[@]}" VITRAIL_TOWER_SPLIT=off "${T[@]}" --torch-threads 2 --blas-threads 1
  row "C hf-bf16 2t" "${E[@]}" "${P[@]}" --threads 2
done
