package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.attention.AttentionBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * GPU only: the worker's stream, the reused pinned buffer with asynchronous copies, and the queried
 * device facts. Skipped, with the reason, where no CUDA device is visible.
 */
class CudaStagingTest {
  @Test
  void uploadsThroughThePinnedBufferOnTheWorkerStream() {
    CudaDevice gpu = GpuTests.requireGpu();
    CudaSupport cuda = CudaSupport.require();
    cuda.bindWorkerStream(gpu.index());
    ComputeTarget target = new ComputeTarget(gpu.device(), torch.ScalarType.Float);
    Random rnd = new Random(5);
    // growing, shrinking and growing again: the buffer is reused and grown
    for (int images : new int[] {1, 4, 2, 9, 9}) {
      List<float[]> parts = new ArrayList<>();
      float[] all = new float[images * 3 * 8 * 8];
      for (int i = 0; i < images; i++) {
        float[] p = new float[3 * 8 * 8];
        for (int k = 0; k < p.length; k++) {
          p[k] = rnd.nextFloat();
        }
        System.arraycopy(p, 0, all, i * p.length, p.length);
        parts.add(p);
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor t = target.upload(parts, images, 3, 8, 8);
        assertTrue(t.is_cuda(), "on the device");
        assertArrayEquals(new long[] {images, 3, 8, 8}, t.shape());
        assertArrayEquals(all, HostTensors.download(t));
      }
    }
    cuda.releaseThreadBuffers();
    cuda.emptyCache();
  }

  @Test
  void capabilityAndAttentionComeFromTheDevice() {
    CudaDevice gpu = GpuTests.requireGpu();
    assertTrue(gpu.capability() > 0, "capability queried: " + gpu.describe());
    assertTrue(gpu.totalBytes() > 0, gpu.describe());
    System.out.println("GPU-DEVICE " + gpu.describe());
    if (System.getenv(ComputeTarget.CUDA_CAPABILITY_ENV) == null) {
      assertEquals(gpu.capability(), ComputeTarget.cudaCapability(gpu.index()));
    }
    ComputeTarget bf16 = new ComputeTarget(gpu.device(), ComputeTarget.autoDtype(gpu.capability()));
    AttentionBackend backend = bf16.attention(64);
    System.out.println("GPU-ATTENTION dtype=" + bf16.dtype() + " head_dim=64 backend=" + backend);
    assertEquals(
        gpu.capability() >= 80 ? AttentionBackend.FLASH_ATTN : AttentionBackend.MEM_EFFICIENT,
        backend);
  }
}
