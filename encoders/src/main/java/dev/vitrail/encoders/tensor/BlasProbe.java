package dev.vitrail.encoders.tensor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The GEMM probe behind {@code vitrail.workers.blas = auto}: each library is loaded in its own
 * short-lived JVM (a process can load only one library under OpenBLAS's name) and times
 * single-thread {@code cblas_sgemm} on ViT-B-sized products ({@code 197×768·768×3072} and {@code
 * 1576×768·768×3072}, this thread's CPU time, best of 5, two alternating rounds per library). The
 * rates are cached per machine ({@link MachineCache}), so the probe (a few seconds) runs once.
 */
public final class BlasProbe {
  private static final long[][] SHAPES = {{197, 768, 3072}, {1576, 768, 3072}};

  /** Library versions that enter the cache key: a new library means a new probe. */
  static final String VERSIONS = "openblas-0.3.31-1.5.13;mkl-2025.3-1.5.13";

  private BlasProbe() {}

  /** The rates of both libraries, from the cache or measured now (and cached). */
  public static BlasChoice.ProbeRates rates() {
    MachineCache cache = MachineCache.forThisMachine("blas-probe", VERSIONS);
    BlasChoice.ProbeRates cached = read(cache);
    if (cached != null) {
      return cached;
    }
    // two alternating rounds, best of each: a burst of load from elsewhere hits both libraries
    double openblasRate = 0;
    double mklRate = 0;
    for (int round = 0; round < 2; round++) {
      openblasRate = Math.max(openblasRate, inChild(BlasLibrary.OPENBLAS));
      mklRate = Math.max(mklRate, inChild(BlasLibrary.MKL));
    }
    BlasChoice.ProbeRates measured = new BlasChoice.ProbeRates(openblasRate, mklRate);
    try {
      write(cache, measured);
    } catch (java.io.UncheckedIOException unwritable) {
      // a read-only cache folder: the next start probes again, nothing else changes
    }
    return measured;
  }

  /** The rates {@code cache} holds, or null when it holds none (or they cannot be read). */
  static BlasChoice.ProbeRates read(MachineCache cache) {
    Properties p = cache.read();
    if (p == null) {
      return null;
    }
    try {
      return new BlasChoice.ProbeRates(
          Double.parseDouble(p.getProperty("openblas.gflops")),
          Double.parseDouble(p.getProperty("mkl.gflops")));
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /** Stores {@code rates} in {@code cache}. */
  static void write(MachineCache cache, BlasChoice.ProbeRates rates) {
    Properties p = new Properties();
    p.setProperty("openblas.gflops", Double.toString(rates.openblas()));
    p.setProperty("mkl.gflops", Double.toString(rates.mkl()));
    cache.write(p, "single-thread SGEMM GFLOP/s per BLAS library (vitrail.workers.blas = auto)");
  }

  static double inChild(BlasLibrary library) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                BlasProbe.class.getName(),
                library.settingName()));
    pb.redirectErrorStream(true);
    Path log = null;
    try {
      log = Files.createTempFile("vitrail-blas-probe", ".log");
      pb.redirectOutput(log.toFile()); // a file, so that a hung child cannot block the wait
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("BLAS probe for " + library + " timed out after 120 s");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("BLAS probe for " + library + " failed: " + out.trim());
      }
      for (String line : out.split("\n")) {
        if (line.startsWith("gflops=")) {
          return Double.parseDouble(line.substring("gflops=".length()).trim());
        }
      }
      throw new IllegalStateException("BLAS probe for " + library + " printed no rate: " + out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the BLAS probe for " + library, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the BLAS probe", e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a leftover temporary log file is harmless
        }
      }
    }
  }

  /**
   * Child side: loads the library named by {@code args[0]} under OpenBLAS's name and prints {@code
   * gflops=X}, the geometric mean of the single-thread rates of the probe's products.
   */
  public static void main(String[] args) {
    BlasLibrary library = BlasLibrary.byName(args[0]);
    System.setProperty("org.bytedeco.openblas.load", library.presetsLoadValue());
    Loader.load(openblas.class);
    openblas.blas_set_num_threads(1);
    double logSum = 0;
    for (long[] s : SHAPES) {
      logSum += Math.log(rate((int) s[0], (int) s[1], (int) s[2]));
    }
    System.out.printf("gflops=%.2f%n", Math.exp(logSum / SHAPES.length));
  }

  private static double rate(int m, int k, int n) {
    try (FloatPointer a = filled((long) m * k);
        FloatPointer b = filled((long) k * n);
        FloatPointer c = new FloatPointer((long) m * n)) {
      Runnable gemm =
          () ->
              openblas.cblas_sgemm(
                  openblas.CblasRowMajor,
                  openblas.CblasNoTrans,
                  openblas.CblasTrans,
                  m,
                  n,
                  k,
                  1f,
                  a,
                  k,
                  b,
                  k,
                  0f,
                  c,
                  n);
      gemm.run(); // warm-up: packing buffers, page faults
      // this thread's CPU time: the single-thread GEMM runs on it, and time spent descheduled by
      // other processes does not count
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      int reps = m < 1000 ? 8 : 1; // samples of ~0.1 s: CPU clocks may tick in 10 ms steps
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int r = 0; r < reps; r++) {
          gemm.run();
        }
        best = Math.min(best, Math.max(1, cpu.getCurrentThreadCpuTime() - t0) / 1e9 / reps);
      }
      return 2.0 * m * n * k / best / 1e9;
    }
  }

  private static FloatPointer filled(long count) {
    FloatPointer p = new FloatPointer(count);
    for (long i = 0; i < count; i++) {
      p.put(i, (float) ((i * 7919 % 1000) / 1000.0 - 0.5));
    }
    return p;
  }
}
