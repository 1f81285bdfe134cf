package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.nio.file.Path;
import java.util.List;

/**
 * How far a compute mode's features are from a float32 tower's on the same checkpoint and images:
 * per-token cosine (smallest and mean) and max-abs on the last hidden state (no post-norm, all
 * tokens), and the cosine of the pooled embeddings.
 */
final class ModeAccuracy {
  private static final FeatureSpec TOKENS = new FeatureSpec(List.of(), "full", false, false);
  private static final FeatureSpec POOLED = new FeatureSpec(List.of(), null, true, true);

  private ModeAccuracy() {}

  /** One line comparing {@code mode} with a float32 tower opened from {@code dir}. */
  static String against(Path dir, FeatureEncoder mode, List<PixelInput> images) {
    List<FeatureOutput> tokens = mode.encode(images, TOKENS);
    List<FeatureOutput> pooled = mode.encode(images, POOLED);
    List<FeatureOutput> refTokens;
    List<FeatureOutput> refPooled;
    try (FeatureEncoder f32 = FeatureEncoders.open(dir, EncoderOptions.cpu())) {
      refTokens = f32.encode(images, TOKENS);
      refPooled = f32.encode(images, POOLED);
    }
    double minCos = 1;
    double sumCos = 0;
    int rows = 0;
    double maxAbs = 0;
    double pooledCos = 1;
    for (int i = 0; i < images.size(); i++) {
      float[] r = refTokens.get(i).values();
      float[] m = tokens.get(i).values();
      int[] shape = tokens.get(i).shape();
      int width = shape[shape.length - 1];
      for (int row = 0; row < r.length / width; row++) {
        double c = cosine(r, m, row * width, width);
        minCos = Math.min(minCos, c);
        sumCos += c;
        rows++;
      }
      for (int j = 0; j < r.length; j++) {
        maxAbs = Math.max(maxAbs, Math.abs(r[j] - m[j]));
      }
      float[] rp = refPooled.get(i).values();
      pooledCos = Math.min(pooledCos, cosine(rp, pooled.get(i).values(), 0, rp.length));
    }
    return String.format(
        "accuracy vs f32: token_cos_min=%.6f token_cos_mean=%.6f max_abs=%.4g pooled_cos_min=%.6f"
            + " (%d images, %d tokens)",
        minCos, sumCos / rows, maxAbs, pooledCos, images.size(), rows);
  }

  private static double cosine(float[] a, float[] b, int from, int length) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = from; i < from + length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
