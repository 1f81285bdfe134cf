package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to HTTP that Pekko cannot parse into a request (bad request line, header or URI too
 * long, bad {@code Content-Length}, body over the parser's limit, unsupported HTTP version): the
 * same JSON error envelope as every other error, with Pekko's status, a generated {@code
 * X-Request-Id} (there is no request to take one from), and a log line for a 5xx. Pekko creates it
 * by reflection from {@code pekko.http.server.parsing.error-handler} (set by {@link
 * PekkoServerSettings}), hence public with a no-argument constructor.
 */
public final class MalformedHttpAnswers extends ParsingErrorHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(MalformedHttpAnswers.class);
  private static final RequestIds IDS = new RequestIds();

  /** Called by Pekko. */
  public MalformedHttpAnswers() {}

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    String id = IDS.next();
    int code = status.intValue();
    String message = error.summary().isEmpty() ? status.reason() : error.summary();
    if (!error.detail().isEmpty()) {
      message = message + ": " + error.detail();
    }
    if (code >= 500) {
      LOG.warn("request {}: {} malformed HTTP: {}", id, code, message);
    }
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("message", message);
    inner.put("type", type(code));
    inner.put("code", code);
    return HttpResponse.create()
        .withStatus(status)
        .addHeader(RawHeader.create(HttpErrors.REQUEST_ID, id))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  /** The envelope's {@code type} for a status Pekko's parser chose. */
  static String type(int status) {
    return switch (status) {
      case 413 -> ErrorKind.BODY_TOO_LARGE.label();
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      case 501 -> "not_implemented";
      case 505 -> "http_version_not_supported";
      default -> ErrorKind.MALFORMED_REQUEST.label();
    };
  }
}
