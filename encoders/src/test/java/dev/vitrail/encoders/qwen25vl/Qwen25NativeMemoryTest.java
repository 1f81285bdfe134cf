package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** A long loop of tower calls keeps resident memory flat: no tensor outlives its call. */
class Qwen25NativeMemoryTest {

  /** Resident bytes minus the committed Java heap. */
  private static long nativeResident() {
    System.gc();
    return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
  }

  @Test
  void residentMemoryStaysFlatOverManyCalls() {
    // thread pools are left as they are: libtorch refuses a second interop-pool setting per JVM
    try (Qwen25VisionTower tower = Qwen25TowerParityTest.open()) {
      int m = tower.config().spatialMergeSize();
      // two entries, one a two-frame video: windowed and per-frame full attention both run
      List<GridThw> grids = List.of(new GridThw(1, 8 * m, 8 * m), new GridThw(2, 4 * m, 6 * m));
      int rows = grids.stream().mapToInt(GridThw::patches).sum();
      float[] pixels = new float[rows * tower.config().patchRowWidth()];
      for (int i = 0; i < 20; i++) {
        tower.forward(pixels, grids, true);
      }
      long before = nativeResident();
      for (int i = 0; i < 150; i++) {
        Qwen25Output out = tower.forward(pixels, grids, true);
        assertEquals(tower.config().depth() + 1, out.hiddenStates().size());
      }
      long grown = nativeResident() - before;
      // one leaked [rows, hidden] float tensor per call alone would add 150 * rows * hidden * 4 B
      long oneLeak = 150L * rows * tower.config().hiddenSize() * 4;
      assertTrue(
          grown < oneLeak / 2,
          "resident memory grew by " + (grown >> 10) + " KiB over 150 calls (one leak per call: "
              + (oneLeak >> 10) + " KiB)");
    }
  }
}
