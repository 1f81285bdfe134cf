#!/usr/bin/env bash
# The one prepared GPU check. Runs on a GPU machine with CUDA, python3 + torch + transformers, but
# no JDK, no Maven and no network: everything Java comes from the payload that bench/gpu-payload.sh
# builds elsewhere and that arrives in parts under target/gpu-payload/parts/ (see docs/gpu.md).
#
#   bench/gpu-check.sh --receive   # after each upload call: which parts are here and intact
#   bench/gpu-check.sh             # assemble the payload, then probe, GPU tests, benchmarks
#   bench/gpu-check.sh --cpu       # the same steps on CPU with tiny models (a CPU payload)
#
# Writes one results file, $OUT/gpu-check-results.txt when the device tool's $OUT is set (else
# target/gpu-check/), plus the raw logs beside it. Every step has a time limit and the whole run a
# budget (BUDGET_S, default 470 s); a step that would start after it is listed as skipped.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARTS="$ROOT/target/gpu-payload/parts"
RUN="$ROOT/target/gpu-run"
RESULTS_DIR="${OUT:-$ROOT/target/gpu-check}"
RESULTS="$RESULTS_DIR/gpu-check-results.txt"
LOGS="$RESULTS_DIR/logs"
PYTHON="${PYTHON:-python3}"
START=$(date +%s)
BUDGET_S="${BUDGET_S:-470}"
MODE=gpu
case "${1:-}" in
  --receive) MODE=receive ;;
  --cpu) MODE=cpu ;;
  "") ;;
  *) echo "usage: $0 [--receive|--cpu]" >&2; exit 2 ;;
esac
mkdir -p "$RESULTS_DIR" "$LOGS"

left() { echo $((START + BUDGET_S - $(date +%s))); }
say() { echo "$*" | tee -a "$RESULTS"; }

# Each part listed in MANIFEST: present with the right size and sha256?
check_parts() {
  local have=0 want=0 missing=()
  [[ -f "$PARTS/MANIFEST" ]] || { echo "no $PARTS/MANIFEST"; return 1; }
  while read -r kind name size sha; do
    [[ "$kind" == part ]] || continue
    want=$((want + 1))
    if [[ -f "$PARTS/$name" && "$(stat -c %s "$PARTS/$name")" == "$size" ]] \
        && [[ "$(sha256sum "$PARTS/$name" | cut -d' ' -f1)" == "$sha" ]]; then
      have=$((have + 1))
    else
      missing+=("$name")
    fi
  done < "$PARTS/MANIFEST"
  echo "payload parts: $have of $want intact${missing[*]:+; missing: ${missing[*]}}"
  [[ $have == "$want" ]]
}

if [[ $MODE == receive ]]; then
  check_parts
  exit 0
fi

: > "$RESULTS"
say "# Vitrail GPU check ($MODE) $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "tree commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"

# 1. The payload: assembled once per manifest (a later call reuses target/gpu-run).
want_commit="$(awk '$1 == "commit" {print $2}' "$PARTS/MANIFEST" 2>/dev/null)"
if [[ ! -f "$RUN/COMMIT" || "$(cat "$RUN/COMMIT")" != "$want_commit" ]]; then
  if ! check_parts | tee -a "$RESULTS"; then
    say "RESULT: payload incomplete, nothing run"; exit 1
  fi
  rm -rf "$RUN" && mkdir -p "$RUN"
  t0=$(date +%s)
  if command -v xz > /dev/null; then
    cat "$PARTS"/part-* | xz -dc | tar -C "$RUN" -xf - || { say "RESULT: payload unpack failed"; exit 1; }
  else
    cat "$PARTS"/part-* | "$PYTHON" -c 'import sys, tarfile
tarfile.open(fileobj=sys.stdin.buffer, mode="r|xz").extractall(sys.argv[1])' "$RUN" \
      || { say "RESULT: payload unpack failed"; exit 1; }
  fi
  say "payload unpacked in $(( $(date +%s) - t0 )) s: $(du -sm "$RUN" | cut -f1) MiB"
