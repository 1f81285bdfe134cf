package dev.vitrail.encoders.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.MachineCache;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void ratesAreMeasuredOnceAndThenReadFromTheMachineCache(@TempDir Path dir) throws Exception {
    MachineCache cache = new MachineCache(dir.resolve("probe/linear.properties"));
    List<LinearKernel> kernels = List.of(LinearKernel.DENSE, LinearKernel.ONEDNN);
    KernelRates measured =
        new KernelRates(Map.of(LinearKernel.DENSE, 84.5, LinearKernel.ONEDNN, 91.2));
    AtomicInteger probes = new AtomicInteger();
    Supplier<KernelRates> probe = counted(probes, measured);
    assertEquals(measured, LinearKernelProbe.cachedOrMeasured(cache, kernels, probe));
    assertEquals(measured, LinearKernelProbe.cachedOrMeasured(cache, kernels, probe));
    assertEquals(1, probes.get(), "the second start reads the cache");
    List<LinearKernel> withMlas =
        List.of(LinearKernel.DENSE, LinearKernel.ONEDNN, LinearKernel.MLAS);
    LinearKernelProbe.cachedOrMeasured(cache, withMlas, probe);
    assertEquals(2, probes.get(), "a kernel the cache lacks means probing again");
    Files.writeString(cache.file(), "dense.gflops=fast\n");
    LinearKernelProbe.cachedOrMeasured(cache, kernels, probe);
    assertEquals(3, probes.get(), "an unreadable cache means probing again");
  }

  @Test
  void aKernelThatFailedInTheProbeIsRememberedAsFailed(@TempDir Path dir) {
    MachineCache cache = new MachineCache(dir.resolve("linear.properties"));
    List<LinearKernel> kernels = List.of(LinearKernel.DENSE, LinearKernel.MLAS);
    KernelRates withoutMlas = new KernelRates(Map.of(LinearKernel.DENSE, 84.5));
    AtomicInteger probes = new AtomicInteger();
    Supplier<KernelRates> probe = counted(probes, withoutMlas);
    assertEquals(withoutMlas, LinearKernelProbe.cachedOrMeasured(cache, kernels, probe));
    assertEquals(withoutMlas, LinearKernelProbe.cachedOrMeasured(cache, kernels, probe));
    assertEquals(1, probes.get(), "a failed kernel does not make every start probe again");
  }

  @Test
  void anUnwritableCacheStillGivesTheMeasuredRates(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-a-folder");
    Files.writeString(file, "x");
    MachineCache cache = new MachineCache(file.resolve("linear.properties"));
    KernelRates measured = new KernelRates(Map.of(LinearKernel.DENSE, 80.0));
    assertEquals(
        measured,
        LinearKernelProbe.cachedOrMeasured(cache, List.of(LinearKernel.DENSE), () -> measured));
  }

  @Test
  void theProcessRatesCoverEveryCandidateAtTheProbesOwnShapes() {
    KernelRates r = LinearKernelProbe.rates(); // target/probe-cache under Maven
    assertEquals(LinearKernelProbe.candidates(), List.copyOf(r.gflops().keySet()));
    assertTrue(r == LinearKernelProbe.rates(), "remembered for the process");
  }

  @Test
  void aKernelThatFailsIsLeftOutButBlasMustRun() {
    long[][] small = {{32, 48}};
    List<LinearKernel> kernels = List.of(LinearKernel.DENSE, LinearKernel.ONEDNN);
    LinearKernelProbe.LayerMaker onednnFails =
        (w, b, k) -> {
          if (k == LinearKernel.ONEDNN) {
            w.close();
            b.close();
            throw new IllegalStateException("not on this processor");
          }
          return Linear.create(w, b, k);
        };
    KernelRates r = LinearKernelProbe.measure(kernels, 8, small, 2, 1, onednnFails);
    assertEquals(List.of(LinearKernel.DENSE), List.copyOf(r.gflops().keySet()));
    assertEquals(LinearKernel.DENSE, r.fastest());
    LinearKernelProbe.LayerMaker blasFails =
        (w, b, k) -> {
          w.close();
          b.close();
          throw new IllegalStateException("no BLAS");
        };
    assertThrows(
        IllegalStateException.class,
        () -> LinearKernelProbe.measure(kernels, 8, small, 2, 1, blasFails));
  }

  /** A probe that answers {@code rates} and counts how often it ran. */
  private static Supplier<KernelRates> counted(AtomicInteger runs, KernelRates rates) {
    return () -> {
      runs.incrementAndGet();
      return rates;
    };
  }
}
