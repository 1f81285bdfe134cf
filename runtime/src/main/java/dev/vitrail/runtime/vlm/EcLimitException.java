package dev.vitrail.runtime.vlm;

/**
 * An image the consumer would refuse: its placeholder count exceeds the consumer's per-image
 * budget, or smart_resize rejects its aspect ratio.
 */
public final class EcLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A refusal naming the image, its grid and the limit. */
  public EcLimitException(String message) {
    super(message);
  }
}