fi
say "payload: kind $(cat "$RUN/KIND") commit $(cat "$RUN/COMMIT")"
if [[ $MODE == gpu && "$(cat "$RUN/KIND")" != gpu ]]; then
  say "RESULT: the payload holds the CPU natives; build it with bench/gpu-payload.sh (no --cpu)"; exit 1
fi

JAVA="$RUN/jre/bin/java"
CP="$(sed "s|^|$RUN/|" "$RUN/classpath.txt" | paste -sd:)"
TCP="$(sed "s|^|$RUN/|" "$RUN/test-classpath.txt" | paste -sd:):$CP"
JOPTS=(-Xss4m -Xmx24g "-Dorg.bytedeco.javacpp.cachedir=$RUN/javacpp-cache")

# 2. The CUDA libraries libtorch 2.10 needs (libcudart.so.13, cuBLAS, cuDNN 9, ...), taken from the
# CUDA toolkit and from the nvidia-* wheels next to the device's PyTorch. torch's own lib folder is
# never on the path: its libtorch is another version than the presets' JNI was built against.
if [[ $MODE == gpu ]]; then
  CUDA_DIRS="$("$PYTHON" - <<'PY' 2>/dev/null
import glob, os, site
dirs = []
roots = site.getsitepackages() + [site.getusersitepackages()]
for root in roots:
    for lib in sorted(glob.glob(os.path.join(root, "nvidia", "**", "lib"), recursive=True)):
        if glob.glob(os.path.join(lib, "*.so*")):
            dirs.append(lib)
for d in ("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"):
    if os.path.isdir(d):
        dirs.append(d)
print(":".join(dict.fromkeys(dirs)))
PY
)"
  export LD_LIBRARY_PATH="$CUDA_DIRS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "LD_LIBRARY_PATH: $LD_LIBRARY_PATH"
  for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcudnn.so.9 libcufft.so.12 \
      libcurand.so.10 libcusparse.so.12 libcufile.so.0 libnccl.so.2 libcupti.so.13; do
    found="$(for d in ${LD_LIBRARY_PATH//:/ }; do ls "$d/$lib" 2> /dev/null; done | head -1)"
    say "  needs $lib: ${found:-NOT FOUND}"
  done
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,memory.total,compute_cap,driver_version \
    --format=csv,noheader 2>&1 | sed 's/^/nvidia-smi: /' | tee -a "$RESULTS"
fi
"$PYTHON" -c 'import torch, transformers; print("python torch", torch.__version__, "cuda", torch.version.cuda,
"device", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none",
"capability", torch.cuda.get_device_capability(0) if torch.cuda.is_available() else "-",
"cudnn", torch.backends.cudnn.version(), "transformers", transformers.__version__)' 2>&1 | tail -1 | tee -a "$RESULTS"

run_step() { # name, seconds, command...
  local name="$1" limit="$2"; shift 2
  if (( $(left) < 20 )); then say "step $name: SKIPPED (budget spent)"; return 124; fi
  (( limit > $(left) )) && limit=$(left)
  local t0=$(date +%s) rc
  timeout "$limit" "$@" > "$LOGS/$name.log" 2>&1; rc=$?
  say "step $name: rc=$rc in $(( $(date +%s) - t0 )) s$([[ $rc == 124 ]] && echo ' (TIMED OUT)')"
  return $rc
}

# 3. Probe: natives, devices, where devices = auto puts workers, auto dtype, attention backends.
DEV=cuda:0; [[ $MODE == cpu ]] && DEV=cpu
run_step probe 90 "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vitrail.bench.runtime.GpuBench --device "$DEV" --probe
grep -h '^probe\|workers:' "$LOGS/probe.log" | tee -a "$RESULTS"
if [[ $MODE == gpu ]] && ! grep -q "probe device cuda:0" "$LOGS/probe.log"; then
  say "RESULT: libtorch sees no CUDA device; the probe log follows"; tail -40 "$LOGS/probe.log" >> "$RESULTS"; exit 1
fi

