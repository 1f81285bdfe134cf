package dev.vitrail.encoders.info;

/**
 * Kimi K2.5's token count: the NaViT resize (transformers' {@code Kimi_K25ImageProcessor} {@code
 * navit_resize}, the checkpoint's {@code navit_resize_image} as vLLM re-states it), then one token
 * per {@code merge x merge} block of patches of the bottom/right-padded image. A video chunk of any
 * number of frames yields the tokens of one frame (MoonViT averages the frames), while the tower's
 * work grows with the frames: see {@link #patches}.
 *
 * @param visionPatchSize the tower's patch side
 * @param mergeKernelSize patches merged per side
 * @param inPatchLimit the most patches an image may have before it is shrunk
 * @param patchLimitOnOneSide the most patches along one side
 */
public record KimiK25EncoderInfo(
    int visionPatchSize, int mergeKernelSize, long inPatchLimit, int patchLimitOnOneSide)
    implements VisionEncoderInfo {

  /** transformers' {@code Kimi_K25ImageProcessor.max_patches}. */
  public static final long DEFAULT_IN_PATCH_LIMIT = 16384;

  /** transformers' {@code Kimi_K25ImageProcessor.size.max_height}, in patches per side. */
  public static final int DEFAULT_PATCH_LIMIT_ON_ONE_SIDE = 512;

  public KimiK25EncoderInfo {
    FixedGrid.requirePositive(visionPatchSize, mergeKernelSize);
    if (inPatchLimit <= 0 || patchLimitOnOneSide <= 0) {
      throw new IllegalArgumentException("patch limits must be > 0");
    }
  }

  /**
   * The resized image and its patch grid.
   *
   * @param width resized width before padding
   * @param height resized height before padding
   * @param gridH patch rows of the padded image
   * @param gridW patch columns of the padded image
   */
  public record Resize(long width, long height, long gridH, long gridW) {}

  /** The NaViT resize: shrink to the limits (never enlarge), then pad to the merge block. */
  public Resize resize(int imageWidth, int imageHeight) {
    if (imageWidth <= 0 || imageHeight <= 0) {
      throw new IllegalArgumentException(
          "image size must be > 0, got " + imageWidth + "x" + imageHeight);
    }
    int p = visionPatchSize;
    double s1 =
        Math.sqrt(
            inPatchLimit
                / (Math.max(1.0, imageWidth / p) * Math.max(1.0, (double) (imageHeight / p))));
    double s2 = (double) patchLimitOnOneSide * p / imageWidth;
    double s3 = (double) patchLimitOnOneSide * p / imageHeight;
    double scale = Math.min(Math.min(1.0, s1), Math.min(s2, s3));
    long maxSide = (long) patchLimitOnOneSide * p;
    long w = Math.min(Math.max(1, (long) (imageWidth * scale)), maxSide);
    long h = Math.min(Math.max(1, (long) (imageHeight * scale)), maxSide);
    long factor = (long) mergeKernelSize * p;
    long paddedW = w + (factor - w % factor) % factor;
    long paddedH = h + (factor - h % factor) % factor;
    return new Resize(w, h, paddedH / p, paddedW / p);
  }

  @Override
  public long numImageTokens(int imageWidth, int imageHeight) {
    Resize r = resize(imageWidth, imageHeight);
    return (r.gridH() / mergeKernelSize) * (r.gridW() / mergeKernelSize);
  }

  /** Patches the tower runs for a chunk of {@code frames} frames: its cost for the balancer. */
  public long patches(int imageWidth, int imageHeight, int frames) {
    Resize r = resize(imageWidth, imageHeight);
    return (long) frames * r.gridH() * r.gridW();
  }

  @Override
  public int patchSize() {
    return visionPatchSize * mergeKernelSize;
  }
}
