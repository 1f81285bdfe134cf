package dev.vitrail.encoders.golden;

import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.SafetensorsFile;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A model fixture's {@code io*.safetensors} (F32 and I64 tensors) on the heap. */
public final class IoFile implements AutoCloseable {
  private final SafetensorsFile file;

  private IoFile(SafetensorsFile file) {
    this.file = file;
  }

  /**
   * Opens a file by its path relative to the fixture root, e.g. {@code models/x/io.safetensors}.
   */
  public static IoFile open(String relative) {
    return new IoFile(SafetensorsFile.open(Fixtures.file(relative)));
  }

  /** The tensor names. */
  public List<String> names() {
    return List.copyOf(file.header().entries().keySet());
  }

  /** Whether the file holds {@code name}. */
  public boolean has(String name) {
    return file.header().entries().containsKey(name);
  }

  /** The stored shape. */
  public long[] shape(String name) {
    return file.header().entries().get(name).shape().clone();
  }

  /** The values as float32, row-major. */
  public float[] floats(String name) {
    try (PointerScope scope = new PointerScope()) {
      return HostTensors.download(file.view(name));
    }
  }

  /** The values as int64, row-major. */
  public long[] longs(String name) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = file.view(name).to(torch.ScalarType.Long).contiguous();
      long[] out = new long[(int) t.numel()];
      t.data_ptr_long().get(out);
      return out;
    }
  }

  @Override
  public void close() {
    file.close();
  }
}
