package dev.vitrail.runtime.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The Pekko Streams flows behind {@link Vitrail#flow()} and {@link Vitrail#unorderedFlow()}, whose
 * demand reaches back to the source: at most {@code vitrail.stream.max-in-flight-requests} requests
 * are in flight, so demand stops at the source once they are taken. A request rejected as busy
 * (another user filled the runtime) is retried after a short pause instead of failing the stream.
 */
final class EncodeFlow {
  private static final Duration BUSY_PAUSE = Duration.ofMillis(20);

  private EncodeFlow() {}

  /** Results in request order. */
  static Flow<EncodeRequest, EncodeResult, NotUsed> ordered(Vitrail vitrail) {
    return Flow.<EncodeRequest>create()
        .mapAsync(
            vitrail.settings().streamMaxInFlightRequests(), r -> encodeRetryingBusy(vitrail, r));
  }

  /** Results as they complete. */
  static Flow<EncodeRequest, EncodeResult, NotUsed> unordered(Vitrail vitrail) {
    return Flow.<EncodeRequest>create()
        .mapAsyncUnordered(
            vitrail.settings().streamMaxInFlightRequests(), r -> encodeRetryingBusy(vitrail, r));
  }

  private static CompletionStage<EncodeResult> encodeRetryingBusy(
      Vitrail vitrail, EncodeRequest r) {
    return vitrail
        .encode(r)
        .handle(
            (ok, err) -> {
              Throwable cause =
                  err instanceof CompletionException && err.getCause() != null
                      ? err.getCause()
                      : err;
              if (cause instanceof RejectedException rej && rej.busy()) {
                return Patterns.after(
                    BUSY_PAUSE,
                    vitrail.system().classicSystem().scheduler(),
                    vitrail.system().executionContext(),
                    () -> encodeRetryingBusy(vitrail, r));
              }
              return err == null
                  ? CompletableFuture.completedFuture(ok)
                  : CompletableFuture.<EncodeResult>failedFuture(cause);
            })
        .thenCompose(s -> s);
  }
}
