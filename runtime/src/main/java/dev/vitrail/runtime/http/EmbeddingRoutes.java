package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.runtime.model.ServedModel;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The route tree: {@code POST /v1/embeddings}, {@code POST /v1/vlm/encode}, {@code GET /v1/models},
 * {@code GET /health} (readiness), {@code GET /health/live} (liveness) and {@code GET /metrics}
 * (Prometheus text).
 */
final class EmbeddingRoutes extends AllDirectives {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ServedModel model;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final EmbeddingsHandler handler;
  private final VlmEncodeHandler vlm;

  EmbeddingRoutes(
      ServedModel model,
      HttpSettings settings,
      ServerMetrics metrics,
      EmbeddingsHandler handler,
      VlmEncodeHandler vlm) {
    this.model = model;
    this.settings = settings;
    this.metrics = metrics;
    this.handler = handler;
    this.vlm = vlm;
  }

  Route route() {
    return withRequestTimeout(
        settings.requestTimeout(),
        request -> timedOut(),
        () ->
            concat(
                path(
                    PathMatchers.segment("v1").slash("embeddings"),
                    () ->
                        post(
                            () ->
                                extractRequest(
                                    request -> completeWithFuture(handler.handle(request))))),
                path(
                    PathMatchers.segment("v1").slash("vlm").slash("encode"),
                    () -> post(() -> extractRequest(r -> completeWithFuture(vlm.handle(r))))),
                path(
                    PathMatchers.segment("v1").slash("models"),
                    () -> get(() -> complete(models()))),
                path("health", () -> get(() -> complete(readiness()))),
                path(
                    PathMatchers.segment("health").slash("live"),
                    () -> get(() -> complete(json(200, status("alive"))))),
                path("metrics", () -> get(() -> completeWithFuture(metricsText())))));
  }

  private HttpResponse timedOut() {
    ApiException e =
        new ApiException(
            ErrorKind.TIMEOUT,
            "request took longer than vitrail.http.request-timeout = " + settings.requestTimeout());
    metrics.rejected(e.kind());
    return HttpErrors.response(e, settings.retryAfter());
  }

  private HttpResponse readiness() {
    return handler.draining() ? json(503, status("draining")) : json(200, status("ready"));
  }

  private ObjectNode status(String status) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("status", status);
    n.put("model", model.name());
    return n;
  }

  private HttpResponse models() {
    ObjectNode list = MAPPER.createObjectNode();
    list.put("object", "list");
    ObjectNode m = list.putArray("data").addObject();
    m.put("id", model.name());
    m.put("object", "model");
    m.put("owned_by", "vitrail");
    m.put("family", model.config().family());
    return json(200, list);
  }

  private CompletionStage<HttpResponse> metricsText() {
    return model
        .vitrail()
        .stats()
        .thenApply(
            stats ->
                HttpResponse.create()
                    .withEntity(
                        HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.render(stats))));
  }

  private static HttpResponse json(int status, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
