package dev.vitrail.encoders.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Where {@link BlasProbe} keeps its rates: one small properties file per machine, named by a hash
 * of the processor's model and flags and the library versions, in {@code $VITRAIL_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/vitrail}, else {@code ~/.cache/vitrail}. Delete it to probe again.
 */
public record BlasProbeCache(Path file) {
  /** Library versions that enter the key: a new library means a new probe. */
  static final String VERSIONS = "openblas-0.3.31-1.5.13;mkl-2025.3-1.5.13";

  /** The cache file for this machine. */
  public static BlasProbeCache forThisMachine() {
    String dir = System.getenv("VITRAIL_CACHE_DIR");
    Path base;
    if (dir != null && !dir.isBlank()) {
      base = Path.of(dir);
    } else if (System.getenv("XDG_CACHE_HOME") != null) {
      base = Path.of(System.getenv("XDG_CACHE_HOME"), "vitrail");
    } else {
      base = Path.of(System.getProperty("user.home"), ".cache", "vitrail");
    }
    return new BlasProbeCache(base.resolve("blas-probe-" + key(cpuIdentity()) + ".properties"));
  }

  /** The processor's model name and flags (first processor of {@code /proc/cpuinfo}). */
  static String cpuIdentity() {
    try {
      StringBuilder id = new StringBuilder(System.getProperty("os.arch"));
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name") || line.startsWith("flags")) {
          id.append('|').append(line.substring(line.indexOf(':') + 1).trim());
        }
        if (line.isBlank()) {
          break; // first processor only
        }
      }
      return id.toString();
    } catch (IOException e) {
      return System.getProperty("os.arch") + "|" + Runtime.getRuntime().availableProcessors();
    }
  }

  /** A short stable hash of {@code identity} and the library versions. */
  static String key(String identity) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((identity + "|" + VERSIONS).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cached rates, or null when there are none (or they cannot be read). */
  public BlasChoice.ProbeRates read() {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
      return new BlasChoice.ProbeRates(
          Double.parseDouble(p.getProperty("openblas.gflops")),
          Double.parseDouble(p.getProperty("mkl.gflops")));
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** Stores {@code rates} (atomically: a concurrent reader sees the old file or the new one). */
  public void write(BlasChoice.ProbeRates rates) {
    Properties p = new Properties();
    p.setProperty("openblas.gflops", Double.toString(rates.openblas()));
    p.setProperty("mkl.gflops", Double.toString(rates.mkl()));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "blas-probe", ".tmp");
      try (var out = Files.newBufferedWriter(tmp)) {
        p.store(out, "single-thread SGEMM GFLOP/s per BLAS library (vitrail.workers.blas = auto)");
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the BLAS probe cache " + file, e);
    }
  }
}
