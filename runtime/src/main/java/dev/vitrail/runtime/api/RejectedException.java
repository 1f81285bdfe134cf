package dev.vitrail.runtime.api;

/**
 * Vitrail did not run a request: {@link #busy()} means it is at its in-flight limit (retry later);
 * otherwise it is shutting down or the request cannot be run as asked.
 */
public final class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean busy;

  /** A rejection with its reason. */
  public RejectedException(String reason, boolean busy) {
    super(reason);
    this.busy = busy;
  }

  /** True when the rejection is only overload: the same request may succeed later. */
  public boolean busy() {
    return busy;
  }
}
