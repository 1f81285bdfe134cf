#!/usr/bin/env python3
"""ONNX Runtime's own best CPU setting for a batch, so that Vitrail is compared with the peer's best.

Times the exported HF tower (the same ONNX file ../shared/bench/peers_bench.py writes and reuses) in
several ONNX Runtime configurations on the same cores, interleaved round by round so that a drifting
load hits every configuration alike:

  one-session       one session, intra_op_num_threads = --threads (peers_bench.py's setting)
  one-session-nospin  the same with session.intra_op.allow_spinning = 0
  per-core-sessions  --threads sessions of one thread each, the batch split between them and run
                     from as many Python threads at once (ORT releases the GIL while it runs); the
                     peer's counterpart of Vitrail's per-core towers

Prints per configuration the median wall time per batch as images/s and the median process CPU time
per image, one line each: `ort <name> batch=<b> images_per_s=<x> cpu_ms_per_image=<y> rounds=<n>`.

Usage: python ort_settings.py --config CONFIG_JSON [--batch 8] [--threads 2] [--rounds 5]
       [--which one-session one-session-nospin per-core-sessions]
Needs the reference venv (torch, transformers, onnxruntime); CLIP and SigLIP configs only.
"""
import argparse, os, statistics, sys, tempfile, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
import numpy as np  # noqa: E402
import torch  # noqa: E402
from hf_tower_bench import build, inputs  # noqa: E402


def export(model, x, path):
    if os.path.exists(path):
        return

    class Tower(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, pixels):
            return self.m(pixel_values=pixels).last_hidden_state

    torch.onnx.export(Tower(model), (x,), path, input_names=["pixels"], output_names=["features"],
                      opset_version=17, dynamo=False,
                      dynamic_axes={"pixels": {0: "b"}, "features": {0: "b"}})


def session(ort, path, threads, spin):
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
    if not spin:
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def runner(ort, path, name, threads, xn):
    if name == "one-session":
        s = session(ort, path, threads, True)
        return lambda: s.run(None, {"pixels": xn})
    if name == "one-session-nospin":
        s = session(ort, path, threads, False)
        return lambda: s.run(None, {"pixels": xn})
    if name == "per-core-sessions":
        sessions = [session(ort, path, 1, True) for _ in range(threads)]
        b = xn.shape[0]
        parts = [np.ascontiguousarray(xn[b * i // threads: b * (i + 1) // threads]) for i in range(threads)]

        def run():
            out = [None] * threads

            def one(i):
                if parts[i].shape[0]:
                    out[i] = sessions[i].run(None, {"pixels": parts[i]})

            ts = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            return out

        return run
    raise SystemExit(f"unknown configuration {name}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--which", nargs="+", default=["one-session", "one-session-nospin", "per-core-sessions"])
    a = ap.parse_args()
    import onnxruntime as ort
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    family, model, c = build(a.config, "sdpa")
    if family not in ("clip", "siglip"):
        raise SystemExit("ort_settings.py times fixed-size towers (clip, siglip) only")
    model.eval()
    (x,), _ = inputs(family, c, a.batch, None)
    path = os.path.join(tempfile.gettempdir(), f"vitrail-peer-{family}-{os.path.basename(a.config)}.onnx")
    export(model, x, path)
    del model
    xn = x.numpy()
    runs = {name: runner(ort, path, name, a.threads, xn) for name in a.which}
    for fn in runs.values():
        fn()  # warm-up
    wall = {n: [] for n in runs}
    cpu = {n: [] for n in runs}
    for _ in range(a.rounds):
        for n, fn in runs.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            cpu[n].append(time.process_time() - c0)
            wall[n].append(time.perf_counter() - t0)
    for n in runs:
        w, p = statistics.median(wall[n]), statistics.median(cpu[n])
        print(f"ort {n} batch={a.batch} images_per_s={a.batch / w:.3f} cpu_ms_per_image={p * 1e3 / a.batch:.1f}"
              f" rounds={a.rounds} threads={a.threads} ort={ort.__version__}", flush=True)


if __name__ == "__main__":
    main()
