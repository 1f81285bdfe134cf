package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking DNS lookups on a small pool of {@code size} threads with a queue of the same size (for
 * lookups that outlive their timed-out fetch); each lookup is limited to {@code timeout}. A full
 * pool fails the lookup at once as {@link Reason#BUSY}.
 */
final class HostLookups implements AutoCloseable {
  private final HostResolver resolver;
  private final Duration timeout;
  private final ThreadPoolExecutor threads;

  HostLookups(HostResolver resolver, int size, Duration timeout) {
    this.resolver = resolver;
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            size,
            size,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(size),
            r -> {
              Thread t = new Thread(r, "vitrail-fetch-dns-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    threads.allowCoreThreadTimeOut(true);
  }

  /** Every address of {@code host}, looked up once. */
  CompletableFuture<InetAddress[]> resolve(String host) {
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
              threads)
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new FetchException(Reason.BUSY, "too many DNS lookups at once; retry later", e));
    }
  }

  /** Stops the threads (lookups in flight end on their own timeouts). */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
