package dev.vitrail.runtime.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the server is draining, and how many work requests (those that take a body) are still
 * being answered, so that shutdown can wait for them. Thread-safe.
 */
final class Lifecycle {
  private final Object lock = new Object();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  /** From now on {@code /health} is 503 and new work is answered "shutting down". */
  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  /** Work requests being answered now. */
  int inFlight() {
    return inFlight.get();
  }

  /** Counts {@code answer} in flight until it completes. */
  <T> CompletionStage<T> track(CompletionStage<T> answer) {
    inFlight.incrementAndGet();
    return answer.whenComplete(
        (ok, err) -> {
          if (inFlight.decrementAndGet() == 0) {
            synchronized (lock) {
              lock.notifyAll();
            }
          }
        });
  }

  /** Waits until no work is in flight or {@code limit} passed; whether none is left. */
  boolean awaitIdle(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (lock) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }
}
