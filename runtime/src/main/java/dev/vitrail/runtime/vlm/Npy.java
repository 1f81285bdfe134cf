package dev.vitrail.runtime.vlm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * NumPy {@code .npy} version 1.0 bytes of one C-order array: the magic {@code \x93NUMPY}, version
 * {@code 1 0}, a little-endian uint16 header length, the header dict {@code {'descr': ..,
 * 'fortran_order': False, 'shape': (..), }} padded with spaces and a newline to a multiple of 64
 * bytes, then the little-endian elements ({@code np.load} with {@code allow_pickle=False} reads
 * it).
 */
public final class Npy {
  private Npy() {}

  /** A float tensor cast to {@code dtype} (f16 or f32). */
  public static byte[] tensor(float[] values, long[] shape, EcDtype dtype) {
    String descr =
        switch (dtype) {
          case F16 -> "<f2";
          case F32 -> "<f4";
          case BF16 -> throw new IllegalArgumentException(".npy has no bfloat16");
        };
    return file(descr, shape, dtype.encode(values));
  }

  /** An int64 tensor. */
  public static byte[] int64(long[] values, long[] shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return file("<i8", shape, b.array());
  }

  private static byte[] file(String descr, long[] shape, byte[] data) {
    StringBuilder dims = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      dims.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
    }
    dims.append(')');
    StringBuilder header =
        new StringBuilder("{'descr': '")
            .append(descr)
            .append("', 'fortran_order': False, 'shape': ")
            .append(dims)
            .append(", }");
    int preamble = 10; // magic (6), version (2), header length (2)
    while ((preamble + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out =
        ByteBuffer.allocate(preamble + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) h.length);
    out.put(h).put(data);
    return out.array();
  }
}
