package dev.vitrail.encoders.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearKernelProbeTest {
  @Test
  void everyCandidateKernelIsTimedAndTheThreadSettingsAreRestored() {
    NativeTorch.load();
    int before = NativeTorch.callerTorchThreads();
    List<LinearKernel> kernels = LinearKernelProbe.candidates();
    assertEquals(LinearKernel.DENSE, kernels.get(0), "BLAS is always a candidate");
    long[][] small = {{64, 96}, {96, 64}};
    KernelRates r = LinearKernelProbe.measure(kernels, 16, small, 2, 1);
    assertEquals(kernels.size(), r.gflops().size());
    for (LinearKernel k : kernels) {
      double g = r.gflops().get(k);
      assertTrue(g > 0 && g < 100_000, k + " rate " + g);
    }
    assertTrue(kernels.contains(r.fastest()));
    assertEquals(before, NativeTorch.callerTorchThreads());
  }
}
