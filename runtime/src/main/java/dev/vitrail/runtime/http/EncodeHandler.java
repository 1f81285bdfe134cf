package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/encode}: the body is one image ({@code Content-Type: image/*}) or {@code
 * multipart/form-data} with one or more image files, so images travel without base64 or JSON.
 * Options are query parameters with the names and checks of {@code /v1/embeddings} ({@code pooled},
 * {@code dimensions}, {@code normalize}, ...); the answer is safetensors unless {@code
 * ?format=json} or {@code Accept: application/json}. Admission, limits and errors are those of
 * {@link EmbeddingsHandler}.
 */
final class EncodeHandler {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final EmbeddingsHandler embeddings;

  EncodeHandler(EmbeddingsHandler embeddings) {
    this.embeddings = embeddings;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, String id) {
    String contentType = request.entity().getContentType().toString();
    String media = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    Map<String, String> query = request.getUri().query().toMap();
    return embeddings.handle(
        request,
        id,
        () -> {
          if (!media.startsWith("image/") && !media.equals("multipart/form-data")) {
            throw new ApiException(
                ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type '"
                    + media
                    + "': /v1/encode takes image/* (one image) or multipart/form-data (image"
                    + " files); send JSON to /v1/embeddings");
          }
          return responseType(query.get("format"), request);
        },
        body -> {
          ServedModels.Entry picked = embeddings.models().pick(query.get("model"));
          List<byte[]> images = new ArrayList<>();
          if (media.startsWith("image/")) {
            images.add(body);
          } else {
            List<MultipartParts.Part> parts =
                MultipartParts.parse(body, MultipartParts.boundary(contentType));
            for (MultipartParts.Part p : parts) {
              if (p.filename() == null && (p.contentType() == null)) {
                throw new ApiException(
                    ErrorKind.MALFORMED_REQUEST,
                    "multipart part '"
                        + p.name()
                        + "' is a plain form field; put options in the query string and images"
                        + " in file parts");
              }
              images.add(p.data());
            }
          }
          return new EmbeddingsHandler.Routed(
              picked, picked.parser().options(options(query), images));
        });
  }

  private static ResponseType responseType(String format, HttpRequest request) {
    if (format != null) {
      return switch (format) {
        case "json" -> ResponseType.JSON;
        case "safetensors" -> ResponseType.SAFETENSORS;
        default ->
            throw new ApiException(
                ErrorKind.MALFORMED_REQUEST,
                "format: expected \"json\" or \"safetensors\", found \"" + format + "\"");
      };
    }
    String accept = request.getHeader("Accept").map(h -> h.value()).orElse(null);
    if (accept == null || !accept.toLowerCase(Locale.ROOT).contains("application/json")) {
      return ResponseType.SAFETENSORS;
    }
    return ResponseType.negotiate(accept);
  }

  /** Query parameters as the JSON fields of {@code /v1/embeddings}. */
  private static ObjectNode options(Map<String, String> query) {
    ObjectNode root = NODES.objectNode();
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (e.getKey().equals("format")) {
        continue;
      }
      root.set(e.getKey(), value(e.getKey(), e.getValue()));
    }
    return root;
  }

  /** A query parameter's value as the JSON value of the same {@code /v1/embeddings} field. */
  static JsonNode value(String key, String v) {
    if (v.equals("true") || v.equals("false")) {
      return NODES.booleanNode(Boolean.parseBoolean(v));
    }
    if (key.equals("select_layers")) {
      var array = NODES.arrayNode();
      for (String s : v.split(",")) {
        array.add(integer(s.strip()));
      }
      return array;
    }
    return key.equals("dimensions") ? integer(v) : NODES.textNode(v);
  }

  private static JsonNode integer(String s) {
    try {
      return NODES.numberNode(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return NODES.textNode(s);
    }
  }
}
