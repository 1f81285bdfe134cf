package dev.vitrail.encoders.preprocess;

/**
 * An image over a size limit: more pixels than the decoder's limit, or a resize whose working
 * memory would exceed {@link Resampler#MAX_WORKING_BYTES}. Servers answer it 413, not 422.
 */
public final class ImageTooLargeException extends InvalidImageException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the size and the limit. */
  public ImageTooLargeException(String message) {
    super(message);
  }
}
