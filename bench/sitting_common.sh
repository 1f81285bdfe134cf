# Shared by the issue-15 sitting scripts (bench/*_sitting.sh), sourced after `set -euo pipefail`:
# runs from the repository root and defines VENV (the reference venv of ../shared/bench/setup.sh,
# default /tmp/vitrail-ref), B16 (the ViT-B/16 config), E (the benchmark environment: the
# machine's OpenBLAS overrides unset), `round_header N` and `row LABEL COMMAND...` (runs COMMAND
# and keeps its result lines; ROW_SED, when set, is applied to them).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${VENV:-/tmp/vitrail-ref}"
B16=../shared/bench/configs/clip-vit-base-patch16.json
E=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
round_header() { echo "## round $1 $(date -u +%H:%M) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
row() {
  echo "$1"
  shift
  "$@" 2>&1 | grep -E "batch=|accuracy" | sed "${ROW_SED:-}" || true
}
