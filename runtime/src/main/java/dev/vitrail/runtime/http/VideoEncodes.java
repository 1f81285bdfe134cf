package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.RejectedException;
import dev.vitrail.runtime.video.VideoInput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.japi.Pair;

/**
 * Encodes the batches of one {@code /v1/video} answer with the request's model and feature options,
 * retrying a batch while the supervisor answers busy, up to {@code wait} (the request timeout) from
 * the batch's first try.
 */
final class VideoEncodes {
  private final VideoRequest q;
  private final String id;
  private final Duration wait;

  VideoEncodes(VideoRequest q, String id, Duration wait) {
    this.q = q;
    this.id = id;
    this.wait = wait;
  }

  /** The batch with its features, in order. */
  CompletionStage<Pair<List<VideoInput>, List<FeatureOutput>>> encode(List<VideoInput> batch) {
    List<PixelInput> pixels = batch.stream().map(VideoInput::pixels).toList();
    CompletableFuture<Pair<List<VideoInput>, List<FeatureOutput>>> out = new CompletableFuture<>();
    attempt(batch, pixels, System.nanoTime() + wait.toNanos(), out);
    return out;
  }

  private void attempt(
      List<VideoInput> batch,
      List<PixelInput> pixels,
      long deadline,
      CompletableFuture<Pair<List<VideoInput>, List<FeatureOutput>>> out) {
    q.entry()
        .model()
        .vitrail()
        .encode(EncodeRequest.ofPixels("http-video-" + id, pixels, q.options().spec()))
        .whenComplete(
            (result, err) -> {
              Throwable cause = err instanceof CompletionException c ? c.getCause() : err;
              if (err == null) {
                out.complete(Pair.create(batch, result.features()));
              } else if (cause instanceof RejectedException r
                  && r.busy()
                  && System.nanoTime() < deadline) {
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)
                    .execute(() -> attempt(batch, pixels, deadline, out));
              } else {
                out.completeExceptionally(err);
              }
            });
  }
}
