package dev.vitrail.runtime.http;

import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The route tree: {@code POST /v1/embeddings}, {@code POST /v1/encode} (raw or multipart images),
 * {@code POST /v1/vlm/encode}, {@code POST /v1/video} (a streamed answer), {@code GET /v1/models},
 * {@code GET /health} (readiness), {@code GET /health/live} (liveness) and {@code GET /metrics}
 * (Prometheus text; these four answered by {@link InfoEndpoints}). Every request gets an id ({@code
 * X-Request-Id}); unknown paths and methods, and any exception, are answered with the JSON error
 * envelope. Work endpoints go through {@link #work}, which counts them for shutdown; they admit
 * their bodies and images with {@link BodyAdmission} and {@link ImageAdmission}.
 */
final class EmbeddingRoutes extends AllDirectives {
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final EmbeddingsHandler handler;
  private final VlmEncodeHandler vlm;
  private final EncodeHandler encode;
  private final VideoHandler video;
  private final Lifecycle lifecycle;
  private final InfoEndpoints info;
  private final RequestIds ids = new RequestIds();

  EmbeddingRoutes(
      ServedModels models,
      HttpSettings settings,
      ServerMetrics metrics,
      EmbeddingsHandler handler,
      VlmEncodeHandler vlm,
      VideoHandler video,
      Lifecycle lifecycle,
      AdmissionGate gate) {
    this.video = video;
    this.settings = settings;
    this.metrics = metrics;
    this.handler = handler;
    this.vlm = vlm;
    this.encode = new EncodeHandler(handler);
    this.lifecycle = lifecycle;
    this.info = new InfoEndpoints(models, metrics, vlm, lifecycle, gate);
  }

  /** Pekko's rejections in the JSON error envelope (built once, not per request). */
  private final RejectionHandler rejections =
      RejectionHandler.defaultHandler().mapRejectionResponse(ErrorEnvelopes::wrap);

  Route route() {
    return extractRequest(
        request -> {
          String id = ids.of(request);
          return respondWithDefaultHeader(
              RawHeader.create(HttpErrors.REQUEST_ID, id),
              () ->
                  handleExceptions(
                      exceptions(id),
                      () ->
                          handleRejections(
                              rejections,
                              () ->
                                  withRequestTimeout(
                                      settings.requestTimeout(),
                                      r -> timedOut(id),
                                      () -> authorized(request, id)))));
        });
  }

  /**
   * The routes, behind the API keys when any are set: {@code /health*} is always open, {@code
   * /metrics} when {@code vitrail.http.metrics-need-key} is false; anything else without a valid
   * {@code Authorization: Bearer} key is answered 401 before its body is read.
   */
  private Route authorized(HttpRequest request, String id) {
    ApiKeys keys = settings.apiKeys();
    String path = request.getUri().path();
    boolean open =
        !keys.enabled()
            || path.equals("/health")
            || path.startsWith("/health/")
            || (path.equals("/metrics") && !keys.metricsNeedKey());
    if (open || keys.admits(request.getHeader("Authorization").map(h -> h.value()).orElse(null))) {
      return routes(id);
    }
    ApiException e =
        new ApiException(
            ErrorKind.UNAUTHORIZED,
            "this server needs an API key: send 'Authorization: Bearer <key>' with one of the keys"
                + " in vitrail.http.api-keys");
    metrics.rejected(e.kind());
    return complete(HttpErrors.respond(e, id, settings.retryAfter()));
  }

  private Route routes(String id) {
    return concat(
        path(PathMatchers.segment("v1").slash("embeddings"), () -> work(id, handler::handle)),
        path(PathMatchers.segment("v1").slash("encode"), () -> work(id, encode::handle)),
        path(PathMatchers.segment("v1").slash("vlm").slash("encode"), () -> work(id, vlm::handle)),
        path(PathMatchers.segment("v1").slash("video"), () -> work(id, video::handle)),
        path(PathMatchers.segment("v1").slash("models"), () -> get(() -> complete(info.models()))),
        path("health", () -> get(() -> complete(info.readiness()))),
        path(PathMatchers.segment("health").slash("live"), () -> get(() -> complete(info.alive()))),
        path("metrics", () -> get(() -> completeWithFuture(info.metricsText()))));
  }

  /** A {@code POST} work endpoint, counted in flight until answered (shutdown waits for it). */
  Route work(String id, BiFunction<HttpRequest, String, CompletionStage<HttpResponse>> endpoint) {
    return post(
        () ->
            extractRequest(
                request -> completeWithFuture(lifecycle.track(endpoint.apply(request, id)))));
  }

  private ExceptionHandler exceptions(String id) {
    return ExceptionHandler.newBuilder()
        .match(
            Throwable.class,
            e -> complete(HttpErrors.respond(HttpErrors.classify(e), id, settings.retryAfter())))
        .build();
  }

  private HttpResponse timedOut(String id) {
    ApiException e =
        new ApiException(
            ErrorKind.TIMEOUT,
            "request took longer than vitrail.http.request-timeout = " + settings.requestTimeout());
    metrics.rejected(e.kind());
    return HttpErrors.respond(e, id, settings.retryAfter());
  }
}
