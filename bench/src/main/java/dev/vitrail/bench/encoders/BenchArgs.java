package dev.vitrail.bench.encoders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line settings of {@link TowerBench}. */
record BenchArgs(
    Path config,
    int[] batches,
    int iters,
    int warmup,
    int torchThreads,
    int blasThreads,
    int gemmSize,
    int[] grid,
    int workers,
    String dtype,
    String blas) {

  static BenchArgs parse(String[] args) {
    Path config = null;
    List<Integer> batches = new ArrayList<>();
    int iters = 5;
    int warmup = 1;
    int torch = 1;
    int blas = 2;
    int gemm = 2048;
    int[] grid = {1, 16, 16}; // Qwen2-VL style towers only: (t, h, w) in patches per image
    int workers = 1;
    String dtype = "f32";
    String blasLibrary = "auto";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = Path.of(args[++i]);
        case "--batch" -> {
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            batches.add(Integer.parseInt(args[++i]));
          }
        }
        case "--iters" -> iters = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--torch-threads" -> torch = Integer.parseInt(args[++i]);
        case "--blas-threads" -> blas = Integer.parseInt(args[++i]);
        case "--gemm" -> gemm = Integer.parseInt(args[++i]);
        case "--grid" ->
            grid =
                new int[] {
                  Integer.parseInt(args[++i]),
                  Integer.parseInt(args[++i]),
                  Integer.parseInt(args[++i])
                };
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--dtype" -> dtype = args[++i];
        case "--blas" -> blasLibrary = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (config == null) {
      throw new IllegalArgumentException("--config CONFIG_JSON is required");
    }
    if (batches.isEmpty()) {
      batches = List.of(1, 8);
    }
    return new BenchArgs(
        config,
        batches.stream().mapToInt(Integer::intValue).toArray(),
        iters,
        warmup,
        torch,
        blas,
        gemm,
        grid,
        workers,
        dtype,
        blasLibrary);
  }
}
