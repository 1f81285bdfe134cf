package dev.vitrail.runtime.http;

import dev.vitrail.runtime.model.ServedModel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of one {@link ServedModel}, running in the model's actor system. {@link #close()}
 * stops accepting, answers new requests "shutting down" while the ones in flight finish, and
 * unbinds; the model itself stays open (its owner closes it).
 */
public final class EmbeddingServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
  private final ServerBinding binding;
  private final EmbeddingsHandler handler;
  private final ExecutorService cpu;
  private final ServerMetrics metrics;
  private final HttpSettings settings;

  private EmbeddingServer(
      ServerBinding binding,
      EmbeddingsHandler handler,
      ExecutorService cpu,
      ServerMetrics metrics,
      HttpSettings settings) {
    this.binding = binding;
    this.handler = handler;
    this.cpu = cpu;
    this.metrics = metrics;
    this.settings = settings;
  }

  /** Binds to {@code settings.host():settings.port()} and serves until closed. */
  public static EmbeddingServer start(ServedModel model, HttpSettings settings) {
    ExecutorService cpu =
        Executors.newFixedThreadPool(
            model.vitrail().settings().preprocessThreads(),
            r -> {
              Thread t = new Thread(r, "vitrail-http-preprocess");
              t.setDaemon(true);
              return t;
            });
    ServerMetrics metrics = new ServerMetrics();
    var system = model.vitrail().system();
    EmbeddingsHandler handler = new EmbeddingsHandler(model, settings, metrics, cpu, system);
    VlmEncodeHandler vlm;
    try {
      vlm = VlmEncodeHandler.create(model, settings, metrics, cpu, system, handler::draining);
    } catch (RuntimeException e) {
      cpu.shutdown();
      throw e;
    }
    EmbeddingRoutes routes = new EmbeddingRoutes(model, settings, metrics, handler, vlm);
    try {
      ServerBinding binding =
          Http.get(system)
              .newServerAt(settings.host(), settings.port())
              .bind(routes.route())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      LOG.info(
          "serving model '{}' ({}) on http://{}:{}",
          model.name(),
          model.config().family(),
          binding.localAddress().getHostString(),
          binding.localAddress().getPort());
      return new EmbeddingServer(binding, handler, cpu, metrics, settings);
    } catch (Exception e) {
      cpu.shutdown();
      throw new IllegalStateException(
          "cannot bind "
              + settings.host()
              + ":"
              + settings.port()
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          e);
    }
  }

  /** The address the server listens on (the real port when 0 was asked). */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** The server's HTTP counters. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** Stops taking work: {@code /health} answers 503 and new embeddings requests "shutting down". */
  public void drain() {
    handler.drain();
  }

  /**
   * Drains: new requests get 503, those in flight finish (up to the request timeout), then unbinds.
   */
  @Override
  public void close() {
    handler.drain();
    try {
      binding
          .terminate(settings.requestTimeout().plus(Duration.ofSeconds(1)))
          .toCompletableFuture()
          .get(settings.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("server did not stop cleanly: {}", e.toString());
    } finally {
      cpu.shutdown();
    }
  }
}
