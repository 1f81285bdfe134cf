package dev.vitrail.encoders.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.tensor.LinearKernel;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KernelRatesTest {
  private static final LinearKernel D = LinearKernel.DENSE;
  private static final LinearKernel O = LinearKernel.ONEDNN;
  private static final LinearKernel M = LinearKernel.MLAS;

  @Test
  void theFastestKernelWinsWhenItBeatsDenseByTheMargin() {
    assertEquals(O, new KernelRates(Map.of(D, 82.0, O, 95.0)).fastest());
    assertEquals(M, new KernelRates(Map.of(D, 82.0, O, 95.0, M, 97.6)).fastest());
    assertEquals(O, new KernelRates(Map.of(D, 82.0, O, 97.6, M, 95.0)).fastest());
    assertEquals(D, new KernelRates(Map.of(D, 100.0)).fastest());
  }

  @Test
  void denseStaysWithinTheMargin() {
    assertEquals(D, new KernelRates(Map.of(D, 100.0, O, 102.9)).fastest());
    assertEquals(O, new KernelRates(Map.of(D, 100.0, O, 103.0)).fastest());
    assertEquals(D, new KernelRates(Map.of(D, 100.0, O, 60.0, M, 80.0)).fastest());
  }

  @Test
  void withoutDenseTheFastestMeasuredIsTaken() {
    assertEquals(M, new KernelRates(Map.of(O, 90.0, M, 90.5)).fastest());
  }

  @Test
  void ratesRoundTripThroughPropertiesAndAMissingKernelMeansProbingAgain() {
    KernelRates r = new KernelRates(Map.of(D, 81.5, O, 92.25));
    Properties p = r.toProperties();
    assertEquals(r, KernelRates.fromProperties(p, List.of(D, O)));
    assertNull(KernelRates.fromProperties(p, List.of(D, O, M)), "MLAS was not measured");
    p.setProperty("onednn.gflops", "fast");
    assertNull(KernelRates.fromProperties(p, List.of(D, O)));
    assertThrows(IllegalArgumentException.class, () -> new KernelRates(Map.of()));
  }
}
