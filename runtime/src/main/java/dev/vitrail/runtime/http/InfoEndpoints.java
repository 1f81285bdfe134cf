package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.actors.supervisor.SupervisorStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The answers of {@link EmbeddingRoutes}' read-only endpoints: {@code GET /v1/models}, {@code GET
 * /health} (readiness), {@code GET /health/live} (liveness) and {@code GET /metrics} (Prometheus
 * text).
 */
final class InfoEndpoints {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ServedModels models;
  private final ServerMetrics metrics;
  private final VlmEncodeHandler vlm;
  private final Lifecycle lifecycle;
  private final AdmissionGate gate;

  InfoEndpoints(
      ServedModels models,
      ServerMetrics metrics,
      VlmEncodeHandler vlm,
      Lifecycle lifecycle,
      AdmissionGate gate) {
    this.models = models;
    this.metrics = metrics;
    this.vlm = vlm;
    this.lifecycle = lifecycle;
    this.gate = gate;
  }

  /** {@code GET /health}: 200 ready, or 503 while draining. */
  HttpResponse readiness() {
    return lifecycle.draining() ? json(503, status("draining")) : json(200, status("ready"));
  }

  private ObjectNode status(String status) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("status", status);
    n.put("model", models.first().name());
    var names = n.putArray("models");
    models.all().forEach(e -> names.add(e.model().name()));
    return n;
  }

  /** {@code GET /health/live}: 200 alive. */
  HttpResponse alive() {
    return json(200, status("alive"));
  }

  /** {@code GET /v1/models}: the served models, OpenAI-style. */
  HttpResponse models() {
    ObjectNode list = MAPPER.createObjectNode();
    list.put("object", "list");
    var data = list.putArray("data");
    for (ServedModels.Entry e : models.all()) {
      ObjectNode m = data.addObject();
      m.put("id", e.model().name());
      m.put("object", "model");
      m.put("owned_by", "vitrail");
      m.put("family", e.model().config().family());
    }
    return json(200, list);
  }

  /**
   * The first model's supervisor counters unlabeled (as with one model), then, per model, its
   * supervisor counters labeled {@code model="name"}, and the server's admission gauges.
   */
  CompletionStage<HttpResponse> metricsText() {
    List<ServedModels.Entry> all = models.all();
    List<CompletableFuture<SupervisorStats>> stats = new ArrayList<>();
    for (ServedModels.Entry e : all) {
      stats.add(e.model().vitrail().stats().toCompletableFuture());
    }
    return CompletableFuture.allOf(stats.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, SupervisorStats> perModel = new LinkedHashMap<>();
              for (int i = 0; i < all.size(); i++) {
                perModel.put(all.get(i).model().name(), stats.get(i).join());
              }
              return HttpResponse.create()
                  .withEntity(
                      HttpEntities.create(
                          ContentTypes.TEXT_PLAIN_UTF8,
                          metrics.render(stats.get(0).join())
                              + ServerMetrics.render(gate)
                              + ServerMetrics.renderPerModel(perModel)
                              + vlm.metricsText()));
            });
  }

  private static HttpResponse json(int status, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
