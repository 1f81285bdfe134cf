package dev.vitrail.runtime.video;

/** A video that cannot be opened or decoded (missing, corrupt, truncated, no video stream). */
public final class VideoDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the source and the problem. */
  public VideoDecodeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message naming the source and the problem. */
  public VideoDecodeException(String message) {
    super(message);
  }
}
