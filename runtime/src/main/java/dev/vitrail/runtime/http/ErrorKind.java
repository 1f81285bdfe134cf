package dev.vitrail.runtime.http;

/**
 * Every way a request can fail, each with its HTTP status. Metrics count errors by {@link
 * #label()}.
 */
public enum ErrorKind {
  /** The body is not the JSON the endpoint expects (syntax, missing or mistyped field). */
  MALFORMED_REQUEST(400),
  /** An input is not a usable image: bad base64, unsupported format, corrupt or zero-sized. */
  INVALID_IMAGE(422),
  /** A video FFmpeg cannot open or decode (corrupt, truncated, no video stream). */
  INVALID_VIDEO(422),
  /** An image is larger than the pixel or byte limit. */
  IMAGE_TOO_LARGE(413),
  /**
   * The body is larger than {@code vitrail.http.max-body-bytes}, or has more inputs than {@code
   * vitrail.http.max-inputs} or the admission limit {@code vitrail.admission.max-in-flight-items}.
   */
  BODY_TOO_LARGE(413),
  /** API keys are configured and the request has no {@code Authorization: Bearer} with one. */
  UNAUTHORIZED(401),
  /** The request names a model this server does not serve. */
  UNKNOWN_MODEL(404),
  /** No route for the path. */
  NOT_FOUND(404),
  /** The path exists but not for the request's method ({@code Allow} names those that do). */
  METHOD_NOT_ALLOWED(405),
  /** The request body's Content-Type is not one the endpoint reads. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** The client accepts none of the response types the endpoint produces. */
  NOT_ACCEPTABLE(406),
  /** An input is a URL and this server does not fetch URLs ({@code vitrail.http.fetch}). */
  URL_FETCH_DISABLED(422),
  /** A URL's scheme or host is not admitted by {@code vitrail.http.fetch.allow} (or is http). */
  URL_NOT_ALLOWED(403),
  /**
   * A URL's host resolved to a loopback, private, link-local, ... address the list does not admit.
   */
  URL_ADDRESS_REFUSED(403),
  /** A URL redirected more often than {@code vitrail.http.fetch.max-redirects}. */
  URL_TOO_MANY_REDIRECTS(422),
  /** A URL's content is larger than {@code vitrail.http.fetch.max-bytes}. */
  URL_TOO_LARGE(413),
  /** A URL's server took longer than the fetch timeouts. */
  URL_TIMEOUT(422),
  /** A URL's content is declared as something other than an image. */
  URL_NOT_IMAGE(422),
  /** A video URL's content is declared as something other than a video. */
  URL_NOT_VIDEO(422),
  /**
   * An https URL's server presented a certificate that is not trusted ({@code
   * vitrail.http.fetch.trust-store} adds some), expired, or not for the URL's host.
   */
  URL_TLS_FAILED(422),
  /** A URL could not be fetched: unknown host, refused connection, an error status. */
  URL_FETCH_FAILED(422),
  /** Vitrail is at its in-flight limit; retry after the Retry-After delay. */
  BUSY(503),
  /** The server is draining before it stops. */
  SHUTTING_DOWN(503),
  /** The request took longer than {@code vitrail.http.request-timeout}. */
  TIMEOUT(503),
  /** Anything else: a tower that failed on an input on every attempt, a bug. */
  INTERNAL(500);

  private final int status;

  ErrorKind(int status) {
    this.status = status;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The lower-case name used in error bodies and metric labels, e.g. {@code invalid_image}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
