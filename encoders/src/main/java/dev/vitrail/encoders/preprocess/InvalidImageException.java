package dev.vitrail.encoders.preprocess;

/** An input that is not a usable image: unsupported format, corrupt, truncated, or too large. */
public class InvalidImageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming what is wrong. */
  public InvalidImageException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the decoder's own error. */
  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
