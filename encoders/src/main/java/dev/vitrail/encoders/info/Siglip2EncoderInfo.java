package dev.vitrail.encoders.info;

/**
 * SigLIP2 naflex's token count: the image processor's {@code get_image_size_for_max_num_patches} (a
 * binary search for the largest scale whose patch-rounded size fits {@code max_num_patches}), one
 * token per patch of the resized image.
 *
 * @param visionPatchSize the tower's patch side
 * @param maxNumPatches the processor's {@code max_num_patches}
 */
public record Siglip2EncoderInfo(int visionPatchSize, int maxNumPatches)
    implements VisionEncoderInfo {

  /** The processor's default {@code max_num_patches}. */
  public static final int DEFAULT_MAX_NUM_PATCHES = 256;

  public Siglip2EncoderInfo {
    FixedGrid.requirePositive(visionPatchSize, maxNumPatches);
  }

  /** The resized {@code (height, width)} in pixels, multiples of the patch size. */
  public int[] resizedHeightWidth(int imageWidth, int imageHeight) {
    if (imageWidth <= 0 || imageHeight <= 0) {
      throw new IllegalArgumentException(
          "image size must be > 0, got " + imageWidth + "x" + imageHeight);
    }
    double eps = 1e-5;
    double lo = eps / 10;
    double hi = 100.0;
    while (hi - lo >= eps) {
      double scale = (lo + hi) / 2;
      double patches =
          ((double) scaled(scale, imageHeight) / visionPatchSize)
              * ((double) scaled(scale, imageWidth) / visionPatchSize);
      if (patches <= maxNumPatches) {
        lo = scale;
      } else {
        hi = scale;
      }
    }
    return new int[] {scaled(lo, imageHeight), scaled(lo, imageWidth)};
  }

  private int scaled(double scale, int size) {
    int p = visionPatchSize;
    double s = Math.ceil(size * scale / p) * p;
    return (int) Math.max(p, s);
  }

  @Override
  public long numImageTokens(int imageWidth, int imageHeight) {
    int[] hw = resizedHeightWidth(imageWidth, imageHeight);
    return (long) (hw[0] / visionPatchSize) * (hw[1] / visionPatchSize);
  }

  @Override
  public int patchSize() {
    return visionPatchSize;
  }
}
