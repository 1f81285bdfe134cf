package dev.vitrail.encoders.weights;

/** A safetensors file whose header or layout is malformed, or a tensor missing from it. */
public final class SafetensorsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming what is wrong. */
  public SafetensorsException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
