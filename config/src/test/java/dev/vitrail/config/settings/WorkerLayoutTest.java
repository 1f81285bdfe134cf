package dev.vitrail.config.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vitrail.workers.layout}: workers and thread pools per layout, and what it refuses. */
class WorkerLayoutTest {
  private static RuntimeSettings with(String hocon) {
    return RuntimeSettings.from(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void fixedIsTheDefaultAndKeepsTheConfiguredPools() {
    RuntimeSettings s = with("vitrail.workers { count = 3, torch-threads = 2 }");
    assertEquals("fixed", s.layout());
    assertEquals(3, s.workers());
    assertEquals(2, s.torchThreads());
    assertEquals(1, s.blasThreads());
    assertEquals(Runtime.getRuntime().availableProcessors(), s.layoutCores());
  }

  @Test
  void oneWideWidensTheBlasPoolForF32AndLibtorchsPoolOtherwise() {
    RuntimeSettings f32 = with("vitrail.workers { layout = one-wide, cores = 4, count = 3 }");
    assertEquals(List.of(1, 1, 4), List.of(f32.workers(), f32.torchThreads(), f32.blasThreads()));
    assertEquals(List.of("cpu"), f32.devices());
    RuntimeSettings int8 =
        with("vitrail.workers { layout = one-wide, cores = 4, compute-dtype = int8 }");
    assertEquals(
        List.of(1, 4, 1), List.of(int8.workers(), int8.torchThreads(), int8.blasThreads()));
    assertTrue(WorkerLayout.widensTorch("bf16"));
    assertTrue(!WorkerLayout.widensTorch("auto"));
  }

  @Test
  void aSplittableTowerTurnsOneWideF32FromBlasWideToLibtorchWide() {
    WorkerLayout.Plan blasWide = WorkerLayout.plan("one-wide", 4, "f32");
    assertEquals(
        new WorkerLayout.Plan(1, 4, 1), WorkerLayout.forSplittableTower("one-wide", blasWide));
    WorkerLayout.Plan torchWide = WorkerLayout.plan("one-wide", 4, "int8");
    assertEquals(torchWide, WorkerLayout.forSplittableTower("one-wide", torchWide));
    WorkerLayout.Plan oneCore = WorkerLayout.plan("one-wide", 1, "f32");
    assertEquals(oneCore, WorkerLayout.forSplittableTower("one-wide", oneCore));
    WorkerLayout.Plan perCore = WorkerLayout.plan("per-core", 4, "f32");
    assertEquals(perCore, WorkerLayout.forSplittableTower("per-core", perCore));
    WorkerLayout.Plan fixed = new WorkerLayout.Plan(1, 1, 4); // set by hand: left as set
    assertEquals(fixed, WorkerLayout.forSplittableTower("fixed", fixed));
  }

  @Test
  void perCoreAndAutoRunOneSingleThreadWorkerPerCore() {
    for (String layout : List.of("per-core", "auto")) {
      RuntimeSettings s =
          with("vitrail.workers { layout = " + layout + ", cores = 3, blas-threads = 2 }");
      assertEquals(layout, s.layout());
      assertEquals(3, s.workers());
      assertEquals(Collections.nCopies(3, "cpu"), s.devices());
      assertEquals(Collections.nCopies(3, 1.0), s.speeds());
      assertEquals(List.of(1, 1), List.of(s.torchThreads(), s.blasThreads()));
      assertEquals(3, s.layoutCores());
    }
  }

  @Test
  void cudaWorkersPlacedByDevicesAutoHaveTheFixedLayout() {
    RuntimeSettings s = with("vitrail.workers { layout = auto, cores = 2 }");
    assertEquals("fixed", s.withDevices(List.of("cuda:0")).layout());
    assertEquals("auto", s.withDevices(List.of("cpu", "cpu")).layout());
  }

  @Test
  void aLayoutRefusesDeviceListsSpeedsAndUnknownNames() {
    assertMessage(
        "vitrail.workers { layout = auto, count = 2, devices = \"cuda:0,cuda:1\" }",
        "vitrail.workers.layout",
        "fixed");
    assertMessage(
        "vitrail.workers { layout = per-core, cores = 2, count = 2, speeds = [1, 2] }",
        "vitrail.workers.speeds",
        "empty");
    assertMessage("vitrail.workers.layout = wide", "vitrail.workers.layout", "per-core");
    assertMessage("vitrail.workers.cores = -1", "vitrail.workers.cores", ">= 0");
    assertThrows(IllegalArgumentException.class, () -> WorkerLayout.plan("fixed", 2, "f32"));
  }

  private static void assertMessage(String hocon, String key, String part) {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> with(hocon));
    assertTrue(e.getMessage().contains(key) && e.getMessage().contains(part), e.getMessage());
  }
}
