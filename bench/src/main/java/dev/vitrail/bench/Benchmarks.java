package dev.vitrail.bench;

import dev.vitrail.bench.encoders.CheckpointBench;
import dev.vitrail.bench.encoders.FunctionLayerBench;
import dev.vitrail.bench.encoders.LayerProfile;
import dev.vitrail.bench.encoders.OpProbe;
import dev.vitrail.bench.encoders.PreprocessBench;
import dev.vitrail.bench.encoders.QwenPeerRun;
import dev.vitrail.bench.encoders.QwenTowerBench;
import dev.vitrail.bench.encoders.TowerBench;
import dev.vitrail.bench.runtime.BalanceBench;
import dev.vitrail.bench.runtime.ClusterScalingBench;
import dev.vitrail.bench.runtime.DedupeBench;
import dev.vitrail.bench.runtime.EcBench;
import dev.vitrail.bench.runtime.GpuBench;
import dev.vitrail.bench.runtime.HttpBench;
import dev.vitrail.bench.runtime.LayoutBench;
import dev.vitrail.bench.runtime.MemoryBudgetProbe;
import dev.vitrail.bench.runtime.OverheadBench;
import dev.vitrail.bench.runtime.OverloadBench;
import dev.vitrail.bench.runtime.RefusalCostBench;
import dev.vitrail.bench.runtime.ScalingBench;
import dev.vitrail.bench.runtime.VideoDecodeBench;
import dev.vitrail.bench.runtime.VideoHttpBench;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark harnesses by name, for {@code vitrail bench NAME [ARGS...]}: the CLI finds this
 * class by name when the launcher has put the bench module on the class path, so that the product
 * modules never refer to benchmark code. Also runnable alone: {@code java -cp ...
 * dev.vitrail.bench.Benchmarks NAME [ARGS...]}.
 */
public final class Benchmarks {
  /** A harness's {@code main}. */
  @FunctionalInterface
  interface Harness {
    void run(String[] args) throws Exception;
  }

  private record Entry(String description, Harness harness) {}

  private static final Map<String, Entry> ALL = new LinkedHashMap<>();

  static {
    add("tower", "CLIP/SigLIP/Qwen2.5-VL tower throughput and GEMM share", TowerBench::main);
    add(
        "layer-profile",
        "ViT encoder layer ops timed one by one (wall and CPU), dense vs oneDNN linear",
        LayerProfile::main);
    add(
        "op-probe",
        "single-thread alternatives for attention, the linear GEMMs and the small ops, side by side",
        OpProbe::main);
    add(
        "qwen-tower",
        "Qwen2.5-VL tower throughput (tower, Qwen configs only)",
        QwenTowerBench::main);
    add(
        "qwen-peer",
        "Qwen2.5-VL tower on bench/qwen_peer_parity.py's weights and pixels (CPU time, features)",
        QwenPeerRun::main);
    add(
        "checkpoint-tower",
        "Pixtral / Kimi K2.5 / Qwen3-VL / SigLIP2 tower time on a checkpoint directory",
        CheckpointBench::main);
    add(
        "layout",
        "worker layouts (one-wide, per-core, auto): latency at 1 client, images/s at 8",
        LayoutBench::main);
    add("function", "feature selection and DP layouts", FunctionLayerBench::main);
    add("preprocess", "image decoding and processors", PreprocessBench::main);
    add("video-decode", "FFmpeg frame decoding", VideoDecodeBench::main);
    add("overhead", "embedded flow vs a bare tower loop", OverheadBench::main);
    add(
        "gpu",
        "tower throughput on one device (bench/gpu-check.sh), optionally end to end",
        GpuBench::main);
    add("balance", "lpt / cost / pull makespans", BalanceBench::main);
    add("http", "HTTP /v1/embeddings vs the embedded API", HttpBench::main);
    add(
        "dedupe",
        "HTTP latency of a repeated image (dedupe hit) vs a new one (miss)",
        DedupeBench::main);
    add("video-http", "POST /v1/video vs vitrail video frames/s", VideoHttpBench::main);
    add(
        "overload",
        "HTTP server at 1x and 4x capacity: statuses, latency, RSS",
        OverloadBench::main);
    add(
        "refusal",
        "server CPU per refused request (plain and Expect: 100-continue) and per admitted one",
        RefusalCostBench::main);
    add(
        "memory",
        "heap bytes per decoded pixel, body byte and item (HTTP memory budget)",
        MemoryBudgetProbe::main);
    add("ec", "VLM encoder tier: EC files written vs the tower", EcBench::main);
    add("scaling", "throughput over 1..8 simulated workers", ScalingBench::main);
    add(
        "cluster-scaling",
        "throughput over 1, 2, 4 simulated worker processes; kill -9 recovery",
        ClusterScalingBench::main);
  }

  private Benchmarks() {}

  private static void add(String name, String description, Harness harness) {
    ALL.put(name, new Entry(description, harness));
  }

  /** Every harness, name to what it measures, in a stable order. */
  public static Map<String, String> list() {
    Map<String, String> out = new LinkedHashMap<>();
    ALL.forEach((n, e) -> out.put(n, e.description()));
    return out;
  }

  /**
   * Runs harness {@code name} with {@code args}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static void run(String name, String[] args) throws Exception {
    Entry e = ALL.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no benchmark '" + name + "'; available: " + ALL.keySet());
    }
    e.harness().run(args);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("list")) {
      list().forEach((n, d) -> System.out.printf("%-16s %s%n", n, d));
      return;
    }
    run(args[0], Arrays.copyOfRange(args, 1, args.length));
  }
}
