package dev.vitrail.bench.encoders;

import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.weights.SafetensorsWriter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random F32 weights of a Qwen2.5-VL vision tower in the published layout ({@code visual.*}), so
 * benchmarks load through the real loader. Matrices are uniform with variance {@code 1/fan_in},
 * biases small, norm weights one.
 */
final class QwenRandomCheckpoint {
  private final List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
  private final SplittableRandom seeds;

  private QwenRandomCheckpoint(long seed) {
    seeds = new SplittableRandom(seed);
  }

  /** The tower's tensors for {@code c}, filled lazily when written. */
  static List<SafetensorsWriter.Tensor> tensors(Qwen25VisionConfig c, long seed) {
    QwenRandomCheckpoint w = new QwenRandomCheckpoint(seed);
    long h = c.hiddenSize();
    long inner = c.intermediateSize();
    long unitWidth = h * c.spatialMergeSize() * c.spatialMergeSize();
    w.matrix(
        "patch_embed.proj.weight",
        c.patchRowWidth(),
        h,
        c.inChannels(),
        c.temporalPatchSize(),
        c.patchSize(),
        c.patchSize());
    for (int b = 0; b < c.depth(); b++) {
      String p = "blocks." + b + ".";
      w.ones(p + "norm1.weight", h);
      w.linear(p + "attn.qkv", h, 3 * h);
      w.linear(p + "attn.proj", h, h);
      w.ones(p + "norm2.weight", h);
      w.linear(p + "mlp.gate_proj", h, inner);
      w.linear(p + "mlp.up_proj", h, inner);
      w.linear(p + "mlp.down_proj", inner, h);
    }
    w.ones("merger.ln_q.weight", h);
    w.linear("merger.mlp.0", unitWidth, unitWidth);
    w.linear("merger.mlp.2", unitWidth, c.outHiddenSize());
    return w.tensors;
  }

  private void linear(String name, long in, long out) {
    matrix(name + ".weight", in, out, in);
    fill(name + ".bias", 0.02, new long[] {out});
  }

  private void matrix(String name, long fanIn, long... shape) {
    fill(name, Math.sqrt(3.0 / fanIn), shape);
  }

  private void ones(String name, long n) {
    tensors.add(
        new SafetensorsWriter.Tensor(
            "visual." + name,
            "F32",
            new long[] {n},
            b -> {
              FloatBuffer f = b.asFloatBuffer();
              while (f.hasRemaining()) {
                f.put(1f);
              }
            }));
  }

  private void fill(String name, double bound, long[] shape) {
    long seed = seeds.nextLong();
    tensors.add(
        new SafetensorsWriter.Tensor(
            "visual." + name,
            "F32",
            shape,
            b -> {
              SplittableRandom rnd = new SplittableRandom(seed);
              FloatBuffer f = b.asFloatBuffer();
              float[] chunk = new float[8192];
              while (f.hasRemaining()) {
                int n = Math.min(chunk.length, f.remaining());
                for (int i = 0; i < n; i++) {
                  chunk[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                }
                f.put(chunk, 0, n);
              }
            }));
  }
}
