package dev.vitrail.runtime.http;

/** A failed request: what kind of failure (hence the status) and a message for the client. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;

  /** A failure of {@code kind} with a message naming what is wrong. */
  public ApiException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** A failure of {@code kind} caused by {@code cause}. */
  public ApiException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** The kind of failure. */
  public ErrorKind kind() {
    return kind;
  }
}
