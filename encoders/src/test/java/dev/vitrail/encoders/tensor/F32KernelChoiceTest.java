package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.encoders.api.EncoderOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** float32 CPU towers multiply on the pool that is wide: BLAS's, or libtorch's through oneDNN. */
class F32KernelChoiceTest {
  @AfterEach
  void singleThreads() {
    NativeTorch.configureThreads(1, 1);
  }

  @Test
  void wideIntraOpPoolWithSingleThreadBlasTakesOneDnn() {
    EncoderOptions f32 = new EncoderOptions("cpu", "f32", null);
    NativeTorch.configureThreads(1, 2);
    assertEquals(LinearKernel.DENSE, ComputeTarget.of(f32).linearKernel());
    NativeTorch.configureThreads(1, 1);
    assertEquals(LinearKernel.DENSE, ComputeTarget.of(f32).linearKernel());
    NativeTorch.configureThreads(2, 1);
    assertEquals(
        torch.hasMKLDNN() ? LinearKernel.ONEDNN : LinearKernel.DENSE,
        ComputeTarget.of(f32).linearKernel());
    // other modes keep their own kernels
    assertEquals(
        LinearKernel.INT8,
        ComputeTarget.of(new EncoderOptions("cpu", "int8", null)).linearKernel());
  }
}
