package dev.vitrail.config.settings;

import java.util.List;

/**
 * {@code vitrail.workers.layout}, pure: how many CPU workers a layout runs and with which thread
 * pools. {@code fixed} keeps {@code count}, {@code torch-threads} and {@code blas-threads} as
 * configured; {@code one-wide} is one worker whose calls use every core; {@code per-core} is one
 * single-thread worker per core; {@code auto} starts per-core workers and lets a worker alone with
 * work use every core for its call (see {@code dev.vitrail.actors.worker.CoreGate}).
 */
public final class WorkerLayout {
  /** The layouts {@code vitrail.workers.layout} accepts. */
  public static final List<String> LAYOUTS = List.of("fixed", "auto", "one-wide", "per-core");

  /**
   * Workers and thread pools of a layout.
   *
   * @param workers CPU workers
   * @param torchThreads libtorch intra-op threads per worker
   * @param blasThreads BLAS threads of the process
   */
  public record Plan(int workers, int torchThreads, int blasThreads) {}

  private WorkerLayout() {}

  /**
   * Whether a wide call of {@code computeDtype} widens libtorch's intra-op pool (the oneDNN and
   * FBGEMM kernels of bf16, f16 and int8 use it) rather than the BLAS pool (float32 GEMMs).
   */
  public static boolean widensTorch(String computeDtype) {
    return !(computeDtype.equals("f32") || computeDtype.equals("auto"));
  }

  /**
   * The plan of a layout other than {@code fixed} on {@code cores} cores. Only one of the two pools
   * is ever above one thread.
   */
  public static Plan plan(String layout, int cores, String computeDtype) {
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be >= 1, got " + cores);
    }
    return switch (layout) {
      case "one-wide" -> widensTorch(computeDtype) ? new Plan(1, cores, 1) : new Plan(1, 1, cores);
      case "per-core", "auto" -> new Plan(cores, 1, 1);
      default -> throw new IllegalArgumentException("no plan for layout " + layout);
    };
  }

  /**
   * The plan for a tower that splits across cores (a float32 CLIP, SigLIP or SigLIP2 tower with
   * {@code tower-split} not {@code off}): {@code one-wide}'s OpenBLAS-wide float32 plan becomes
   * libtorch-wide with BLAS at one thread, which splits the tower one shard per core; every other
   * plan is returned as is. On two Zen 4 cores the split ran a ViT-B/16 at 1.14-1.40x the images/s
   * of one tower on two OpenBLAS threads at batch 1 and 1.13-1.24x at batch 8, on Zen 3 level with
   * it, and it keeps its speed beside other busy processes (BENCHMARKS.md, issue 15).
   */
  public static Plan forSplittableTower(String layout, Plan plan) {
    boolean blasWide = plan.torchThreads() == 1 && plan.blasThreads() > 1;
    return layout.equals("one-wide") && plan.workers() == 1 && blasWide
        ? new Plan(1, plan.blasThreads(), 1)
        : plan;
  }
}
