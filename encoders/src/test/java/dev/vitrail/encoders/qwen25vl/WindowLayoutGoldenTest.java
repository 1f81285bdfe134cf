package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class WindowLayoutGoldenTest {
  private static final Path DIR = Fixtures.file("models/qwen2_5_vl-tiny");

  private static WindowLayout layoutOf(IoTensors io) {
    Qwen25VisionConfig c = (Qwen25VisionConfig) HfConfigs.read(DIR);
    List<GridThw> grids = io.grids();
    int windowUnits = c.windowSize() / c.spatialMergeSize() / c.patchSize();
    return WindowLayout.compute(grids, c.spatialMergeSize(), windowUnits);
  }

  private static long[] widen(int[] a) {
    return LongStream.range(0, a.length).map(i -> a[(int) i]).toArray();
  }

  @Test
  void integerTensorsMatchHuggingFaceExactly() {
    NativeTorch.load();
    try (IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      WindowLayout layout = layoutOf(io);
      assertArrayEquals(io.longs("window_index"), widen(layout.windowIndex()), "window_index");
      assertArrayEquals(
          io.longs("cu_window_seqlens"), widen(layout.cuWindowSeqlens()), "cu_window_seqlens");
      assertArrayEquals(io.longs("cu_seqlens"), widen(layout.cuSeqlens()), "cu_seqlens");
      assertArrayEquals(io.longs("rotary_pos_ids"), widen(layout.positions()), "rotary_pos_ids");
    }
  }

  @Test
  void permutationsAreInverse() {
    WindowLayout layout =
        WindowLayout.compute(List.of(new GridThw(2, 6, 10), new GridThw(1, 4, 4)), 2, 2);
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
