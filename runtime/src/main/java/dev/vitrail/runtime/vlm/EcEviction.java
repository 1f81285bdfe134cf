package dev.vitrail.runtime.vlm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an encoder-cache directory bounded: entries written (or re-requested) longer ago than
 * {@code maxAge} are deleted, then the least recently written ones until the total is at most
 * {@code maxBytes}; temporary files of writers that died are deleted after {@link #TEMP_GRACE}. A
 * sweep runs when the estimated total passes {@code maxBytes} or a quarter of {@code maxAge} (at
 * most a minute) has passed; one at a time, writers never wait for it.
 */
public final class EcEviction {
  /** Temporary files older than this belong to a writer that died. */
  public static final Duration TEMP_GRACE = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(EcEviction.class);
  private final Path root;
  private final long maxBytes;
  private final Duration maxAge;
  private final Clock clock;
  private final AtomicLong estimate = new AtomicLong();
  private final ReentrantLock sweeping = new ReentrantLock();
  private volatile long lastSweep;

  /** Eviction of {@code root} with these bounds (0 / zero: unbounded). */
  private final java.util.concurrent.atomic.LongAdder evictions =
      new java.util.concurrent.atomic.LongAdder();

  public EcEviction(Path root, long maxBytes, Duration maxAge, Clock clock) {
    this.root = root;
    this.maxBytes = maxBytes;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** Counts {@code bytes} just written and sweeps if due. */
  void written(long bytes) {
    long total = estimate.addAndGet(bytes);
    long interval = maxAge.isZero() ? 60_000 : Math.min(60_000, maxAge.toMillis() / 4);
    if ((maxBytes > 0 && total > maxBytes) || clock.millis() - lastSweep >= interval) {
      if (sweeping.tryLock()) {
        try {
          sweep();
        } finally {
          sweeping.unlock();
        }
      }
    }
  }

  private record Entry(Path dir, Path file, long size, long modified) {}

  /** Deletes expired and excess entries and dead temporary files; returns the bytes kept. */
  public long sweep() {
    long now = clock.millis();
    lastSweep = now;
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            long modified = a.lastModifiedTime().toMillis();
            if (EcStore.isTemp(f)) {
              if (now - modified > TEMP_GRACE.toMillis()) {
                Files.deleteIfExists(f);
              }
            } else if (f.getFileName().toString().equals(EcStore.FILE_NAME)) {
              entries.add(new Entry(dir, f, a.size(), modified));
            }
          }
        } catch (IOException e) {
          LOG.debug("skipping {} in the eviction sweep: {}", dir, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot sweep the encoder-cache directory {}: {}", root, e.toString());
      return estimate.get();
    }
    entries.sort(Comparator.comparingLong(Entry::modified));
    long total = entries.stream().mapToLong(Entry::size).sum();
    int evicted = 0;
    for (Entry e : entries) {
      boolean expired = !maxAge.isZero() && now - e.modified() > maxAge.toMillis();
      boolean excess = maxBytes > 0 && total > maxBytes;
      if (!expired && !excess) {
        break;
      }
      if (delete(e)) {
        total -= e.size();
        evicted++;
      }
    }
    estimate.set(total);
    evictions.add(evicted);
    if (evicted > 0) {
      LOG.info("evicted {} encoder-cache entries from {}; {} bytes kept", evicted, root, total);
    }
    return total;
  }

  /** Entries evicted so far by this store's sweeps. */
  public long evictions() {
    return evictions.sum();
  }

  /** Marks an entry as just used, so that it is evicted last. */
  static void touch(Path file, Clock clock) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(clock.millis()));
    } catch (IOException e) {
      LOG.debug("cannot touch {}: {}", file, e.toString());
    }
  }

  private static boolean delete(Entry e) {
    try {
      Files.deleteIfExists(e.file());
      EcStore.removeIfEmpty(e.dir());
      return true;
    } catch (IOException ex) {
      LOG.warn("cannot evict {}: {}", e.file(), ex.toString());
      return false;
    }
  }
}
