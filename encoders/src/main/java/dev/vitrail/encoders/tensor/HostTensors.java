package dev.vitrail.encoders.tensor;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Copies between heap float arrays and CPU float32 tensors. */
public final class HostTensors {
  private HostTensors() {}

  /** A new CPU float32 tensor holding a copy of {@code values}, in the caller's scope. */
  public static Tensor upload(float[] values, long... shape) {
    Tensor t = torch.empty(shape);
    try (PointerScope scope = new PointerScope()) {
      FloatPointer p = t.data_ptr_float();
      p.put(values);
    }
    return t;
  }

  /**
   * Copies {@code values} into rows {@code [offset, offset + values.length)} of a contiguous
   * float32 CPU tensor.
   */
  public static void write(Tensor target, long offset, float[] values) {
    try (PointerScope scope = new PointerScope()) {
      FloatPointer p = target.data_ptr_float();
      p.position(offset).put(values);
    }
  }

  /** The values of {@code t} as float32, row-major, whatever its dtype, device or layout. */
  public static float[] download(Tensor t) {
    try (PointerScope scope = new PointerScope()) {
      Tensor c = t.to(torch.ScalarType.Float).cpu().contiguous();
      float[] out = new float[Math.toIntExact(c.numel())];
      c.data_ptr_float().get(out);
      return out;
    }
  }
}
