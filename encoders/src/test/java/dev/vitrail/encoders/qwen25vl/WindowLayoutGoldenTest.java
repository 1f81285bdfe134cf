package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WindowLayoutGoldenTest {
  private static final Path DIR = Fixtures.root().resolve("models/qwen2_5_vl-tiny");

  private static WindowLayout layoutOf(IoFile io) throws IOException {
    Qwen25VisionConfig c = (Qwen25VisionConfig) HfConfigs.read(DIR);
    long[] thw = io.longs("grid_thw");
    List<GridThw> grids = new ArrayList<>();
    for (int i = 0; i < thw.length; i += 3) {
      grids.add(new GridThw((int) thw[i], (int) thw[i + 1], (int) thw[i + 2]));
    }
    int windowUnits = c.windowSize() / c.spatialMergeSize() / c.patchSize();
    return WindowLayout.compute(grids, c.spatialMergeSize(), windowUnits);
  }

  private static long[] widen(int[] a) {
    return LongStream.range(0, a.length).map(i -> a[(int) i]).toArray();
  }

  @Test
  void integerTensorsMatchHuggingFaceExactly() throws IOException {
    IoFile io = IoFile.read(DIR.resolve("io.safetensors"));
    WindowLayout layout = layoutOf(io);
    assertArrayEquals(io.longs("window_index"), widen(layout.windowIndex()), "window_index");
    assertArrayEquals(
        io.longs("cu_window_seqlens"), widen(layout.cuWindowSeqlens()), "cu_window_seqlens");
    assertArrayEquals(io.longs("cu_seqlens"), widen(layout.cuSeqlens()), "cu_seqlens");
    assertArrayEquals(io.longs("rotary_pos_ids"), widen(layout.positions()), "rotary_pos_ids");
  }

  @Test
  void permutationsAreInverse() throws IOException {
    WindowLayout layout = layoutOf(IoFile.read(DIR.resolve("io.safetensors")));
    long[] perm = layout.patchPermutation();
    long[] inv = layout.patchInverse();
    for (int i = 0; i < perm.length; i++) {
      assertEquals(i, inv[(int) perm[i]]);
    }
  }

  @Test
  void rejectsGridsNotDivisibleByTheMergeSize() {
    assertThrows(
        IllegalArgumentException.class,
        () -> WindowLayout.compute(List.of(new GridThw(1, 3, 4)), 2, 2));
    assertThrows(IllegalArgumentException.class, () -> new GridThw(0, 2, 2));
  }
}
