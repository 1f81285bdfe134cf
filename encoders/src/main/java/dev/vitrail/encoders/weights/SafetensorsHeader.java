package dev.vitrail.encoders.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed JSON header of a safetensors file (pure: no I/O, no tensors).
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of JSON, then the tensor bytes; entry
 * offsets are relative to {@link #dataStart()}.
 */
public final class SafetensorsHeader {
  /** Headers larger than this are refused as corrupt (the format's reference reader uses 100 MB). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One tensor entry.
   *
   * @param name the checkpoint key
   * @param dtype the safetensors dtype, e.g. {@code F32}
   * @param shape the tensor shape
   * @param begin first byte, relative to the data section
   * @param end one past the last byte, relative to the data section
   */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    /** Number of elements. */
    public long numel() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + "," + end + ")";
    }
  }

  private final Map<String, Entry> entries;
  private final long dataStart;

  private SafetensorsHeader(Map<String, Entry> entries, long dataStart) {
    this.entries = Collections.unmodifiableMap(entries);
    this.dataStart = dataStart;
  }

  /** Bytes per element of a safetensors dtype; an unknown dtype is a {@link CheckpointException}. */
  public static int elementSize(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
      default -> throw new CheckpointException("unsupported safetensors dtype '" + dtype + "'");
    };
  }

  /** Reads the header length from the first 8 bytes (little-endian) and checks it is plausible. */
  public static long headerLength(byte[] first8, long fileSize) {
    if (first8.length < 8 || fileSize < 8) {
      throw new CheckpointException("file of " + fileSize + " bytes is too short for a safetensors header");
    }
    long n = 0;
    for (int i = 7; i >= 0; i--) {
      n = (n << 8) | (first8[i] & 0xFF);
    }
    if (n <= 0 || n > MAX_HEADER_BYTES || n > fileSize - 8) {
      throw new CheckpointException(
          "bad safetensors header length " + n + " in a file of " + fileSize + " bytes");
    }
    return n;
  }

  /**
   * Parses the JSON header and checks every entry against the file size.
   *
   * @param json the N header bytes
   * @param fileSize the whole file's size, to detect truncation
   */
  public static SafetensorsHeader parse(byte[] json, long fileSize) {
    long dataStart = 8L + json.length;
    JsonNode root;
    try {
      root = MAPPER.readTree(new String(json, StandardCharsets.UTF_8).trim());
    } catch (JsonProcessingException e) {
      throw new CheckpointException("safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException("safetensors header must be a JSON object");
    }
    long dataBytes = fileSize - dataStart;
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!field.getKey().equals("__metadata__")) {
        Entry e = entry(field.getKey(), field.getValue());
        if (e.end() > dataBytes) {
          throw new CheckpointException(
              "truncated safetensors file: tensor '" + e.name() + "' ends at byte " + (dataStart + e.end())
                  + " but the file has " + fileSize + " bytes");
        }
        entries.put(e.name(), e);
      }
    }
    return new SafetensorsHeader(entries, dataStart);
  }

  private static Entry entry(String name, JsonNode n) {
    JsonNode dtype = n.get("dtype");
    JsonNode shape = n.get("shape");
    JsonNode offsets = n.get("data_offsets");
    if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
        || offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointException(
          "safetensors entry '" + name + "' needs dtype, shape and data_offsets [begin, end]");
    }
    long[] dims = new long[shape.size()];
    long numel = 1;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
        throw new CheckpointException("safetensors entry '" + name + "' has a bad shape " + shape);
      }
      dims[i] = d.asLong();
      numel = Math.multiplyExact(numel, dims[i]);
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    long expected = Math.multiplyExact(numel, (long) elementSize(dtype.asText()));
    if (begin < 0 || end < begin || end - begin != expected) {
      throw new CheckpointException(
          "safetensors entry '" + name + "' has data_offsets " + offsets + " but " + dtype.asText()
              + Arrays.toString(dims) + " needs " + expected + " bytes");
    }
    return new Entry(name, dtype.asText(), dims, begin, end);
  }

  /** The tensor entries by name, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** Absolute file offset of the data section ({@code 8 + N}). */
  public long dataStart() {
    return dataStart;
  }
}
