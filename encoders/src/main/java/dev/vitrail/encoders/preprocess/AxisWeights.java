package dev.vitrail.encoders.preprocess;

/**
 * Pillow's fixed-point resampling weights for one axis: for output index {@code i}, the inputs
 * {@code start[i] .. start[i] + count[i] - 1} weighted by {@code coeffs[i * stride + j]}, each a
 * 22-bit fixed-point number. All weight arithmetic is in double precision, as in Pillow.
 *
 * @param inSize input length along the axis
 * @param outSize output length along the axis
 * @param stride coefficients reserved per output index
 * @param start first input index per output index
 * @param count number of inputs per output index
 * @param coeffs fixed-point weights, {@code outSize * stride}
 */
public record AxisWeights(
    int inSize, int outSize, int stride, int[] start, int[] count, int[] coeffs) {
  /** Fractional bits of the fixed-point weights. */
  public static final int PRECISION_BITS = 32 - 8 - 2;

  /** Computes the weights that map {@code inSize} samples to {@code outSize}. */
  public static AxisWeights compute(int inSize, int outSize, ResampleFilter filter) {
    if (inSize <= 0 || outSize <= 0) {
      throw new IllegalArgumentException(
          "axis sizes must be positive, got " + inSize + " -> " + outSize);
    }
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support() * filterScale;
    int stride = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[outSize];
    int[] count = new int[outSize];
    int[] coeffs = new int[outSize * stride];
    double[] w = new double[stride];
    double ss = 1.0 / filterScale;
    for (int i = 0; i < outSize; i++) {
      double center = (i + 0.5) * scale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double sum = 0.0;
      for (int j = 0; j < xmax; j++) {
        w[j] = filter.weight((j + xmin - center + 0.5) * ss);
        sum += w[j];
      }
      for (int j = 0; j < xmax; j++) {
        double v = sum != 0.0 ? w[j] / sum : w[j];
        coeffs[i * stride + j] = toFixed(v);
      }
      start[i] = xmin;
      count[i] = xmax;
    }
    return new AxisWeights(inSize, outSize, stride, start, count, coeffs);
  }

  /** Weights that copy each input sample (a pass that keeps the axis size). */
  public static AxisWeights identity(int size) {
    int[] start = new int[size];
    int[] count = new int[size];
    int[] coeffs = new int[size];
    for (int i = 0; i < size; i++) {
      start[i] = i;
      count[i] = 1;
      coeffs[i] = 1 << PRECISION_BITS;
    }
    return new AxisWeights(size, size, 1, start, count, coeffs);
  }

  /** The weights of output indices {@code [from, from + n)} only. */
  public AxisWeights slice(int from, int n) {
    if (from == 0 && n == outSize) {
      return this;
    }
    if (from < 0 || n <= 0 || from + n > outSize) {
      throw new IllegalArgumentException(
          "slice [" + from + ", " + (from + n) + ") of " + outSize + " outputs");
    }
    return new AxisWeights(
        inSize,
        n,
        stride,
        java.util.Arrays.copyOfRange(start, from, from + n),
        java.util.Arrays.copyOfRange(count, from, from + n),
        java.util.Arrays.copyOfRange(coeffs, from * stride, (from + n) * stride));
  }

  private static int toFixed(double v) {
    double scaled = v * (1 << PRECISION_BITS);
    return (int) (v < 0 ? scaled - 0.5 : scaled + 0.5);
  }
}
