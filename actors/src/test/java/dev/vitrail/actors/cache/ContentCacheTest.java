package dev.vitrail.actors.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ContentCacheTest {
  private static CacheKey key(int i) {
    return CacheKey.ofEncoded("m", "o", new byte[] {(byte) i});
  }

  @Test
  void encodedKeysSeparateIdentityOptionsAndBytes() {
    byte[] img = {1, 2};
    assertEquals(CacheKey.ofEncoded("m", "o", img), CacheKey.ofEncoded("m", "o", img.clone()));
    assertNotEquals(CacheKey.ofEncoded("m", "o", img), CacheKey.ofEncoded("n", "o", img));
    assertNotEquals(CacheKey.ofEncoded("m", "o", img), CacheKey.ofEncoded("m", "p", img));
    assertNotEquals(
        CacheKey.ofEncoded("m", "o", img), CacheKey.ofEncoded("m", "o", new byte[] {1}));
    // Length prefixes: moving a character between parts changes the key.
    assertNotEquals(CacheKey.ofEncoded("ab", "c", img), CacheKey.ofEncoded("a", "bc", img));
  }

  @Test
  void boundedByEntriesAndBytesLeastRecentlyUsedFirst() {
    ContentCache<String> c = new ContentCache<>(100, 3, s -> s.length());
    c.put(key(1), "a".repeat(10));
    c.put(key(2), "b".repeat(10));
    c.put(key(3), "c".repeat(10));
    c.lookup(key(1)); // 2 is now the least recently used
    c.put(key(4), "d".repeat(10));
    assertNull(c.lookup(key(2)));
    assertEquals(3, c.stats().entries());
    c.put(key(5), "e".repeat(90)); // 120 bytes: evicts 3 then 1 (least recent) to reach 100
    assertEquals(100, c.stats().bytes());
    assertEquals(2, c.stats().entries());
    assertNull(c.lookup(key(3)));
    c.put(key(6), "f".repeat(101)); // larger than the cache: not kept
    assertNull(c.lookup(key(6)));
    assertEquals(1, c.stats().hits());
    assertEquals(3, c.stats().misses());
    assertNull(c.recheck(key(6)));
    assertEquals("e".repeat(90), c.recheck(key(5)));
    assertEquals(2, c.stats().hits());
    assertEquals(2, c.stats().misses());
  }

  @Test
  void zeroBoundsDisableIt() {
    ContentCache<String> off = new ContentCache<>(0, 10, String::length);
    off.put(key(1), "a");
    assertNull(off.lookup(key(1)));
    assertEquals(0, new ContentCache<String>(10, 0, String::length).stats().entries());
    assertThrows(
        IllegalArgumentException.class, () -> new ContentCache<String>(-1, 1, String::length));
  }
}
