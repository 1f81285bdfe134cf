package dev.vitrail.config.hf;

/** A {@code config.json} that cannot be used: malformed, inconsistent, or of an unknown model. */
public class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
