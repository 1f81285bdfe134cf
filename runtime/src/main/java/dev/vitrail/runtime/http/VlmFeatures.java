package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import dev.vitrail.runtime.vlm.VlmEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The features of a {@code /v1/vlm/encode} request's planned images that have no file yet, in
 * order: each is looked up by its bytes in the model's dedupe cache ({@link ImageDedupe}) before it
 * is decoded; only the rest are decoded (under the decode budget, errors naming their input) and
 * encoded as one request, given up (its items dropped) when the client leaves ({@link
 * ConnectionWatch}) or the request times out, as for {@code /v1/embeddings}.
 */
final class VlmFeatures {
  private final Duration requestTimeout;

  VlmFeatures(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  /** The features of {@code planned} (from {@code images}) that need encoding, in order. */
  CompletionStage<List<FeatureOutput>> of(
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
    return f.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
