package dev.vitrail.runtime.vlm;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.RgbImage;
import java.util.Arrays;

/**
 * One image made ready for the encoder tier: decoded (or only its header read), planned on the
 * consumer's grid, keyed, looked up in the encoder-cache directory and preprocessed into its tower
 * input, with the request's output choices checked first. CPU work on the caller's thread.
 */
final class ImagePreparer {
  private final VlmFamily family;
  private final String modelIdentity;
  private final EcStore store;

  /**
   * @param store the encoder-cache directory, or null when only inline payloads are made
   */
  ImagePreparer(VlmFamily family, String modelIdentity, EcStore store) {
    this.family = family;
    this.modelIdentity = modelIdentity;
    this.store = store;
  }

  /** See {@link VlmEncoder#prepare(byte[], EcDtype, VlmOutput, InlineFormat)}. */
  VlmEncoder.Prepared prepare(byte[] image, EcDtype dtype, VlmOutput output, InlineFormat format) {
    check(output, format, dtype);
    RgbImage rgb = family.processor().decoder().decodeRgb(image);
    ConsumerGrid.Plan plan = family.plan(rgb.width(), rgb.height());
    String key = key(image, dtype);
    if (output == VlmOutput.EC && store.contains(key)) {
      return new VlmEncoder.Prepared(key, plan, null, dtype, format);
    }
    return new VlmEncoder.Prepared(
        key, plan, checked(family.processor().process(rgb), plan), dtype, format);
  }

  /** See {@link VlmEncoder#plan}. */
  VlmEncoder.Prepared plan(byte[] image, EcDtype dtype, VlmOutput output, InlineFormat format) {
    check(output, format, dtype);
    int[] wh = family.processor().decoder().dimensions(image);
    ConsumerGrid.Plan plan = family.plan(wh[0], wh[1]);
    String key = key(image, dtype);
    boolean cached = output == VlmOutput.EC && store.contains(key);
    return new VlmEncoder.Prepared(key, plan, null, dtype, format, cached);
  }

  /** See {@link VlmEncoder#pixels}. */
  PixelInput pixels(byte[] image) {
    RgbImage rgb = family.processor().decoder().decodeRgb(image);
    return checked(family.processor().process(rgb), family.plan(rgb.width(), rgb.height()));
  }

  private String key(byte[] image, EcDtype dtype) {
    return EcKeys.key(image, modelIdentity, family.processorIdentity(), dtype);
  }

  private void check(VlmOutput output, InlineFormat format, EcDtype dtype) {
    if (output.inline()) {
      format.check(dtype);
    }
    if (output.ec() && store == null) {
      throw new IllegalArgumentException(
          "no encoder-cache directory is configured (vitrail.vlm.ec-storage); ask for inline");
    }
    if (output.inline() && family.inlineRefusal() != null) {
      throw new IllegalArgumentException(family.inlineRefusal());
    }
  }

  private PixelInput checked(PixelInput pixels, ConsumerGrid.Plan plan) {
    if (!Arrays.equals(family.gridOf(pixels), plan.gridThw())) {
      throw new IllegalStateException(
          "processor grid "
              + Arrays.toString(family.gridOf(pixels))
              + " differs from the consumer's "
              + Arrays.toString(plan.gridThw()));
    }
    return pixels;
  }
}
