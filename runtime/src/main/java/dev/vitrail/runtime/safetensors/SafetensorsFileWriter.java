package dev.vitrail.runtime.safetensors;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file tensor by tensor without holding the values: data goes to a temporary
 * file beside the target as tensors arrive; {@link #finish} writes the header, appends the data and
 * moves the result into place. {@link #close} without {@code finish} deletes the temporary files.
 */
public final class SafetensorsFileWriter implements AutoCloseable {
  private final Path target;
  private final Path data;
  private final OutputStream dataOut;
  private final List<TensorEntry> entries = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private boolean done;

  private SafetensorsFileWriter(Path target, Path data) throws IOException {
    this.target = target;
    this.data = data;
    this.dataOut = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20);
  }

  /** Starts a file at {@code target} (its directory must exist). */
  public static SafetensorsFileWriter create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("output directory does not exist: " + dir);
    }
    return new SafetensorsFileWriter(target, Files.createTempFile(dir, ".vitrail-", ".data"));
  }

  /** Appends one tensor. */
  public void add(String name, int[] shape, float[] values) throws IOException {
    TensorEntry entry = new TensorEntry(name, shape);
    if (entry.byteSize() != 4L * values.length) {
      throw new IllegalArgumentException(
          "tensor " + name + " needs " + entry.byteSize() / 4 + " values, got " + values.length);
    }
    if (!names.add(name)) {
      throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
    }
    entries.add(entry);
    dataOut.write(SafetensorsHeaderWriter.littleEndian(values));
  }

  /** Number of tensors added so far. */
  public int size() {
    return entries.size();
  }

  /** Writes the header and data to the target file. */
  public void finish(Map<String, String> metadata) throws IOException {
    dataOut.close();
    byte[] header = SafetensorsHeaderWriter.render(entries, metadata);
    // A plain new file (permissions from the umask, unlike a temp file), moved into place when
    // whole.
    Path assembled = target.resolveSibling(target.getFileName() + ".part");
    try (FileChannel out =
            FileChannel.open(
                assembled,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
      out.write(java.nio.ByteBuffer.wrap(header));
      long pos = 0;
      long size = in.size();
      while (pos < size) {
        pos += in.transferTo(pos, size - pos, out);
      }
    }
    Files.move(assembled, target, StandardCopyOption.REPLACE_EXISTING);
    done = true;
    Files.deleteIfExists(data);
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      dataOut.close();
      Files.deleteIfExists(data);
    }
  }
}
