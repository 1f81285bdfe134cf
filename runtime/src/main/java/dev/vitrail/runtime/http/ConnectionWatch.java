package dev.vitrail.runtime.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Notices a client that goes away: each HTTP connection gets one watch, attached to its requests,
 * and when the connection's request side ends (the client closed the connection, or it broke) the
 * work its requests still wait for is given up (cancelled), so that their items are not encoded for
 * nobody. A client that half-closes (shuts down only its sending side) and still waits for the
 * answer counts as gone; common HTTP clients do not do that.
 */
final class ConnectionWatch {
  private static final AttributeKey<ConnectionWatch> KEY =
      AttributeKey.create("vitrail-connection-watch", ConnectionWatch.class);

  /** Work not yet done; each entry removes itself when done, so at most the pipelined requests. */
  private final Set<CompletableFuture<?>> open = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  private ConnectionWatch() {}

  /** {@code route} as a per-connection flow whose requests carry their connection's watch. */
  static Flow<HttpRequest, HttpResponse, NotUsed> flow(
      Route route, ClassicActorSystemProvider system) {
    Flow<HttpRequest, HttpResponse, NotUsed> handler = route.flow(system);
    return Flow.<HttpRequest, HttpResponse, NotUsed>fromMaterializer(
            (mat, attributes) -> {
              ConnectionWatch watch = new ConnectionWatch();
              // The request side ends when the client closes its side of the connection (it
              // left); the response side would only notice when the answer is written.
              return Flow.of(HttpRequest.class)
                  .watchTermination(
                      (m, done) -> {
                        done.whenComplete((d, e) -> watch.close());
                        return NotUsed.getInstance();
                      })
                  .map(r -> r.addAttribute(KEY, watch))
                  .via(handler);
            })
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** Cancels {@code work} if the connection {@code request} came on closes before it is done. */
  static void giveUpOnClose(HttpRequest request, CompletableFuture<?> work) {
    request.getAttribute(KEY).ifPresent(w -> w.watch(work));
  }

  /**
   * {@code work} given up when the client of {@code request} leaves ({@link #giveUpOnClose}) or
   * failed with a timeout after {@code timeout}, the request's own limit: for work such as a URL
   * fetch that stops when its future is cancelled or failed.
   */
  static <T> CompletableFuture<T> forRequest(
      HttpRequest request, CompletableFuture<T> work, Duration timeout) {
    giveUpOnClose(request, work);
    return work.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void watch(CompletableFuture<?> work) {
    open.add(work);
    work.whenComplete((r, e) -> open.remove(work));
    if (closed) {
      work.cancel(false);
    }
  }

  private void close() {
    closed = true;
    open.forEach(f -> f.cancel(false));
  }
}
