#!/usr/bin/env python3
"""CPU-time variant of ../shared/bench/peers_bench.py for contended machines.

What CPU users would run instead of Vitrail, on the same random-weight HF tower (the shared
hf_tower_bench.py's build() and inputs()): HF transformers float32 and bfloat16, and ONNX Runtime
float32 on the tower exported to ONNX. Prints per (runtime, batch) the median wall time and the
median process CPU time per image (time.process_time), so that single-thread runs stay comparable
while other jobs share the cores.

Usage: python peers_cputime.py --config CONFIG_JSON [--batch 1 8] [--iters 3] [--warmup 1]
       [--threads 1] [--which hf32 hfbf16 ort] [--grid T H W]
Qwen2.5-VL vision configs (model_type qwen2_5_vl) run HF only (hf32, hfbf16), one image of --grid
patches per batch entry, as hf_tower_bench.py --grid.
"""
import argparse, os, statistics, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
import torch  # noqa: E402
from hf_tower_bench import build, inputs  # noqa: E402


def timed(fn, batch, iters, warmup):
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(iters):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    w, p = statistics.median(wall), statistics.median(cpu)
    return f"images_per_s={batch / w:.3f} ms_per_batch={w * 1e3:.1f} cpu_ms_per_image={p * 1e3 / batch:.1f}"


def onnx_session(model, x, path, threads):
    import onnxruntime as ort
    if not os.path.exists(path):
        class Tower(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, pixels):
                return self.m(pixel_values=pixels).last_hidden_state

        torch.onnx.export(Tower(model), (x,), path, input_names=["pixels"], output_names=["features"],
                          opset_version=17, dynamo=False,
                          dynamic_axes={"pixels": {0: "b"}, "features": {0: "b"}})
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"]), ort.__version__


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--which", nargs="+", default=["hf32", "hfbf16", "ort"])
    ap.add_argument("--grid", type=int, nargs=3, default=[1, 16, 16])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    family, model, c = build(a.config, "sdpa")
    model.eval()
    if family not in ("clip", "siglip"):
        qwen(model, c, family, a)
        return
    onnx = os.path.join(tempfile.gettempdir(), f"vitrail-peer-cpu-{family}-{os.path.basename(a.config)}.onnx")
    for b in a.batch:
        (x,), _ = inputs(family, c, b, None)
        if "hf32" in a.which:
            with torch.inference_mode():
                r = timed(lambda: model(pixel_values=x), b, a.iters, a.warmup)
            print(f"hf-f32 batch={b} {r} threads={a.threads}", flush=True)
        if "hfbf16" in a.which:
            mb, xb = model.to(torch.bfloat16), x.to(torch.bfloat16)
            with torch.inference_mode():
                r = timed(lambda: mb(pixel_values=xb), b, a.iters, a.warmup)
            print(f"hf-bf16 batch={b} {r} threads={a.threads}", flush=True)
            model.to(torch.float32)
        if "ort" in a.which:
            s, version = onnx_session(model, x, onnx, a.threads)
            xn = x.numpy()
            r = timed(lambda: s.run(None, {"pixels": xn}), b, a.iters, a.warmup)
            print(f"ort-f32 batch={b} {r} threads={a.threads} ort={version}", flush=True)


def qwen(model, c, family, a):
    """HF f32 / bf16 on one Qwen2.5-VL image of a.grid patches per batch entry."""
    for b in a.batch:
        (x,), kw = inputs(family, c, b, a.grid)
        if "hf32" in a.which:
            with torch.inference_mode():
                r = timed(lambda: model(x, **kw), b, a.iters, a.warmup)
            print(f"hf-f32 {family} grid={a.grid} batch={b} {r} threads={a.threads}", flush=True)
        if "hfbf16" in a.which:
            mb, xb = model.to(torch.bfloat16), x.to(torch.bfloat16)
            with torch.inference_mode():
                r = timed(lambda: mb(xb, **kw), b, a.iters, a.warmup)
            print(f"hf-bf16 {family} grid={a.grid} batch={b} {r} threads={a.threads}", flush=True)
            model.to(torch.float32)


if __name__ == "__main__":
    main()
