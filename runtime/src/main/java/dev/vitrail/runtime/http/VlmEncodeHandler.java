package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.EcLimitException;
import dev.vitrail.runtime.vlm.VlmEncoder;
import dev.vitrail.runtime.vlm.VlmResult;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/vlm/encode} under the same admission as {@code /v1/embeddings}: admits
 * and reads the body ({@link BodyAdmission}), parses it on the bounded pool ({@link
 * VlmEncodeRequestParser}), admits its images and decodes, plans and keys each under the decode
 * budget ({@link ImageAdmission}, naming the input that fails), encodes those without a file as one
 * request, then writes files and/or builds content parts; per image the key (the consumer's {@code
 * uuid}), {@code image_grid_thw}, the token count, the file and the part. Every failure goes
 * through {@link HttpErrors}; every reservation is given back when the answer is ready.
 */
final class VlmEncodeHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ServedModel model;
  private final VlmEncoder encoder;
  private final String refusal;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final DecodePool pool;
  private final BodyAdmission bodies;
  private final ImageAdmission images;
  private final VlmEncodeRequestParser parser;

  private VlmEncodeHandler(
      ServedModel model,
      VlmEncoder encoder,
      String refusal,
      HttpSettings settings,
      ServerMetrics metrics,
      DecodePool pool,
      BodyAdmission bodies,
      ImageAdmission images) {
    this.model = model;
    this.encoder = encoder;
    this.refusal = refusal;
    this.settings = settings;
    this.metrics = metrics;
    this.pool = pool;
    this.bodies = bodies;
    this.images = images;
    // As for /v1/embeddings: a request larger than the admission limits is refused as too large.
    this.parser =
        new VlmEncodeRequestParser(
            new EmbeddingsRequestParser(
                settings.maxImageBytes(),
                Math.min(
                    Math.min(settings.maxInputs(), settings.admission().maxItemsInFlight()),
                    model.vitrail().settings().maxInFlightItems()),
                model.config().numHiddenLayers()),
            encoder != null && encoder.store() != null,
            encoder != null ? encoder.family().inlineRefusal() : null,
            encoder != null ? encoder.settings().dtype() : null);
  }

  /**
   * The handler of {@code model}: a family the tier serves ({@link
   * dev.vitrail.runtime.vlm.VlmFamily}) gets its encoder tier ({@code vitrail.vlm} settings,
   * opening the EC directory now), any other answers 404 naming why.
   */
  static VlmEncodeHandler create(
      ServedModel model,
      HttpSettings settings,
      ServerMetrics metrics,
      DecodePool pool,
      BodyAdmission bodies,
      ImageAdmission images) {
    VlmSettings vlm = VlmSettings.load();
    VlmEncoder encoder;
    String refusal = null;
    try {
      encoder = VlmEncoder.open(model, vlm);
    } catch (IllegalArgumentException e) {
      encoder = null;
      refusal = e.getMessage();
    }
    return new VlmEncodeHandler(model, encoder, refusal, settings, metrics, pool, bodies, images);
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, String requestId) {
    CompletionStage<HttpResponse> answer;
    try {
      if (encoder == null) {
        throw new ApiException(
            ErrorKind.UNKNOWN_MODEL,
            "model '" + model.name() + "' has no VLM encoder tier: " + refusal);
      }
      encoder.metrics().request();
      answer =
          bodies
              .read(request)
              .thenCompose(body -> pool.submit(() -> parse(body)))
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
          ApiException api = HttpErrors.classify(VlmFailures.unwrap(err));
          metrics.rejected(api.kind());
          if (encoder != null) {
            encoder.metrics().error(VlmFailures.storage(err) ? "storage" : api.kind().label());
          }
          return HttpErrors.respond(api, requestId, settings.retryAfter());
        });
  }

  private record Parsed(VlmEncodeRequest request, BodyAdmission.Body body) {}

  private Parsed parse(BodyAdmission.Body body) {
    try {
      return new Parsed(parser.parse(body.bytes()), body);
    } catch (RuntimeException e) {
      body.reservation().close();
      throw e;
    }
  }

  private record Done(VlmEncodeRequest request, List<VlmResult> results) {}

  private CompletionStage<Done> encode(Parsed parsed) {
    VlmEncodeRequest p = parsed.request();
    EmbeddingsRequest req = p.images();
    AdmissionGate.Reservation items;
    try {
      checkModel(req);
      items = images.admit(req.images().size());
    } catch (RuntimeException e) {
      parsed.body().reservation().close();
      throw e;
    }
    CompletionStage<Done> done =
        images
            .each(req.images(), image -> prepare(image, p))
            .whenComplete((prepared, err) -> parsed.body().reservation().close())
            .thenApply(prepared -> checked(prepared, p))
            .thenCompose(
                prepared ->
                    encoder
                        .features(prepared)
                        .thenCompose(
                            f -> pool.submit(() -> encoder.finish(prepared, f, p.output()))))
            .thenApply(results -> new Done(p, results));
    return done.whenComplete((ok, err) -> items.close());
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

  private VlmEncoder.Prepared prepare(byte[] image, VlmEncodeRequest p) {
    try {
      return encoder.prepare(image, p.dtype(), p.output(), p.format());
    } catch (EcLimitException e) {
      throw new ApiException(ErrorKind.IMAGE_TOO_LARGE, e.getMessage(), e);
    }
  }

  private List<VlmEncoder.Prepared> checked(List<VlmEncoder.Prepared> items, VlmEncodeRequest p) {
    try {
      encoder.checkInline(items, p.output());
      return items;
    } catch (EcLimitException e) {
      throw new ApiException(ErrorKind.IMAGE_TOO_LARGE, e.getMessage(), e);
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

  /** The VLM tier's Prometheus text (nothing for a model without a tier). */
  String metricsText() {
    return encoder == null ? "" : encoder.metricsText();
  }
}
