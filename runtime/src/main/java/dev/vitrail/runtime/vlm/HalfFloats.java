package dev.vitrail.runtime.vlm;

/**
 * float32 to 16-bit float conversions with round-to-nearest-even, bit for bit as libtorch's {@code
 * c10::BFloat16} and {@code c10::Half} constructors (what {@code tensor.to(torch.bfloat16)} does).
 */
public final class HalfFloats {
  private static final float TO_INF = Float.intBitsToFloat(0x77800000); // 2^112
  private static final float TO_ZERO = Float.intBitsToFloat(0x08800000); // 2^-110

  private HalfFloats() {}

  /** bfloat16 bits: the upper half of the float rounded to nearest even; NaN becomes 0x7FC0. */
  public static short bf16(float value) {
    if (Float.isNaN(value)) {
      return (short) 0x7FC0;
    }
    int bits = Float.floatToRawIntBits(value);
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7FFF + lsb) >>> 16);
  }

  /**
   * IEEE binary16 bits, rounded to nearest even; overflow gives infinity, NaN becomes 0x7E00 (with
   * the sign). The float arithmetic does the rounding, also into the subnormal range.
   */
  public static short f16(float value) {
    int w = Float.floatToRawIntBits(value);
    int twice = w << 1; // the sign shifted out
    int sign = w & 0x80000000;
    if (Integer.compareUnsigned(twice, 0xFF000000) > 0) {
      return (short) ((sign >>> 16) | 0x7E00);
    }
    float base = (Math.abs(value) * TO_INF) * TO_ZERO;
    int bias = twice & 0xFF000000;
    if (Integer.compareUnsigned(bias, 0x71000000) < 0) {
      bias = 0x71000000;
    }
    base = Float.intBitsToFloat((bias >>> 1) + 0x07800000) + base;
    int bits = Float.floatToRawIntBits(base);
    int exponent = (bits >>> 13) & 0x00007C00;
    int mantissa = bits & 0x00000FFF;
    return (short) ((sign >>> 16) | (exponent + mantissa));
  }
}
