package dev.vitrail.encoders.info;

/**
 * Pixtral's token count ({@code PixtralHFEncoderInfo} with transformers' {@code
 * _num_image_tokens}): the image is shrunk (never enlarged) to fit {@code image_size}, then covered
 * by patches of {@code patch_size * spatial_merge_size}.
 *
 * @param imageSize the longest side an image may have
 * @param visionPatchSize the tower's patch side
 * @param spatialMergeSize the top-level config's merge (1 when absent)
 */
public record PixtralEncoderInfo(int imageSize, int visionPatchSize, int spatialMergeSize)
    implements VisionEncoderInfo {

  public PixtralEncoderInfo {
    FixedGrid.requirePositive(imageSize, visionPatchSize);
    if (spatialMergeSize <= 0) {
      throw new IllegalArgumentException("spatial_merge_size must be > 0, got " + spatialMergeSize);
    }
  }

  /** The patch grid of one image: columns and rows. */
  public record Grid(long ncols, long nrows) {
    /** Embeddings: {@code ncols * nrows}. */
    public long numImageTokens() {
      return ncols * nrows;
    }

    /** Prompt length with an {@code [IMG_BREAK]} after every row: {@code (ncols + 1) * nrows}. */
    public long numPlaceholderTokensWithBreaks() {
      return (ncols + 1) * nrows;
    }
  }

  @Override
  public int patchSize() {
    return visionPatchSize * spatialMergeSize;
  }

  /** {@code image_size // patch_size} (floor; interpolation makes divisibility unnecessary). */
  public int patchGridLength() {
    return imageSize / patchSize();
  }

  /**
   * The grid for an image: shrink by {@code ratio = max(w, h) / image_size} when above 1 (floor, in
   * double precision), then {@code (side - 1) // patch + 1} per side with Python floor division, so
   * a side shrunk to 0 pixels gives 0 patches.
   */
  public Grid patchGrid(int imageWidth, int imageHeight) {
    if (imageWidth < 0 || imageHeight < 0) {
      throw new IllegalArgumentException(
          "image size must be >= 0, got " + imageWidth + "x" + imageHeight);
    }
    double ratio = Math.max((double) imageWidth / imageSize, (double) imageHeight / imageSize);
    long w = imageWidth;
    long h = imageHeight;
    if (ratio > 1) {
      w = (long) Math.floor(imageWidth / ratio);
      h = (long) Math.floor(imageHeight / ratio);
    }
    int patch = patchSize();
    return new Grid(Math.floorDiv(w - 1, patch) + 1, Math.floorDiv(h - 1, patch) + 1);
  }

  @Override
  public long numImageTokens(int imageWidth, int imageHeight) {
    return patchGrid(imageWidth, imageHeight).numImageTokens();
  }

  /** The count for a full-size square image. */
  public long maxImageTokens() {
    return numImageTokens(imageSize, imageSize);
  }
}
