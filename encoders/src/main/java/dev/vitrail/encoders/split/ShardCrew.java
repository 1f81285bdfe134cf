package dev.vitrail.encoders.split;

import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * A fixed crew of {@code shards} threads that run one task together, started once and kept until
 * {@link #close()}; each sets libtorch's intra-op threads to 1 (but see the constructor; the
 * caller's own setting is left as it is: the caller only waits). Inside a task the shards meet at
 * {@link #await(int)}, a barrier that spins briefly (the other shard is usually microseconds away)
 * and then parks.
 *
 * <p>A task that fails in any shard breaks the barrier for the others (they throw instead of
 * waiting forever) and {@link #run} rethrows the first failure. One task at a time: callers
 * serialise (a tower is called from its worker's thread).
 */
public final class ShardCrew implements AutoCloseable {
  /** How long a shard spins at the barrier before parking. */
  private static final long SPIN_NANOS = 50_000;

  /**
   * The longest park between two looks at the condition. Every wait is ended by an unpark (the last
   * shard to arrive or finish, a failure, close), so this is only a safety net; a short one cost
   * CPU: the caller of {@link #run} waits the whole forward, and waking every millisecond took it
   * 2-5 % of a core (BENCHMARKS.md, issue 15 fifth session).
   */
  private static final long PARK_NANOS = 50_000_000;

  private final int shards;
  private final Thread[] threads;
  private volatile Thread caller;
  private final AtomicInteger arrived = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private volatile int phase;
  private volatile int job;
  private volatile boolean broken;
  private volatile boolean closed;
  private volatile IntFunction<?> task;
  private final Object[] results;
  private final Throwable[] failures;

  /**
   * Starts {@code shards} threads named {@code name-0 ..} and waits until each has set its libtorch
   * intra-op threads to 1. libtorch keeps that setting per thread but also remembers the last value
   * process-wide for threads not yet initialised, so the caller's own value is set again after.
   *
   * <p>That last value is also what a shard gets: libtorch initialises a thread's OpenMP count
   * lazily at its first parallel op, from the process-wide value, so the shards' non-GEMM ops
   * (norms, adds, attention, activation) run on an OpenMP team of the caller's size while their
   * GEMMs stay on one OpenBLAS thread. Forcing 1 (initialising first) measured worse: the caller's
   * own team then spins after each of its ops (BENCHMARKS.md, issue 15 fifth session).
   */
  public ShardCrew(int shards, String name) {
    if (shards < 2) {
      throw new IllegalArgumentException("a crew needs at least 2 shards, got " + shards);
    }
    this.shards = shards;
    this.threads = new Thread[shards];
    this.results = new Object[shards];
    this.failures = new Throwable[shards];
    int callerThreads = NativeTorch.callerTorchThreads();
    for (int i = 0; i < shards; i++) {
      int shard = i;
      Thread t = new Thread(() -> helperLoop(shard), name + "-" + i);
      t.setDaemon(true);
      threads[i] = t;
    }
    caller = Thread.currentThread();
    for (Thread t : threads) {
      t.start();
    }
    waitUntil(() -> finished.get() == shards);
    NativeTorch.setCallerTorchThreads(callerThreads);
  }

  /** The number of shards, one crew thread each (the caller of {@link #run} only waits). */
  public int shards() {
    return shards;
  }

  /**
   * Runs {@code task(shard)} on every shard at once and returns shard 0's result once every shard
   * has finished; the first failure of any shard is rethrown.
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> T run(IntFunction<T> work) {
    if (closed) {
      throw new IllegalStateException("the shard crew is closed");
    }
    caller = Thread.currentThread();
    broken = false;
    arrived.set(0);
    finished.set(0);
    Arrays.fill(results, null);
    Arrays.fill(failures, null);
    task = work;
    job++;
    for (Thread t : threads) {
      LockSupport.unpark(t);
    }
    waitUntil(() -> finished.get() == shards);
    task = null;
    Throwable first = null;
    for (Throwable f : failures) {
      if (f != null && (first == null || first instanceof Broken)) {
        first = f; // the cause rather than another shard's "broken" echo of it
      }
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new IllegalStateException(first);
    }
    return (T) results[0];
  }

  /**
   * The barrier inside a task: returns once all shards have called it; throws if another shard
   * failed. {@code shard} is the caller's shard index.
   */
  public void await(int shard) {
    int p = phase;
    if (arrived.incrementAndGet() == shards) {
      arrived.set(0);
      phase = p + 1;
      wakeAllBut(shard);
      return;
    }
    waitUntil(() -> phase != p || broken);
    if (phase == p) {
      throw new Broken();
    }
  }

  private void runShard(int shard) {
    try {
      results[shard] = task.apply(shard);
    } catch (Throwable t) {
      failures[shard] = t;
      broken = true;
      wakeAllBut(shard);
    } finally {
      if (finished.incrementAndGet() == shards) {
        LockSupport.unpark(caller);
      }
    }
  }

  private void helperLoop(int shard) {
    try {
      NativeTorch.setCallerTorchThreads(1);
    } finally {
      if (finished.incrementAndGet() == shards) {
        LockSupport.unpark(caller);
      }
    }
    int seen = 0;
    while (true) {
      while (job == seen && !closed) {
        LockSupport.park(this);
      }
      if (closed) {
        return;
      }
      seen = job;
      runShard(shard);
    }
  }

  private void wakeAllBut(int shard) {
    for (int i = 0; i < shards; i++) {
      if (i != shard) {
        LockSupport.unpark(threads[i]);
      }
    }
  }

  private static void waitUntil(BooleanSupplier done) {
    long start = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(PARK_NANOS);
      }
    }
  }

  /** What a shard waiting at the barrier throws when another shard failed. */
  private static final class Broken extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Broken() {
      super("another shard of the tower failed");
    }
  }

  /** Stops the helper threads and waits for them. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Thread t : threads) {
      LockSupport.unpark(t);
    }
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
