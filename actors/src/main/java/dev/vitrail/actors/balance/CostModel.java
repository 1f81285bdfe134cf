package dev.vitrail.actors.balance;

/**
 * Estimated tower cost of one image from its patch count.
 *
 * <p>{@code cost = a·P + b·(f·P² + (1 − f)·P·min(W, P))}: linear work per patch (MLPs, projections)
 * plus attention, which is quadratic over each attention span. A fraction {@code f} of the blocks
 * attend over the whole image (span P); the others attend inside windows of {@code W} patches
 * (Qwen2.5-VL), costing {@code (P / W)·W² = P·W}. CLIP and SigLIP have {@code f = 1}.
 *
 * @param perPatch a, cost per patch
 * @param perPatchSquared b, cost per pair of patches attending to each other
 * @param windowPatches W, patches per attention window of the windowed blocks
 * @param fullAttentionFraction f, share of blocks with full attention, in [0, 1]
 */
public record CostModel(
    double perPatch, double perPatchSquared, long windowPatches, double fullAttentionFraction) {
  public CostModel {
    if (perPatch < 0 || perPatchSquared < 0 || !Double.isFinite(perPatch + perPatchSquared)) {
      throw new IllegalArgumentException(
          "cost coefficients must be finite and not negative, got a="
              + perPatch
              + " b="
              + perPatchSquared);
    }
    if (windowPatches < 1) {
      throw new IllegalArgumentException("window patches must be >= 1, got " + windowPatches);
    }
    if (!(fullAttentionFraction >= 0 && fullAttentionFraction <= 1)) {
      throw new IllegalArgumentException(
          "full-attention fraction must be in [0, 1], got " + fullAttentionFraction);
    }
  }

  /** A tower whose every block attends over the whole image (CLIP, SigLIP, Pixtral). */
  public static CostModel fullAttention(double perPatch, double perPatchSquared) {
    return new CostModel(perPatch, perPatchSquared, Long.MAX_VALUE, 1.0);
  }

  /**
   * A Qwen2.5-VL style tower: {@code fullBlocks} of {@code depth} blocks attend globally, the rest
   * inside windows of {@code windowPatches} patches.
   */
  public static CostModel windowed(
      double perPatch, double perPatchSquared, long windowPatches, int fullBlocks, int depth) {
    if (depth < 1 || fullBlocks < 0 || fullBlocks > depth) {
      throw new IllegalArgumentException(
          "need 0 <= full blocks <= depth and depth >= 1, got " + fullBlocks + " of " + depth);
    }
    return new CostModel(perPatch, perPatchSquared, windowPatches, (double) fullBlocks / depth);
  }

  /** Patch counts are the cost: vLLM's own (linear) load measure. */
  public static CostModel linear() {
    return fullAttention(1.0, 0.0);
  }

  /** Estimated cost of an image with {@code patches} patches. */
  public double cost(long patches) {
    double p = patches;
    double span = Math.min(windowPatches, patches);
    double attention = fullAttentionFraction * p * p + (1 - fullAttentionFraction) * p * span;
    return perPatch * p + perPatchSquared * attention;
  }

  /** Costs of many images. */
  public double[] costs(long[] patches) {
    double[] out = new double[patches.length];
    for (int i = 0; i < patches.length; i++) {
      out[i] = cost(patches[i]);
    }
    return out;
  }

  /**
   * Fits a and b by least squares to measured times, keeping this model's window and full-attention
   * fraction (a start-up calibration).
   *
   * @param patches patch counts of the timed images (at least two different ones)
   * @param seconds measured times
   */
  public CostModel fit(long[] patches, double[] seconds) {
    if (patches.length != seconds.length || patches.length < 2) {
      throw new IllegalArgumentException("calibration needs >= 2 paired samples");
    }
    CostModel unitA = new CostModel(1, 0, windowPatches, fullAttentionFraction);
    CostModel unitB = new CostModel(0, 1, windowPatches, fullAttentionFraction);
    double saa = 0, sab = 0, sbb = 0, say = 0, sby = 0;
    for (int i = 0; i < patches.length; i++) {
      double x1 = unitA.cost(patches[i]);
      double x2 = unitB.cost(patches[i]);
      saa += x1 * x1;
      sab += x1 * x2;
      sbb += x2 * x2;
      say += x1 * seconds[i];
      sby += x2 * seconds[i];
    }
    double det = saa * sbb - sab * sab;
    if (Math.abs(det) < 1e-12 * saa * sbb) {
      throw new IllegalArgumentException("calibration needs images of different patch counts");
    }
    double a = (say * sbb - sby * sab) / det;
    double b = (sby * saa - say * sab) / det;
    return new CostModel(Math.max(a, 0), Math.max(b, 0), windowPatches, fullAttentionFraction);
  }
}
