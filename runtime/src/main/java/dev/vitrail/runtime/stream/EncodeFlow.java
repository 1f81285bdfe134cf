package dev.vitrail.runtime.stream;

import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.EncodeResult;
import dev.vitrail.runtime.api.RejectedException;
import dev.vitrail.runtime.api.Vitrail;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Flows over a {@link Vitrail}: at most {@code vitrail.stream.max-in-flight-requests} requests are
 * in flight, so demand stops at the source once they are taken. A request rejected as busy (another
 * user filled the runtime) is retried after a short pause instead of failing the stream.
 */
public final class EncodeFlow {
  private static final Duration BUSY_PAUSE = Duration.ofMillis(20);

  private EncodeFlow() {}

  /** Results in request order. */
  public static Flow<EncodeRequest, EncodeResult, NotUsed> ordered(Vitrail vitrail) {
    return Flow.<EncodeRequest>create()
        .mapAsync(
            vitrail.settings().streamMaxInFlightRequests(), r -> encodeRetryingBusy(vitrail, r));
  }

  /** Results as they complete. */
  public static Flow<EncodeRequest, EncodeResult, NotUsed> unordered(Vitrail vitrail) {
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
