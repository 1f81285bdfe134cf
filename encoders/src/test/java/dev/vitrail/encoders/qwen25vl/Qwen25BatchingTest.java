package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.Parity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Entries batched in one call give the rows each entry gives alone; bad input is refused. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen25BatchingTest {
  private static float[] random(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }

  @Test
  void batchEqualsEntriesAlone() {
    // a non-square still image, a video with t = 2 and edge windows, and one merge unit
    try (Qwen25VisionTower tower = Qwen25TowerParityTest.open()) {
      int m = tower.config().spatialMergeSize();
      List<GridThw> grids =
          List.of(new GridThw(1, 3 * m, 5 * m), new GridThw(2, 5 * m, 3 * m), new GridThw(1, m, m));
      int width = tower.config().patchRowWidth();
      int out = tower.config().outHiddenSize();
      Random rnd = new Random(7);
      float[][] pixels = new float[grids.size()][];
      int total = 0;
      for (int i = 0; i < grids.size(); i++) {
        pixels[i] = random(rnd, grids.get(i).patches() * width);
        total += pixels[i].length;
      }
      float[] all = new float[total];
      int at = 0;
      for (float[] p : pixels) {
        System.arraycopy(p, 0, all, at, p.length);
        at += p.length;
      }
      Qwen25Output batched = tower.forward(all, grids, true);
      int hidden = tower.config().hiddenSize();
      int rowsBefore = 0;
      for (int i = 0; i < grids.size(); i++) {
        Qwen25Output alone = tower.forward(pixels[i], List.of(grids.get(i)), true);
        int units = grids.get(i).patches() / (m * m);
        float[] batchedEmbeds = slice(batched.embeds(), rowsBefore / (m * m) * out, units * out);
        Parity.assertClose("embeds " + i, alone.embeds(), batchedEmbeds);
        for (int h = 0; h <= tower.config().depth(); h++) {
          float[] rows = batched.hiddenState(h, false);
          float[] mine = slice(rows, rowsBefore * hidden, grids.get(i).patches() * hidden);
          Parity.assertClose("hidden " + h + " of " + i, alone.hiddenState(h, false), mine);
        }
        rowsBefore += grids.get(i).patches();
      }
      assertEquals(total / width, rowsBefore);
    }
  }

  @Test
  void refusesPixelsThatDoNotMatchTheGrid() {
    try (Qwen25VisionTower tower = Qwen25TowerParityTest.open()) {
      int m = tower.config().spatialMergeSize();
      float[] tooFew = new float[(m * m - 1) * tower.config().patchRowWidth()];
      assertThrows(
          IllegalArgumentException.class,
          () -> tower.forward(tooFew, List.of(new GridThw(1, m, m)), false));
    }
  }

  private static float[] slice(float[] a, int from, int n) {
    float[] out = new float[n];
    System.arraycopy(a, from, out, 0, n);
    return out;
  }
}
