package dev.vitrail.runtime.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's admission budgets, counted in what costs memory: bytes of request bodies being read,
 * parsed and decoded; images admitted until their answer is sent; decoded pixels held by the
 * decoding threads. Every reservation is a {@link Reservation} whose {@code close()} gives it back
 * once. Pure (no Pekko, no I/O): every endpoint that takes images uses the same gate.
 */
public final class AdmissionGate {
  private final AdmissionLimits limits;
  private final Semaphore bodyKiB;
  private final Semaphore items;
  private final Semaphore pixels;

  /** A gate with the given budgets, nothing reserved. */
  public AdmissionGate(AdmissionLimits limits) {
    this.limits = limits;
    this.bodyKiB = new Semaphore((int) kib(limits.maxBodyBytesInFlight()), true);
    this.items = new Semaphore(limits.maxItemsInFlight(), true);
    this.pixels = new Semaphore((int) limits.maxDecodePixelsInFlight(), true);
  }

  /** The budgets of this gate. */
  public AdmissionLimits limits() {
    return limits;
  }

  /** Reserves {@code bytes} of body now, or returns null when they do not fit (answer busy). */
  public Reservation tryBody(long bytes) {
    int permits = (int) Math.min(kib(bytes), kib(limits.maxBodyBytesInFlight()));
    return bodyKiB.tryAcquire(permits) ? new Reservation(bodyKiB, permits) : null;
  }

  /** Whether {@code bytes} of body would fit now (nothing is reserved: the answer may change). */
  public boolean bodyFits(long bytes) {
    return bodyKiB.availablePermits() >= Math.min(kib(bytes), kib(limits.maxBodyBytesInFlight()));
  }

  /** Reserves {@code n} images now, or returns null when they do not fit (answer busy). */
  public Reservation tryItems(int n) {
    int permits = Math.min(n, limits.maxItemsInFlight());
    return items.tryAcquire(permits) ? new Reservation(items, permits) : null;
  }

  /**
   * Reserves {@code count} decoded pixels (at most the whole budget), waiting up to {@code wait}
   * for decodes in progress to give theirs back; null when the wait ran out.
   */
  public Reservation acquirePixels(long count, Duration wait) throws InterruptedException {
    int permits = (int) Math.min(Math.max(count, 1), limits.maxDecodePixelsInFlight());
    return pixels.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)
        ? new Reservation(pixels, permits)
        : null;
  }

  /** Bytes of bodies reserved now (KiB granularity). */
  public long bodyBytesInFlight() {
    return (kib(limits.maxBodyBytesInFlight()) - bodyKiB.availablePermits()) * 1024;
  }

  /** Images reserved now. */
  public int itemsInFlight() {
    return limits.maxItemsInFlight() - items.availablePermits();
  }

  /** Decoded pixels reserved now. */
  public long pixelsInFlight() {
    return limits.maxDecodePixelsInFlight() - pixels.availablePermits();
  }

  private static long kib(long bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  /** Part of a budget, given back once by {@link #close()}. */
  public static final class Reservation implements AutoCloseable {
    private final Semaphore from;
    private final int permits;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Reservation(Semaphore from, int permits) {
      this.from = from;
      this.permits = permits;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        from.release(permits);
      }
    }
  }
}
