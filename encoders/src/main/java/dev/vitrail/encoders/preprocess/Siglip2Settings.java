package dev.vitrail.encoders.preprocess;

/**
 * {@code Siglip2ImageProcessor} (naflex) settings.
 *
 * @param patchSize patch side; the resized sides are multiples of it
 * @param maxNumPatches the most patches an image is resized to
 * @param filter the resampling filter (bilinear by default)
 * @param normalization rescale and normalize (mean = std = 0.5 by default)
 */
public record Siglip2Settings(
    int patchSize, int maxNumPatches, ResampleFilter filter, Normalization normalization) {
  public Siglip2Settings {
    if (patchSize <= 0 || maxNumPatches <= 0) {
      throw new IllegalArgumentException(
          "SigLIP2 patch_size and max_num_patches must be > 0, got "
              + patchSize
              + ", "
              + maxNumPatches);
    }
  }
}
