#!/usr/bin/env python3
"""CPU-time variant of ../shared/bench/hf_tower_bench.py for contended machines.

Builds the same random-weight HF tower with that script's own build() and inputs(), and prints, per
batch size, the median wall time and the median process CPU time per image (time.process_time).
With one thread per side, CPU time per image is what a quiet core would take, which keeps the
Java/HF ratio meaningful while other jobs share the cores.

Usage: python hf_tower_cputime.py --config CONFIG_JSON [--batch 1 8] [--iters 3] [--warmup 1] [--threads 1]
       [--grid T H W]   (grid only for qwen2_5_vl, in patches, as hf_tower_bench.py)
"""
import argparse, os, statistics, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
import torch  # noqa: E402
from hf_tower_bench import build, inputs  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--grid", type=int, nargs=3, default=[1, 16, 16])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    family, model, c = build(a.config, "sdpa")
    model.eval()
    with torch.inference_mode():
        for b in a.batch:
            args, kw = inputs(family, c, b, a.grid)
            for _ in range(a.warmup):
                model(*args, **kw)
            wall, cpu = [], []
            for _ in range(a.iters):
                c0, t0 = time.process_time(), time.perf_counter()
                model(*args, **kw)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - t0)
            w, p = statistics.median(wall), statistics.median(cpu)
            print(f"hf {family} batch={b} images_per_s={b / w:.3f} ms_per_batch={w * 1e3:.1f} "
                  f"cpu_ms_per_image={p * 1e3 / b:.1f} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
