package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.InvalidImageException;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.model.ServedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/embeddings}: reads the body under the size limit, parses it, decodes and
 * preprocesses each image on the preprocessing threads (naming the input that fails), encodes them
 * as one request and renders JSON or safetensors. Every failure goes through {@link HttpErrors}.
 */
final class EmbeddingsHandler {
  private final ServedModel model;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final Executor cpu;
  private final ClassicActorSystemProvider system;
  private final EmbeddingsRequestParser parser;
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean draining;

  EmbeddingsHandler(
      ServedModel model,
      HttpSettings settings,
      ServerMetrics metrics,
      Executor cpu,
      ClassicActorSystemProvider system) {
    this.model = model;
    this.settings = settings;
    this.metrics = metrics;
    this.cpu = cpu;
    this.system = system;
    // A request larger than the admission limit could never be admitted: refuse it as too large.
    this.parser =
        new EmbeddingsRequestParser(
            settings.maxImageBytes(),
            Math.min(settings.maxInputs(), model.vitrail().settings().maxInFlightItems()),
            model.config().numHiddenLayers());
  }

  /** From now on new requests are answered "shutting down". */
  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    metrics.started();
    CompletionStage<HttpResponse> answer;
    try {
      ResponseType type =
          ResponseType.negotiate(request.getHeader("Accept").map(h -> h.value()).orElse(null));
      if (draining) {
        throw new ApiException(
            ErrorKind.SHUTTING_DOWN, "the server is shutting down; send the request elsewhere");
      }
      answer =
          request
              .entity()
              .withSizeLimit(settings.maxBodyBytes())
              .toStrict(settings.requestTimeout().toMillis(), system)
              .thenApplyAsync(strict -> parser.parse(strict.getData().toArray()), cpu)
              .thenCompose(this::encode)
              .thenApplyAsync(outputs -> render(outputs.request(), outputs.features(), type), cpu);
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
          return HttpErrors.response(api, settings.retryAfter());
        });
  }

  private record Encoded(EmbeddingsRequest request, List<FeatureOutput> features) {}

  private CompletionStage<Encoded> encode(EmbeddingsRequest req) {
    if (req.model() != null && !req.model().equals(model.name())) {
      throw new ApiException(
          ErrorKind.UNKNOWN_MODEL,
          "model '"
              + req.model()
              + "' is not served here; this server serves '"
              + model.name()
              + "'");
    }
    List<CompletableFuture<PixelInput>> pixels = new ArrayList<>();
    for (int i = 0; i < req.images().size(); i++) {
      int index = i;
      pixels.add(
          CompletableFuture.supplyAsync(() -> preprocess(req.images().get(index), index), cpu));
    }
    return CompletableFuture.allOf(pixels.toArray(CompletableFuture[]::new))
        .thenCompose(
            done ->
                model
                    .vitrail()
                    .encode(
                        EncodeRequest.ofPixels(
                            "http-" + ids.incrementAndGet(),
                            pixels.stream().map(CompletableFuture::join).toList(),
                            req.spec())))
        .thenApply(result -> new Encoded(req, result.features()));
  }

  private PixelInput preprocess(byte[] image, int index) {
    try {
      return model.processor().process(image);
    } catch (InvalidImageException e) {
      throw new ApiException(HttpErrors.imageKind(e), "input[" + index + "]: " + e.getMessage(), e);
    }
  }

  private HttpResponse render(
      EmbeddingsRequest req, List<FeatureOutput> features, ResponseType type) {
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
