package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.EcLimitException;
import dev.vitrail.runtime.vlm.VlmEncoder;
import dev.vitrail.runtime.vlm.VlmResult;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/vlm/encode} under the same admission as {@code /v1/embeddings}: admits
 * and reads the body ({@link BodyAdmission}), parses it on the bounded pool ({@link
 * VlmEncodeRequestParser}), admits its images, plans and keys each from its header, looks those
 * without a file up by their bytes in the model's dedupe cache ({@link ImageDedupe}), decodes the
 * rest under the decode budget ({@link ImageAdmission}, naming the input that fails) and encodes
 * them as one request, then writes files and/or builds content parts; per image the key (the
 * consumer's {@code uuid}), {@code image_grid_thw}, the token count, the file and the part. Every
 * failure goes through {@link HttpErrors}; every reservation is given back when the answer is
 * ready. Like {@code /v1/embeddings}, the encode is given up (its items still queued are dropped)
 * when the client closes its connection ({@link ConnectionWatch}) or the request times out.
 */
final class VlmEncodeHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ServedModels models;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final DecodePool pool;
  private final BodyAdmission bodies;
  private final UrlImages urls;

  VlmEncodeHandler(
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
   * A model's encoder tier, or why it has none.
   *
   * @param encoder the tier, or null
   * @param refusal why there is none, or null
   */
  record Tier(VlmEncoder encoder, String refusal) {}

  /**
   * The encoder tier of {@code model}: a family the tier serves ({@link
   * dev.vitrail.runtime.vlm.VlmFamily}) gets one ({@code vitrail.vlm} settings, opening the EC
   * directory now); any other none, and its requests answer 404 naming why.
   */
  static Tier tier(ServedModel model) {
    try {
      return new Tier(VlmEncoder.open(model, VlmSettings.load()), null);
    } catch (IllegalArgumentException e) {
      return new Tier(null, e.getMessage());
    }
  }

  /** The VLM tiers' Prometheus text (nothing for models without a tier). */
  String metricsText() {
    StringBuilder text = new StringBuilder();
    for (ServedModels.Entry e : models.all()) {
      if (e.vlm() != null) {
        text.append(e.vlm().metricsText());
      }
    }
    return text.toString();
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, String requestId) {
    CompletionStage<HttpResponse> answer;
    AtomicReference<VlmEncoder> picked = new AtomicReference<>();
    try {
      answer =
          bodies
              .read(request)
              .thenCompose(body -> pool.submit(() -> parse(body, picked)))
              .thenCompose(parsed -> encode(parsed, request))
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
          VlmEncoder encoder = picked.get();
          if (encoder != null) {
            encoder.metrics().error(VlmFailures.storage(err) ? "storage" : api.kind().label());
          }
          return HttpErrors.respond(api, requestId, settings.retryAfter());
        });
  }

  private record Parsed(
      ServedModels.Entry entry, VlmEncodeRequest request, BodyAdmission.Body body) {}

  private Parsed parse(BodyAdmission.Body body, AtomicReference<VlmEncoder> picked) {
    try {
      ServedModels.Entry entry = models.pick(ModelField.of(body.bytes()));
      VlmEncoder encoder = entry.vlm();
      if (encoder == null) {
        throw new ApiException(
            ErrorKind.UNKNOWN_MODEL,
            "model '"
                + entry.model().name()
                + "' ("
                + entry.model().config().family()
                + ") has no VLM encoder tier: "
                + entry.vlmRefusal());
      }
      picked.set(encoder);
      encoder.metrics().request();
      // As for /v1/embeddings: a request larger than the admission limits is refused as too large.
      VlmEncodeRequestParser parser =
          new VlmEncodeRequestParser(
              entry.parser(),
              encoder.store() != null,
              encoder.family().inlineRefusal(),
              encoder.settings().dtype());
      return new Parsed(entry, parser.parse(body.bytes()), body);
    } catch (RuntimeException e) {
      body.reservation().close();
      throw e;
    }
  }

  private record Done(ServedModels.Entry entry, List<VlmResult> results) {}

  private CompletionStage<Done> encode(Parsed parsed, HttpRequest request) {
    VlmEncodeRequest p = parsed.request();
    EmbeddingsRequest req = p.images();
    ServedModels.Entry entry = parsed.entry();
    AdmissionGate.Reservation items;
    try {
      items = entry.images().admit(req.images().size());
    } catch (RuntimeException e) {
      parsed.body().reservation().close();
      throw e;
    }
    VlmEncoder encoder = entry.vlm();
    CompletionStage<Done> done =
        urls.resolve(req)
            .thenCompose(
                resolved -> {
                  List<byte[]> images = resolved.request().images();
                  return entry
                      .images()
                      .each(images, image -> plan(encoder, image, p))
                      .thenApply(planned -> checked(encoder, planned, p))
                      .thenCompose(
                          planned ->
                              features(entry, encoder, images, planned, request)
                                  .thenCompose(
                                      f ->
                                          pool.submit(
                                              () -> encoder.finish(planned, f, p.output()))))
                      .whenComplete((results, err) -> resolved.close());
                })
            .whenComplete((results, err) -> parsed.body().reservation().close())
            .thenApply(results -> new Done(entry, results));
    return done.whenComplete((ok, err) -> items.close());
  }

  /**
   * The features of the planned images that have no file yet, in order: each is looked up by its
   * bytes in the model's dedupe cache before it is decoded; only the rest are decoded (under the
   * decode budget, errors naming their input) and encoded as one request, given up (its items
   * dropped) when the client leaves or the request times out, as for {@code /v1/embeddings}.
   */
  private CompletionStage<List<FeatureOutput>> features(
      ServedModels.Entry entry,
      VlmEncoder encoder,
      List<byte[]> images,
      List<VlmEncoder.Prepared> planned,
      HttpRequest request) {
    List<Integer> need = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      if (!planned.get(i).cached()) {
        need.add(i);
      }
    }
    if (need.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    ImageDedupe dedupe = entry.dedupe();
    Function<byte[], PixelInput> decode = dedupe.pixels(encoder.dedupeOptions(), encoder::pixels);
    return dedupe.features(
        need.stream().map(images::get).toList(),
        encoder.dedupeOptions(),
        at ->
            entry
                .images()
                .preprocess(images, at.stream().map(need::get).toList(), decode)
                .thenCompose(pixels -> givenUpOnLeave(encoder.encode(pixels), request)));
  }

  /** Cancelled when the connection {@code request} came on closes, or after the request timeout. */
  private <T> CompletionStage<T> givenUpOnLeave(CompletionStage<T> work, HttpRequest request) {
    CompletableFuture<T> f = work.toCompletableFuture();
    ConnectionWatch.giveUpOnClose(request, f);
    return f.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static VlmEncoder.Prepared plan(VlmEncoder encoder, byte[] image, VlmEncodeRequest p) {
    try {
      return encoder.plan(image, p.dtype(), p.output(), p.format());
    } catch (EcLimitException e) {
      throw new ApiException(ErrorKind.IMAGE_TOO_LARGE, e.getMessage(), e);
    }
  }

  private static List<VlmEncoder.Prepared> checked(
      VlmEncoder encoder, List<VlmEncoder.Prepared> items, VlmEncodeRequest p) {
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
    body.put("model", done.entry().model().name());
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
