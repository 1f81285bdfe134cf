package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.ComputeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long loop of tower calls keeps resident memory flat: no tensor outlives its call. */
class Qwen25NativeMemoryTest {

  /** Resident bytes minus the committed Java heap. */
  private static long nativeResident() {
    System.gc();
    return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
  }

  @Test
  void residentMemoryStaysFlatOverManyCalls() {
    try (Qwen25VisionTower tower = Qwen25TowerParityTest.open()) {
      int m = tower.config().spatialMergeSize();
      // two entries, one a two-frame video: windowed and per-frame full attention both run
      List<GridThw> grids = List.of(new GridThw(1, 16 * m, 16 * m), new GridThw(2, 8 * m, 12 * m));
      int rows = grids.stream().mapToInt(GridThw::patches).sum();
      float[] pixels = new float[rows * tower.config().patchRowWidth()];
      // warm-up: allocator pools, JIT and GC structures settle within ~50 calls
      for (int i = 0; i < 60; i++) {
        tower.forward(pixels, grids, true);
      }
      long before = nativeResident();
      for (int i = 0; i < 100; i++) {
        Qwen25Output out = tower.forward(pixels, grids, true);
        assertEquals(tower.config().depth() + 1, out.hiddenStates().size());
      }
      long grown = nativeResident() - before;
      // one leaked [rows, hidden] float tensor per call alone would add 100 * rows * hidden * 4 B
      long oneLeak = 100L * rows * tower.config().hiddenSize() * 4;
      assertTrue(
          grown < oneLeak / 2,
          "resident memory grew by "
              + (grown >> 10)
              + " KiB over 100 calls (one leak per call: "
              + (oneLeak >> 10)
              + " KiB)");
    }
  }

  @Test
  void everyTensorHandleIsReleasedWhenACallReturns() {
    try (Qwen25VisionTower tower = Qwen25TowerParityTest.open()) {
      int m = tower.config().spatialMergeSize();
      List<GridThw> grids = List.of(new GridThw(1, 4 * m, 6 * m), new GridThw(2, 2 * m, 2 * m));
      int rows = grids.stream().mapToInt(GridThw::patches).sum();
      float[] pixels = new float[rows * tower.config().patchRowWidth()];
      tower.forward(pixels, grids, true);
      // JavaCPP counts live native handles; one that a call forgets stays counted until the
      // garbage collector finds it, so the count must not rise across any single call
      int grew = 0;
      for (int i = 0; i < 20; i++) {
        long before = Pointer.totalCount();
        tower.forward(pixels, grids, i % 2 == 0);
        if (Pointer.totalCount() > before) {
          grew++;
        }
      }
      assertEquals(0, grew, "calls after which more native handles were alive than before");
    }
  }

  @Test
  void closingTheTowerUnmapsItsWeights(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.file("models/qwen2_5_vl-tiny");
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(dir.resolve(f), tmp.resolve(f));
    }
    String weights = tmp.resolve("model.safetensors").toRealPath().toString();
    SingleThreads.apply();
    Qwen25VisionTower tower = Qwen25VisionTower.load(tmp, ComputeTarget.cpuFloat());
    int m = tower.config().spatialMergeSize();
    tower.forward(
        new float[m * m * tower.config().patchRowWidth()], List.of(new GridThw(1, m, m)), true);
    // F32 weights on the CPU are views of the mapped file: it stays mapped while the tower lives
    assertTrue(mapped(weights), "the checkpoint should be mapped while the tower is open");
    tower.close();
    // no garbage collection here: only a deterministic release of every weight unmaps the file
    assertFalse(mapped(weights), "a weight outlived close(): " + weights + " is still mapped");
  }

  private static boolean mapped(String path) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(path));
  }
}
