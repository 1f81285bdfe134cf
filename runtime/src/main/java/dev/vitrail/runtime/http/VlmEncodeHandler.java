package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.preprocess.InvalidImageException;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.EcLimitException;
import dev.vitrail.runtime.vlm.EcStorageException;
import dev.vitrail.runtime.vlm.VlmEncoder;
import dev.vitrail.runtime.vlm.VlmResult;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/vlm/encode}: reads the body under the size limit, parses it ({@link
 * VlmEncodeRequestParser}), decodes, plans and keys each image on the preprocessing threads (naming
 * the input that fails), encodes those without a file as one request, then writes files and/or
 * builds content parts; per image the key (the consumer's {@code uuid}), {@code image_grid_thw},
 * the token count, the file and the part. Every failure goes through {@link HttpErrors}.
 */
final class VlmEncodeHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ServedModel model;
  private final VlmEncoder encoder;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final Executor cpu;
  private final ClassicActorSystemProvider system;
  private final BooleanSupplier draining;
  private final VlmEncodeRequestParser parser;

  private VlmEncodeHandler(
      ServedModel model,
      VlmEncoder encoder,
      HttpSettings settings,
      ServerMetrics metrics,
      Executor cpu,
      ClassicActorSystemProvider system,
      BooleanSupplier draining) {
    this.model = model;
    this.encoder = encoder;
    this.settings = settings;
    this.metrics = metrics;
    this.cpu = cpu;
    this.system = system;
    this.draining = draining;
    this.parser =
        new VlmEncodeRequestParser(
            new EmbeddingsRequestParser(
                settings.maxImageBytes(),
                Math.min(settings.maxInputs(), model.vitrail().settings().maxInFlightItems()),
                model.config().numHiddenLayers()),
            encoder != null && encoder.store() != null,
            encoder != null ? encoder.settings().dtype() : null);
  }

  /**
   * The handler of {@code model}: a Qwen2.5-VL model gets its encoder tier ({@code vitrail.vlm}
   * settings, opening the EC directory now), any other answers 404.
   */
  static VlmEncodeHandler create(
      ServedModel model,
      HttpSettings settings,
      ServerMetrics metrics,
      Executor cpu,
      ClassicActorSystemProvider system,
      BooleanSupplier draining) {
    VlmEncoder encoder =
        model.config() instanceof Qwen25VisionConfig
            ? VlmEncoder.open(model, VlmSettings.load())
            : null;
    return new VlmEncodeHandler(model, encoder, settings, metrics, cpu, system, draining);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    CompletionStage<HttpResponse> answer;
    try {
      if (draining.getAsBoolean()) {
        throw new ApiException(
            ErrorKind.SHUTTING_DOWN, "the server is shutting down; send the request elsewhere");
      }
      if (encoder == null) {
        throw new ApiException(
            ErrorKind.UNKNOWN_MODEL,
            "model '"
                + model.name()
                + "' ("
                + model.config().family()
                + ") has no VLM encoder tier; it serves qwen2_5_vl models");
      }
      answer =
          request
              .entity()
              .withSizeLimit(settings.maxBodyBytes())
              .toStrict(settings.requestTimeout().toMillis(), system)
              .thenApplyAsync(strict -> parser.parse(strict.getData().toArray()), cpu)
              .thenCompose(this::encode)
              .thenApply(this::render);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (ok, err) -> {
          if (err == null) {
            return ok;
          }
          ApiException api = HttpErrors.classify(unwrap(err));
          metrics.rejected(api.kind());
          return HttpErrors.response(api, settings.retryAfter());
        });
  }

  private record Done(VlmEncodeRequest request, List<VlmResult> results) {}

  private CompletionStage<Done> encode(VlmEncodeRequest p) {
    EmbeddingsRequest req = p.images();
    if (req.model() != null && !req.model().equals(model.name())) {
      throw new ApiException(
          ErrorKind.UNKNOWN_MODEL,
          "model '"
              + req.model()
              + "' is not served here; this server serves '"
              + model.name()
              + "'");
    }
    List<CompletableFuture<VlmEncoder.Prepared>> prepared = new ArrayList<>();
    for (int i = 0; i < req.images().size(); i++) {
      int index = i;
      prepared.add(
          CompletableFuture.supplyAsync(() -> prepare(req.images().get(index), index, p), cpu));
    }
    return CompletableFuture.allOf(prepared.toArray(CompletableFuture[]::new))
        .thenCompose(
            done ->
                encoder.encode(
                    prepared.stream().map(CompletableFuture::join).toList(), p.output(), cpu))
        .thenApply(results -> new Done(p, results));
  }

  private VlmEncoder.Prepared prepare(byte[] image, int index, VlmEncodeRequest p) {
    try {
      return encoder.prepare(image, p.dtype(), p.output());
    } catch (InvalidImageException e) {
      throw new ApiException(HttpErrors.imageKind(e), "input[" + index + "]: " + e.getMessage(), e);
    } catch (EcLimitException e) {
      throw new ApiException(
          ErrorKind.IMAGE_TOO_LARGE, "input[" + index + "]: " + e.getMessage(), e);
    }
  }

  private HttpResponse render(Done done) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    long tokens = 0;
    for (int i = 0; i < done.results().size(); i++) {
      data.add(VlmResponses.item(i, done.results().get(i)));
      tokens += done.results().get(i).tokens();
    }
    body.put("model", model.name());
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  /** Storage failures are the server's (500), named as such. */
  private static Throwable unwrap(Throwable err) {
    Throwable e = err;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof EcStorageException s
        ? new ApiException(ErrorKind.INTERNAL, "encoder-cache storage: " + s.getMessage(), s)
        : err;
  }
}
