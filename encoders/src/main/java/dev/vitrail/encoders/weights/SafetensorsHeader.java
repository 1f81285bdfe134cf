package dev.vitrail.encoders.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parsed header of a {@code .safetensors} file: an 8-byte little-endian length N, N bytes of
 * UTF-8 JSON {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
 * {..}}}, then the raw data, offsets relative to {@link #dataStart()}.
 *
 * <p>Pure: parsing touches no tensors. Validation follows the reference implementation: known
 * dtypes, non-negative shapes, {@code end - begin} equal to the element count times the dtype size,
 * and the entries, sorted by offset, tiling the data section from 0 without holes or overlaps
 * ({@link SafetensorsTiling}).
 */
public final class SafetensorsHeader {
  /** Largest header accepted, as in the reference implementation (100 MB). */
  public static final long MAX_HEADER_BYTES = SafetensorsFraming.MAX_HEADER_BYTES;

  private static final String METADATA_KEY = "__metadata__";

  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;
  private final long dataStart;
  private final long dataLength;

  private SafetensorsHeader(
      Map<String, Entry> entries, Map<String, String> metadata, long dataStart, long dataLength) {
    this.entries = entries;
    this.metadata = metadata;
    this.dataStart = dataStart;
    this.dataLength = dataLength;
  }

  /**
   * Parses the header at the buffer's position (the position is not moved). The buffer must hold at
   * least the 8 length bytes and the header; data after it is allowed but not checked (use {@link
   * #requireFileSize} or {@link #read(FileChannel)} for that).
   */
  public static SafetensorsHeader parse(ByteBuffer headerAndMaybeMore) {
    return fromJson(SafetensorsFraming.json(headerAndMaybeMore));
  }

  /**
   * Reads and validates the header of a file from its start, and checks that the file is long
   * enough to hold every tensor the header lists.
   */
  public static SafetensorsHeader read(FileChannel channel) throws IOException {
    SafetensorsHeader header = fromJson(SafetensorsFraming.json(channel));
    header.requireFileSize(channel.size());
    return header;
  }

  /** Tensor entries by name, in data-offset order; unmodifiable. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The entry of one tensor; a missing name is an error that says which names exist. */
  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      List<String> names = new ArrayList<>(entries.keySet());
      String listed = names.size() <= 20 ? names.toString() : names.subList(0, 20) + " ...";
      throw new SafetensorsException(
          "no tensor '"
              + name
              + "' in safetensors header; it holds "
              + names.size()
              + ": "
              + listed);
    }
    return e;
  }

  /** The {@code __metadata__} strings (empty when absent); unmodifiable. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Absolute file offset of the data section: 8 + header length. */
  public long dataStart() {
    return dataStart;
  }

  /** Bytes of the data section the entries cover (the largest {@code end}). */
  public long dataLength() {
    return dataLength;
  }

  /** Throws when a file of {@code fileSize} bytes cannot hold the data the header lists. */
  public void requireFileSize(long fileSize) {
    if (fileSize < dataStart + dataLength) {
      throw new SafetensorsException(
          "truncated safetensors file: header lists "
              + dataLength
              + " data bytes from offset "
              + dataStart
              + ", so the file needs "
              + (dataStart + dataLength)
              + " bytes, found "
              + fileSize);
    }
  }

  private static SafetensorsHeader fromJson(byte[] json) {
    JsonNode root = SafetensorsHeaderFields.parseJson(json);
    List<Entry> list = new ArrayList<>();
    Map<String, String> metadata = Map.of();
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      if (f.getKey().equals(METADATA_KEY)) {
        metadata = SafetensorsHeaderFields.metadata(f.getValue());
      } else {
        list.add(SafetensorsHeaderFields.entry(f.getKey(), f.getValue()));
      }
    }
    SafetensorsTiling tiling = SafetensorsTiling.of(list);
    return new SafetensorsHeader(
        tiling.byName(), metadata, Long.BYTES + (long) json.length, tiling.dataLength());
  }

  /**
   * One tensor of the file.
   *
   * @param name the tensor name (may contain {@code /} and {@code .})
   * @param dtype the safetensors dtype string, e.g. {@code "F32"}
   * @param shape the dimensions (a copy is kept and returned)
   * @param begin start offset relative to {@link #dataStart()}
   * @param end end offset (exclusive) relative to {@link #dataStart()}
   */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    /** Validates the entry: known dtype, non-negative dims and offsets matching the byte size. */
    public Entry {
      shape = shape.clone();
      SafetensorsHeaderFields.validate(name, dtype, shape, begin, end);
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    /** The dtype as an enum. */
    public SafetensorsDtype dtypeKind() {
      return SafetensorsDtype.of(dtype);
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    /** {@code end - begin}. */
    public long byteLength() {
      return end - begin;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && name.equals(e.name)
          && dtype.equals(e.dtype)
          && Arrays.equals(shape, e.shape)
          && begin == e.begin
          && end == e.end;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
  }
}
