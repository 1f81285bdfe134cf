package dev.vitrail.runtime.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's CPU work (parsing bodies, decoding and preprocessing images, rendering answers): a
 * fixed number of threads and a bounded queue. Work that finds the queue full fails with {@link
 * ErrorKind#BUSY} instead of waiting, so nothing here grows with the number of clients.
 */
final class DecodePool implements AutoCloseable {
  private final ThreadPoolExecutor executor;
  private final int queue;
  private static final long RETRY_MILLIS = 10;

  DecodePool(int threads, int queue) {
    this.queue = queue;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "vitrail-http-decode-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code work} on a pool thread; a full queue is a failed stage of kind busy. */
  <T> CompletableFuture<T> submit(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(busy(e));
    }
  }

  private ApiException busy(RejectedExecutionException e) {
    return new ApiException(
        ErrorKind.BUSY,
        "the server's decoding queue is full (vitrail.http.admission.decode-queue = "
            + queue
            + "); retry later",
        e);
  }

  /**
   * Runs {@code work} on a pool thread, waiting (without holding a thread) while the queue is full,
   * for at most {@code patience}; then it fails as {@link #submit} does. For work already admitted
   * that must go on, e.g. the next frames of a video being streamed.
   */
  <T> CompletableFuture<T> submitWaiting(Supplier<T> work, java.time.Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(work, deadline, result);
    return result;
  }

  private <T> void attempt(Supplier<T> work, long deadline, CompletableFuture<T> result) {
    try {
      CompletableFuture.supplyAsync(work, executor)
          .whenComplete(
              (ok, err) -> {
                if (err != null) {
                  result.completeExceptionally(err);
                } else {
                  result.complete(ok);
                }
              });
    } catch (RejectedExecutionException e) {
      if (System.nanoTime() > deadline || executor.isShutdown()) {
        result.completeExceptionally(busy(e));
        return;
      }
      CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS)
          .execute(() -> attempt(work, deadline, result));
    }
  }

  /** Work waiting for a thread. */
  int queued() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
