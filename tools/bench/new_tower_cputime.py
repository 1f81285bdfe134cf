#!/usr/bin/env python3
"""HF side of the new towers' benchmark (Pixtral, Kimi K2.5, Qwen3-VL, SigLIP2), CPU time per image.

Builds the transformers 5.17 vision tower of a real geometry (configs/NAME.json) with random
weights, writes a checkpoint in the published layout to --out for Vitrail's side
(`vitrail bench checkpoint-tower OUT H W [T]`), then times the HF forward on one random input of
H x W patches (T frames) with sdpa attention: median wall and process CPU time per image
(time.process_time), as bench/hf_tower_cputime.py.

Usage: new_tower_cputime.py --config configs/NAME.json --out DIR --grid T H W [--iters 3]
       [--warmup 1] [--threads 1]
"""
import argparse, json, os, statistics, time

import torch
from safetensors.torch import save_file


def build(cfg):
    t = cfg["model_type"]
    v = cfg["vision_config"]
    if t == "llava":
        from transformers import PixtralVisionConfig, PixtralVisionModel
        vc = PixtralVisionConfig(**{k: x for k, x in v.items() if k != "model_type"})
        return "pixtral", PixtralVisionModel(vc), "vision_tower."
    if t == "qwen3_vl":
        from transformers import Qwen3VLConfig
        from transformers.models.qwen3_vl.modeling_qwen3_vl import Qwen3VLVisionModel
        return "qwen3_vl", Qwen3VLVisionModel(Qwen3VLConfig(vision_config=v).vision_config), "model.visual."
    if t == "siglip2":
        from transformers import Siglip2VisionConfig
        from transformers.models.siglip2.modeling_siglip2 import Siglip2VisionModel
        vc = Siglip2VisionConfig(**{k: x for k, x in v.items() if k != "model_type"})
        return "siglip2", Siglip2VisionModel(vc), "vision_model."
    if t == "kimi_k25":
        from transformers.models.kimi_k25 import Kimi_K25VisionConfig, Kimi_K25VisionModel
        vc = Kimi_K25VisionConfig(
            hidden_size=v["vt_hidden_size"], num_hidden_layers=v["vt_num_hidden_layers"],
            num_attention_heads=v["vt_num_attention_heads"], intermediate_size=v["vt_intermediate_size"],
            patch_size=v["patch_size"], pos_emb_height=v["init_pos_emb_height"],
            pos_emb_width=v["init_pos_emb_width"], pos_emb_time=v["init_pos_emb_time"])
        return "kimi_k25", Kimi_K25VisionModel(vc), None
    raise SystemExit(f"unsupported model_type {t}")


def kimi_published(v, g):
    """Random tensors under MoonViT's published names (the layout Vitrail loads)."""
    d, i, p = v["vt_hidden_size"], v["vt_intermediate_size"], v["patch_size"]
    r = lambda *s: torch.randn(*s, generator=g) * 0.02
    out = {"patch_embed.proj.weight": r(d, 3, p, p), "patch_embed.proj.bias": r(d),
           "patch_embed.pos_emb.weight": r(v["init_pos_emb_height"], v["init_pos_emb_width"], d),
           "encoder.final_layernorm.weight": 1 + r(d), "encoder.final_layernorm.bias": r(d)}
    for b in range(v["vt_num_hidden_layers"]):
        q = f"encoder.blocks.{b}."
        out.update({q + "norm0.weight": 1 + r(d), q + "norm0.bias": r(d), q + "wqkv.weight": r(3 * d, d),
                    q + "wqkv.bias": r(3 * d), q + "wo.weight": r(d, d), q + "wo.bias": r(d),
                    q + "norm1.weight": 1 + r(d), q + "norm1.bias": r(d), q + "mlp.fc0.weight": r(i, d),
                    q + "mlp.fc0.bias": r(i), q + "mlp.fc1.weight": r(d, i), q + "mlp.fc1.bias": r(d)})
    return {"vision_tower." + k: x for k, x in out.items()}


def inputs(family, cfg, t, h, w, g):
    v = cfg["vision_config"]
    if family == "pixtral":
        p = v["patch_size"]
        return {"pixel_values": torch.randn(1, 3, h * p, w * p, generator=g),
                "image_sizes": torch.tensor([[h * p, w * p]])}
    if family == "qwen3_vl":
        width = 3 * v["temporal_patch_size"] * v["patch_size"] ** 2
        return {"hidden_states": torch.randn(t * h * w, width, generator=g), "grid_thw": torch.tensor([[t, h, w]])}
    if family == "siglip2":
        n = h * w
        return {"pixel_values": torch.randn(1, n, 3 * v["patch_size"] ** 2, generator=g),
                "pixel_attention_mask": torch.ones(1, n, dtype=torch.long),
                "spatial_shapes": torch.tensor([[h, w]])}
    p = v["patch_size"]
    return {"pixel_values": torch.randn(t * h * w, 3, p, p, generator=g), "grid_thw": torch.tensor([[t, h, w]])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--grid", type=int, nargs=3, default=[1, 16, 16])
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = json.load(open(a.config))
    family, model, prefix = build(cfg)
    model.config._attn_implementation = "sdpa"
    model.eval()
    os.makedirs(a.out, exist_ok=True)
    json.dump(cfg, open(os.path.join(a.out, "config.json"), "w"), indent=1)
    g = torch.Generator().manual_seed(1)
    state = kimi_published(cfg["vision_config"], g) if prefix is None else {
        prefix + k: x.contiguous() for k, x in model.state_dict().items()}
    save_file(state, os.path.join(a.out, "model.safetensors"), metadata={"format": "pt"})
    del state
    t, h, w = a.grid
    kw = inputs(family, cfg, t, h, w, g)
    with torch.inference_mode():
        for _ in range(a.warmup):
            model(**kw)
        wall, cpu = [], []
        for _ in range(a.iters):
            c0, t0 = time.process_time(), time.perf_counter()
            model(**kw)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - t0)
    print(f"hf {family} grid={t}x{h}x{w} ms_per_image={statistics.median(wall) * 1e3:.1f} "
          f"cpu_ms_per_image={statistics.median(cpu) * 1e3:.1f} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
