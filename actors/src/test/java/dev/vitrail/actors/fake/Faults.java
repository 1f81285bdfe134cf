package dev.vitrail.actors.fake;

import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared fault switches and call records for {@link FakeTower}s. Marker values in an input's first
 * pixel: {@link #POISON} always throws; {@link #CRASH_ONCE} throws an {@link Error} mid-batch the
 * first time; {@link #HANG_ONCE} blocks the first time until interrupted.
 */
public final class Faults {
  public static final float POISON = -1001f;
  public static final float CRASH_ONCE = -1002f;
  public static final float HANG_ONCE = -1003f;

  /** Blocks the first time for {@link #SLOW_MILLIS}, ignoring interrupts, then answers normally. */
  public static final float SLOW_ONCE = -1004f;

  public static final long SLOW_MILLIS = 800;

  /** One tower call: which worker, how many items, on which thread. */
  public record Call(int worker, int size, String thread) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicBoolean crashed = new AtomicBoolean();
  private final AtomicBoolean hung = new AtomicBoolean();
  private final AtomicBoolean slowed = new AtomicBoolean();
  private final AtomicInteger closes = new AtomicInteger();
  private final ConcurrentHashMap<Integer, AtomicInteger> opens = new ConcurrentHashMap<>();
  private final long maxDelayMicros;
  private final Random random = new Random(7);

  /** Faults with no random delay. */
  public Faults() {
    this(0);
  }

  /** Faults where each item sleeps a random time up to {@code maxDelayMicros}. */
  public Faults(long maxDelayMicros) {
    this.maxDelayMicros = maxDelayMicros;
  }

  /** A factory opening {@link FakeTower}s that share these faults. */
  public EncoderFactory factory() {
    return worker -> {
      opens.computeIfAbsent(worker, w -> new AtomicInteger()).incrementAndGet();
      return new FakeTower(worker, this);
    };
  }

  void recordCall(int worker, int size, String thread) {
    calls.add(new Call(worker, size, thread));
  }

  void recordClose(int worker) {
    closes.incrementAndGet();
  }

  void beforeItem(PixelInput in) {
    float marker = in.values()[0];
    if (marker == POISON) {
      throw new IllegalStateException("poison input");
    }
    if (marker == CRASH_ONCE && crashed.compareAndSet(false, true)) {
      throw new OutOfMemoryError("simulated device loss mid-batch");
    }
    if (marker == HANG_ONCE && hung.compareAndSet(false, true)) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while hung", e);
      }
    }
    if (marker == SLOW_ONCE && slowed.compareAndSet(false, true)) {
      long end = System.nanoTime() + SLOW_MILLIS * 1_000_000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }
    if (maxDelayMicros > 0) {
      long micros;
      synchronized (random) {
        micros = (long) (random.nextDouble() * maxDelayMicros);
      }
      try {
        Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Every tower call so far. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Towers opened per worker. */
  public int opens(int worker) {
    AtomicInteger n = opens.get(worker);
    return n == null ? 0 : n.get();
  }

  /** Towers closed. */
  public int closes() {
    return closes.get();
  }
}
