package dev.vitrail.encoders.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Where a start-up probe keeps what it measured ({@link BlasProbe}, {@link LinearKernelProbe}): one
 * small properties file per probe and machine, named by a hash of the processor's model and flags
 * and of the versions that decide the result, in {@code $VITRAIL_CACHE_DIR}, else {@code
 * $XDG_CACHE_HOME/vitrail}, else {@code ~/.cache/vitrail}. Delete it to probe again.
 */
public record MachineCache(Path file) {
  /** The cache file of probe {@code name} for this machine and {@code versions}. */
  public static MachineCache forThisMachine(String name, String versions) {
    String dir = System.getenv("VITRAIL_CACHE_DIR");
    Path base;
    if (dir != null && !dir.isBlank()) {
      base = Path.of(dir);
    } else if (System.getenv("XDG_CACHE_HOME") != null) {
      base = Path.of(System.getenv("XDG_CACHE_HOME"), "vitrail");
    } else {
      base = Path.of(System.getProperty("user.home"), ".cache", "vitrail");
    }
    return new MachineCache(
        base.resolve(name + "-" + key(cpuIdentity(), versions) + ".properties"));
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

  /** A short stable hash of {@code identity} and {@code versions}. */
  static String key(String identity, String versions) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((identity + "|" + versions).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stored values, or null when there are none (or they cannot be read). */
  public Properties read() {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
      return p;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * Stores {@code values} under {@code comment} (atomically: a concurrent reader sees the old file
   * or the new one).
   */
  public void write(Properties values, String comment) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "probe", ".tmp");
      try (var out = Files.newBufferedWriter(tmp)) {
        values.store(out, comment);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the probe cache " + file, e);
    }
  }

  /**
   * The version of the jar that holds {@code className} (its manifest's implementation version),
   * {@code "absent"} when the class is not on the class path, {@code "unknown"} without a version.
   */
  public static String jarVersion(String className) {
    try {
      Class<?> c = Class.forName(className, false, MachineCache.class.getClassLoader());
      String v = c.getPackage().getImplementationVersion();
      return v == null ? "unknown" : v;
    } catch (ClassNotFoundException e) {
      return "absent";
    }
  }
}
