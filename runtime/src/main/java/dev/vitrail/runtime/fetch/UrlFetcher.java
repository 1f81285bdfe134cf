package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;

/**
 * Fetches image and video URLs under {@link FetchSettings}: each hop is checked, resolved once and
 * pinned to a checked address ({@link FetchHops}); redirects are followed with the same checks;
 * connect, read and whole-fetch timeouts apply; the declared content type must be the kind asked
 * for ({@link MediaKind}); the byte limit is enforced while the body streams, into memory (images)
 * or into a file (videos, {@link #download}). At most {@code max-concurrent} fetches of either kind
 * run at once (one connection each, no pool); beyond that a fetch fails at once as {@link
 * Reason#BUSY}. A fetch whose future is cancelled or failed by its caller (its client left, its
 * request timed out) stops: its body stream is aborted, so its connection closes, a partial file
 * stops growing and its {@code max-concurrent} place comes back. Reusable by any endpoint.
 */
public final class UrlFetcher implements AutoCloseable {
  private final FetchSettings settings;
  private final UrlPolicy policy;
  private final ClassicActorSystemProvider system;
  private final Semaphore running;
  private final HostLookups dns;
  private final FetchHops hops;

  /** A downloaded image: its bytes, declared content type (or null) and the URL that served it. */
  public record Fetched(byte[] bytes, String contentType, URI url) {}

  /**
   * A fetcher of {@code settings} resolving with {@code resolver}, connecting from {@code system}.
   *
   * @throws dev.vitrail.config.settings.InvalidSettingsException when the trust store cannot be
   *     read
   */
  public UrlFetcher(
      FetchSettings settings, HostResolver resolver, ClassicActorSystemProvider system) {
    this.settings = settings;
    this.policy = settings.policy();
    this.system = system;
    this.running = new Semaphore(settings.maxConcurrent());
    this.dns = new HostLookups(resolver, settings.maxConcurrent(), settings.connectTimeout());
    this.hops = new FetchHops(settings, policy, dns, FetchTls.context(settings), system);
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
   * The image at {@code url} (parsed by {@link UrlPolicy#parse}), at most {@code max-bytes}; the
   * future fails with a {@link FetchException} naming the reason. Cancelling it stops the fetch.
   */
  public CompletableFuture<Fetched> fetch(URI url) {
    return run(
        url,
        MediaKind.IMAGE,
        (entity, from, stop) ->
            new BoundedBody(
                    settings.maxBytes(), "vitrail.http.fetch.max-bytes", settings, url, stop)
                .read(entity, system)
                .thenApply(
                    bytes ->
                        new Fetched(bytes, entity.getContentType().mediaType().toString(), from)));
  }

  /**
   * Writes the video at {@code url} (parsed by {@link UrlPolicy#parse}) to {@code target} as it
   * arrives, at most {@code maxBytes} (the setting {@code limit} names); the future holds the bytes
   * written, or fails with a {@link FetchException} naming the reason (the caller deletes the
   * partial file). Cancelling it, or failing it (e.g. {@code orTimeout}), stops the download.
   */
  public CompletableFuture<Long> download(URI url, Path target, long maxBytes, String limit) {
    return run(
        url,
        MediaKind.VIDEO,
        (entity, from, stop) ->
            new BoundedBody(maxBytes, limit, settings, url, stop).write(entity, target, system));
  }

  /**
   * What a fetch does with the entity of its 2xx answer from URL {@code from}; its body stream goes
   * through {@code stop}, which the fetch aborts when its caller gives up.
   */
  @FunctionalInterface
  private interface Reader<T> {
    CompletionStage<T> read(HttpEntity entity, URI from, SharedKillSwitch stop);
  }

  private <T> CompletableFuture<T> run(URI url, MediaKind kind, Reader<T> reader) {
    if (!running.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new FetchException(
              Reason.BUSY,
              "the server is fetching as many URLs as it may at once"
                  + " (vitrail.http.fetch.max-concurrent = "
                  + settings.maxConcurrent()
                  + "); retry later"));
    }
    SharedKillSwitch stop = KillSwitches.shared("url-fetch");
    CompletableFuture<T> inner;
    try {
      inner = hops.follow(url).thenCompose(typed(kind, reader, stop)).toCompletableFuture();
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    // The place comes back before the answer goes on (not in a side branch, which
    // CompletableFuture may fire after it): a caller that fetches again at once is not refused.
    CompletableFuture<T> answer =
        inner
            .whenComplete((ok, err) -> running.release())
            .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
            .handle(
                (ok, err) -> {
                  if (err != null) {
                    throw FetchErrors.of(url, err, settings);
                  }
                  return ok;
                });
    // Given up (cancelled, timed out, failed by the caller): the body stream stops. A no-op when
    // the body is done; before the answer arrives, its body stream aborts as it starts.
    answer.whenComplete(
        (ok, err) -> {
          if (err != null) {
            stop.abort(new CancellationException("the fetch of " + url + " was given up"));
          }
        });
    return answer;
  }

  private <T> Function<FetchHops.Answer, CompletionStage<T>> typed(
      MediaKind kind, Reader<T> reader, SharedKillSwitch stop) {
    return answer -> {
      HttpEntity entity = answer.response().entity();
      var media = entity.getContentType().mediaType();
      try {
        kind.check(
            media.mainType() + "/" + media.subType(),
            UrlPolicy.abbreviate(answer.url().toString()));
      } catch (FetchException e) {
        answer.response().discardEntityBytes(system);
        throw e;
      }
      return reader.read(entity, answer.url(), stop);
    };
  }

  /** Stops the DNS threads (fetches in flight fail or finish on their own timeouts). */
  @Override
  public void close() {
    dns.close();
  }
}
