package dev.vitrail.runtime.model;

/**
 * A model directory that cannot be served: missing, unreadable, unsupported or with bad weights.
 */
public final class InvalidModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error naming the directory and what is wrong with it. */
  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
