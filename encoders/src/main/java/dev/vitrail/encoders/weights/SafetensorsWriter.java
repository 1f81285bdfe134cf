package dev.vitrail.encoders.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a standard safetensors file tensor by tensor (header padded to 8 bytes, data in the given
 * order), so that large random checkpoints never sit whole on the heap.
 */
public final class SafetensorsWriter {
  /**
   * One tensor to write.
   *
   * @param name the key
   * @param dtype a safetensors dtype, e.g. {@code F32}
   * @param shape the shape
   * @param content fills a little-endian buffer of exactly the tensor's byte size
   */
  public record Tensor(String name, String dtype, long[] shape, Content content) {
    long bytes() {
      long n = SafetensorsDtype.of(dtype).byteSize();
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** Produces a tensor's bytes. */
  @FunctionalInterface
  public interface Content {
    /** Writes the tensor's bytes into {@code out} (little-endian, positioned at 0). */
    void fill(ByteBuffer out);
  }

  private SafetensorsWriter() {}

  /** Writes {@code tensors} to {@code path}, replacing any existing file. */
  public static void write(Path path, List<Tensor> tensors) {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Tensor t : tensors) {
      long end = offset + t.bytes();
      json.append(",\"")
          .append(t.name())
          .append("\":{\"dtype\":\"")
          .append(t.dtype())
          .append("\",\"shape\":[")
          .append(
              Arrays.stream(t.shape()).mapToObj(Long::toString).collect(Collectors.joining(",")))
          .append("],\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(end)
          .append("]}");
      offset = end;
    }
    json.append('}');
    byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
    byte[] header = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
    Arrays.fill(header, text.length, header.length, (byte) ' ');
    try (FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
      writeFully(ch, len.flip());
      writeFully(ch, ByteBuffer.wrap(header));
      for (Tensor t : tensors) {
        ByteBuffer buf =
            ByteBuffer.allocate(Math.toIntExact(t.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        t.content().fill(buf);
        buf.clear();
        writeFully(ch, buf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
