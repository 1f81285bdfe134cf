package dev.vitrail.actors.worker;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Shares the process's cores between the local workers of {@code vitrail.workers.layout = auto}:
 * before each tower call a worker's tower thread takes a {@link Lease} whose width {@link
 * LayoutRule} picks from the items every worker holds and from the wall time per patch measured so
 * far at each width ({@link WidthTimings}, which also says when to try the slower one). A wide
 * lease is exclusive (no single-thread call runs beside it) and widens the thread pool for its call
 * only ({@link ThreadWidth}, e.g. OpenBLAS threads, which are process-wide); single-thread leases
 * run side by side. So libtorch's and OpenBLAS's pools are never both above one thread, and the
 * cores are never oversubscribed. Thread-safe; no actors. {@link #none()} is the gate of fixed
 * layouts: every lease is narrow and nothing waits.
 */
public final class CoreGate {
  /** Sets the thread count of the pool a wide call uses; called on the tower thread. */
  @FunctionalInterface
  public interface ThreadWidth {
    /** Use {@code threads} threads from now on. */
    void apply(int threads);
  }

  /** Calls run so far at each width. */
  public record Counts(long wide, long narrow) {}

  /** The patches of a lease that is not a tower call ({@link #acquireOneCore}): not timed. */
  private static final long UNTIMED = -1;

  private static final CoreGate NONE = new CoreGate(0, 1, threads -> {});

  private final int cores;
  private final ThreadWidth threadWidth;
  private final LongSupplier clock;
  private final int[] holdings;
  private final Lease[] leases;
  private final WidthTimings timings = new WidthTimings();
  private int narrowActive;
  private Lease wide;
  private long wideCalls;
  private long narrowCalls;

  /**
   * @param workers local workers, numbered from 0
   * @param cores threads of a wide call
   * @param threadWidth how a tower thread widens its pool (and narrows it back to 1)
   */
  public CoreGate(int workers, int cores, ThreadWidth threadWidth) {
    this(workers, cores, threadWidth, System::nanoTime);
  }

  /** As the public constructor, timing calls with {@code clock} (nanoseconds; tests). */
  CoreGate(int workers, int cores, ThreadWidth threadWidth, LongSupplier clock) {
    this.clock = clock;
    if (workers < 0 || cores < 1) {
      throw new IllegalArgumentException("workers " + workers + ", cores " + cores);
    }
    this.cores = cores;
    this.threadWidth = threadWidth;
    this.holdings = new int[workers];
    this.leases = new Lease[workers];
  }

  /** The gate of a fixed layout: every call narrow, nothing waits. */
  public static CoreGate none() {
    return NONE;
  }

  /** Whether this gate ever widens a call. */
  public boolean widens() {
    return holdings.length > 0 && cores > 1;
  }

  /** Worker {@code worker} now holds {@code items} items (queued or running). */
  public synchronized void hold(int worker, int items) {
    if (worker < holdings.length && holdings[worker] != items) {
      holdings[worker] = items;
      notifyAll();
    }
  }

  /**
   * Waits until worker {@code worker}'s next call may run and returns its lease; a wide lease has
   * widened the pool already. Interrupted (a hung worker given up), it fails the call.
   */
  public Lease acquire(int worker) {
    return acquire(worker, 1);
  }

  /**
   * As {@link #acquire(int)} for a call of {@code patches} patches (tokens), by which its wall time
   * is divided to measure the width's speed.
   */
  public Lease acquire(int worker, long patches) {
    if (!widens()) {
      return new Lease(this, worker, 1, false, patches);
    }
    Lease lease;
    synchronized (this) {
      while (true) {
        boolean alone = LayoutRule.alone(worker, holdings);
        boolean explore = timings.explore(alone);
        int width =
            LayoutRule.width(cores, worker, holdings, timings.wide(), timings.narrow(), explore);
        if (width > 1 && wide == null && narrowActive == 0) {
          lease = new Lease(this, worker, width, explore, patches);
          wide = lease;
          wideCalls++;
        } else if (width == 1 && wide == null) {
          lease = new Lease(this, worker, 1, explore, patches);
          narrowActive++;
          narrowCalls++;
        } else {
          lease = null;
        }
        if (lease != null) {
          timings.leased(alone, explore);
          break;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("worker " + worker + " interrupted waiting for cores", e);
        }
      }
      leases[worker] = lease;
    }
    if (lease.width > 1) {
      try {
        threadWidth.apply(lease.width);
      } catch (RuntimeException e) {
        lease.close();
        throw e;
      }
    }
    return lease;
  }

  /**
   * Waits until no wide call runs and holds one core, untimed and uncounted, for work that must not
   * run beside a wide call: opening a tower (it loads weights and resets the thread pools, which
   * would narrow a wide call running at that moment). A wide call waits until it is closed.
   */
  public Lease acquireOneCore(int worker) {
    if (!widens()) {
      return new Lease(this, worker, 1, false, UNTIMED);
    }
    synchronized (this) {
      while (wide != null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("worker " + worker + " interrupted waiting for cores", e);
        }
      }
      Lease lease = new Lease(this, worker, 1, false, UNTIMED);
      narrowActive++;
      leases[worker] = lease;
      return lease;
    }
  }

  /**
   * Frees the lease of a worker whose tower thread was given up while hung, so that the others do
   * not wait for it forever (its late release is then ignored).
   */
  public synchronized void abandon(int worker) {
    if (worker < leases.length && leases[worker] != null) {
      free(leases[worker], false);
    }
    hold(worker, 0);
  }

  /** Measured wall time per patch: {@code [wide, narrow]}, NaN before a width's first call. */
  public synchronized double[] nanosPerPatch() {
    return new double[] {timings.wide(), timings.narrow()};
  }

  /** Calls leased so far at each width. */
  public synchronized Counts counts() {
    return new Counts(wideCalls, narrowCalls);
  }

  @Override
  public synchronized String toString() {
    return "CoreGate[cores=" + cores + ", holdings=" + Arrays.toString(holdings) + "]";
  }

  private synchronized void free(Lease lease, boolean measured) {
    if (lease.freed || !widens()) {
      return;
    }
    lease.freed = true;
    if (measured && lease.patches != UNTIMED) {
      double ns = (double) (clock.getAsLong() - lease.started) / Math.max(1, lease.patches);
      timings.measured(lease.width, lease.explore, ns);
    }
    if (lease == wide) {
      wide = null;
    } else {
      narrowActive--;
    }
    if (leases[lease.worker] == lease) {
      leases[lease.worker] = null;
    }
    notifyAll();
  }

  /** The right to run one tower call at {@link #width()} threads; close it when the call ends. */
  public static final class Lease implements AutoCloseable {
    private final CoreGate gate;
    private final int worker;
    private final int width;
    private final boolean explore;
    private final long patches;
    private final long started;
    private boolean freed; // guarded by gate

    private Lease(CoreGate gate, int worker, int width, boolean explore, long patches) {
      this.gate = gate;
      this.worker = worker;
      this.width = width;
      this.explore = explore;
      this.patches = patches;
      this.started = gate.clock.getAsLong();
    }

    /** Threads this call may use. */
    public int width() {
      return width;
    }

    /** Narrows a wide pool back to one thread, then frees the cores. */
    @Override
    public void close() {
      try {
        if (width > 1) {
          gate.threadWidth.apply(1);
        }
      } finally {
        gate.free(this, true);
      }
    }
  }
}
