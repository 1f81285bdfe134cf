#!/usr/bin/env python3
"""Optional end-to-end check of `vitrail ec` against HuggingFace (reference venv; never run by the
Java suite): for every image listed in the JSON lines `vitrail ec` printed, HF's Qwen2VLImageProcessor
must give the same image_grid_thw, and HF's Qwen2.5-VL vision tower (same checkpoint, float32,
merger output cast to bf16) the same ec_cache rows as the file Vitrail wrote. RGBA images are put on
white first, as vLLM's ImageMediaIO does (vllm/multimodal/media/image.py, rgba_to_rgb).

  ./vitrail ec --model M --out EC samples/ > lines.jsonl
  python bench/ec_hf_parity.py M lines.jsonl samples EC
"""
import json
import pathlib
import sys

import safetensors.torch
import torch
from PIL import Image
from transformers import Qwen2VLImageProcessor
from transformers.models.qwen2_5_vl.configuration_qwen2_5_vl import Qwen2_5_VLVisionConfig
from transformers.models.qwen2_5_vl.modeling_qwen2_5_vl import (
    Qwen2_5_VisionTransformerPretrainedModel,
)


def main(model_dir, lines_file, images, ec):
    cfg = json.loads((model_dir / "config.json").read_text())
    vc = Qwen2_5_VLVisionConfig(**cfg["vision_config"])
    vc._attn_implementation = "sdpa"
    tower = Qwen2_5_VisionTransformerPretrainedModel(vc).eval()
    sd = safetensors.torch.load_file(str(model_dir / "model.safetensors"))
    tower.load_state_dict({k.split("visual.", 1)[1]: v for k, v in sd.items() if "visual." in k})
    pre = model_dir / "preprocessor_config.json"
    proc = Qwen2VLImageProcessor.from_pretrained(str(model_dir)) if pre.exists() else Qwen2VLImageProcessor()
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
        want = (o.pooler_output if hasattr(o, "pooler_output") else o).to(torch.bfloat16)
        got = safetensors.torch.load_file(str(ec / r["uuid"] / "encoder_cache.safetensors"))["ec_cache"]
        assert grid.tolist()[0] == r["image_grid_thw"], (grid.tolist(), r["image_grid_thw"])
        assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape)
        diff = (want.float() - got.float()).abs().max().item()
        same = (want.view(torch.int16) == got.view(torch.int16)).float().mean().item()
        print(f"{r['path']}: grid {r['image_grid_thw']} = HF, ec_cache {tuple(got.shape)}, "
              f"max |diff| {diff:.3g}, identical bf16 values {100 * same:.1f}%")


if __name__ == "__main__":
    main(*map(pathlib.Path, sys.argv[1:5]))
