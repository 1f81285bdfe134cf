package dev.vitrail.runtime.api;

import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The pixels of a request's inputs for {@link Vitrail}: ready pixels as they are, encoded image
 * bytes through the preprocessor on Vitrail's own preprocess threads.
 */
final class RequestPixels {
  private final Function<byte[], PixelInput> preprocessor;
  private final ExecutorService preprocessPool;

  /** {@code preprocessor} may be null (ready-pixel inputs only). */
  RequestPixels(Function<byte[], PixelInput> preprocessor, int threads) {
    this.preprocessor = preprocessor;
    this.preprocessPool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "vitrail-preprocess");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The request's pixels in input order, at once when every input is ready pixels; fails when the
   * request has encoded image bytes and there is no preprocessor.
   */
  CompletionStage<List<PixelInput>> of(EncodeRequest request) {
    boolean allPixels = request.inputs().stream().allMatch(i -> i instanceof EncodeInput.Pixels);
    if (allPixels) {
      return CompletableFuture.completedFuture(
          request.inputs().stream().map(i -> ((EncodeInput.Pixels) i).pixels()).toList());
    }
    if (preprocessor == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "request "
                  + request.id()
                  + " has encoded image bytes but Vitrail was started without a preprocessor"));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          List<PixelInput> out = new ArrayList<>();
          for (EncodeInput in : request.inputs()) {
            out.add(
                in instanceof EncodeInput.Pixels p
                    ? p.pixels()
                    : preprocessor.apply(((EncodeInput.EncodedImage) in).bytes()));
          }
          return out;
        },
        preprocessPool);
  }

  /** Stops the preprocess threads once their queued work is done. */
  void shutdown() {
    preprocessPool.shutdown();
  }
}
