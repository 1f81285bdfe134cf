package dev.vitrail.encoders.weights;

import dev.vitrail.encoders.tensor.NativeTorch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * One safetensors file, memory-mapped read-only and copy-on-write through libtorch's {@code
 * from_file}: tensors are views into the mapping (no second copy), pages are read only when
 * touched, and the mapping lives as long as any view of it.
 */
public final class SafetensorsFile implements AutoCloseable {
  private final Path path;
  private final SafetensorsHeader header;
  private Tensor mapped; // uint8 [fileSize], owned

  private SafetensorsFile(Path path, SafetensorsHeader header, Tensor mapped) {
    this.path = path;
    this.header = header;
    this.mapped = mapped;
  }

  /** Reads and checks the header, then maps the file. */
  public static SafetensorsFile open(Path path) {
    SafetensorsHeader header = readHeader(path);
    NativeTorch.load();
    long size = header.dataStart() + header.dataLength();
    Tensor mapped;
    try (PointerScope scope = new PointerScope()) {
      TensorOptions bytes =
          new TensorOptions().dtype(new ScalarTypeOptional(torch.ScalarType.Byte));
      mapped =
          torch.from_file(path.toString(), new BoolOptional(false), new LongOptional(size), bytes);
      mapped.retainReference();
    }
    return new SafetensorsFile(path, header, mapped);
  }

  /** Reads only the header of a file (no mapping). */
  public static SafetensorsHeader readHeader(Path path) {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return SafetensorsHeader.read(ch);
    } catch (SafetensorsException e) {
      throw new CheckpointException(path + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** The file's header. */
  public SafetensorsHeader header() {
    return header;
  }

  /** The file's path. */
  public Path path() {
    return path;
  }

  /**
   * A view of one tensor in its stored dtype and shape, created in the caller's scope. It shares
   * the mapping (copy-on-write), so callers must not write into it.
   */
  public Tensor view(String name) {
    SafetensorsHeader.Entry e = header.entries().get(name);
    if (e == null) {
      throw new CheckpointException(path + " has no tensor '" + name + "'");
    }
    if (mapped == null) {
      throw new IllegalStateException(path + " is closed");
    }
    long offset = header.dataStart() + e.begin();
    Tensor raw = mapped.narrow(0, offset, e.end() - e.begin());
    if (offset % e.dtypeKind().byteSize() != 0) {
      raw = raw.clone(); // misaligned storage cannot be reinterpreted in place
    }
    return raw.view(scalarType(e)).view(e.shape());
  }

  private torch.ScalarType scalarType(SafetensorsHeader.Entry e) {
    return switch (e.dtype()) {
      case "F32" -> torch.ScalarType.Float;
      case "F16" -> torch.ScalarType.Half;
      case "BF16" -> torch.ScalarType.BFloat16;
      case "F64" -> torch.ScalarType.Double;
      case "I64" -> torch.ScalarType.Long;
      case "I32" -> torch.ScalarType.Int;
      case "I16" -> torch.ScalarType.Short;
      case "I8" -> torch.ScalarType.Char;
      case "U8" -> torch.ScalarType.Byte;
      case "BOOL" -> torch.ScalarType.Bool;
      default ->
          throw new CheckpointException(
              path
                  + ": tensor '"
                  + e.name()
                  + "' has dtype "
                  + e.dtype()
                  + ", which Vitrail cannot compute with");
    };
  }

  /** Drops this object's reference to the mapping; views still alive keep it mapped. */
  @Override
  public void close() {
    if (mapped != null) {
      mapped.close();
      mapped = null;
    }
  }
}
