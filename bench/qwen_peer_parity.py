#!/usr/bin/env python3
"""Qwen2.5-VL vision tower, Vitrail vs HF transformers on the SAME random weights and the SAME
preprocessed image: CPU time per forward and how far the features are apart.

  prepare --config CONFIG_JSON --dir DIR --size 448 [--size 1344]
      builds the HF tower with random weights (torch.manual_seed(0), HF's own initialisation), writes
      DIR/config.json and DIR/model.safetensors (float32, published names visual.*) for Vitrail's
      loader, and per size DIR/pixels-SIZE.f32 (raw little-endian float32 patch rows) made by
      transformers' Qwen2VLImageProcessor from samples/rgb_300x200.jpg resized to SIZE x SIZE
      (min_pixels = max_pixels = SIZE^2, so the grid is SIZE/14 x SIZE/14 patches).
  run --config CONFIG_JSON --dir DIR --size S --dtype f32|bf16 [--iters 2] [--threads 1]
      HF forward (sdpa) on those weights and pixels; prints CPU seconds per forward (median of
      --iters, time.process_time) and writes DIR/hf-DTYPE-S.f32 (merged image embeddings, float32).
  compare --dir DIR --size S --ref hf-f32 --other vitrail-f32 [...]
      per-token cosine (min, mean), max-abs and relative max-abs of each --other against --ref.

Vitrail's side: dev.vitrail.bench.encoders.QwenPeerRun (same DIR, pixels and grid; writes
DIR/vitrail-DTYPE-S.f32).
"""
import argparse, json, os, resource, statistics, sys, time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
from hf_tower_bench import build  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def prepare(a):
    from PIL import Image
    from safetensors.torch import save_file
    from transformers import Qwen2VLImageProcessor
    os.makedirs(a.dir, exist_ok=True)
    torch.manual_seed(0)
    _, model, c = build(a.config, "sdpa")
    sd = {"visual." + k: v.detach().to(torch.float32).contiguous() for k, v in model.state_dict().items()}
    save_file(sd, os.path.join(a.dir, "model.safetensors"), metadata={"format": "pt"})
    with open(a.config) as f, open(os.path.join(a.dir, "config.json"), "w") as g:
        g.write(f.read())
    del sd, model
    src = Image.open(os.path.join(HERE, "..", "samples", "rgb_300x200.jpg")).convert("RGB")
    for s in a.size:
        img = src.resize((s, s), Image.BICUBIC)
        p = Qwen2VLImageProcessor(min_pixels=s * s, max_pixels=s * s)
        out = p(images=[img], return_tensors="pt")
        x, grid = out["pixel_values"].to(torch.float32), out["image_grid_thw"].tolist()[0]
        x.numpy().astype("<f4").tofile(os.path.join(a.dir, f"pixels-{s}.f32"))
        print(f"size={s} pixel_values={list(x.shape)} grid={grid}", flush=True)


def run(a):
    from safetensors import safe_open
    torch.set_num_threads(a.threads)
    _, model, c = build(a.config, "sdpa")
    params = model.state_dict()
    with safe_open(os.path.join(a.dir, "model.safetensors"), "pt") as f:  # one tensor at a time
        keys = list(f.keys())
        if sorted(k[len("visual."):] for k in keys) != sorted(params):
            raise SystemExit("checkpoint and HF tower have different tensors")
        with torch.no_grad():
            for k in keys:
                params[k[len("visual."):]].copy_(f.get_tensor(k))
    del params
    model.eval()
    g = a.size // c.patch_size
    width = c.in_channels * c.temporal_patch_size * c.patch_size * c.patch_size
    x = torch.from_numpy(np.fromfile(os.path.join(a.dir, f"pixels-{a.size}.f32"), dtype="<f4").reshape(-1, width))
    grid = torch.tensor([[1, g, g]])
    if a.dtype == "bf16":
        model, x = model.to(torch.bfloat16), x.to(torch.bfloat16)
    cpu, wall = [], []
    with torch.inference_mode():
        for _ in range(a.iters):
            c0, t0 = time.process_time(), time.perf_counter()
            y = model(x, grid_thw=grid).pooler_output
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - t0)
            print(f"  hf-{a.dtype} size={a.size} cpu_s={cpu[-1]:.1f} wall_s={wall[-1]:.1f}", flush=True)
    y.to(torch.float32).numpy().astype("<f4").tofile(os.path.join(a.dir, f"hf-{a.dtype}-{a.size}.f32"))
    print(f"hf-{a.dtype} size={a.size} grid=1x{g}x{g} tokens={y.shape[0]}x{y.shape[1]} "
          f"cpu_s_per_image={statistics.median(cpu):.1f} (runs {', '.join(f'{v:.1f}' for v in cpu)}) "
          f"wall_s={statistics.median(wall):.1f} threads={torch.get_num_threads()} "
          f"max_rss_gib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} "
          f"torch={torch.__version__}", flush=True)


def compare(a):
    ref = np.fromfile(os.path.join(a.dir, f"{a.ref}-{a.size}.f32"), dtype="<f4").astype(np.float64)
    for o in a.other:
        v = np.fromfile(os.path.join(a.dir, f"{o}-{a.size}.f32"), dtype="<f4").astype(np.float64)
        if v.size != ref.size:
            print(f"{o} vs {a.ref} size={a.size}: {v.size} values, want {ref.size}")
            continue
        r, m = ref.reshape(-1, a.width), v.reshape(-1, a.width)
        cos = (r * m).sum(1) / np.sqrt((r * r).sum(1) * (m * m).sum(1))
        diff = np.abs(r - m).max()
        print(f"{o} vs {a.ref} size={a.size}: tokens={r.shape[0]} token_cos_min={cos.min():.6f} "
              f"token_cos_mean={cos.mean():.6f} max_abs={diff:.3g} max_abs/max|ref|={diff / np.abs(r).max():.3g}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["prepare", "run", "compare"])
    ap.add_argument("--config")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--size", type=int, nargs="+", default=[448])
    ap.add_argument("--dtype", default="f32", choices=["f32", "bf16"])
    ap.add_argument("--iters", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ref", default="hf-f32")
    ap.add_argument("--other", nargs="+", default=[])
    ap.add_argument("--width", type=int, default=3584)
    a = ap.parse_args()
    if a.what == "prepare":
        prepare(a)
        return
    a.size = a.size[0]
    run(a) if a.what == "run" else compare(a)


if __name__ == "__main__":
    main()
