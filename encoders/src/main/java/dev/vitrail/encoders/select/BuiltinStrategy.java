package dev.vitrail.encoders.select;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/** The named strategies of vLLM's {@code _get_vision_feature_selector}. */
public enum BuiltinStrategy implements FeatureSelectStrategy {
  /**
   * The class token only: {@code feats[:, :1, :]}, keeping the token axis as current vLLM does (the
   * older selector {@code feats[:, 0, :]} dropped it).
   */
  CLASS("class"),
  /** Every token but the first (the class token): {@code feats[:, 1:, :]}. */
  DEFAULT("default"),
  /** Every token: {@code feats}. */
  FULL("full");

  private final String wireName;

  BuiltinStrategy(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configs, e.g. {@code "default"}. */
  public String wireName() {
    return wireName;
  }

  /** Looks a strategy up by its exact name; unknown names list the valid ones. */
  public static BuiltinStrategy named(String name) {
    for (BuiltinStrategy s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unexpected feature select strategy '"
            + name
            + "'; valid strategies: "
            + Arrays.stream(values()).map(s -> s.wireName).collect(Collectors.joining(", "))
            + " (or a custom function)");
  }

  @Override
  public Tensor select(Tensor feats) {
    if (this != FULL && feats.dim() < 3) {
      throw new IllegalArgumentException(
          "feature select strategy '"
              + wireName
              + "' needs [B, S, H] features, got a "
              + feats.dim()
              + "-D tensor");
    }
    return switch (this) {
      case CLASS -> feats.slice(1, new LongOptional(0), new LongOptional(1), 1);
      case DEFAULT -> feats.slice(1, new LongOptional(1), new LongOptional(), 1);
      case FULL -> feats;
    };
  }

  /**
   * Token count after selection, by vLLM's formula. Quirks kept from the reference: {@code class}
   * answers 1 even for zero tokens, and {@code default} answers -1 for zero tokens (it does not
   * clamp), although selecting from such a tensor would give 0.
   */
  @Override
  public long numSelectedTokens(long numVisionTokens) {
    return switch (this) {
      case CLASS -> 1;
      case DEFAULT -> numVisionTokens - 1;
      case FULL -> numVisionTokens;
    };
  }
}
