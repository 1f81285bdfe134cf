package dev.vitrail.encoders.preprocess;

/** Pillow's antialiasing resampling filters with their support (radius at scale 1). */
public enum ResampleFilter {
  /** Triangle filter, Pillow {@code BILINEAR} (2). */
  BILINEAR(1.0),
  /** Keys cubic with a = -0.5, Pillow {@code BICUBIC} (3). */
  BICUBIC(2.0);

  private final double support;

  ResampleFilter(double support) {
    this.support = support;
  }

  /** The kernel radius at scale 1. */
  public double support() {
    return support;
  }

  /** The kernel value at {@code x}. */
  public double weight(double x) {
    double ax = Math.abs(x);
    if (this == BILINEAR) {
      return ax < 1.0 ? 1.0 - ax : 0.0;
    }
    double a = -0.5;
    if (ax < 1.0) {
      return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
    }
    if (ax < 2.0) {
      return (((ax - 5) * ax + 8) * ax - 4) * a;
    }
    return 0.0;
  }

  /**
   * The filter for a PIL resample code, as in {@code preprocessor_config.json}'s {@code resample}.
   */
  public static ResampleFilter fromPilCode(int code) {
    return switch (code) {
      case 2 -> BILINEAR;
      case 3 -> BICUBIC;
      default ->
          throw new IllegalArgumentException(
              "unsupported resample " + code + "; supported: 2 (bilinear), 3 (bicubic)");
    };
  }
}
