package dev.vitrail.encoders.qwen25vl;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** int64 index tensors (window permutations) from heap arrays, in the caller's scope. */
final class IndexTensors {
  private IndexTensors() {}

  /** An int64 tensor holding a copy of {@code values}, on {@code device}. */
  static Tensor of(long[] values, String device) {
    LongPointer p = new LongPointer(values);
    TensorOptions opts = new TensorOptions().dtype(new ScalarTypeOptional(torch.ScalarType.Long));
    Tensor t = torch.from_blob(p, new long[] {values.length}, opts).clone();
    return device.equals("cpu") ? t : t.to(new Device(device), torch.ScalarType.Long);
  }
}
