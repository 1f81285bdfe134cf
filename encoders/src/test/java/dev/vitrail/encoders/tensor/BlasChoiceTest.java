package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vitrail.workers.blas} resolution, its probe cache, and the library in use. */
class BlasChoiceTest {
  private static final Supplier<BlasChoice.ProbeRates> NO_PROBE =
      () -> {
        throw new AssertionError("the probe must not run");
      };

  @Test
  void explicitLibrariesNeedNoProbe() {
    assertEquals(BlasLibrary.OPENBLAS, BlasChoice.resolve("openblas", true, NO_PROBE));
    assertEquals(BlasLibrary.OPENBLAS, BlasChoice.resolve("OpenBLAS", false, NO_PROBE));
    assertEquals(BlasLibrary.MKL, BlasChoice.resolve("mkl", true, NO_PROBE));
  }

  @Test
  void autoWithoutMklIsOpenblasWithoutProbing() {
    assertEquals(BlasLibrary.OPENBLAS, BlasChoice.resolve("auto", false, NO_PROBE));
    assertEquals(BlasLibrary.OPENBLAS, BlasChoice.resolve(null, false, NO_PROBE));
  }

  @Test
  void autoWithMklTakesTheFasterByAMargin() {
    AtomicInteger probes = new AtomicInteger();
    Supplier<BlasChoice.ProbeRates> mklFaster =
        () -> {
          probes.incrementAndGet();
          return new BlasChoice.ProbeRates(100, 110);
        };
    assertEquals(BlasLibrary.MKL, BlasChoice.resolve("auto", true, mklFaster));
    assertEquals(1, probes.get());
    // within the margin, OpenBLAS (the library libtorch ships with) stays
    assertEquals(
        BlasLibrary.OPENBLAS,
        BlasChoice.resolve("auto", true, () -> new BlasChoice.ProbeRates(100, 102)));
    assertEquals(BlasLibrary.OPENBLAS, BlasChoice.faster(new BlasChoice.ProbeRates(100, 60)));
  }

  @Test
  void mklWithoutItsNativesOrAnUnknownNameIsAClearError() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> BlasChoice.resolve("mkl", false, NO_PROBE));
    assertTrue(e.getMessage().contains("-Pmkl"), e.getMessage());
    IllegalArgumentException u =
        assertThrows(
            IllegalArgumentException.class, () -> BlasChoice.resolve("atlas", true, NO_PROBE));
    assertTrue(u.getMessage().contains("[auto, openblas, mkl]"), u.getMessage());
  }

  @Test
  void probeRatesRoundTripThroughTheCacheFile(@TempDir Path dir) throws Exception {
    MachineCache cache = new MachineCache(dir.resolve("sub/blas.properties"));
    assertNull(BlasProbe.read(cache));
    BlasProbe.write(cache, new BlasChoice.ProbeRates(81.5, 92.25));
    assertEquals(new BlasChoice.ProbeRates(81.5, 92.25), BlasProbe.read(cache));
    Files.writeString(cache.file(), "openblas.gflops=fast\n");
    assertNull(BlasProbe.read(cache), "an unreadable cache means probing again");
  }

  @Test
  void theCacheKeyFollowsTheProcessor() {
    String here = MachineCache.cpuIdentity();
    String v = BlasProbe.VERSIONS;
    assertEquals(MachineCache.key(here, v), MachineCache.key(here, v));
    assertTrue(!MachineCache.key(here, v).equals(MachineCache.key(here + " avx512_bf16", v)));
    assertTrue(!MachineCache.key(here, v).equals(MachineCache.key(here, v + ";other")));
    assertEquals(16, MachineCache.key(here, v).length());
  }

  @Test
  void theProbeTimesAGemmInAChildJvm() {
    double gflops = BlasProbe.inChild(BlasLibrary.OPENBLAS);
    assertTrue(gflops > 0.5 && gflops < 10_000, "OpenBLAS probe rate " + gflops);
  }

  @Test
  void theLibraryInUseIsReportedAndAnotherOneIsRefusedOnceLoaded() {
    BlasLibrary inUse = NativeTorch.blas();
    NativeTorch.selectBlas("auto"); // always accepted
    NativeTorch.selectBlas(inUse.settingName());
    BlasLibrary other = inUse == BlasLibrary.MKL ? BlasLibrary.OPENBLAS : BlasLibrary.MKL;
    assertThrows(IllegalStateException.class, () -> NativeTorch.selectBlas(other.settingName()));
    assertThrows(IllegalArgumentException.class, () -> NativeTorch.selectBlas("atlas"));
  }
}
