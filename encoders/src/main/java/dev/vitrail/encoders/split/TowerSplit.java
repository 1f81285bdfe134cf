package dev.vitrail.encoders.split;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.layers.KernelRates;
import dev.vitrail.encoders.layers.LinearKernelProbe;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.Locale;
import java.util.function.Supplier;
import org.bytedeco.pytorch.global.torch;

/**
 * Whether a CLIP/SigLIP tower's layers are split across cores ({@link SplitLayers}) and how many
 * ways: a float32 CPU tower opened after {@code NativeTorch.configureThreads(N > 1, 1)} (i.e.
 * {@code --threads N --blas-threads 1}) is split N ways, each thread multiplying its shard on one
 * core; {@link #PROPERTY}, else {@link #ENV}, overrides ({@code off}, {@code auto} or a number of
 * ways; an int8 or bf16 tower is split only by a number of ways).
 */
public final class TowerSplit {
  /** Environment variable: {@code off} (one tower on libtorch's pool) or the number of ways. */
  public static final String ENV = "VITRAIL_TOWER_SPLIT";

  /** System property taking precedence over {@link #ENV}. */
  public static final String PROPERTY = "vitrail.workers.tower-split";

  /** System property choosing the shards' linear kernel ({@code dense} or {@code onednn}). */
  public static final String KERNEL_PROPERTY = "vitrail.workers.tower-split-kernel";

  private static volatile String configured = "auto";

  private TowerSplit() {}

  /**
   * The {@code vitrail.workers.tower-split} setting ({@code auto} or {@code off}) for towers opened
   * from now on; {@link #PROPERTY} and {@link #ENV} still override it.
   */
  public static void select(String setting) {
    if (!setting.equals("auto") && !setting.equals("off")) {
      throw new IllegalArgumentException(
          "vitrail.workers.tower-split must be auto or off, got '" + setting + "'");
    }
    configured = setting;
  }

  /**
   * The linear kernel of a split tower's shards: int8 for an int8 target (each shard's slices
   * quantized per output channel), the target's own for bf16 (oneDNN's packed bf16 where it runs),
   * and for float32 {@link #KERNEL_PROPERTY} ({@code dense}, {@code onednn} or {@code mlas}) or
   * {@link ComputeTarget#linearKernelAskedFor()} (then the target's kernel) when either names one,
   * else the kernel {@link LinearKernelProbe} measured fastest on one thread of this machine.
   */
  public static LinearKernel kernel(ComputeTarget target) {
    return kernel(target, LinearKernelProbe::rates);
  }

  /**
   * As {@link #kernel(ComputeTarget)}, with {@code rates} asked only when nothing names a float32
   * kernel. The probe stands in for a rule per processor: at batch 1 the shards' products ran at
   * 1.12-1.21x OpenBLAS's rate through oneDNN's or MLAS's packed weights on Zen 4 (AVX-512), the
   * split tower at 1.10-1.21x OpenBLAS shards' images/s; on Zen 3 (AVX2) MLAS led by 1.16-1.30x and
   * oneDNN by nothing (BENCHMARKS.md, issue 15). A split tower is the batch-1 layout; per-core
   * workers serve batches.
   */
  static LinearKernel kernel(ComputeTarget target, Supplier<KernelRates> rates) {
    if (target.linearKernel() == LinearKernel.INT8) {
      return LinearKernel.INT8;
    }
    if (target.dtype() != torch.ScalarType.Float) {
      return target.linearKernel(); // bf16: oneDNN's packed bf16 where it runs
    }
    String p = System.getProperty(KERNEL_PROPERTY);
    if (p != null && !p.isBlank()) {
      return LinearKernel.named(p, KERNEL_PROPERTY);
    }
    if (ComputeTarget.linearKernelAskedFor() != null) {
      return target.linearKernel();
    }
    return rates.get().fastest();
  }

  /**
   * Whether a tower {@code config} describes, opened from now on, splits when given a wide libtorch
   * pool: a CLIP, SigLIP or SigLIP2 tower (the families whose layers are a {@code LayerStack}), and
   * the setting, {@link #PROPERTY} or {@link #ENV} not {@code off}.
   */
  public static boolean splits(VisionConfig config) {
    boolean family =
        config instanceof ClipVisionConfig
            || config instanceof SiglipVisionConfig
            || config instanceof Siglip2VisionConfig;
    return family && !setting().trim().equalsIgnoreCase("off");
  }

  private static String setting() {
    String p = System.getProperty(PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv(ENV);
    }
    return p == null || p.isBlank() ? configured : p;
  }

  /** The ways a tower of {@code target} is split; 1 for not split. */
  public static int ways(ComputeTarget target) {
    return ways(
        target,
        setting(),
        NativeTorch.intraOpPoolWide() ? NativeTorch.configuredTorchThreads() : 1);
  }

  /**
   * As {@link #ways(ComputeTarget)} with {@code setting} in place of the environment variable and
   * {@code auto} the ways of a wide intra-op pool. {@code auto} splits float32 towers only: an int8
   * tower on libtorch's pool ran 1.1x (batch 1) to 1.2x (batch 8) the split's images/s on two idle
   * cores, so int8 splits only when a number of ways is given (BENCHMARKS.md, fifth session); a
   * bf16 one ran batch 1 at 1.07x the pool's but batch 8 at 0.86-1.06x on two Zen 4 cores, so bf16
   * too (BENCHMARKS.md, bf16 on Zen 4).
   */
  static int ways(ComputeTarget target, String setting, int auto) {
    boolean splittable =
        target.isCpu()
            && (target.dtype() == torch.ScalarType.Float
                || target.dtype() == torch.ScalarType.BFloat16);
    if (setting == null || setting.isBlank() || setting.trim().equalsIgnoreCase("auto")) {
      boolean float32 = target.isCpu() && target.dtype() == torch.ScalarType.Float;
      return float32 && target.linearKernel() != LinearKernel.INT8 ? auto : 1;
    }
    String v = setting.trim().toLowerCase(Locale.ROOT);
    if (v.equals("off")) {
      return 1;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ENV + " must be off, auto or a number of ways, got " + v, e);
    }
    if (n < 1) {
      throw new IllegalArgumentException(ENV + " must be >= 1, got " + n);
    }
    return splittable ? n : 1;
  }
}
