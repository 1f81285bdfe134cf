package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Rewrites Pekko's own rejection answers (unknown path, wrong method, ...) as the JSON error
 * envelope, keeping their status and headers (such as {@code Allow}).
 */
final class ErrorEnvelopes {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ErrorEnvelopes() {}

  static HttpResponse wrap(HttpResponse response) {
    if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      return response;
    }
    int status = response.status().intValue();
    String message =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().utf8String()
            : response.status().reason();
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("message", message);
    inner.put("type", label(status));
    inner.put("code", status);
    return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  private static String label(int status) {
    switch (status) {
      case 404:
        return ErrorKind.NOT_FOUND.label();
      case 405:
        return ErrorKind.METHOD_NOT_ALLOWED.label();
      case 413:
        return ErrorKind.BODY_TOO_LARGE.label();
      default:
        break;
    }
    for (ErrorKind k : ErrorKind.values()) {
      if (k.status() == status && k != ErrorKind.TIMEOUT && k != ErrorKind.SHUTTING_DOWN) {
        return k.label();
      }
    }
    return status >= 500 ? ErrorKind.INTERNAL.label() : ErrorKind.MALFORMED_REQUEST.label();
  }
}
