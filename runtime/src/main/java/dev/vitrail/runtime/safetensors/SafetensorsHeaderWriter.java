package dev.vitrail.runtime.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The header of a safetensors file whose tensors are laid out back to back in the given order (each
 * with its own dtype; {@link #body} holds F32 values only): 8 bytes little-endian header length,
 * then the JSON header padded with spaces to a multiple of 8 (as the reference writer does), then
 * the data.
 */
public final class SafetensorsHeaderWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SafetensorsHeaderWriter() {}

  /**
   * The length prefix and padded JSON header for {@code tensors}, with optional string metadata.
   */
  public static byte[] render(List<TensorEntry> tensors, Map<String, String> metadata) {
    ObjectNode root = MAPPER.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      // sorted: the same file whatever order the map iterates in (Map.of differs per JVM start)
      new TreeMap<>(metadata).forEach(meta::put);
    }
    Set<String> names = new HashSet<>();
    long offset = 0;
    for (TensorEntry t : tensors) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
      }
      ObjectNode node = root.putObject(t.name());
      node.put("dtype", t.dtype());
      ArrayNode shape = node.putArray("shape");
      for (int d : t.shape()) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + t.byteSize());
      offset += t.byteSize();
    }
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a safetensors header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    while (out.hasRemaining()) {
      out.put((byte) ' ');
    }
    return out.array();
  }

  /** The little-endian bytes of float32 values. */
  public static byte[] littleEndian(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /** A whole safetensors body held in memory: header then each tensor's values in order. */
  public static byte[] body(
      List<TensorEntry> tensors, List<float[]> values, Map<String, String> metadata) {
    if (tensors.size() != values.size()) {
      throw new IllegalArgumentException(
          tensors.size() + " tensors but " + values.size() + " value arrays");
    }
    byte[] header = render(tensors, metadata);
    long total = header.length;
    for (int i = 0; i < tensors.size(); i++) {
      if (tensors.get(i).byteSize() != 4L * values.get(i).length) {
        throw new IllegalArgumentException(
            "tensor "
                + tensors.get(i).name()
                + " needs "
                + tensors.get(i).byteSize() / 4
                + " values, got "
                + values.get(i).length);
      }
      total += tensors.get(i).byteSize();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "safetensors body of " + total + " bytes is too large for memory");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
    for (float[] v : values) {
      // One bulk copy per tensor (a plain memory copy on little-endian machines), not a call per
      // float.
      out.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
      out.position(out.position() + 4 * v.length);
    }
    return out.array();
  }
}