# 4. GPU tests: parity f32/bf16 vs the goldens, worker stream + pinned upload, the OOM split.
TESTS=(dev.vitrail.encoders.tensor.CudaStagingTest dev.vitrail.encoders.tower.GpuTowerParityTest
  dev.vitrail.encoders.qwen25vl.Qwen25GpuParityTest dev.vitrail.actors.worker.EncoderWorkerOomTest)
SKIPS=(); [[ $MODE == cpu ]] && SKIPS=(-Dvitrail.gpu.allowSkips=true)
run_step tests 150 "$JAVA" "${JOPTS[@]}" "${SKIPS[@]}" -cp "$TCP" \
  dev.vitrail.encoders.tensor.GpuTestLauncher "${TESTS[@]}"
grep -h '^GPU-' "$LOGS/tests.log" | tee -a "$RESULTS"
grep -h -A3 'Failures (' "$LOGS/tests.log" | head -20 >> "$RESULTS"

# 5. Throughput, Vitrail vs HF transformers on the same device, one after the other.
if [[ $MODE == cpu ]]; then
  TINY="$RUN/test-classes/encoders/golden/models"
  CASES=("clip|$TINY/clip-tiny/config.json|1 4|--e2e|" "siglip|$TINY/siglip-tiny/config.json|1 4|"
    "qwen|$TINY/qwen2_5_vl-tiny/config.json|1|")
  JDTYPE=auto; HDTYPE=f32; ITERS=3; COMPILE=(); GRIDS="1,4,4;1,8,4"
else
  CFG="$ROOT/bench/gpu/configs"
  # case|config|batches|java extra|batches HF also runs under torch.compile (each compile costs
  # ~30-60 s of the budget, so only the large batches)
  CASES=("clip-b16|$CFG/clip-vit-base-patch16.json|1 32 256|--e2e|32 256"
    "clip-l14|$CFG/clip-vit-large-patch14.json|1 32 256||256"
    "siglip-so400m|$CFG/siglip-so400m-patch14-384.json|1 32 256||"
    "qwen-7b|$CFG/qwen2_5_vl-7b-vision.json|1||")
  JDTYPE=bf16; HDTYPE=bf16; ITERS=8; GRIDS="1,16,16;1,32,24;1,48,40;1,20,28;1,36,36;1,8,12"
fi
HAVE_HF=1
"$PYTHON" -c 'import torch, transformers' 2> /dev/null || { HAVE_HF=0; say "HF side skipped: $PYTHON has no torch/transformers"; }
for c in "${CASES[@]}"; do
  IFS='|' read -r name cfg batches e2e compile <<< "$c"
  # shellcheck disable=SC2086
  run_step "java-$name" 150 "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vitrail.bench.runtime.GpuBench \
    --config "$cfg" --device "$DEV" --dtype "$JDTYPE" --batch $batches --iters "$ITERS" \
    --warmup 2 --grids "$GRIDS" $e2e
  grep -h '^java \|^e2e ' "$LOGS/java-$name.log" | sed "s/^/$name /" | tee -a "$RESULTS"
  if [[ $HAVE_HF == 1 ]]; then
    hfdev=cuda; [[ $MODE == cpu ]] && hfdev=cpu
    # shellcheck disable=SC2086
    run_step "hf-$name" 200 "$PYTHON" "$ROOT/bench/gpu/hf_gpu_bench.py" --config "$cfg" \
      --device "$hfdev" --dtype "$HDTYPE" --batch $batches --iters "$ITERS" --grids "$GRIDS" \
      --deadline $((START + BUDGET_S - 30)) ${compile:+--compile --compile-batch $compile}
    grep -h '^hf ' "$LOGS/hf-$name.log" | sed "s/^/$name /" | tee -a "$RESULTS"
  fi
done

# 6. One table: Vitrail images/s against HF eager and compiled, per model and batch.
"$PYTHON" "$ROOT/bench/gpu/summarize.py" "$RESULTS" >> "$RESULTS" 2>&1 || say "(no summary: $PYTHON failed)"
say "total $(( $(date +%s) - START )) s of a $BUDGET_S s budget"
