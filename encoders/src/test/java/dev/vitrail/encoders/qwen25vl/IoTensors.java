package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The tensors of a fixture {@code io.safetensors} on the heap, read through the shared reader. */
final class IoTensors implements AutoCloseable {
  private final SafetensorsFile file;

  private IoTensors(SafetensorsFile file) {
    this.file = file;
  }

  static IoTensors open(Path path) {
    return new IoTensors(SafetensorsFile.open(path));
  }

  List<String> names() {
    return List.copyOf(file.header().entries().keySet());
  }

  String dtype(String name) {
    return file.header().entries().get(name).dtype();
  }

  long[] shape(String name) {
    return file.header().entries().get(name).shape().clone();
  }

  float[] floats(String name) {
    try (PointerScope scope = new PointerScope()) {
      return HostTensors.download(file.view(name));
    }
  }

  long[] longs(String name) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = file.view(name).to(torch.ScalarType.Long).contiguous();
      long[] out = new long[(int) t.numel()];
      t.data_ptr_long().get(out);
      return out;
    }
  }

  /** The fixture's entries as separate patch-row inputs, in order. */
  List<PixelInput> inputs() {
    float[] all = floats("pixel_values");
    int width = (int) shape("pixel_values")[1];
    List<PixelInput> out = new ArrayList<>();
    int row = 0;
    for (GridThw g : grids()) {
      float[] v = Arrays.copyOfRange(all, row * width, (row + g.patches()) * width);
      out.add(new PixelInput(v, new int[] {g.patches(), width}, new int[] {g.t(), g.h(), g.w()}));
      row += g.patches();
    }
    return out;
  }

  List<GridThw> grids() {
    long[] thw = longs("grid_thw");
    GridThw[] out = new GridThw[thw.length / 3];
    for (int i = 0; i < out.length; i++) {
      out[i] = new GridThw((int) thw[3 * i], (int) thw[3 * i + 1], (int) thw[3 * i + 2]);
    }
    return List.of(out);
  }

  @Override
  public void close() {
    file.close();
  }
}
