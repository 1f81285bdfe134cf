package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.MachineCache;
import dev.vitrail.encoders.tensor.MlasLinear;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which float32 linear kernel multiplies fastest on one thread of this machine: times {@link
 * Linear}'s {@code DENSE} (the BLAS library), {@code ONEDNN} (oneDNN's packed inner product, when
 * libtorch has oneDNN) and {@code MLAS} (in the {@code -Pmlas} build) on the products of a two-way
 * shard of a ViT-B/16 layer at batch 1 (197 rows, 768 → 1536 and 1536 → 768, {@link #WEIGHTS}
 * distinct weights per shape cycled as a tower streams its layers), this thread's CPU time, best of
 * three passes, two rounds alternating the kernels. About two seconds, once per machine: the rates
 * are cached ({@link MachineCache}, keyed by the processor and the libtorch and ONNX Runtime
 * versions). Which kernel wins depends on the processor: on Zen 4 (AVX-512) oneDNN's and MLAS's
 * packed weights ran these shapes 1.12-1.21x OpenBLAS's rate, on Zen 3 (AVX2) oneDNN's was no
 * faster than OpenBLAS (BENCHMARKS.md, issue 15).
 */
public final class LinearKernelProbe {
  /** Rows of the probe's products: one 224-pixel ViT-B/16 image. */
  static final long ROWS = 197;

  /** {@code {in, out}} of the probe's products: fc1 and fc2 of a two-way shard of ViT-B/16. */
  static final long[][] SHAPES = {{768, 1536}, {1536, 768}};

  /** Distinct weights per shape: together larger than a core's L2 and most L3 slices. */
  static final int WEIGHTS = 6;

  private static final Logger LOG = LoggerFactory.getLogger(LinearKernelProbe.class);

  private static KernelRates known; // this process's, after the first call

  private LinearKernelProbe() {}

  /** The kernels this process can run for float32: DENSE, ONEDNN with oneDNN, MLAS with ORT. */
  static List<LinearKernel> candidates() {
    NativeTorch.load();
    List<LinearKernel> k = new ArrayList<>(List.of(LinearKernel.DENSE));
    if (torch.hasMKLDNN()) {
      k.add(LinearKernel.ONEDNN);
    }
    if (MlasLinear.available()) {
      k.add(LinearKernel.MLAS);
    }
    return k;
  }

  /**
   * The rates of this process's {@link #candidates}: remembered, else from the machine's cache,
   * else measured now on the calling thread (and cached).
   */
  public static synchronized KernelRates rates() {
    if (known == null) {
      List<LinearKernel> kernels = candidates();
      String versions =
          "pytorch-"
              + MachineCache.jarVersion("org.bytedeco.pytorch.Tensor")
              + ";onnxruntime-"
              + MachineCache.jarVersion("ai.onnxruntime.OrtEnvironment")
              + ";"
              + kernels;
      known =
          cachedOrMeasured(
              MachineCache.forThisMachine("linear-kernel-probe", versions),
              kernels,
              () -> measure(kernels, ROWS, SHAPES, WEIGHTS, 2));
    }
    return known;
  }

  /**
   * The rates of {@code kernels} that {@code cache} holds, else {@code measure}'s (then stored in
   * {@code cache} when it can be written).
   */
  static KernelRates cachedOrMeasured(
      MachineCache cache, List<LinearKernel> kernels, Supplier<KernelRates> measure) {
    Properties stored = cache.read();
    KernelRates rates = stored == null ? null : KernelRates.fromProperties(stored, kernels);
    if (rates != null) {
      return rates;
    }
    long t0 = System.nanoTime();
    rates = measure.get();
    LOG.info(
        "float32 linear kernels on one thread: {}; a split tower's shards take {} (probed in {}"
            + " ms, cached in {})",
        rates,
        rates.fastest(),
        (System.nanoTime() - t0) / 1_000_000,
        cache.file());
    try {
      cache.write(
          rates.toProperties(kernels),
          "single-thread float32 linear GFLOP/s per kernel (a split tower's shards)");
    } catch (UncheckedIOException unwritable) {
      // a read-only cache folder: the next start probes again, nothing else changes
    }
    return rates;
  }

  /**
   * Makes a layer of one kernel (taking ownership of the weight and bias, as {@link Linear#create}
   * does).
   */
  @FunctionalInterface
  interface LayerMaker {
    Linear make(Tensor weight, Tensor bias, LinearKernel kernel);
  }

  /**
   * Times {@code kernels} on {@code rows}-row products of {@code shapes} ({@code {in, out}}),
   * {@code weights} random weights each, on the calling thread at one libtorch and one BLAS thread
   * (the configured counts restored after); the best of {@code rounds} rounds of three passes per
   * kernel.
   */
  static KernelRates measure(
      List<LinearKernel> kernels, long rows, long[][] shapes, int weights, int rounds) {
    return measure(kernels, rows, shapes, weights, rounds, Linear::create);
  }

  /**
   * As {@link #measure(List, long, long[][], int, int)} with layers made by {@code maker}. A kernel
   * other than {@code DENSE} that fails to build or run is left out of the rates (logged), so that
   * a kernel this processor cannot run never keeps a tower from opening.
   */
  static KernelRates measure(
      List<LinearKernel> kernels,
      long rows,
      long[][] shapes,
      int weights,
      int rounds,
      LayerMaker maker) {
    NativeTorch.load();
    int torchThreads = NativeTorch.callerTorchThreads();
    NativeTorch.setCallerTorchThreads(1);
    int blasThreads = NativeTorch.configuredBlasThreads(); // 0: never configured, so 1
    if (blasThreads > 1) {
      NativeTorch.setBlasThreads(1); // a split tower's process runs BLAS on one thread anyway
    }
    Map<LinearKernel, Double> best = new EnumMap<>(LinearKernel.class);
    Map<LinearKernel, Linear[]> layers = new EnumMap<>(LinearKernel.class);
    try (PointerScope scope = new PointerScope()) {
      Tensor[] inputs = new Tensor[shapes.length];
      double flops = 0;
      for (int s = 0; s < shapes.length; s++) {
        inputs[s] = torch.randn(rows, shapes[s][0]);
        flops += 2.0 * rows * shapes[s][0] * shapes[s][1] * weights;
      }
      for (LinearKernel k : kernels) {
        Linear[] ls = null;
        try {
          ls = build(maker, k, shapes, weights);
          pass(ls, inputs, weights); // warm-up: pages, packing buffers; and does it run at all
          layers.put(k, ls);
        } catch (RuntimeException e) {
          closeAll(ls);
          if (k == LinearKernel.DENSE) {
            throw e;
          }
          LOG.warn("the {} linear kernel failed in the probe and is left out: {}", k, e.toString());
        }
      }
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<LinearKernel, Linear[]> e : layers.entrySet()) {
          Linear[] ls = e.getValue();
          pass(ls, inputs, weights); // warm again after the other kernels' passes
          long fastest = Long.MAX_VALUE;
          for (int p = 0; p < 3; p++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            pass(ls, inputs, weights);
            fastest = Math.min(fastest, Math.max(1, cpu.getCurrentThreadCpuTime() - t0));
          }
          best.merge(e.getKey(), flops / fastest, Math::max); // GFLOP/s: flops per ns
        }
      }
    } finally {
      layers.values().forEach(LinearKernelProbe::closeAll);
      NativeTorch.setCallerTorchThreads(torchThreads);
      if (blasThreads > 1) {
        NativeTorch.setBlasThreads(blasThreads);
      }
    }
    return new KernelRates(best);
  }

  private static Linear[] build(
      LayerMaker maker, LinearKernel kernel, long[][] shapes, int weights) {
    Linear[] ls = new Linear[shapes.length * weights];
    try {
      for (int i = 0; i < ls.length; i++) {
        long[] shape = shapes[i / weights];
        try (PointerScope scope = new PointerScope()) {
          Tensor weight = torch.randn(shape[1], shape[0]).mul(new Scalar(0.02));
          Tensor bias = torch.zeros(shape[1]);
          weight.retainReference();
          bias.retainReference();
          ls[i] = maker.make(weight, bias, kernel);
        }
      }
      return ls;
    } catch (RuntimeException e) {
      closeAll(ls);
      throw e;
    }
  }

  private static void closeAll(Linear[] ls) {
    if (ls != null) {
      for (Linear l : ls) {
        if (l != null) {
          l.close();
        }
      }
    }
  }

  private static void pass(Linear[] ls, Tensor[] inputs, int weights) {
    for (int i = 0; i < ls.length; i++) {
      try (PointerScope scope = new PointerScope()) {
        ls[i].forward(inputs[i / weights]);
      }
    }
  }
}
