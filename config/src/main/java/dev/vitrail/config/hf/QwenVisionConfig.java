package dev.vitrail.config.hf;

/**
 * What the Qwen-VL vision configs share (Qwen2.5-VL, Qwen3-VL): a tower of {@code depth} blocks fed
 * patch rows of {@code in_channels · temporal_patch_size · patch_size²} values with a {@code
 * grid_thw} per entry, whose patches are merged {@code spatial_merge_size²} at a time into rows of
 * {@code out_hidden_size}.
 */
public sealed interface QwenVisionConfig extends VisionConfig
    permits Qwen25VisionConfig, Qwen3VlVisionConfig {

  /** Number of blocks. */
  int depth();

  /** Width of the MLP inside each block. */
  int intermediateSize();

  /** Attention heads per block. */
  int numHeads();

  /** Image channels. */
  int inChannels();

  /** Width of the merged rows the tower returns. */
  int outHiddenSize();

  /** Side of the square of patches merged into one row. */
  int spatialMergeSize();

  /** Frames per temporal patch. */
  int temporalPatchSize();

  @Override
  default int numHiddenLayers() {
    return depth();
  }

  /** Channels per attention head. */
  default int headDim() {
    return hiddenSize() / numHeads();
  }

  /** Width of one patch row fed to the tower: {@code in_channels * temporal * patch * patch}. */
  default int patchRowWidth() {
    return inChannels() * temporalPatchSize() * patchSize() * patchSize();
  }

  /** The checks both configs make on their geometry: every size here must be positive. */
  static void requirePositive(
      int depth, int hiddenSize, int numHeads, int patchSize, int mergeSize, int temporalSize) {
    JsonFields.requirePositive("depth", depth);
    JsonFields.requirePositive("hidden_size", hiddenSize);
    JsonFields.requirePositive("num_heads", numHeads);
    JsonFields.requirePositive("patch_size", patchSize);
    JsonFields.requirePositive("spatial_merge_size", mergeSize);
    JsonFields.requirePositive("temporal_patch_size", temporalSize);
  }
}
