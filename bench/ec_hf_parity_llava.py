#!/usr/bin/env python3
"""Optional end-to-end check of `vitrail ec` on a LLaVA checkpoint with a Pixtral tower against
HuggingFace (reference venv; never run by the Java suite). For every image listed in the JSON lines
`vitrail ec` printed: HF's PixtralImageProcessor (PIL backend, longest_edge = vision image_size,
patch = vision patch_size, as vLLM counts the placeholders) must give the same patch grid, and
LlavaForConditionalGeneration.get_image_features (float32, vision_feature_layer and strategy from
config.json, i.e. the multi_modal_projector output), cast to bf16, the same ec_cache rows as the
file Vitrail wrote. RGBA images are put on white first, as vLLM's ImageMediaIO does.

  ./vitrail ec --model M --out EC samples/ > lines.jsonl
  python bench/ec_hf_parity_llava.py M lines.jsonl samples EC
"""
import json
import pathlib
import sys

import safetensors.torch
import torch
from PIL import Image
from transformers import LlavaForConditionalGeneration
from transformers.models.pixtral.image_processing_pil_pixtral import PixtralImageProcessorPil


def main(model_dir, lines_file, images, ec):
    cfg = json.loads((model_dir / "config.json").read_text())
    vc = cfg["vision_config"]
    model = LlavaForConditionalGeneration.from_pretrained(
        str(model_dir), torch_dtype=torch.float32, attn_implementation="eager").eval()
    proc = PixtralImageProcessorPil(
        size={"longest_edge": vc["image_size"]},
        patch_size={"height": vc["patch_size"], "width": vc["patch_size"]})
    worst = 0.0
    for line in lines_file.read_text().splitlines():
        r = json.loads(line)
        img = Image.open(images / r["path"])
        if img.mode == "RGBA":
            bg = Image.new("RGB", img.size, (255, 255, 255))
            bg.paste(img, mask=img.split()[3])
            img = bg
        out = proc(images=[img.convert("RGB")], return_tensors="pt")
        h, w = out["image_sizes"][0].tolist()
        p = vc["patch_size"]
        assert [1, h // p, w // p] == r["image_grid_thw"], ((h, w), r["image_grid_thw"])
        with torch.no_grad():
            feats = model.get_image_features(
                pixel_values=out["pixel_values"], image_sizes=out["image_sizes"],
                vision_feature_layer=cfg.get("vision_feature_layer", -1),
                vision_feature_select_strategy=cfg.get("vision_feature_select_strategy", "full"))
        feats = feats.pooler_output if hasattr(feats, "pooler_output") else feats
        want = torch.cat(list(feats), 0).to(torch.bfloat16)
        got = safetensors.torch.load_file(
            str(ec / r["uuid"] / "encoder_cache.safetensors"))["ec_cache"]
        assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape)
        diff = (want.float() - got.float()).abs().max().item()
        worst = max(worst, diff)
        same = (want.view(torch.int16) == got.view(torch.int16)).float().mean().item()
        print(f"{r['path']}: grid {r['image_grid_thw']} = HF, ec_cache {tuple(got.shape)}, "
              f"max |diff| {diff:.3g}, identical bf16 values {100 * same:.1f}%")
    print(f"worst max |diff| {worst:.3g}")


if __name__ == "__main__":
    main(*map(pathlib.Path, sys.argv[1:5]))
