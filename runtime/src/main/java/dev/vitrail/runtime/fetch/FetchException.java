package dev.vitrail.runtime.fetch;

/** A URL that was refused or could not be fetched, with the reason a caller maps to an answer. */
public final class FetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a fetch did not return an image or video. */
  public enum Reason {
    /** Fetching is off ({@code vitrail.http.fetch.enabled = false}). */
    DISABLED,
    /** Not a fetchable http(s) URL (syntax, user info, no host). */
    BAD_URL,
    /** The scheme or host is not admitted by the allow-list (or plain http is not allowed). */
    NOT_ALLOWED,
    /**
     * The host resolved to a loopback, private, link-local, ... address the list does not admit.
     */
    ADDRESS_REFUSED,
    /** More redirects than {@code max-redirects}. */
    TOO_MANY_REDIRECTS,
    /** The download is larger than {@code max-bytes}. */
    TOO_LARGE,
    /** Connecting or reading took longer than the timeouts. */
    TIMEOUT,
    /** The content is declared as something other than an image. */
    NOT_IMAGE,
    /** The content is declared as something other than a video. */
    NOT_VIDEO,
    /** The TLS handshake failed: a certificate not trusted, expired or not for the URL's host. */
    TLS,
    /** The host cannot be resolved or reached, or answered with an error status. */
    FAILED,
    /** As many fetches are running as {@code max-concurrent} allows. */
    BUSY
  }

  private final Reason reason;

  /** A failure of {@code reason} with a message naming the URL and what went wrong. */
  public FetchException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A failure of {@code reason} caused by {@code cause}. */
  public FetchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the fetch failed. */
  public Reason reason() {
    return reason;
  }
}
