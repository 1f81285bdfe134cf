package dev.vitrail.runtime.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vitrail bench NAME [ARGS...]}: runs one of the benchmark harnesses on the class path,
 * passing the remaining arguments to its {@code main}. {@code vitrail bench list} names them.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark harness (vitrail bench list shows those in this build).",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = {"  vitrail bench list", "  vitrail bench http models/clip-tiny 5 25 8 4 224"})
final class BenchCommand implements Callable<Integer> {
  /**
   * Benchmark name to main class and what it measures; only those on the class path are offered.
   */
  static final Map<String, String[]> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put(
        "tower",
        new String[] {
          "dev.vitrail.encoders.bench.TowerBench", "CLIP/SigLIP tower throughput and GEMM share"
        });
    KNOWN.put(
        "qwen-tower",
        new String[] {"dev.vitrail.encoders.bench.QwenTowerBench", "Qwen2.5-VL tower throughput"});
    KNOWN.put(
        "checkpoint-tower",
        new String[] {
          "dev.vitrail.encoders.bench.CheckpointBench",
          "Pixtral / Kimi K2.5 / Qwen3-VL / SigLIP2 tower time on a checkpoint directory"
        });
    KNOWN.put(
        "function",
        new String[] {
          "dev.vitrail.encoders.bench.FunctionLayerBench", "feature selection and DP layouts"
        });
    KNOWN.put(
        "preprocess",
        new String[] {
          "dev.vitrail.encoders.bench.PreprocessBench", "image decoding and processors"
        });
    KNOWN.put(
        "video-decode",
        new String[] {"dev.vitrail.runtime.bench.VideoDecodeBench", "FFmpeg frame decoding"});
    KNOWN.put(
        "overhead",
        new String[] {
          "dev.vitrail.runtime.bench.OverheadBench", "embedded flow vs a bare tower loop"
        });
    KNOWN.put(
        "gpu",
        new String[] {
          "dev.vitrail.runtime.bench.GpuBench",
          "tower throughput on one device (bench/gpu-check.sh), optionally end to end"
        });
    KNOWN.put(
        "balance",
        new String[] {"dev.vitrail.runtime.bench.BalanceBench", "lpt / cost / pull makespans"});
    KNOWN.put(
        "http",
        new String[] {
          "dev.vitrail.runtime.bench.HttpBench", "HTTP /v1/embeddings vs the embedded API"
        });
    KNOWN.put(
        "overload",
        new String[] {
          "dev.vitrail.runtime.bench.OverloadBench",
          "HTTP server at 1x and 4x capacity: statuses, latency, RSS"
        });
    KNOWN.put(
        "ec",
        new String[] {
          "dev.vitrail.runtime.bench.EcBench", "VLM encoder tier: EC files written vs the tower"
        });
    KNOWN.put(
        "scaling",
        new String[] {
          "dev.vitrail.runtime.bench.ScalingBench", "throughput over 1..8 simulated workers"
        });
    KNOWN.put(
        "cluster-scaling",
        new String[] {
          "dev.vitrail.runtime.bench.ClusterScalingBench",
          "throughput over 1, 2, 4 simulated worker processes; kill -9 recovery"
        });
  }

  @Parameters(index = "0", paramLabel = "NAME", description = "Benchmark name, or 'list'.")
  String name;

  @Unmatched List<String> args = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The benchmarks whose classes are in this build, name to description. */
  static Map<String, String> available() {
    Map<String, String> out = new LinkedHashMap<>();
    KNOWN.forEach(
        (n, v) -> {
          if (mainClass(v[0]) != null) {
            out.put(n, v[1]);
          }
        });
    return out;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> available = available();
    if (name.equals("list")) {
      available.forEach((n, d) -> spec.commandLine().getOut().printf("%-14s %s%n", n, d));
      return 0;
    }
    String[] known = KNOWN.get(name);
    Class<?> cls = known == null ? null : mainClass(known[0]);
    if (cls == null) {
      throw new CliException(
          "no benchmark '" + name + "' in this build; available: " + available.keySet());
    }
    try {
      cls.getMethod("main", String[].class).invoke(null, (Object) args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    return 0;
  }

  private static Class<?> mainClass(String className) {
    try {
      return Class.forName(className, false, BenchCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
