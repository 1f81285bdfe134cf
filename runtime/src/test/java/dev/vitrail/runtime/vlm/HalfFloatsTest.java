package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** bf16 / f16 casts equal libtorch's {@code tensor.to(dtype)} bit for bit. */
class HalfFloatsTest {
  /** Random values of every magnitude plus the edge cases of both formats. */
  static float[] values() {
    Random rnd = new Random(13);
    float[] special = {
      0f,
      -0f,
      1f,
      -1f,
      1.5f,
      65504f,
      65519.99f,
      65520f,
      1e30f,
      -1e30f,
      Float.MAX_VALUE,
      Float.MIN_VALUE,
      Float.MIN_NORMAL,
      5.960464477539063e-8f,
      2.980232238769531e-8f,
      4.4703484e-8f,
      6.1035156e-5f,
      6.1e-5f,
      1f + 0x1p-11f,
      1f + 3 * 0x1p-11f,
      1f + 0x1p-8f,
      1f + 3 * 0x1p-8f,
      1f + 0x1p-8f + 0x1p-20f,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      Float.intBitsToFloat(0xFFC00001),
      Float.intBitsToFloat(0x7F7FFFFF),
      Float.intBitsToFloat(0x3F808000),
      Float.intBitsToFloat(0x3F818000)
    };
    float[] v = new float[special.length + 20_000];
    System.arraycopy(special, 0, v, 0, special.length);
    for (int i = special.length; i < v.length; i++) {
      v[i] =
          i % 3 == 0
              ? Float.intBitsToFloat(rnd.nextInt())
              : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6));
    }
    return v;
  }

  @Test
  void knownValues() {
    assertEquals(0x3F80, HalfFloats.bf16(1f) & 0xffff);
    assertEquals(0x3F80, HalfFloats.bf16(Float.intBitsToFloat(0x3F808000)) & 0xffff); // tie: even
    assertEquals(0x3F82, HalfFloats.bf16(Float.intBitsToFloat(0x3F818000)) & 0xffff); // tie: up
    assertEquals(0x7FC0, HalfFloats.bf16(Float.NaN) & 0xffff);
    assertEquals(0x3C00, HalfFloats.f16(1f) & 0xffff);
    assertEquals(0x7BFF, HalfFloats.f16(65504f) & 0xffff);
    assertEquals(0x7C00, HalfFloats.f16(65520f) & 0xffff);
    assertEquals(0x0001, HalfFloats.f16(0x1p-24f) & 0xffff);
    assertEquals(0x0000, HalfFloats.f16(0x1p-25f) & 0xffff);
    assertEquals(0x3C00, HalfFloats.f16(1f + 0x1p-11f) & 0xffff);
    assertEquals(0x3C02, HalfFloats.f16(1f + 3 * 0x1p-11f) & 0xffff);
  }

  @Test
  void equalLibtorchCasts() {
    NativeTorch.load();
    float[] v = values();
    for (EcDtype d : new EcDtype[] {EcDtype.BF16, EcDtype.F16}) {
      short[] torchBits = new short[v.length];
      try (PointerScope scope = new PointerScope()) {
        Tensor t = HostTensors.upload(v, v.length);
        Tensor cast =
            t.to(d == EcDtype.BF16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Half)
                .contiguous();
        new ShortPointer(cast.data_ptr()).get(torchBits);
      }
      for (int i = 0; i < v.length; i++) {
        short mine = d == EcDtype.BF16 ? HalfFloats.bf16(v[i]) : HalfFloats.f16(v[i]);
        boolean nan = Float.isNaN(v[i]);
        // NaN payloads differ between libtorch's vectorized and scalar paths: both must be NaN
        if (nan) {
          int exp = d == EcDtype.BF16 ? 0x7F80 : 0x7C00;
          assertEquals(true, isNan(torchBits[i], exp) && isNan(mine, exp), d + " NaN at " + i);
          continue;
        }
        assertEquals(
            torchBits[i] & 0xffff,
            mine & 0xffff,
            d + " of " + v[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(v[i])) + ")");
      }
    }
  }

  private static boolean isNan(short bits, int exponentMask) {
    return (bits & exponentMask) == exponentMask && (bits & ~exponentMask & 0x7FFF) != 0;
  }
}
