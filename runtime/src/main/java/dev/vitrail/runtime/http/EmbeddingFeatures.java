package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.EncodeResult;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.model.ServedModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The features of an admitted, URL-resolved {@code /v1/embeddings} request ({@link
 * EmbeddingsHandler}): looked up by image bytes in the model's {@link ImageDedupe}, the rest
 * decoded and encoded as one request, given up when the client leaves or {@code timeout} passes.
 */
final class EmbeddingFeatures {
  private EmbeddingFeatures() {}

  /**
   * The features of a resolved request: dedupe first, then only the images it does not answer are
   * decoded (each under the decode budget) and encoded; the body and fetch budgets go back once the
   * first decoding is done (or at once when nothing needs decoding).
   */
  static CompletionStage<List<FeatureOutput>> of(
      ServedModels.Entry entry,
      UrlImages.Resolved resolved,
      AdmissionGate.Reservation body,
      String id,
      HttpRequest request,
      Duration timeout) {
    Runnable release =
        () -> {
          body.close();
          resolved.close();
        };
    EmbeddingsRequest req = resolved.request();
    ImageDedupe dedupe = entry.dedupe();
    ImageAdmission images = entry.images();
    Function<byte[], PixelInput> decode =
        dedupe.pixels(Vitrail.PIXELS_LABEL, images.processor()::process);
    return dedupe
        .features(
            req.images(),
            req.spec(),
            at ->
                images
                    .preprocess(req.images(), at, decode)
                    .whenComplete((pixels, err) -> release.run())
                    .thenCompose(pixels -> encode(entry.model(), pixels, req, id, request, timeout))
                    .thenApply(result -> result.features()))
        .whenComplete((ok, err) -> release.run());
  }

  /** Given up (its items dropped) when the client leaves or the request times out. */
  private static CompletionStage<EncodeResult> encode(
      ServedModel model,
      List<PixelInput> pixels,
      EmbeddingsRequest req,
      String id,
      HttpRequest request,
      Duration timeout) {
    CompletableFuture<EncodeResult> work =
        model.vitrail().encode(EncodeRequest.ofPixels("http-" + id, pixels, req.spec()));
    ConnectionWatch.giveUpOnClose(request, work);
    return work.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
