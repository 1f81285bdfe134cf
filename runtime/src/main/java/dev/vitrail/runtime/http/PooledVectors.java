package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;

/**
 * Pure post-processing of pooled vectors: {@code dimensions} (keep the first d values), {@code
 * normalize} (divide by the L2 norm, after truncation) and the quantized {@link EncodingFormat}s.
 */
final class PooledVectors {
  private PooledVectors() {}

  /**
   * The first {@code dimensions} values (all when null), L2-normalized when asked. A zero vector
   * stays zero.
   *
   * @throws ApiException 400 when {@code dimensions} exceeds the vector's width
   */
  static FeatureOutput shape(FeatureOutput out, Integer dimensions, boolean normalize) {
    float[] v = out.values();
    if (dimensions != null) {
      if (dimensions > v.length) {
        throw new ApiException(
            ErrorKind.MALFORMED_REQUEST,
            "dimensions: expected at most the model's pooled width "
                + v.length
                + ", found "
                + dimensions);
      }
      v = java.util.Arrays.copyOf(v, dimensions);
    } else {
      v = v.clone();
    }
    if (normalize) {
      double sum = 0;
      for (float x : v) {
        sum += (double) x * x;
      }
      if (sum > 0) {
        double inv = 1.0 / Math.sqrt(sum);
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (v[i] * inv);
        }
      }
    }
    return new FeatureOutput(v, new int[] {v.length});
  }

  /** The integers a quantized format writes for {@code v} (see {@link EncodingFormat}). */
  static int[] quantize(float[] v, EncodingFormat format) {
    return switch (format) {
      case INT8 -> map(v, x -> (int) Math.round(clamp(x) * 127.0));
      case UINT8 -> map(v, x -> (int) Math.round((clamp(x) + 1.0) * 127.5));
      case BINARY, UBINARY -> packed(v, format == EncodingFormat.BINARY ? 128 : 0);
      case FLOAT, BASE64 -> throw new IllegalArgumentException(format + " is not quantized");
    };
  }

  private interface FloatToInt {
    int apply(float x);
  }

  private static int[] map(float[] v, FloatToInt f) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = f.apply(v[i]);
    }
    return out;
  }

  private static int[] packed(float[] v, int offset) {
    int[] out = new int[(v.length + 7) / 8];
    for (int i = 0; i < v.length; i++) {
      if (v[i] > 0) {
        out[i / 8] |= 1 << (7 - i % 8);
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] -= offset;
    }
    return out;
  }

  private static double clamp(float x) {
    return Math.max(-1.0, Math.min(1.0, x));
  }
}
