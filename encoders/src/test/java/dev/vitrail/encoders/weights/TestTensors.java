package dev.vitrail.encoders.weights;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Small helpers for weight tests: F32 contents of tensors and writer contents. */
final class TestTensors {
  private TestTensors() {}

  static float[] floats(Tensor t) {
    try (PointerScope s = new PointerScope()) {
      Tensor c = t.to(torch.ScalarType.Float).contiguous();
      float[] out = new float[(int) c.numel()];
      c.data_ptr_float().get(out);
      return out;
    }
  }

  static SafetensorsWriter.Tensor f32(String name, float[] values, long... shape) {
    return new SafetensorsWriter.Tensor(
        name,
        "F32",
        shape,
        b -> {
          for (float v : values) {
            b.putFloat(v);
          }
        });
  }

  static SafetensorsWriter.Tensor bf16(String name, float[] values, long... shape) {
    return new SafetensorsWriter.Tensor(
        name,
        "BF16",
        shape,
        (ByteBuffer b) -> {
          for (float v : values) {
            b.putShort((short) (Float.floatToIntBits(v) >>> 16));
          }
        });
  }
}
