package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eviction by age and by size, least recently written (or re-requested) first. */
class EcEvictionTest {
  @TempDir Path tmp;

  private static void age(EcStore s, String key, long millis) throws IOException {
    Files.setLastModifiedTime(s.path(key), FileTime.fromMillis(millis));
  }

  @Test
  void oldEntriesGoThenTheOldestUntilUnderTheSizeBound() throws IOException {
    long now = System.currentTimeMillis();
    Clock clock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    float[] v = EcStoreTest.values(1000, 1);
    long size;
    EcStore s = EcStore.open(tmp, 0, Duration.ofHours(1), EcIo.files(), clock);
    for (String k : new String[] {"a", "b", "c", "d"}) {
      s.write(k, 10, 100, EcDtype.BF16, v);
    }
    size = Files.size(s.path("a"));
    age(s, "a", now - Duration.ofHours(2).toMillis());
    age(s, "b", now - 3000);
    age(s, "c", now - 2000);
    age(s, "d", now - 1000);
    assertTrue(s.contains("b"), "a hit marks b as just used");
    EcStore bounded = EcStore.open(tmp, 2 * size, Duration.ofHours(1), EcIo.files(), clock);
    assertFalse(Files.exists(bounded.path("a")), "older than max-age");
    assertFalse(Files.exists(bounded.path("c")), "least recently written beyond max-bytes");
    assertFalse(Files.exists(tmp.resolve("a")), "its directory goes too");
    assertEquals(2, bounded.eviction().evictions(), "counted for vitrail_vlm_evictions_total");
    assertTrue(new VlmMetrics().render(bounded).contains("\nvitrail_vlm_evictions_total 2\n"));
    assertTrue(Files.exists(bounded.path("b")));
    assertTrue(Files.exists(bounded.path("d")));
    assertEquals(2 * size, bounded.eviction().sweep());
  }

  @Test
  void writesBeyondTheBoundTriggerASweep() throws IOException {
    Clock clock = Clock.systemUTC();
    float[] v = EcStoreTest.values(1000, 2);
    EcStore probe = EcStore.open(tmp.resolve("probe"), 0, Duration.ZERO, EcIo.files(), clock);
    long size = Files.size(probe.write("x", 10, 100, EcDtype.BF16, v));
    EcStore s = EcStore.open(tmp.resolve("ec"), 3 * size, Duration.ZERO, EcIo.files(), clock);
    for (int i = 0; i < 10; i++) {
      s.write("k" + i, 10, 100, EcDtype.BF16, v);
      Files.setLastModifiedTime(s.path("k" + i), FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    assertEquals(3, EcFiles.all(s.root()).stream().filter(Files::isRegularFile).count());
    assertTrue(Files.exists(s.path("k9")), "the newest entry stays");
  }
}
