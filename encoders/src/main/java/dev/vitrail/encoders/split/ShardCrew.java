package dev.vitrail.encoders.split;

import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * A fixed crew of {@code shards} threads that run one task together, started once and kept until
 * {@link #close()}; each sets libtorch's intra-op threads to 1. Inside a task the shards meet at
 * {@link #await(int)}, a barrier that spins briefly (the other shard is usually microseconds away)
 * and then parks ({@link SpinPark}).
 *
 * <p>A task that fails in any shard breaks the barrier for the others (they throw instead of
 * waiting forever) and {@link #run} rethrows the first failure. One task at a time: callers
 * serialise (a tower is called from its worker's thread).
 */
public final class ShardCrew implements AutoCloseable {
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
   * Every op of a shard (GEMMs, norms, adds, attention, activation) runs on its own thread; the
   * caller runs at one thread too while the crew works ({@link SplitLayers#forward}).
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
    SpinPark.until(() -> finished.get() == shards);
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
    SpinPark.until(() -> finished.get() == shards);
    task = null;
    ShardFailures.rethrowFirst(failures);
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
    SpinPark.until(() -> phase != p || broken);
    if (phase == p) {
      throw new ShardFailures.Broken();
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
      // libtorch sets a thread's OpenMP count up lazily, at its first parallel op, from the
      // process-wide value: read it first so that the 1 set here is the one that stays
      NativeTorch.callerTorchThreads();
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
