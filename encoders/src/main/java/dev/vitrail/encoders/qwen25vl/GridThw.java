package dev.vitrail.encoders.qwen25vl;

/**
 * The patch grid of one image or video entry: {@code t} temporal patches of {@code h x w} patches.
 *
 * @param t temporal patches (1 for a still image)
 * @param h patch rows
 * @param w patch columns
 */
public record GridThw(int t, int h, int w) {
  public GridThw {
    if (t <= 0 || h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          "grid_thw must be positive, got [" + t + ", " + h + ", " + w + "]");
    }
  }

  /** Parses a {@code [t, h, w]} triple. */
  public static GridThw of(int[] thw) {
    if (thw == null || thw.length != 3) {
      throw new IllegalArgumentException("grid_thw needs 3 values [t, h, w]");
    }
    return new GridThw(thw[0], thw[1], thw[2]);
  }

  /** Patches per frame. */
  public int frameArea() {
    return h * w;
  }

  /** All patches of the entry. */
  public int patches() {
    return t * h * w;
  }
}
