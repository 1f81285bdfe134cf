#!/usr/bin/env bash
# Optional: the official OpenAI Node SDK (npm "openai" 4.x) against `./vitrail serve` on a model
# directory (default: the CLIP-tiny test fixture), with an API key. Needs node and npm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:-$ROOT/models/clip-tiny}"
PORT="${PORT:-18419}"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
(cd "$WORK" && npm install --silent --no-audit --no-fund openai@4 >/dev/null)
cp "$ROOT/clients/openai-check.js" "$WORK/"
VITRAIL_API_KEYS=sk-one "$ROOT/vitrail" serve --model "$MODEL" --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do grep -q "serving '" "$WORK/serve.log" && break; sleep 1; done
(cd "$WORK" && node openai-check.js "$PORT" "$ROOT/samples/rgb_17x23.png")
