#!/usr/bin/env python3
"""HF transformers side of bench/gpu-check.sh: the same random-weight towers on the same device.

Times what GpuBench times on the Java side: a CPU batch copied to the device, the forward pass, and
the features copied back (`.to(device)`, `model(...)`, `.float().cpu()`), median of --iters after
--warmup, CUDA synchronized by the copy back. Modes: `eager` (HF's SDPA attention) and `compile`
(torch.compile of the same module, compiled per batch shape, compile time excluded and printed).

Prints one line per (mode, batch):
  hf <family> mode=<eager|compile> device=<d> dtype=<dt> batch=<b> images_per_s=<x> ms_per_batch=<y>

Usage: hf_gpu_bench.py --config CONFIG_JSON [--device cuda] [--dtype bf16|f32] [--batch 1 32 256]
       [--iters 10] [--warmup 2] [--compile [--compile-batch 32 256]] [--grids "T,H,W;T,H,W"]
       [--deadline UNIX_SECONDS]
"""
import argparse, json, statistics, sys, time

import torch


def build(config_path, attn):
    cfg = json.load(open(config_path))
    mt = cfg.get("model_type", "")
    if mt in ("clip_vision_model", "clip"):
        from transformers import CLIPVisionConfig, CLIPVisionModel
        c = CLIPVisionConfig(**(cfg.get("vision_config", cfg)))
        c._attn_implementation = attn
        return "clip", CLIPVisionModel(c), c
    if mt in ("siglip_vision_model", "siglip"):
        from transformers import SiglipVisionConfig, SiglipVisionModel
        c = SiglipVisionConfig(**(cfg.get("vision_config", cfg)))
        c._attn_implementation = attn
        return "siglip", SiglipVisionModel(c), c
    if mt == "qwen2_5_vl":
        from transformers.models.qwen2_5_vl.configuration_qwen2_5_vl import Qwen2_5_VLVisionConfig
        from transformers.models.qwen2_5_vl.modeling_qwen2_5_vl import (
            Qwen2_5_VisionTransformerPretrainedModel)
        c = Qwen2_5_VLVisionConfig(**cfg["vision_config"])
        c._attn_implementation = attn
        return "qwen2_5_vl", Qwen2_5_VisionTransformerPretrainedModel(c), c
    raise SystemExit(f"unsupported model_type {mt!r}")


def first_tensor(out):
    if torch.is_tensor(out):
        return out
    for key in ("pooler_output", "last_hidden_state"):
        t = getattr(out, key, None)
        if torch.is_tensor(t):
            return t if key == "last_hidden_state" or out.last_hidden_state is None else t
    return out[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "f32"])
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 32, 256])
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--compile", action="store_true")
    ap.add_argument("--compile-batch", type=int, nargs="+", default=None,
                    help="compile only these batch sizes (default: every one)")
    ap.add_argument("--grids", default="1,16,16;1,32,24;1,48,40;1,20,28")
    ap.add_argument("--deadline", type=float, default=0, help="skip work started after this time")
    a = ap.parse_args()
    torch.manual_seed(0)
    dtype = torch.bfloat16 if a.dtype == "bf16" else torch.float32
    with torch.device(a.device):  # random init on the device: seconds, not minutes, for 7B towers
        family, model, c = build(a.config, "sdpa")
    model = model.to(device=a.device, dtype=dtype).eval()
    dev = torch.device(a.device)

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def run(fn, args, kw):
        out = fn(*[x.to(dev, dtype if x.is_floating_point() else x.dtype) for x in args],
                 **{k: v.to(dev) for k, v in kw.items()})
        return first_tensor(out).float().cpu()

    cases = []
    if family == "qwen2_5_vl":
        grids = [[int(x) for x in g.split(",")] for g in a.grids.split(";")]
        dim = c.in_channels * c.temporal_patch_size * c.patch_size * c.patch_size
        n = sum(t * h * w for t, h, w in grids)
        cases.append((len(grids), (torch.randn(n, dim),), {"grid_thw": torch.tensor(grids)}))
    else:
        for b in a.batch:
            cases.append((b, (torch.randn(b, c.num_channels, c.image_size, c.image_size),), {}))
    modes = ["eager"] + (["compile"] if a.compile else [])
    with torch.inference_mode():
        for mode in modes:
            for b, args, kw in cases:
                if a.deadline and time.time() > a.deadline:
                    print(f"hf {family} mode={mode} batch={b} skipped=deadline", flush=True)
                    continue
                fn = model
                compile_s = 0.0
                if mode == "compile" and a.compile_batch and b not in a.compile_batch:
                    continue
                if mode == "compile":
                    t0 = time.perf_counter()
                    fn = torch.compile(model, dynamic=False)
                    run(fn, args, kw)
                    sync()
                    compile_s = time.perf_counter() - t0
                try:
                    for _ in range(a.warmup):
                        run(fn, args, kw)
                    ms = []
                    for _ in range(a.iters):
                        t0 = time.perf_counter()
                        run(fn, args, kw)  # .cpu() waits for the device
                        ms.append((time.perf_counter() - t0) * 1e3)
                except torch.OutOfMemoryError as e:
                    print(f"hf {family} mode={mode} batch={b} error=oom {str(e).splitlines()[0]}")
                    torch.cuda.empty_cache()
                    continue
                m = statistics.median(ms)
                extra = f" compile_s={compile_s:.1f}" if mode == "compile" else ""
                if family == "qwen2_5_vl":
                    extra += f" grids={a.grids}"
                print(f"hf {family} mode={mode} device={a.device} dtype={a.dtype} batch={b} "
                      f"images_per_s={b / (m / 1e3):.1f} ms_per_batch={m:.2f}{extra} "
                      f"torch={torch.__version__}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
