package dev.vitrail.encoders.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.layers.KernelRates;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.LinearKernel;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Which towers are split, and how the setting and its overrides are read. */
class TowerSplitTest {
  private static final ComputeTarget F32 =
      new ComputeTarget("cpu", torch.ScalarType.Float, null, LinearKernel.ONEDNN);
  private static final ComputeTarget INT8 =
      new ComputeTarget("cpu", torch.ScalarType.Float, null, LinearKernel.INT8);

  private static final ComputeTarget BF16 =
      new ComputeTarget("cpu", torch.ScalarType.BFloat16, null, LinearKernel.ONEDNN);

  @Test
  void anExplicitNumberOfWaysSplitsFloat32Int8AndBf16CpuTowersOnly() {
    assertEquals(3, TowerSplit.ways(F32, "3", 1));
    assertEquals(1, TowerSplit.ways(F32, "off", 2));
    assertEquals(2, TowerSplit.ways(INT8, "2", 1));
    assertEquals(2, TowerSplit.ways(BF16, "2", 1));
    assertEquals(1, TowerSplit.ways(new ComputeTarget("cpu", torch.ScalarType.Half, null), "2", 2));
  }

  @Test
  void autoSplitsFloat32TowersOnAWidePoolButNotInt8OrBf16Ones() {
    assertEquals(2, TowerSplit.ways(F32, "auto", 2));
    assertEquals(2, TowerSplit.ways(F32, null, 2));
    assertEquals(1, TowerSplit.ways(F32, "auto", 1));
    assertEquals(1, TowerSplit.ways(INT8, "auto", 2));
    assertEquals(1, TowerSplit.ways(INT8, "", 2));
    assertEquals(1, TowerSplit.ways(BF16, "auto", 2));
  }

  @Test
  void int8AndBf16TowersSplitIntoShardsOfTheirOwnKernel() {
    System.setProperty(TowerSplit.KERNEL_PROPERTY, "dense"); // names a float32 kernel only
    try {
      assertEquals(LinearKernel.INT8, TowerSplit.kernel(INT8));
      assertEquals(LinearKernel.ONEDNN, TowerSplit.kernel(BF16));
      assertEquals(LinearKernel.DENSE, TowerSplit.kernel(F32));
    } finally {
      System.clearProperty(TowerSplit.KERNEL_PROPERTY);
    }
  }

  @Test
  void float32ShardsMultiplyWithTheKernelMeasuredFastestUnlessOneIsNamed() {
    KernelRates zen4 =
        new KernelRates(
            Map.of(LinearKernel.DENSE, 82.0, LinearKernel.ONEDNN, 93.0, LinearKernel.MLAS, 95.0));
    KernelRates zen3 = new KernelRates(Map.of(LinearKernel.DENSE, 55.0, LinearKernel.ONEDNN, 54.0));
    assertEquals(LinearKernel.MLAS, TowerSplit.kernel(F32, () -> zen4));
    assertEquals(LinearKernel.DENSE, TowerSplit.kernel(F32, () -> zen3));
    Supplier<KernelRates> unasked =
        () -> {
          throw new AssertionError("the probe runs only when a float32 kernel is not named");
        };
    assertEquals(LinearKernel.INT8, TowerSplit.kernel(INT8, unasked));
    assertEquals(LinearKernel.ONEDNN, TowerSplit.kernel(BF16, unasked));
    System.setProperty(TowerSplit.KERNEL_PROPERTY, "onednn");
    try {
      assertEquals(LinearKernel.ONEDNN, TowerSplit.kernel(F32, unasked));
    } finally {
      System.clearProperty(TowerSplit.KERNEL_PROPERTY);
    }
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TowerSplit.ways(F32, "many", 2));
    assertThrows(IllegalArgumentException.class, () -> TowerSplit.ways(F32, "0", 2));
    assertThrows(IllegalArgumentException.class, () -> TowerSplit.select("2"));
  }
}
