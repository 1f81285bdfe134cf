package dev.vitrail.config.hf;

/** The checks every ViT-style vision config makes on its geometry in its compact constructor. */
final class VitShape {
  private VitShape() {}

  /** Hidden size, head count, patch size and image size must all be positive. */
  static void requirePositive(int hiddenSize, int numAttentionHeads, int patchSize, int imageSize) {
    JsonFields.requirePositive("hidden_size", hiddenSize);
    JsonFields.requirePositive("num_attention_heads", numAttentionHeads);
    JsonFields.requirePositive("patch_size", patchSize);
    JsonFields.requirePositive("image_size", imageSize);
  }

  /** The positive checks, and the hidden size must split evenly over the heads. */
  static void requireEvenHeads(
      int hiddenSize, int numAttentionHeads, int patchSize, int imageSize) {
    requirePositive(hiddenSize, numAttentionHeads, patchSize, imageSize);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new InvalidConfigException(
          "hidden_size "
              + hiddenSize
              + " is not divisible by num_attention_heads "
              + numAttentionHeads);
    }
  }
}
