package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code .npy} 1.0 bytes as {@code np.save} writes them (checked with numpy 2.4 in the reference
 * venv: {@code np.load} gives the same array), and the inline bound's arithmetic.
 */
class NpyTest {
  private static String header(byte[] npy) {
    int len = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    return new String(npy, 10, len, StandardCharsets.US_ASCII);
  }

  @Test
  void headerAndDataAreNumpys() {
    float[] v = {1f, -2.5f, 0.1f, 65504f, 1e-8f, 3f};
    byte[] f16 = Npy.tensor(v, new long[] {2, 3}, EcDtype.F16);
    assertArrayEquals(
        new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(f16, 8));
    String h = header(f16);
    assertEquals(0, (10 + h.length()) % 64, "header padded to a multiple of 64");
    assertTrue(h.endsWith("\n"));
    assertEquals("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }", h.strip());
    assertArrayEquals(EcDtype.F16.encode(v), Arrays.copyOfRange(f16, 10 + h.length(), f16.length));
    assertEquals(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }",
        header(Npy.tensor(v, new long[] {6}, EcDtype.F32)).strip());
    byte[] grid = Npy.int64(new long[] {1, 4, 6}, new long[] {1, 3});
    assertEquals(
        "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 3), }", header(grid).strip());
    assertEquals(
        6, ByteBuffer.wrap(grid, grid.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  @Test
  void bfloat16IsRefusedForNpy() {
    assertThrows(IllegalArgumentException.class, () -> InlineFormat.NPY.check(EcDtype.BF16));
    assertThrows(IllegalArgumentException.class, () -> InlineFormat.of("pickle"));
    InlineFormat.TORCH.check(EcDtype.BF16);
  }

  @Test
  void theInlineBoundRefusesBeforeEncoding() {
    ConsumerGrid.Plan plan = new ConsumerGrid.Plan(28, 28, new int[] {1, 2, 2}, 1000);
    VlmEncoder.Prepared p =
        new VlmEncoder.Prepared("k", plan, null, EcDtype.BF16, InlineFormat.TORCH);
    long one = InlineBudget.estimate(1000, 3584, EcDtype.BF16);
    assertTrue(one >= 1000L * 3584 * 2 * 4 / 3, "at least the base64 of the data");
    InlineBudget.check(List.of(p, p), 3584, 2 * one);
    EcLimitException e =
        assertThrows(
            EcLimitException.class, () -> InlineBudget.check(List.of(p, p), 3584, 2 * one - 1));
    assertTrue(e.getMessage().contains("vitrail.vlm.max-inline-bytes"), e.getMessage());
    InlineBudget.check(List.of(p, p, p), 3584, 0);
  }
}
