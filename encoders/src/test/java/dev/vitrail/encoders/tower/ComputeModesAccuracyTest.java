package dev.vitrail.encoders.tower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.split.TowerSplit;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.weights.Checkpoint;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every compute mode against the goldens (HF float32 outputs) of the CLIP and SigLIP fixtures, on
 * the last hidden state (per token) and the pooled embedding: f32 within 1e-4 (also through the
 * oneDNN pre-packed linear kernel), bf16 per-token cosine ≥ 0.999 and pooled ≥ 0.9995, int8
 * per-token cosine ≥ 0.99 (bf16 and int8: one tower, and one split across two threads).
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ComputeModesAccuracyTest {
  @ParameterizedTest
  @ValueSource(strings = {"clip-tiny", "siglip-tiny"})
  void f32ThroughEitherLinearKernelMatchesTheGoldens(String model) {
    for (LinearKernel kernel :
        new LinearKernel[] {LinearKernel.DENSE, LinearKernel.ONEDNN, LinearKernel.MLAS}) {
      Errors e = run(model, new ComputeTarget("cpu", torch.ScalarType.Float, null, kernel));
      assertTrue(e.maxAbs <= 1e-4, model + " f32 " + kernel + ": max-abs " + e.maxAbs);
      assertTrue(e.minTokenCosine >= 0.99999, model + " f32 " + kernel + ": " + e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"clip-tiny", "siglip-tiny"})
  void bf16StaysWithinItsTolerance(String model) {
    for (String split : new String[] {"off", "2"}) { // one tower, and split across two threads
      Errors e = runSplit(model, new ComputeTarget("cpu", torch.ScalarType.BFloat16, null), split);
      assertTrue(e.minTokenCosine >= 0.999, model + " bf16, split " + split + ": " + e);
      assertTrue(e.pooledCosine >= 0.9995, model + " bf16, split " + split + ": " + e);
      assertTrue(e.maxAbs > 0, "bf16 must not be a float32 run in disguise");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"clip-tiny", "siglip-tiny"})
  void int8StaysWithinItsTolerance(String model) {
    for (String split : new String[] {"off", "2"}) { // one tower, and split across two threads
      Errors e =
          runSplit(
              model,
              new ComputeTarget("cpu", torch.ScalarType.Float, null, LinearKernel.INT8),
              split);
      assertTrue(e.minTokenCosine >= 0.99, model + " int8, split " + split + ": " + e);
      assertTrue(e.pooledCosine >= 0.99, model + " int8, split " + split + ": " + e);
      assertTrue(e.maxAbs > 0, "int8 must not be a float32 run in disguise");
    }
  }

  /** How far one mode's outputs are from the golden float32 outputs. */
  record Errors(double maxAbs, double minTokenCosine, double pooledCosine) {}

  /** {@link #run} with the tower split as {@code split} says ({@code off} or a number of ways). */
  private static Errors runSplit(String model, ComputeTarget target, String split) {
    System.setProperty(TowerSplit.PROPERTY, split);
    try {
      return run(model, target);
    } finally {
      System.clearProperty(TowerSplit.PROPERTY);
    }
  }

  private static Errors run(String model, ComputeTarget target) {
    Path dir = Fixtures.file("models/" + model);
    VisionConfig config = HfConfigs.read(dir);
    try (Checkpoint weights = Checkpoint.open(dir.resolve("model.safetensors"));
        Checkpoint io = Checkpoint.open(dir.resolve("io.safetensors"));
        VisionTower tower = FeatureEncoders.loadTower(weights, config, target);
        PointerScope scope = new PointerScope()) {
      Tensor pixels = target.place(io.view("pixel_values").contiguous());
      try (TowerOutput out = tower.forward(pixels, false)) {
        Tensor want = io.view("last_hidden_state");
        Tensor got = out.lastHiddenState();
        assertEquals(want.size(-1), got.size(-1));
        double maxAbs = maxAbs(HostTensors.download(want), HostTensors.download(got));
        double tokens = minRowCosine(want, got);
        double pooled = minRowCosine(io.view("pooler_output"), out.pooled());
        return new Errors(maxAbs, tokens, pooled);
      }
    }
  }

  private static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** The smallest cosine between matching rows (tokens, or pooled embeddings) of two tensors. */
  private static double minRowCosine(Tensor want, Tensor got) {
    float[] w = HostTensors.download(want);
    float[] g = HostTensors.download(got);
    int width = Math.toIntExact(want.size(-1));
    double min = 1;
    for (int row = 0; row < w.length / width; row++) {
      double dot = 0;
      double nw = 0;
      double ng = 0;
      for (int i = row * width; i < (row + 1) * width; i++) {
        dot += (double) w[i] * g[i];
        nw += (double) w[i] * w[i];
        ng += (double) g[i] * g[i];
      }
      min = Math.min(min, dot / Math.sqrt(nw * ng));
    }
    return min;
  }
}
