package dev.vitrail.encoders.qwen25vl;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Copies between heap arrays and libtorch tensors, in the caller's scope. */
final class HostTensors {
  private HostTensors() {}

  /** A float32 CPU tensor holding a copy of {@code values}. */
  static Tensor floats(float[] values, long... shape) {
    FloatPointer p = new FloatPointer(values);
    TensorOptions opts = new TensorOptions().dtype(new ScalarTypeOptional(torch.ScalarType.Float));
    return torch.from_blob(p, shape, opts).clone();
  }

  /** An int64 index tensor holding a copy of {@code values}, on {@code device}. */
  static Tensor longs(long[] values, String device) {
    LongPointer p = new LongPointer(values);
    TensorOptions opts = new TensorOptions().dtype(new ScalarTypeOptional(torch.ScalarType.Long));
    Tensor t = torch.from_blob(p, new long[] {values.length}, opts).clone();
    return device.equals("cpu") ? t : t.to(new Device(device), torch.ScalarType.Long);
  }

  /** The values of {@code t} as float32, row-major, on the heap. */
  static float[] toHeap(Tensor t) {
    Tensor c = t.to(new Device("cpu"), torch.ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }
}
