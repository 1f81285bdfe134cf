package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.EncodeResult;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.model.ServedModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/embeddings}: admits and reads the body ({@link BodyAdmission}), parses it
 * on the bounded pool, admits its images, fetches its URL inputs ({@link UrlImages}), looks each
 * image up by its bytes ({@link ImageDedupe}), preprocesses the rest ({@link ImageAdmission}),
 * encodes them as one request and renders JSON or safetensors. Every failure goes through {@link
 * HttpErrors}; every reservation is given back when the answer is ready.
 */
final class EmbeddingsHandler {
  private final ServedModel model;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final DecodePool pool;
  private final BodyAdmission bodies;
  private final ImageAdmission images;
  private final UrlImages urls;
  private final ImageDedupe dedupe;
  private final EmbeddingsRequestParser parser;

  EmbeddingsHandler(
      ServedModel model,
      HttpSettings settings,
      ServerMetrics metrics,
      DecodePool pool,
      BodyAdmission bodies,
      ImageAdmission images,
      UrlImages urls,
      ImageDedupe dedupe) {
    this.model = model;
    this.settings = settings;
    this.metrics = metrics;
    this.pool = pool;
    this.bodies = bodies;
    this.images = images;
    this.urls = urls;
    this.dedupe = dedupe;
    // A request larger than the admission limits could never be admitted: refuse it as too large.
    this.parser =
        new EmbeddingsRequestParser(
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
        parser::parse);
  }

  /** The parser, for other endpoints that take the same options. */
  EmbeddingsRequestParser parser() {
    return parser;
  }

  /**
   * Answers a work request whose body {@code parse} turns into an {@link EmbeddingsRequest} (on the
   * decode pool), under the same admission and error mapping as {@code /v1/embeddings}.
   */
  CompletionStage<HttpResponse> handle(
      HttpRequest request,
      String requestId,
      Supplier<ResponseType> negotiate,
      Function<byte[], EmbeddingsRequest> parse) {
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

  private record Parsed(EmbeddingsRequest request, BodyAdmission.Body body) {}

  private static Parsed parse(BodyAdmission.Body body, Function<byte[], EmbeddingsRequest> parse) {
    try {
      return new Parsed(parse.apply(body.bytes()), body);
    } catch (RuntimeException e) {
      body.reservation().close();
      throw e;
    }
  }

  private CompletionStage<HttpResponse> encode(
      HttpRequest request, Parsed parsed, String id, ResponseType type) {
    EmbeddingsRequest req = parsed.request();
    AdmissionGate.Reservation items;
    try {
      checkModel(req);
      items = images.admit(req.images().size());
    } catch (RuntimeException e) {
      parsed.body().reservation().close();
      throw e;
    }
    AdmissionGate.Reservation body = parsed.body().reservation();
    CompletionStage<HttpResponse> answer =
        urls.resolve(req)
            .whenComplete(
                (resolved, err) -> {
                  if (err != null) {
                    body.close();
                  }
                })
            .thenCompose(
                resolved -> {
                  try {
                    return features(resolved, body, id, request);
                  } catch (RuntimeException e) {
                    body.close();
                    resolved.close();
                    throw e;
                  }
                })
            .thenCompose(features -> pool.submit(() -> render(req, features, type)));
    return answer.whenComplete((ok, err) -> items.close());
  }

  /**
   * The features of a resolved request: dedupe first, then only the images it does not answer are
   * decoded (each under the decode budget) and encoded; the body and fetch budgets go back once the
   * first decoding is done (or at once when nothing needs decoding).
   */
  private CompletionStage<List<FeatureOutput>> features(
      UrlImages.Resolved resolved,
      AdmissionGate.Reservation body,
      String id,
      HttpRequest request) {
    Runnable release =
        () -> {
          body.close();
          resolved.close();
        };
    EmbeddingsRequest req = resolved.request();
    Function<byte[], PixelInput> decode = dedupe.pixels("embeddings", images.processor()::process);
    return dedupe
        .features(
            req.images(),
            req.spec(),
            at ->
                images
                    .preprocess(req.images(), at, decode)
                    .whenComplete((pixels, err) -> release.run())
                    .thenCompose(pixels -> encode(pixels, req, id, request))
                    .thenApply(result -> result.features()))
        .whenComplete((ok, err) -> release.run());
  }

  /** Given up (its items dropped) when the client leaves or the request times out. */
  private CompletionStage<EncodeResult> encode(
      List<PixelInput> pixels, EmbeddingsRequest req, String id, HttpRequest request) {
    CompletableFuture<EncodeResult> work =
        model.vitrail().encode(EncodeRequest.ofPixels("http-" + id, pixels, req.spec()));
    ConnectionWatch.giveUpOnClose(request, work);
    return work.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkModel(EmbeddingsRequest req) {
    if (req.model() != null && !req.model().equals(model.name())) {
      throw new ApiException(
          ErrorKind.UNKNOWN_MODEL,
          "model '"
              + req.model()
              + "' is not served here; this server serves '"
              + model.name()
              + "'");
    }
  }

  private HttpResponse render(EmbeddingsRequest req, List<FeatureOutput> raw, ResponseType type) {
    List<FeatureOutput> features =
        req.spec().pooled() && (req.dimensions() != null || req.normalize())
            ? raw.stream()
                .map(f -> PooledVectors.shape(f, req.dimensions(), req.normalize()))
                .toList()
            : raw;
    HttpResponse response =
        switch (type) {
          case JSON ->
              HttpResponse.create()
                  .withEntity(
                      HttpEntities.create(
                          ContentTypes.APPLICATION_JSON,
                          EmbeddingsResponses.json(model.name(), features, req.format())));
          case SAFETENSORS ->
              HttpResponse.create()
                  .withEntity(
                      HttpEntities.create(
                          ContentTypes.APPLICATION_OCTET_STREAM,
                          EmbeddingsResponses.safetensors(model.name(), features)));
        };
    metrics.succeeded(features.size());
    return response;
  }
}
