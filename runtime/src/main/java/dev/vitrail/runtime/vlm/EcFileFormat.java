package dev.vitrail.runtime.vlm;

import dev.vitrail.runtime.safetensors.SafetensorsHeaderWriter;
import dev.vitrail.runtime.safetensors.TensorEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one {@link EcStore} file: a safetensors header naming the single tensor {@link
 * EcStore#TENSOR} of {@code [rows, cols]}, then the values in the consumer's dtype, little-endian.
 */
final class EcFileFormat {
  private static final int CHUNK = 1 << 16;

  private EcFileFormat() {}

  /**
   * The safetensors header of an {@code ec_cache} file of {@code [rows, cols]} in {@code dtype}.
   */
  static byte[] header(int rows, int cols, EcDtype dtype) {
    return SafetensorsHeaderWriter.render(
        List.of(new TensorEntry(EcStore.TENSOR, dtype.safetensorsName(), new int[] {rows, cols})),
        Map.of("format", "pt"));
  }

  /** Writes {@code values} converted to {@code dtype}, a chunk at a time. */
  static void writeValues(OutputStream out, float[] values, EcDtype dtype) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(CHUNK * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int at = 0; at < values.length; at += CHUNK) {
      buf.clear();
      int end = Math.min(values.length, at + CHUNK);
      for (int i = at; i < end; i++) {
        dtype.put(buf, values[i]);
      }
      out.write(buf.array(), 0, buf.position());
    }
  }
}
