package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import org.junit.jupiter.api.Test;

/** The start-up heap check counts every served model's dedupe caches. */
class MemoryBudgetTest {
  private static final HttpSettings BASE = HttpSettings.load();

  @Test
  void dedupeCachesAreATermPerModel() {
    MemoryBudget off = MemoryBudget.of(BASE.withDedupe(DedupeSettings.off()), 2, 1000, 2);
    assertEquals(0, off.dedupeBytes());
    DedupeSettings on = new DedupeSettings(64L << 20, 1000, 16L << 20, 100);
    MemoryBudget one = MemoryBudget.of(BASE.withDedupe(on), 2, 1000, 1);
    long perModel = (64L << 20) + (16L << 20) + MemoryBudget.DEDUPE_ENTRY_BYTES * 1100;
    assertEquals(perModel, one.dedupeBytes());
    MemoryBudget two = MemoryBudget.of(BASE.withDedupe(on), 2, 1000, 2);
    assertEquals(2 * perModel, two.dedupeBytes());
    assertEquals(off.total() + 2 * perModel, two.total());
    // A cache with 0 entries is off, whatever its bytes.
    assertEquals(
        64L << 20,
        MemoryBudget.dedupeBytes(new DedupeSettings(64L << 20, 0, 64L << 20, 1))
            - MemoryBudget.DEDUPE_ENTRY_BYTES);
  }

  @Test
  void aHeapThatFitsWithoutTheCachesButNotWithThemIsRefusedNamingThem() {
    DedupeSettings on = new DedupeSettings(256L << 20, 4096, 0, 0);
    MemoryBudget without = MemoryBudget.of(BASE.withDedupe(DedupeSettings.off()), 2, 1000, 1);
    MemoryBudget with = MemoryBudget.of(BASE.withDedupe(on), 2, 1000, 1);
    long heap = without.total() + (16L << 20);
    without.check(heap);
    InvalidSettingsException e =
        assertThrows(InvalidSettingsException.class, () -> with.check(heap));
    assertTrue(e.getMessage().contains("dedupe caches 256 MiB"), e.getMessage());
    assertTrue(e.getMessage().contains("dedupe.max-bytes"), e.getMessage());
  }
}
