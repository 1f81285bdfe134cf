package dev.vitrail.runtime.vlm;

/** The encoder-cache directory could not take a file (unwritable, full, not a directory). */
public final class EcStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure naming the path and the cause. */
  public EcStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
