package dev.vitrail.runtime.http;

import dev.vitrail.runtime.fetch.HostResolver;
import dev.vitrail.runtime.fetch.UrlFetcher;
import dev.vitrail.runtime.http.wire.HttpConnectionFlow;
import dev.vitrail.runtime.http.wire.WireServer;
import dev.vitrail.runtime.model.ServedModel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of one {@link ServedModel}, running in the model's actor system. {@link
 * #shutdown()} keeps the port open while it drains (new work answered "shutting down", {@code
 * /health} 503), waits for the requests in flight, then unbinds; the model itself stays open (its
 * owner closes it).
 */
public final class EmbeddingServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
  private final WireServer binding;
  private final Lifecycle lifecycle;
  private final DecodePool pool;
  private final ServerMetrics metrics;
  private final HttpSettings settings;
  private final UrlFetcher fetcher;
  private boolean closed;

  private EmbeddingServer(
      WireServer binding,
      Lifecycle lifecycle,
      DecodePool pool,
      ServerMetrics metrics,
      HttpSettings settings,
      UrlFetcher fetcher) {
    this.fetcher = fetcher;
    this.binding = binding;
    this.lifecycle = lifecycle;
    this.pool = pool;
    this.metrics = metrics;
    this.settings = settings;
  }

  /**
   * Binds to {@code settings.host():settings.port()} and serves until closed.
   *
   * @throws dev.vitrail.config.settings.InvalidSettingsException when the settings cannot fit the
   *     JVM's maximum heap ({@link MemoryBudget})
   */
  public static EmbeddingServer start(ServedModel model, HttpSettings settings) {
    return start(List.of(model), settings, VideoSettings.load());
  }

  /**
   * As {@link #start(ServedModel, HttpSettings)}, resolving fetched URLs' hosts with {@code dns}.
   */
  static EmbeddingServer start(ServedModel model, HttpSettings settings, HostResolver dns) {
    return start(List.of(model), settings, VideoSettings.load(), dns);
  }

  /**
   * Serves several models on one port: a request's {@code model} picks one (and may be left out
   * only when one is served). Each model has its own workers, runtime limits and dedupe caches; the
   * HTTP admission budgets are the server's, shared. The server runs in the first model's actor
   * system. With {@code vitrail.http.fetch} on, one URL fetcher serves image URLs and {@code POST
   * /v1/video?url=} alike.
   *
   * @throws dev.vitrail.config.settings.InvalidSettingsException when the settings cannot fit the
   *     JVM's maximum heap with every model's images ({@link MemoryBudget})
   */
  public static EmbeddingServer start(
      List<ServedModel> served, HttpSettings settings, VideoSettings video) {
    return start(served, settings, video, HostResolver.system());
  }

  /**
   * As {@link #start(List, HttpSettings, VideoSettings)}, resolving URLs' hosts with {@code dns}.
   */
  static EmbeddingServer start(
      List<ServedModel> served, HttpSettings settings, VideoSettings video, HostResolver dns) {
    ServedModel model = served.get(0);
    int threads = model.vitrail().settings().preprocessThreads();
    long bytesPerItem = 0;
    for (ServedModel m : served) {
      bytesPerItem = Math.max(bytesPerItem, ItemCost.bytesPerItem(m.processor(), m.config()));
    }
    // The item budget is shared, so its term is that of the model with the largest images.
    MemoryBudget budget = MemoryBudget.of(settings, threads, bytesPerItem, served.size());
    budget.check(Runtime.getRuntime().maxMemory());
    var system = model.vitrail().system();
    AdmissionGate gate = new AdmissionGate(settings.admission());
    UrlFetcher fetcher = // first: it refuses an unreadable trust store before any thread starts
        settings.fetch().enabled() ? new UrlFetcher(settings.fetch(), dns, system) : null;
    DecodePool pool = new DecodePool(threads, settings.admission().decodeQueue());
    Lifecycle lifecycle = new Lifecycle();
    ServerMetrics metrics = new ServerMetrics();
    BodyAdmission bodies = new BodyAdmission(settings, gate, system, lifecycle::draining);
    UrlImages urls =
        new UrlImages(fetcher, gate, settings.maxImageBytes(), settings.requestTimeout());
    UrlVideos videoUrls = new UrlVideos(fetcher);
    ServedModels models = ServedModels.open(served, settings, gate, pool, urls, metrics);
    EmbeddingsHandler handler =
        new EmbeddingsHandler(models, settings, metrics, pool, bodies, urls);
    VlmEncodeHandler vlm = new VlmEncodeHandler(models, settings, metrics, pool, bodies, urls);
    VideoHandler videos =
        new VideoHandler(
            models, settings, video, metrics, pool, gate, lifecycle, system, videoUrls);
    EmbeddingRoutes routes =
        new EmbeddingRoutes(models, settings, metrics, handler, vlm, videos, lifecycle, gate);
    try {
      ServerSettings pekko = PekkoServerSettings.of(settings, system.settings().config());
      Flow<HttpRequest, HttpResponse, NotUsed> perConnection =
          ConnectionWatch.flow(routes.route(), system);
      WireServer binding =
          WireServer.bind(
              settings.host(),
              settings.port(),
              settings.admission().maxConnections(),
              new BodyDrops(gate, settings.maxBodyBytes(), lifecycle::draining, metrics),
              remote -> HttpConnectionFlow.of(system, pekko, perConnection, remote),
              Materializer.matFromSystem(system),
              system.executionContext());
      LOG.info(
          "serving {} on http://{}:{}; memory budget {} MiB of {} MiB heap",
          served.stream()
              .map(m -> "model '" + m.name() + "' (" + m.config().family() + ")")
              .collect(Collectors.joining(", ")),
          binding.localAddress().getHostString(),
          binding.localAddress().getPort(),
          budget.total() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
      return new EmbeddingServer(binding, lifecycle, pool, metrics, settings, fetcher);
    } catch (Exception e) {
      pool.close();
      if (fetcher != null) {
        fetcher.close();
      }
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

  /** Stops taking work: {@code /health} answers 503 and new work requests "shutting down". */
  public void drain() {
    lifecycle.drain();
  }

  /**
   * Drains with the port open (each phase logged), waits up to the request timeout for the requests
   * in flight, then unbinds. Returns whether everything finished cleanly; later calls do nothing.
   */
  public synchronized boolean shutdown() {
    if (closed) {
      return true;
    }
    closed = true;
    try {
      return ServerDrain.drainAndUnbind(lifecycle, binding, settings.requestTimeout());
    } finally {
      pool.close();
      if (fetcher != null) {
        fetcher.close();
      }
    }
  }

  /** {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }
}
