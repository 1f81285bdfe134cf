package dev.vitrail.config.hf;

import java.util.List;

/** A {@code model_type} Vitrail has no vision tower for; the message lists the supported ones. */
public final class UnsupportedModelException extends InvalidConfigException {
  private static final long serialVersionUID = 1L;

  public UnsupportedModelException(String modelType, List<String> supported) {
    super(
        "unsupported model_type '"
            + modelType
            + "'; supported model types: "
            + String.join(", ", supported));
  }
}
