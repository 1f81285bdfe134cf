package dev.vitrail.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.preprocess.ImageTooLargeException;
import dev.vitrail.encoders.preprocess.InvalidImageException;
import dev.vitrail.runtime.api.EncodeFailedException;
import dev.vitrail.runtime.api.RejectedException;
import dev.vitrail.runtime.fetch.FetchException;
import dev.vitrail.runtime.video.VideoDecodeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from domain errors to HTTP answers: {@link #classify} turns any failure into an
 * {@link ApiException} of some {@link ErrorKind}; {@link #response} renders it as {@code {"error":
 * {"message", "type", "code"}}} with the kind's status (plus Retry-After when busy).
 */
public final class HttpErrors {
  /** The header that carries a request's id, in both directions. */
  public static final String REQUEST_ID = "X-Request-Id";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** The kind and client message of a failure, unwrapping completion wrappers. */
  public static ApiException classify(Throwable failure) {
    Throwable e = failure;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof FetchException f) {
      return new ApiException(fetchKind(f.reason()), f.getMessage(), f);
    }
    if (e instanceof RejectedException r) {
      return new ApiException(
          r.busy() ? ErrorKind.BUSY : ErrorKind.SHUTTING_DOWN, r.getMessage(), r);
    }
    if (e instanceof InvalidImageException img) {
      return new ApiException(imageKind(img), img.getMessage(), img);
    }
    if (e instanceof VideoDecodeException video) {
      return new ApiException(ErrorKind.INVALID_VIDEO, video.getMessage(), video);
    }
    if (e instanceof EntityStreamSizeException size) {
      return new ApiException(
          ErrorKind.BODY_TOO_LARGE,
          "request body exceeds the limit of " + size.limit() + " bytes",
          size);
    }
    if (e instanceof JsonProcessingException json) {
      return new ApiException(
          ErrorKind.MALFORMED_REQUEST,
          "body is not valid JSON: " + json.getOriginalMessage(),
          json);
    }
    if (e instanceof TimeoutException t) {
      return new ApiException(ErrorKind.TIMEOUT, "request timed out: " + t.getMessage(), t);
    }
    if (e instanceof EncodeFailedException f) {
      return new ApiException(ErrorKind.INTERNAL, f.getMessage(), f);
    }
    return new ApiException(
        ErrorKind.INTERNAL,
        "internal error: "
            + e.getClass().getSimpleName()
            + (e.getMessage() != null ? ": " + e.getMessage() : ""),
        e);
  }

  /** The answer kind of each reason a URL was not fetched. */
  static ErrorKind fetchKind(FetchException.Reason reason) {
    return switch (reason) {
      case DISABLED -> ErrorKind.URL_FETCH_DISABLED;
      case BAD_URL -> ErrorKind.MALFORMED_REQUEST;
      case NOT_ALLOWED -> ErrorKind.URL_NOT_ALLOWED;
      case ADDRESS_REFUSED -> ErrorKind.URL_ADDRESS_REFUSED;
      case TOO_MANY_REDIRECTS -> ErrorKind.URL_TOO_MANY_REDIRECTS;
      case TOO_LARGE -> ErrorKind.URL_TOO_LARGE;
      case TIMEOUT -> ErrorKind.URL_TIMEOUT;
      case NOT_IMAGE -> ErrorKind.URL_NOT_IMAGE;
      case NOT_VIDEO -> ErrorKind.URL_NOT_VIDEO;
      case TLS -> ErrorKind.URL_TLS_FAILED;
      case FAILED -> ErrorKind.URL_FETCH_FAILED;
      case BUSY -> ErrorKind.BUSY;
    };
  }

  /**
   * An undecodable image is 422; one over the pixel limit or the resize working-memory limit is
   * 413, whatever its format.
   */
  static ErrorKind imageKind(InvalidImageException e) {
    return e instanceof ImageTooLargeException
        ? ErrorKind.IMAGE_TOO_LARGE
        : ErrorKind.INVALID_IMAGE;
  }

  /**
   * The answer for a classified failure of request {@code requestId}, with its {@code X-Request-Id}
   * header; every 5xx is logged with the request id (an internal error with its stack trace),
   * except busy refusals, which are aggregated ({@link BusyLog}: at most about one line per {@link
   * BusyLogTimer#INTERVAL} under overload, with their count and first and last request ids).
   */
  public static HttpResponse respond(ApiException error, String requestId, Duration retryAfter) {
    ErrorKind kind = error.kind();
    if (kind == ErrorKind.INTERNAL) {
      LOG.error("request {}: {} {}", requestId, kind.status(), error.getMessage(), error);
    } else if (kind == ErrorKind.BUSY) {
      BusyLogTimer.LOG.refused(requestId, error.getMessage());
    } else if (kind.status() >= 500) {
      LOG.warn("request {}: {} {}: {}", requestId, kind.status(), kind.label(), error.getMessage());
    }
    return response(error, retryAfter).addHeader(RawHeader.create(REQUEST_ID, requestId));
  }

  /** The HTTP answer for a classified failure. */
  public static HttpResponse response(ApiException error, Duration retryAfter) {
    ErrorKind kind = error.kind();
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("message", error.getMessage());
    inner.put("type", kind.label());
    inner.put("code", kind.status());
    HttpResponse response =
        HttpResponse.create()
            .withStatus(StatusCodes.get(kind.status()))
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
    return switch (kind) {
      case UNAUTHORIZED ->
          response.addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"vitrail\""));
      case BUSY ->
          response.addHeader(RetryAfter.create(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
      case SHUTTING_DOWN,
          TIMEOUT,
          MALFORMED_REQUEST,
          INVALID_IMAGE,
          INVALID_VIDEO,
          IMAGE_TOO_LARGE,
          BODY_TOO_LARGE,
          UNKNOWN_MODEL,
          NOT_FOUND,
          METHOD_NOT_ALLOWED,
          NOT_ACCEPTABLE,
          UNSUPPORTED_MEDIA_TYPE,
          URL_FETCH_DISABLED,
          URL_NOT_ALLOWED,
          URL_ADDRESS_REFUSED,
          URL_TOO_MANY_REDIRECTS,
          URL_TOO_LARGE,
          URL_TIMEOUT,
          URL_NOT_IMAGE,
          URL_NOT_VIDEO,
          URL_TLS_FAILED,
          URL_FETCH_FAILED,
          INTERNAL ->
          response;
    };
  }
}
