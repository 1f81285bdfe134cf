package dev.vitrail.runtime.http;

import dev.vitrail.runtime.http.wire.WireServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phases of {@link EmbeddingServer#shutdown()}, each logged: drain with the port open, wait for
 * the requests in flight, then unbind.
 */
final class ServerDrain {
  // the server's own logger: the shutdown phases are the server's log lines
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);

  private ServerDrain() {}

  /**
   * Drains {@code lifecycle}, waits up to {@code requestTimeout} (and a second) for the requests in
   * flight, then unbinds {@code binding}. Returns whether everything finished cleanly.
   */
  static boolean drainAndUnbind(Lifecycle lifecycle, WireServer binding, Duration requestTimeout) {
    LOG.info(
        "shutdown: draining; /health answers 503, new requests 503 shutting_down, {} in flight",
        lifecycle.inFlight());
    lifecycle.drain();
    boolean clean = true;
    try {
      if (lifecycle.awaitIdle(requestTimeout.plus(Duration.ofSeconds(1)))) {
        LOG.info("shutdown: the requests in flight are answered");
      } else {
        clean = false;
        LOG.warn(
            "shutdown: {} requests still in flight after {}; closing anyway",
            lifecycle.inFlight(),
            requestTimeout);
      }
      LOG.info("shutdown: closing port {}", binding.localAddress().getPort());
      binding
          .terminate(Duration.ofSeconds(5))
          .get(requestTimeout.toSeconds() + 10, TimeUnit.SECONDS);
      LOG.info("shutdown: HTTP server closed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    } catch (Exception e) {
      clean = false;
      LOG.warn("shutdown: the server did not stop cleanly: {}", e.toString());
    }
    return clean;
  }
}
