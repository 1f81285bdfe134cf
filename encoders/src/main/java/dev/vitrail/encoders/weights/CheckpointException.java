package dev.vitrail.encoders.weights;

/** A checkpoint that cannot be used: bad header, truncated file, missing tensor, wrong shape. */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
