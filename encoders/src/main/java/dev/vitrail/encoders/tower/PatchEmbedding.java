package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.weights.WeightMap;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Non-overlapping patch convolution (kernel = stride = patch) to row-major patch tokens; owns its
 * weights.
 */
public final class PatchEmbedding implements AutoCloseable {
  private final Tensor weight; // [C, channels, p, p]
  private final Tensor bias; // [C] or null
  private final int channels;
  private final int patch;

  private PatchEmbedding(Tensor weight, Tensor bias, int channels, int patch) {
    this.weight = weight;
    this.bias = bias;
    this.channels = channels;
    this.patch = patch;
  }

  /**
   * Loads {@code name.weight} {@code [dim, channels, patch, patch]} and optionally {@code
   * name.bias}.
   */
  public static PatchEmbedding load(
      WeightMap w, String name, int channels, long dim, int patch, boolean withBias) {
    Tensor weight = w.take(name + ".weight", dim, channels, patch, patch);
    try {
      Tensor bias = withBias ? w.take(name + ".bias", dim) : null;
      return new PatchEmbedding(weight, bias, channels, patch);
    } catch (RuntimeException e) {
      weight.close();
      throw e;
    }
  }

  /**
   * Embeds {@code pixels [B, channels, S, S]} ({@code S = imageSize}) into {@code [B, (S/p)², C]},
   * patches in row-major order; the result lives in the caller's scope.
   */
  public Tensor forward(Tensor pixels, int imageSize) {
    long[] shape = pixels.shape();
    if (shape.length != 4
        || shape[1] != channels
        || shape[2] != imageSize
        || shape[3] != imageSize) {
      throw new IllegalArgumentException(
          "pixel_values must be [B, "
              + channels
              + ", "
              + imageSize
              + ", "
              + imageSize
              + "], got "
              + Arrays.toString(shape));
    }
    TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias);
    Tensor conv =
        torch.conv2d(
            pixels, weight, b, new long[] {patch, patch}, new long[] {0, 0}, new long[] {1, 1}, 1);
    return conv.flatten(2, 3).transpose(1, 2);
  }

  @Override
  public void close() {
    weight.close();
    if (bias != null) {
      bias.close();
    }
  }
}
