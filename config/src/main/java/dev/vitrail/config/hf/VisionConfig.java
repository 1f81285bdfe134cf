package dev.vitrail.config.hf;

/** The vision part of a HuggingFace checkpoint's {@code config.json}, one record per family. */
public sealed interface VisionConfig
    permits ClipVisionConfig,
        SiglipVisionConfig,
        QwenVisionConfig,
        PixtralVisionConfig,
        KimiK25VisionConfig,
        Siglip2VisionConfig {

  /** The family name as Vitrail reports it, e.g. {@code "clip"}. */
  String family();

  /** Channel width of the tower's hidden states. */
  int hiddenSize();

  /** Number of encoder layers (blocks). */
  int numHiddenLayers();

  /** Side of a square patch in pixels. */
  int patchSize();
}
