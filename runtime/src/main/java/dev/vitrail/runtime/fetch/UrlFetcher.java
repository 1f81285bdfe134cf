package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.OutgoingConnectionBuilder;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Fetches image URLs under {@link FetchSettings}: each hop's URL is checked against the {@link
 * UrlPolicy}, its host resolved once and every address checked, then the connection goes to the
 * checked address itself (a pinned resolver: no second lookup, so DNS rebinding cannot move it; TLS
 * still verifies the URL's host name). Redirects are followed by hand with the same checks and a
 * hop limit; connect, read and whole-fetch timeouts apply; the byte limit is enforced while the
 * body streams. At most {@code max-concurrent} fetches run at once (one TCP connection each, no
 * pool); beyond that a fetch fails at once as {@link Reason#BUSY}. Reusable by any endpoint.
 */
public final class UrlFetcher implements AutoCloseable {
  private final FetchSettings settings;
  private final UrlPolicy policy;
  private final HostResolver resolver;
  private final ClassicActorSystemProvider system;
  private final Semaphore running;
  private final ThreadPoolExecutor dns;

  /** A downloaded image: its bytes, declared content type (or null) and the URL that served it. */
  public record Fetched(byte[] bytes, String contentType, URI url) {}

  /**
   * A fetcher of {@code settings} resolving with {@code resolver}, connecting from {@code system}.
   */
  public UrlFetcher(
      FetchSettings settings, HostResolver resolver, ClassicActorSystemProvider system) {
    this.settings = settings;
    this.policy = settings.policy();
    this.resolver = resolver;
    this.system = system;
    this.running = new Semaphore(settings.maxConcurrent());
    AtomicInteger n = new AtomicInteger();
    // Blocking DNS lookups; the semaphore bounds them to max-concurrent (queue for lookups that
    // outlive their timed-out fetch).
    this.dns =
        new ThreadPoolExecutor(
            settings.maxConcurrent(),
            settings.maxConcurrent(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.maxConcurrent()),
            r -> {
              Thread t = new Thread(r, "vitrail-fetch-dns-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    dns.allowCoreThreadTimeOut(true);
  }

  /** The settings in use. */
  public FetchSettings settings() {
    return settings;
  }

  /** The allow-list policy (for checking URLs before any work is admitted). */
  public UrlPolicy policy() {
    return policy;
  }

  /** Fetches in flight now. */
  public int running() {
    return settings.maxConcurrent() - running.availablePermits();
  }

  /**
   * The image at {@code url} (parsed by {@link UrlPolicy#parse}); the stage fails with a {@link
   * FetchException} naming the reason.
   */
  public CompletionStage<Fetched> fetch(URI url) {
    if (!running.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new FetchException(
              Reason.BUSY,
              "the server is fetching as many URLs as it may at once"
                  + " (vitrail.http.fetch.max-concurrent = "
                  + settings.maxConcurrent()
                  + "); retry later"));
    }
    CompletableFuture<Fetched> inner;
    try {
      inner = hop(url, 0).toCompletableFuture();
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((ok, err) -> running.release());
    return inner
        .copy()
        .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (ok, err) -> {
              if (err != null) {
                throw FetchErrors.of(url, err, settings);
              }
              return ok;
            });
  }

  private CompletionStage<Fetched> hop(URI url, int redirects) {
    policy.checkUrl(url);
    String host = UrlPolicy.host(url);
    boolean https = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    return resolve(host)
        .thenCompose(
            addresses -> {
              policy.checkAddresses(host, addresses);
              return send(url, host, https, new InetSocketAddress(addresses[0], port));
            })
        .thenCompose(response -> answer(url, response, redirects));
  }

  private CompletableFuture<InetAddress[]> resolve(String host) {
    try {
      return CompletableFuture.supplyAsync(
              () -> {
                try {
                  return resolver.resolve(host);
                } catch (UnknownHostException e) {
                  throw new FetchException(
                      Reason.FAILED, "cannot resolve host '" + host + "': " + e.getMessage(), e);
                }
              },
              dns)
          .orTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new FetchException(Reason.BUSY, "too many DNS lookups at once; retry later", e));
    }
  }

  private CompletionStage<HttpResponse> send(
      URI url, String host, boolean https, InetSocketAddress pinned) {
    ClientConnectionSettings cs =
        ClientConnectionSettings.create(system.classicSystem())
            .withConnectingTimeout(settings.connectTimeout())
            .withIdleTimeout(settings.readTimeout())
            .withTransport(
                ClientTransport.withCustomResolver(
                    (h, p) -> CompletableFuture.completedFuture(pinned)));
    OutgoingConnectionBuilder builder =
        Http.get(system)
            .connectionTo(host)
            .toPort(pinned.getPort())
            .withClientConnectionSettings(cs);
    String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    HttpRequest request = HttpRequest.GET(target).addHeader(Connection.create("close"));
    return Source.single(request)
        .via(https ? builder.https() : builder.http())
        .runWith(Sink.head(), system)
        .toCompletableFuture()
        .orTimeout(
            settings.connectTimeout().plus(settings.readTimeout()).toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private CompletionStage<Fetched> answer(URI url, HttpResponse response, int redirects) {
    int status = response.status().intValue();
    if (status >= 300 && status < 400 && status != 304) {
      response.discardEntityBytes(system);
      String location = response.getHeader("Location").map(h -> h.value()).orElse(null);
      if (location == null) {
        throw new FetchException(Reason.FAILED, url + " answered " + status + " without Location");
      }
      if (redirects >= settings.maxRedirects()) {
        throw new FetchException(
            Reason.TOO_MANY_REDIRECTS,
            "more than vitrail.http.fetch.max-redirects = "
                + settings.maxRedirects()
                + " redirects from "
                + UrlPolicy.abbreviate(url.toString()));
      }
      URI next = policy.parse(url.resolve(location.strip()).toString());
      return hop(next, redirects + 1);
    }
    if (status < 200 || status >= 300) {
      response.discardEntityBytes(system);
      throw new FetchException(
          Reason.FAILED, UrlPolicy.abbreviate(url.toString()) + " answered HTTP " + status);
    }
    String type = response.entity().getContentType().mediaType().toString();
    String lower = type.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("image/")
        && !lower.equals("application/octet-stream")
        && !lower.equals("binary/octet-stream")) {
      response.discardEntityBytes(system);
      throw new FetchException(
          Reason.NOT_IMAGE,
          UrlPolicy.abbreviate(url.toString()) + " is '" + type + "', not an image");
    }
    return BoundedBody.read(response.entity(), settings, url, system)
        .thenApply(bytes -> new Fetched(bytes, type, url));
  }

  /** Stops the DNS threads (fetches in flight fail or finish on their own timeouts). */
  @Override
  public void close() {
    dns.shutdownNow();
  }
}
