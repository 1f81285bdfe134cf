package dev.vitrail.bench.encoders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Wall and CPU time of one step, in milliseconds, at nanosecond resolution. */
final class CpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final boolean singleThread;

  /**
   * @param singleThread whether all work runs on the calling thread (then its CPU time is read)
   */
  CpuClock(boolean singleThread) {
    this.singleThread = singleThread;
  }

  /** {@code {wall ms, cpu ms}} of running {@code r}. */
  double[] time(Runnable r) {
    long c0 = cpuNanos();
    long t0 = System.nanoTime();
    r.run();
    long t1 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e6, (cpuNanos() - c0) / 1e6};
  }

  /**
   * CPU time in ns: the calling thread's when everything runs on it, else the sum over the
   * process's threads ({@code /proc/self/task/N/schedstat}; the JVM's own counter ticks in 10 ms).
   */
  long cpuNanos() {
    if (singleThread) {
      return THREADS.getCurrentThreadCpuTime();
    }
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        try {
          String s = Files.readString(t.resolve("schedstat"));
          sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException gone) {
          // a thread that ended between listing and reading
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum;
  }
}
