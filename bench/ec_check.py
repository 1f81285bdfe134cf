#!/usr/bin/env python3
"""Checks Vitrail's VLM encoder-tier outputs the way vLLM reads them (optional; needs torch and
safetensors, e.g. the reference venv). The Java test suite never runs this.

  python bench/ec_check.py --ec-dir DIR [--inline PARTS.jsonl] [--merge 2]

* Every DIR/<key>/encoder_cache.safetensors is loaded with
  safetensors.torch.load_file(path)["ec_cache"], exactly as vLLM's ECExampleConnector
  (vllm/distributed/ec_transfer/ec_connector/example_connector.py, start_load_caches) does; it must
  hold exactly one 2-D tensor named ec_cache.
* Every inline content part (one JSON object per line, as `vitrail ec --inline` writes them) is
  decoded as vLLM's ImageEmbeddingMediaIO does (vllm/multimodal/media/image.py: base64, then
  torch.load(..., weights_only=True)); image_embeds must be [grid_t*grid_h*grid_w / merge^2, hidden],
  image_grid_thw an int64 [1, 3]; when the EC file of the same uuid exists, the two tensors must be
  bit-identical.
Prints one line per item and exits 1 on the first mismatch.
"""
import argparse
import base64
import io
import json
import pathlib
import sys

import safetensors.torch
import torch


def load_ec(path):
    tensors = safetensors.torch.load_file(str(path))
    if list(tensors) != ["ec_cache"]:
        raise SystemExit(f"{path}: expected exactly one tensor ec_cache, got {list(tensors)}")
    t = tensors["ec_cache"]
    if t.ndim != 2:
        raise SystemExit(f"{path}: ec_cache must be [tokens, hidden], got {tuple(t.shape)}")
    return t


def load_b64(data):
    with torch.sparse.check_sparse_tensor_invariants():
        return torch.load(io.BytesIO(base64.b64decode(data, validate=True)), weights_only=True).to_dense()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ec-dir", type=pathlib.Path)
    ap.add_argument("--inline", type=pathlib.Path)
    ap.add_argument("--merge", type=int, default=2)
    a = ap.parse_args()
    files = sorted(a.ec_dir.glob("*/encoder_cache.safetensors")) if a.ec_dir else []
    for f in files:
        t = load_ec(f)
        print(f"ec   {f.parent.name[:16]}… {tuple(t.shape)} {t.dtype}")
    parts = a.inline.read_text().splitlines() if a.inline else []
    for line in parts:
        part = json.loads(line)
        assert part["type"] == "image_embeds", part["type"]
        fields = part["image_embeds"]
        embeds = load_b64(fields["image_embeds"])
        grid = load_b64(fields["image_grid_thw"])
        assert grid.dtype == torch.int64 and tuple(grid.shape) == (1, 3), (grid.dtype, grid.shape)
        rows = int(grid.prod()) // (a.merge * a.merge)
        assert embeds.ndim == 2 and embeds.shape[0] == rows, (tuple(embeds.shape), rows)
        same = ""
        if a.ec_dir:
            ec = a.ec_dir / part["uuid"] / "encoder_cache.safetensors"
            if ec.exists():
                t = load_ec(ec)
                if t.dtype != embeds.dtype or not torch.equal(t.view(torch.int16) if t.dtype.itemsize == 2 else t,
                                                              embeds.view(torch.int16) if embeds.dtype.itemsize == 2 else embeds):
                    raise SystemExit(f"{part['uuid']}: inline image_embeds differ from the EC file")
                same = ", bit-identical to its EC file"
        print(f"part {part['uuid'][:16]}… grid {grid.tolist()[0]} embeds {tuple(embeds.shape)} {embeds.dtype}{same}")
    print(f"ok: {len(files)} EC files, {len(parts)} inline parts")


if __name__ == "__main__":
    sys.exit(main())
