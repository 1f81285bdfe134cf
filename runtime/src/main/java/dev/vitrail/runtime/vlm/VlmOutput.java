package dev.vitrail.runtime.vlm;

/** Where an image's embeddings go. */
public enum VlmOutput {
  /** An encoder-cache file for the vLLM consumer. */
  EC,
  /** An inline {@code image_embeds} content part. */
  INLINE,
  /** Both. */
  BOTH;

  /** Whether a file is written. */
  public boolean ec() {
    return this != INLINE;
  }

  /** Whether a content part is returned. */
  public boolean inline() {
    return this != EC;
  }

  /** Parses {@code ec}, {@code inline} or {@code both}. */
  public static VlmOutput of(String name) {
    for (VlmOutput o : values()) {
      if (o.name().equalsIgnoreCase(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "output must be \"ec\", \"inline\" or \"both\", got \"" + name + "\"");
  }
}
