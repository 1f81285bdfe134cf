package dev.vitrail.actors.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncoderCacheTest {
  private static FeatureOutput out(int floats) {
    return new FeatureOutput(new float[floats], new int[] {floats});
  }

  @Test
  void keysDependOnPixelsShapeAndOptions() {
    PixelInput a = Inputs.image(new Random(1), 4);
    PixelInput same = new PixelInput(a.values().clone(), a.shape(), null);
    PixelInput other = Inputs.marked(a, 99f);
    FeatureSpec spec = FeatureSpec.defaults();
    assertEquals(CacheKey.of(a, spec), CacheKey.of(same, spec));
    assertNotEquals(CacheKey.of(a, spec), CacheKey.of(other, spec));
    assertNotEquals(
        CacheKey.of(a, spec), CacheKey.of(a, new FeatureSpec(List.of(-2), null, true, false)));
  }

  @Test
  void boundedByBytesEvictingLeastRecentlyUsed() {
    EncoderCache cache = new EncoderCache(3 * (400 + 4 + 64));
    Random rnd = new Random(2);
    CacheKey[] keys = new CacheKey[4];
    for (int i = 0; i < 4; i++) {
      keys[i] = CacheKey.of(Inputs.image(rnd, 4), FeatureSpec.defaults());
    }
    FeatureOutput first = out(100);
    cache.put(keys[0], first);
    cache.put(keys[1], out(100));
    cache.put(keys[2], out(100));
    assertSame(first, cache.lookup(keys[0])); // now most recent
    cache.put(keys[3], out(100)); // evicts keys[1]
    assertNull(cache.lookup(keys[1]));
    assertSame(first, cache.lookup(keys[0]));
    CacheStats s = cache.stats();
    assertEquals(3, s.entries());
    assertTrue(s.bytes() <= 3 * (400 + 4 + 64));
    assertEquals(2, s.hits());
    assertEquals(1, s.misses());
    cache.put(keys[1], out(10_000)); // larger than the whole cache: not kept
    assertEquals(3, cache.stats().entries());
    assertThrows(IllegalArgumentException.class, () -> new EncoderCache(-1));
  }
}
