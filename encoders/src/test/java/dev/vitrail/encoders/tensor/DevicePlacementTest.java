package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.config.settings.RuntimeSettings;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** {@code devices = auto} and explicit lists against fake CUDA inventories, then this machine. */
class DevicePlacementTest {
  private static final CudaInventory CPU_BUILD =
      CudaInventory.none("the libtorch natives are the CPU build (build with -Pgpu for CUDA)");
  private static final CudaInventory FOUR_GPUS =
      new CudaInventory(
          true,
          List.of(
              new CudaDevice(0, "NVIDIA H100 80GB HBM3", 85_520_809_984L, 90),
              new CudaDevice(1, "NVIDIA H100 80GB HBM3", 85_520_809_984L, 90),
              new CudaDevice(2, "NVIDIA A100-SXM4-40GB", 42_298_834_944L, 80),
              new CudaDevice(3, "Tesla V100-SXM2-16GB", 17_071_734_784L, 70)),
          "");

  @Test
  void autoWithoutCudaKeepsTheCpuWorkersAndSaysWhy() {
    DevicePlan plan = DevicePlacement.plan(true, List.of("cpu", "cpu"), CPU_BUILD);
    assertEquals(List.of("cpu", "cpu"), plan.devices());
    assertTrue(plan.reason().contains("2 CPU worker(s)"), plan.reason());
    assertTrue(plan.reason().contains("CPU build"), plan.reason());
  }

  @Test
  void autoUsesEveryVisibleCudaDeviceOnce() {
    DevicePlan plan = DevicePlacement.plan(true, List.of("cpu"), FOUR_GPUS);
    assertEquals(List.of("cuda:0", "cuda:1", "cuda:2", "cuda:3"), plan.devices());
    assertTrue(
        plan.reason().contains("cuda:0 NVIDIA H100 80GB HBM3 (sm90, 79.6 GiB)"), plan.reason());
    assertTrue(plan.reason().contains("cuda:3 Tesla V100-SXM2-16GB (sm70, 15.9 GiB)"));
  }

  @Test
  void autoWithNativesButNoVisibleDevice() {
    CudaInventory hidden = new CudaInventory(true, List.of(), "CUDA_VISIBLE_DEVICES hides them");
    DevicePlan plan = DevicePlacement.plan(true, List.of("cpu"), hidden);
    assertEquals(List.of("cpu"), plan.devices());
    assertTrue(plan.reason().contains("CUDA_VISIBLE_DEVICES"), plan.reason());
  }

  @Test
  void explicitListsAreKeptAndCheckedAgainstWhatIsVisible() {
    assertEquals(
        List.of("cuda:0", "cuda:2"),
        DevicePlacement.plan(false, List.of("cuda:0", "cuda:2"), FOUR_GPUS).devices());
    assertEquals(List.of("cpu"), DevicePlacement.plan(false, List.of("cpu"), CPU_BUILD).devices());
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () -> DevicePlacement.plan(false, List.of("cuda:0", "cuda:7"), FOUR_GPUS));
    assertTrue(e.getMessage().contains("[cuda:7]"), e.getMessage());
    InvalidSettingsException none =
        assertThrows(
            InvalidSettingsException.class,
            () -> DevicePlacement.plan(false, List.of("cuda:0"), CPU_BUILD));
    assertTrue(none.getMessage().contains("CPU build"), none.getMessage());
  }

  @Test
  void autoComputeDtypeIsBf16FromAmpere() {
    assertEquals(torch.ScalarType.Float, ComputeTarget.autoDtype(0));
    assertEquals(torch.ScalarType.Float, ComputeTarget.autoDtype(75));
    assertEquals(torch.ScalarType.BFloat16, ComputeTarget.autoDtype(80));
    assertEquals(torch.ScalarType.BFloat16, ComputeTarget.autoDtype(90));
    assertFalse(FOUR_GPUS.devices().get(3).supportsBf16());
  }

  /** On this machine: the real probe; with the CPU natives auto resolves to the CPU workers. */
  @Test
  void autoOnThisMachine() {
    CudaInventory here = CudaInventory.probe();
    RuntimeSettings s =
        RuntimeSettings.from(
            ConfigFactory.parseString("vitrail.workers { count = 2, devices = auto }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    RuntimeSettings placed = DevicePlacement.place(s);
    assertFalse(placed.autoDevices());
    if (here.devices().isEmpty()) {
      assertFalse(NativeTorch.cudaNatives() && here.natives());
      assertEquals(List.of("cpu", "cpu"), placed.devices());
      assertFalse(here.note().isEmpty(), "says why there is no CUDA device");
      assertEquals(
          torch.ScalarType.Float,
          ComputeTarget.of(new dev.vitrail.encoders.api.EncoderOptions("cpu", "auto", null))
              .dtype());
    } else {
      assertEquals(here.devices().size(), placed.workers());
      assertTrue(placed.devices().stream().allMatch(d -> d.startsWith("cuda:")));
    }
  }
}
