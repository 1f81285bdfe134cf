package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.model.ServedModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/embeddings}: admits and reads the body ({@link BodyAdmission}), parses it
 * on the bounded pool, picks the model ({@link ServedModels}), admits its images, fetches its URL
 * inputs ({@link UrlImages}), looks each image up by its bytes ({@link ImageDedupe}), preprocesses
 * the rest ({@link ImageAdmission}), encodes them as one request ({@link EmbeddingFeatures}) and
 * renders JSON or safetensors. Every failure goes through {@link HttpErrors}; every reservation is
 * given back when the answer is ready.
 */
final class EmbeddingsHandler {
  private final ServedModels models;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final DecodePool pool;
  private final BodyAdmission bodies;
  private final UrlImages urls;

  EmbeddingsHandler(
      ServedModels models,
      HttpSettings settings,
      ServerMetrics metrics,
      DecodePool pool,
      BodyAdmission bodies,
      UrlImages urls) {
    this.models = models;
    this.settings = settings;
    this.metrics = metrics;
    this.pool = pool;
    this.bodies = bodies;
    this.urls = urls;
  }

  /**
   * The {@code /v1/embeddings} parser of {@code model}: a request larger than the admission limits
   * could never be admitted, so it is refused as too large.
   */
  static EmbeddingsRequestParser parser(ServedModel model, HttpSettings settings, UrlImages urls) {
    return new EmbeddingsRequestParser(
        settings.maxImageBytes(),
        Math.min(
            Math.min(settings.maxInputs(), settings.admission().maxItemsInFlight()),
            model.vitrail().settings().maxInFlightItems()),
        model.config().numHiddenLayers(),
        "model '"
            + model.name()
            + "' ("
            + model.config().family()
            + ") is an image encoder and embeds images only",
        urls.policy());
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, String requestId) {
    return handle(
        request,
        requestId,
        () -> ResponseType.negotiate(request.getHeader("Accept").map(h -> h.value()).orElse(null)),
        body -> {
          ServedModels.Entry entry = models.pick(ModelField.of(body));
          return new Routed(entry, entry.parser().parse(body));
        });
  }

  /** The served models, for other endpoints that route the same way. */
  ServedModels models() {
    return models;
  }

  /** A parsed request and the model it goes to. */
  record Routed(ServedModels.Entry entry, EmbeddingsRequest request) {}

  /**
   * Answers a work request whose body {@code parse} turns into a {@link Routed} request (on the
   * decode pool), under the same admission and error mapping as {@code /v1/embeddings}.
   */
  CompletionStage<HttpResponse> handle(
      HttpRequest request,
      String requestId,
      Supplier<ResponseType> negotiate,
      Function<byte[], Routed> parse) {
    metrics.started();
    CompletionStage<HttpResponse> answer;
    try {
      ResponseType type = negotiate.get();
      answer =
          bodies
              .read(request)
              .thenCompose(body -> pool.submit(() -> parse(body, parse)))
              .thenCompose(parsed -> encode(request, parsed, requestId, type));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (ok, err) -> {
          if (err == null) {
            return ok;
          }
          ApiException api = HttpErrors.classify(err);
          metrics.failed(api.kind());
          return HttpErrors.respond(api, requestId, settings.retryAfter());
        });
  }

  private record Parsed(Routed routed, BodyAdmission.Body body) {}

  private static Parsed parse(BodyAdmission.Body body, Function<byte[], Routed> parse) {
    try {
      return new Parsed(parse.apply(body.bytes()), body);
    } catch (RuntimeException e) {
      body.reservation().close();
      throw e;
    }
  }

  private CompletionStage<HttpResponse> encode(
      HttpRequest request, Parsed parsed, String id, ResponseType type) {
    EmbeddingsRequest req = parsed.routed().request();
    ServedModels.Entry entry = parsed.routed().entry();
    AdmissionGate.Reservation items;
    try {
      items = entry.images().admit(req.images().size());
    } catch (RuntimeException e) {
      parsed.body().reservation().close();
      throw e;
    }
    AdmissionGate.Reservation body = parsed.body().reservation();
    CompletionStage<HttpResponse> answer =
        urls.resolve(request, req)
            .whenComplete(
                (resolved, err) -> {
                  if (err != null) {
                    body.close();
                  }
                })
            .thenCompose(
                resolved -> {
                  try {
                    return EmbeddingFeatures.of(
                        entry, resolved, body, id, request, settings.requestTimeout());
                  } catch (RuntimeException e) {
                    body.close();
                    resolved.close();
                    throw e;
                  }
                })
            .thenCompose(features -> pool.submit(() -> render(entry.model(), req, features, type)));
    return answer.whenComplete((ok, err) -> items.close());
  }

  private HttpResponse render(
      ServedModel model, EmbeddingsRequest req, List<FeatureOutput> raw, ResponseType type) {
    List<FeatureOutput> features = shaped(req, raw);
    HttpResponse response =
        EmbeddingsResponses.response(model.name(), features, req.format(), type);
    metrics.succeeded(features.size());
    return response;
  }

  /** The features with {@code dimensions} and {@code normalize} applied to pooled vectors. */
  static List<FeatureOutput> shaped(EmbeddingsRequest req, List<FeatureOutput> raw) {
    return req.spec().pooled() && (req.dimensions() != null || req.normalize())
        ? raw.stream().map(f -> PooledVectors.shape(f, req.dimensions(), req.normalize())).toList()
        : raw;
  }
}
