package dev.vitrail.actors.cluster;

import java.util.Arrays;

/**
 * Lossless compact form of preprocessed pixels: images normalized from 8-bit sources take at most
 * 256 distinct float values per colour channel, so each value travels as a one-byte code into its
 * channel's table (4x smaller than float32, bit-exact). Values are grouped into lanes: value {@code
 * i} belongs to lane {@code (i / block) % lanes} (channel-planar {@code [C, H, W]}: {@code lanes =
 * C}, {@code block = H*W}; Qwen patch rows {@code [N, C*T*P*P]}: {@code lanes = C}, {@code block =
 * T*P*P}). Pure functions.
 *
 * @param lanes number of per-channel tables
 * @param block consecutive values that share one lane
 * @param table {@code lanes × 256} values, lane-major (unused entries are 0)
 * @param codes one code per value
 */
public record PixelCodes(int lanes, int block, float[] table, byte[] codes) {
  /** Values per lane table. */
  public static final int TABLE = 256;

  /**
   * The codes of {@code values} in the given lane layout, or null when some lane has more than 256
   * distinct values (the caller then sends floats).
   */
  public static PixelCodes pack(float[] values, int lanes, int block) {
    if (lanes < 1 || block < 1) {
      throw new IllegalArgumentException("lanes and block must be positive");
    }
    float[] table = new float[lanes * TABLE];
    int[] used = new int[lanes];
    // Per lane: open-addressing map from float bits to code (1024 slots, load <= 1/4).
    int[] keys = new int[lanes * 1024];
    short[] slots = new short[lanes * 1024];
    Arrays.fill(slots, (short) -1);
    byte[] codes = new byte[values.length];
    for (int start = 0, b = 0; start < values.length; start += block, b++) {
      int lane = b % lanes;
      int base = lane * 1024;
      int end = Math.min(values.length, start + block);
      for (int i = start; i < end; i++) {
        int bits = Float.floatToRawIntBits(values[i]);
        int h = (bits * 0x9E3779B9) >>> 22;
        while (true) {
          int s = base + h;
          if (slots[s] < 0) {
            if (used[lane] == TABLE) {
              return null;
            }
            slots[s] = (short) used[lane];
            keys[s] = bits;
            table[lane * TABLE + used[lane]] = values[i];
            used[lane]++;
            codes[i] = (byte) slots[s];
            break;
          }
          if (keys[s] == bits) {
            codes[i] = (byte) slots[s];
            break;
          }
          h = (h + 1) & 1023;
        }
      }
    }
    return new PixelCodes(lanes, block, table, codes);
  }

  /** The original values, bit for bit. */
  public float[] unpack() {
    float[] out = new float[codes.length];
    for (int start = 0, b = 0; start < codes.length; start += block, b++) {
      int base = (b % lanes) * TABLE;
      int end = Math.min(codes.length, start + block);
      for (int i = start; i < end; i++) {
        out[i] = table[base + (codes[i] & 0xFF)];
      }
    }
    return out;
  }

  /** The lane layout for a pixel tensor of {@code shape}: channels first, or Qwen patch rows. */
  public static int[] layout(int[] shape, boolean patchRows) {
    if (!patchRows && shape.length == 3) {
      return new int[] {shape[0], shape[1] * shape[2]};
    }
    if (patchRows && shape.length == 2 && shape[1] % 3 == 0) {
      return new int[] {3, shape[1] / 3};
    }
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return new int[] {1, n};
  }
}
