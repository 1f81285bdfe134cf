package dev.vitrail.runtime.vlm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A vLLM encoder-cache directory as {@code ECExampleConnector} reads it: one file per image, {@code
 * DIR/<key>/encoder_cache.safetensors}, holding one tensor {@code ec_cache} of shape {@code
 * [tokens, hidden]} in the consumer's dtype. Writes are atomic: the data goes to a temporary file
 * in the key's directory, is flushed to the device, and is renamed over the target, so the consumer
 * (which checks only that the file exists) never sees a partial file, and concurrent writers of one
 * key (identical content) simply replace each other. The file's bytes are {@link EcFileFormat}'s.
 * Thread-safe.
 */
public final class EcStore {
  /** The file name the connector looks for. */
  public static final String FILE_NAME = "encoder_cache.safetensors";

  /** The tensor name the connector loads. */
  public static final String TENSOR = "ec_cache";

  private static final String TEMP_PREFIX = ".encoder_cache.";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
  private final Path root;
  private final EcIo io;
  private final EcEviction eviction;
  private final Clock clock;

  private EcStore(Path root, EcIo io, EcEviction eviction, Clock clock) {
    this.root = root;
    this.io = io;
    this.eviction = eviction;
    this.clock = clock;
  }

  /** Opens (creating) {@code root} with the settings' bounds. */
  public static EcStore open(Path root, VlmSettings settings) {
    return open(root, settings.maxBytes(), settings.maxAge(), EcIo.files(), Clock.systemUTC());
  }

  /** Opens (creating) {@code root} with explicit bounds, file system steps and clock. */
  public static EcStore open(
      Path root, long maxBytes, java.time.Duration maxAge, EcIo io, Clock clock) {
    Path abs = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new EcStorageException(
          "encoder-cache directory " + abs + " cannot be created: " + describe(e), e);
    }
    if (!Files.isDirectory(abs) || !Files.isWritable(abs)) {
      throw new EcStorageException("encoder-cache directory " + abs + " is not writable", null);
    }
    EcEviction eviction = new EcEviction(abs, maxBytes, maxAge, clock);
    eviction.sweep();
    return new EcStore(abs, io, eviction, clock);
  }

  /** The directory. */
  public Path root() {
    return root;
  }

  /** The eviction of this directory. */
  public EcEviction eviction() {
    return eviction;
  }

  /** Where the file of {@code key} lives. */
  public Path path(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "encoder-cache key must be 1-200 characters of [A-Za-z0-9._:-], got '" + key + "'");
    }
    return root.resolve(key).resolve(FILE_NAME);
  }

  /** Whether {@code key} has a complete file; a hit counts as a use for eviction. */
  public boolean contains(String key) {
    Path file = path(key);
    if (Files.isRegularFile(file)) {
      EcEviction.touch(file, clock);
      return true;
    }
    return false;
  }

  /** The size of an {@code ec_cache} file of {@code [rows, cols]} in {@code dtype}. */
  public static long fileBytes(int rows, int cols, EcDtype dtype) {
    return EcFileFormat.header(rows, cols, dtype).length + (long) rows * cols * dtype.byteSize();
  }

  /**
   * Writes {@code values} ({@code [rows, cols]} float32, row-major) as {@code ec_cache} in {@code
   * dtype}; returns the file. On any failure nothing is left under the key but what was there.
   */
  public Path write(String key, int rows, int cols, EcDtype dtype, float[] values) {
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "ec_cache ["
              + rows
              + ", "
              + cols
              + "] needs "
              + (long) rows * cols
              + " values, got "
              + values.length);
    }
    Path target = path(key);
    Path dir = target.getParent();
    byte[] header = EcFileFormat.header(rows, cols, dtype);
    Path temp = null;
    try {
      temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tmp");
      try (OutputStream out = openTemp(dir, temp)) {
        out.write(header);
        EcFileFormat.writeValues(out, values, dtype);
      }
      io.publish(temp, target);
    } catch (IOException | RuntimeException e) {
      cleanUp(temp, dir);
      throw new EcStorageException("cannot write " + target + ": " + describe(e), e);
    }
    eviction.written(header.length + (long) values.length * dtype.byteSize());
    return target;
  }

  /**
   * Creates the key's directory and the temporary file in it; once more if another writer's
   * clean-up removed the (empty) directory in between.
   */
  private OutputStream openTemp(Path dir, Path temp) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Files.createDirectories(dir);
      try {
        return io.create(temp);
      } catch (NoSuchFileException e) {
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private static void cleanUp(Path temp, Path dir) {
    try {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
      removeIfEmpty(dir);
    } catch (IOException ignored) {
      // best effort: the temporary name is never read, and the sweep deletes it later
    }
  }

  /** Deletes a key directory if nothing is in it (another writer may be). */
  static void removeIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
      // another writer's file, or already gone
    } catch (IOException e) {
      // left for the next sweep
    }
  }

  /** Whether {@code file} is a writer's temporary file. */
  static boolean isTemp(Path file) {
    String n = file.getFileName().toString();
    return n.startsWith(TEMP_PREFIX) && n.endsWith(".tmp");
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m != null ? ": " + m : "");
  }
}
