package dev.vitrail.encoders.kimi;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * MoonViT's {@code divided_fixed} position embedding: the learned {@code [H, W, D]} table resized
 * bicubically (align_corners false, as {@code F.interpolate}) to each entry's patch grid, plus for
 * entries of more than one frame a fixed temporal sin/cos term per frame; owns its table.
 */
final class KimiPosEmbedding implements AutoCloseable {
  private final Tensor table; // [D, H, W]
  private final long height;
  private final long width;
  private final int maxFrames;

  private KimiPosEmbedding(Tensor table, long height, long width, int maxFrames) {
    this.table = table;
    this.height = height;
    this.width = width;
    this.maxFrames = maxFrames;
  }

  static KimiPosEmbedding load(WeightMap w, int height, int width, int dim, int maxFrames) {
    Tensor stored = w.take("patch_embed.pos_emb.weight", height, width, dim);
    try (PointerScope scope = new PointerScope()) {
      Tensor t = stored.permute(2, 0, 1).contiguous();
      t.retainReference();
      return new KimiPosEmbedding(t, height, width, maxFrames);
    } finally {
      stored.close();
    }
  }

  /** The terms added to an entry's {@code t·h·w} patch rows, {@code [t·h·w, D]}, float32. */
  Tensor forward(int t, int h, int w) {
    if (t > maxFrames) {
      throw new IllegalArgumentException(
          "an entry has " + t + " frames, more than pos_emb_time " + maxFrames);
    }
    long dim = table.size(0);
    Tensor spatial =
        h == height && w == width
            ? table
            : torch
                .upsample_bicubic2d(
                    table.unsqueeze(0),
                    new long[] {h, w},
                    false,
                    new DoubleOptional(),
                    new DoubleOptional())
                .squeeze(0);
    Tensor flat = spatial.permute(1, 2, 0).reshape((long) h * w, dim);
    if (t == 1) {
      return flat.to(torch.ScalarType.Float);
    }
    Tensor time = temporal(t, (int) dim).to(flat.device(), torch.ScalarType.Float);
    return flat.unsqueeze(0).add(time.unsqueeze(1)).reshape((long) t * h * w, dim);
  }

  /** Frame f: {@code [sin(f·ω_k) for k < D/2] ++ [cos(f·ω_k)]}, {@code ω_k = 10000^(-2k/D)}. */
  static Tensor temporal(int frames, int dim) {
    int half = dim / 2;
    float[] v = new float[frames * dim];
    for (int f = 0; f < frames; f++) {
      for (int k = 0; k < half; k++) {
        double omega = 1.0 / Math.pow(10000.0, 2.0 * k / dim);
        v[f * dim + k] = (float) Math.sin(f * omega);
        v[f * dim + half + k] = (float) Math.cos(f * omega);
      }
    }
    return torch.tensor(v).reshape(frames, dim);
  }

  @Override
  public void close() {
    table.releaseReference();
  }
}
