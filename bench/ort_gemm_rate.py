#!/usr/bin/env python3
"""One-thread ONNX Runtime GEMM rate at a ViT-B/16 layer's four linear shapes: the peer figure
beside `vitrail bench op-probe mkl-gemm`.

Shapes: fused q/k/v 768->2304, out-projection 768->768, fc1 768->3072, fc2 3072->768, at 197*B
rows, 12 distinct weights per shape (a tower streams its layers' weights from memory). ONNX Runtime
runs them as MatMul + Add on constant initializers, as in the exported HF tower (MLAS packs such
weights once, at session start); torch.nn.functional.linear (the venv's torch, its own BLAS) runs
the same data in the same rounds. Reports process CPU time per shape (min, median over the rounds),
GFLOP/s, and each side's total over the four shapes per round.

Usage (reference venv): python bench/ort_gemm_rate.py [BATCH=1] [ROUNDS=9]
"""
import sys
import time

import numpy as np
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper

ROWS, LAYERS = 197, 12
SHAPES = [(768, 2304), (768, 768), (768, 3072), (3072, 768)]  # (in, out)


def ort_session(m, k, weights, bias):
    """A graph of 12 independent x @ w_l + bias products over one input, on one thread."""
    inits = [numpy_helper.from_array(bias, "bias")]
    nodes = []
    for layer, w in enumerate(weights):
        inits.append(numpy_helper.from_array(w, f"w{layer}"))
        nodes.append(helper.make_node("MatMul", ["x", f"w{layer}"], [f"m{layer}"]))
        nodes.append(helper.make_node("Add", [f"m{layer}", "bias"], [f"y{layer}"]))
    n = weights[0].shape[1]
    graph = helper.make_graph(
        nodes,
        "linears",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, m, k])],
        [helper.make_tensor_value_info(f"y{i}", TensorProto.FLOAT, [1, m, n]) for i in range(LAYERS)],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    torch.set_num_threads(1)
    m = ROWS * batch
    rng = np.random.default_rng(0)
    alts = {}  # name -> (callable, flop)
    for k, n in SHAPES:
        x = rng.standard_normal((1, m, k), dtype=np.float32)
        weights = [rng.standard_normal((k, n), dtype=np.float32) for _ in range(LAYERS)]
        bias = rng.standard_normal(n, dtype=np.float32)
        session = ort_session(m, k, weights, bias)
        tx, tb = torch.from_numpy(x[0]), torch.from_numpy(bias)
        tw = [torch.from_numpy(w.T.copy()) for w in weights]
        flop = 2.0 * m * k * n * LAYERS
        key = f"{m}x{k} -> {n} (x{LAYERS})"
        alts[f"{key}: ORT MatMul+Add"] = (lambda s=session, x=x: s.run(None, {"x": x}), flop)
        alts[f"{key}: torch linear"] = (
            lambda tx=tx, tw=tw, tb=tb: [torch.nn.functional.linear(tx, w, tb) for w in tw],
            flop,
        )
    times = {name: [] for name in alts}
    for r in range(-1, rounds):  # round -1 warms up
        for name, (run, _) in alts.items():
            c0 = time.process_time()
            run()
            cpu_ms = (time.process_time() - c0) * 1e3
            if r >= 0:
                times[name].append(cpu_ms)
    for name, ms in times.items():
        flop, s = alts[name][1], sorted(ms)
        lo, med = s[0], s[len(s) // 2]
        print(f"{name:44s} CPU ms min {lo:7.1f} median {med:7.1f}, "
              f"GFLOP/s best {flop / lo / 1e6:6.1f} median {flop / med / 1e6:6.1f}")
    for method in ("ORT MatMul+Add", "torch linear"):
        per_round = np.sum([ms for name, ms in times.items() if name.endswith(method)], axis=0)
        print(f"all four shapes: {method:16s} CPU ms min {per_round.min():7.1f} "
              f"median {np.median(per_round):7.1f}")


if __name__ == "__main__":
    main()
