package dev.vitrail.bench.encoders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/** Measures operations per second of a task run by N threads for a fixed time, several times. */
public final class Throughput {
  private Throughput() {}

  /** Median ops/s over {@code runs} runs of {@code seconds} each, after one warm-up run. */
  public static double median(Runnable task, int threads, double seconds, int runs)
      throws Exception {
    measure(task, threads, seconds);
    double[] rates = new double[runs];
    for (int r = 0; r < runs; r++) {
      rates[r] = measure(task, threads, seconds);
    }
    Arrays.sort(rates);
    return runs % 2 == 1 ? rates[runs / 2] : (rates[runs / 2 - 1] + rates[runs / 2]) / 2;
  }

  /**
   * The fastest of {@code iterations} single runs, in milliseconds: on a shared machine this is the
   * least disturbed by other processes (an upper bound on one core's rate, as 1000 / best).
   */
  public static double bestMillis(Runnable task, int iterations) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      task.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best / 1e6;
  }

  private static double measure(Runnable task, int threads, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      LongAdder done = new LongAdder();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    task.run();
                    done.increment();
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      return done.sum() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }
}
