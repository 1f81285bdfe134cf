#!/usr/bin/env python3
"""Optional end-to-end check of `vitrail ec` on a Qwen3-VL checkpoint against HuggingFace (reference
venv; never run by the Java suite). For every image in the JSON lines `vitrail ec` printed: HF's
Qwen2VLImageProcessor with Qwen3-VL's settings (patch 16 / merge 2 / size bounds and mean = std =
0.5 unless preprocessor_config.json says otherwise) must give the same image_grid_thw, and
Qwen3VLVisionModel's merger output with its deepstack features concatenated on the last axis (what
vLLM's embed_multimodal returns and _compute_deepstack_embeds splits) the same ec_cache rows.

  ./vitrail ec --model M --out EC samples/ > lines.jsonl
  python bench/ec_hf_parity_qwen3.py M lines.jsonl samples EC
"""
import json
import pathlib
import sys

import safetensors.torch
import torch
from PIL import Image
from transformers import Qwen3VLConfig
from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil
from transformers.models.qwen3_vl.modeling_qwen3_vl import Qwen3VLVisionModel


def main(model_dir, lines_file, images, ec):
    cfg = json.loads((model_dir / "config.json").read_text())
    vc = Qwen3VLConfig(**{k: v for k, v in cfg.items() if k != "model_type"}).vision_config
    vc._attn_implementation = "eager"
    tower = Qwen3VLVisionModel(vc).eval()
    sd = safetensors.torch.load_file(str(model_dir / "model.safetensors"))
    tower.load_state_dict({k.split("visual.", 1)[1]: v for k, v in sd.items() if "visual." in k})
    pre_file = model_dir / "preprocessor_config.json"
    pre = json.loads(pre_file.read_text()) if pre_file.exists() else {}
    proc = Qwen2VLImageProcessorPil(
        patch_size=pre.get("patch_size", vc.patch_size),
        merge_size=pre.get("merge_size", vc.spatial_merge_size),
        temporal_patch_size=pre.get("temporal_patch_size", vc.temporal_patch_size),
        size=pre.get("size", {"shortest_edge": 65536, "longest_edge": 16777216}),
        image_mean=pre.get("image_mean", [0.5] * 3), image_std=pre.get("image_std", [0.5] * 3))
    for line in lines_file.read_text().splitlines():
        r = json.loads(line)
        img = Image.open(images / r["path"])
        if img.mode == "RGBA":
            bg = Image.new("RGB", img.size, (255, 255, 255))
            bg.paste(img, mask=img.split()[3])
            img = bg
        out = proc(images=img.convert("RGB"), return_tensors="pt")
        grid = out["image_grid_thw"]
        with torch.no_grad():
            o = tower(out["pixel_values"], grid_thw=grid)
        got = safetensors.torch.load_file(
            str(ec / r["uuid"] / "encoder_cache.safetensors"))["ec_cache"]
        want = torch.cat([o.pooler_output, *o.deepstack_features], dim=-1).to(got.dtype)
        assert grid.tolist()[0] == r["image_grid_thw"], (grid.tolist(), r["image_grid_thw"])
        assert got.shape == want.shape, (got.shape, want.shape)
        diff = (want.float() - got.float()).abs().max().item()
        same = (want == got).float().mean().item()
        print(f"{r['path']}: grid {r['image_grid_thw']} = HF, ec_cache {tuple(got.shape)} "
              f"{got.dtype}, max |diff| {diff:.3g}, identical values {100 * same:.1f}%")


if __name__ == "__main__":
    main(*map(pathlib.Path, sys.argv[1:5]))
