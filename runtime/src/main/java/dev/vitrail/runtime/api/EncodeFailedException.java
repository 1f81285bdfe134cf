package dev.vitrail.runtime.api;

/** Some inputs of a request have no features; the message names each and why. */
public final class EncodeFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public EncodeFailedException(String message) {
    super(message);
  }
}
