package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.api.FeatureOutput;
import org.junit.jupiter.api.Test;

class PooledVectorsTest {
  private static final FeatureOutput V =
      new FeatureOutput(new float[] {3f, -4f, 12f, 0f}, new int[] {4});

  @Test
  void truncatesThenNormalizes() {
    FeatureOutput out = PooledVectors.shape(V, 2, true);
    assertArrayEquals(new int[] {2}, out.shape());
    assertArrayEquals(new float[] {0.6f, -0.8f}, out.values(), 1e-6f);
    assertArrayEquals(new float[] {3f, -4f, 12f, 0f}, V.values(), "the input is not changed");
    assertArrayEquals(new float[] {3f, -4f}, PooledVectors.shape(V, 2, false).values());
    assertArrayEquals(
        new float[] {3 / 13f, -4 / 13f, 12 / 13f, 0f},
        PooledVectors.shape(V, null, true).values(),
        1e-6f);
    FeatureOutput zero = new FeatureOutput(new float[3], new int[] {3});
    assertArrayEquals(new float[3], PooledVectors.shape(zero, null, true).values());
  }

  @Test
  void refusesDimensionsAboveTheWidth() {
    ApiException e = assertThrows(ApiException.class, () -> PooledVectors.shape(V, 5, true));
    assertEquals(ErrorKind.MALFORMED_REQUEST, e.kind());
    assertEquals(4, PooledVectors.shape(V, 4, false).values().length);
  }

  @Test
  void quantizesAsDocumented() {
    float[] v = {1f, -1f, 0.5f, -0.25f, 0f, 2f, -3f, 0.001f, 0.3f};
    assertArrayEquals(
        new int[] {127, -127, 64, -32, 0, 127, -127, 0, 38},
        PooledVectors.quantize(v, EncodingFormat.INT8));
    assertArrayEquals(
        new int[] {255, 0, 191, 96, 128, 255, 0, 128, 166},
        PooledVectors.quantize(v, EncodingFormat.UINT8));
    // bits 1 0 1 0 0 1 0 1 | 1 (padded): 0b10100101 = 165, 0b10000000 = 128
    assertArrayEquals(new int[] {165, 128}, PooledVectors.quantize(v, EncodingFormat.UBINARY));
    assertArrayEquals(new int[] {37, 0}, PooledVectors.quantize(v, EncodingFormat.BINARY));
    assertThrows(
        IllegalArgumentException.class, () -> PooledVectors.quantize(v, EncodingFormat.FLOAT));
  }
}
