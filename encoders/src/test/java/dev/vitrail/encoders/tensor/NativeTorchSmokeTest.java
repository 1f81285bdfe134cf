package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class NativeTorchSmokeTest {
  @Test
  void loadsLibtorchAndMultipliesMatrices() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor a =
          torch.arange(new org.bytedeco.pytorch.Scalar(6)).to(torch.ScalarType.Float).reshape(2, 3);
      Tensor b = torch.ones(3, 2);
      Tensor c = a.matmul(b).contiguous();
      float[] out = new float[4];
      c.data_ptr_float().get(out);
      assertArrayEquals(new float[] {3f, 3f, 12f, 12f}, out);
    }
  }

  @Test
  void refusesTwoLargeThreadPools() {
    assertThrows(IllegalArgumentException.class, () -> NativeTorch.configureThreads(2, 2));
  }
}
