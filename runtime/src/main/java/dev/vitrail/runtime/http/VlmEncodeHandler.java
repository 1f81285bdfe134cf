package dev.vitrail.runtime.http;

import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.VlmEncoder;
import dev.vitrail.runtime.vlm.VlmResult;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code POST /v1/vlm/encode} under the same admission as {@code /v1/embeddings}: admits
 * and reads the body ({@link BodyAdmission}), parses it on the bounded pool ({@link
 * VlmEncodeRequestParser}), admits its images, plans and keys each from its header, looks those
 * without a file up by their bytes in the model's dedupe cache, decodes the rest under the decode
 * budget and encodes them as one request ({@link VlmFeatures}), then writes files and/or builds
 * content parts; per image the key (the consumer's {@code uuid}), {@code image_grid_thw}, the token
 * count, the file and the part. Every failure goes through {@link HttpErrors}; every reservation is
 * given back when the answer is ready. Like {@code /v1/embeddings}, the encode is given up (its
 * items still queued are dropped) when the client closes its connection or the request times out.
 */
final class VlmEncodeHandler {
  private final ServedModels models;
  private final HttpSettings settings;
  private final ServerMetrics metrics;
  private final DecodePool pool;
  private final BodyAdmission bodies;
  private final UrlImages urls;
  private final VlmFeatures features;

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
    this.features = new VlmFeatures(settings.requestTimeout());
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
        urls.resolve(request, req)
            .thenCompose(
                resolved -> {
                  List<byte[]> images = resolved.request().images();
                  return entry
                      .images()
                      .each(
                          images,
                          image ->
                              VlmFailures.withinLimits(
                                  () -> encoder.plan(image, p.dtype(), p.output(), p.format())))
                      .thenApply(planned -> checkedInline(encoder, planned, p))
                      .thenCompose(
                          planned ->
                              features
                                  .of(entry, encoder, images, planned, request)
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

  private static List<VlmEncoder.Prepared> checkedInline(
      VlmEncoder encoder, List<VlmEncoder.Prepared> items, VlmEncodeRequest p) {
    return VlmFailures.withinLimits(
        () -> {
          encoder.checkInline(items, p.output());
          return items;
        });
  }

  private HttpResponse render(Done done) {
    return VlmResponses.list(done.entry().model().name(), done.results());
  }
}
