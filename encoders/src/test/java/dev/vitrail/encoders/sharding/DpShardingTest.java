package dev.vitrail.encoders.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.golden.TensorJson;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edge cases and rejected inputs of the sharding layouts. */
class DpShardingTest {
  /** Everything on rank 0 (a valid, if poor, policy). */
  private static final BalancePolicy ALL_ON_FIRST =
      (sizes, w) -> {
        int[] counts = new int[w];
        long[] loads = new long[w];
        counts[0] = sizes.length;
        int[] idx = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
          idx[i] = i;
          loads[0] += sizes[i];
        }
        return new ShardAssignment(idx, counts, loads);
      };

  @BeforeAll
  static void load() {
    NativeTorch.load();
  }

  private static FakeModels identityish() {
    return new FakeModels(torch.eye(2), torch.zeros(2));
  }

  @Test
  void idleRanksNeverCallTheModel() {
    try (PointerScope scope = new PointerScope()) {
      FakeModels m = identityish();
      Tensor pixels =
          torch
              .arange(new org.bytedeco.pytorch.Scalar(16))
              .to(torch.ScalarType.Float)
              .reshape(8, 2);
      MropeShardedRun run =
          DpSharding.runRope3d(
              m::rope3d, 2, 2, pixels, List.of(new long[] {1, 2, 4}), 4, ALL_ON_FIRST);
      assertEquals(1, m.calls.get());
      assertEquals(2, run.maxLenPerRank());
      assertEquals(8, run.gathered().size(0));
      TensorJson.assertClose(
          new long[] {2, 2}, new float[] {3, 4, 11, 12}, run.outputs().get(0), 0, 0, "means");
    }
  }

  @Test
  void rejectsInconsistentInputs() {
    try (PointerScope scope = new PointerScope()) {
      FakeModels m = identityish();
      Tensor pixels = torch.zeros(8, 2);
      List<long[]> grid = List.of(new long[] {1, 2, 4});
      assertThrows(
          IllegalArgumentException.class,
          () -> DpSharding.runRope3d(m::rope3d, 2, 2, torch.zeros(7, 2), grid, 2, ALL_ON_FIRST));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              DpSharding.runRope3d(
                  m::rope3d, 2, 2, pixels, List.of(new long[] {2, 4}), 2, ALL_ON_FIRST));
      assertThrows(
          IllegalArgumentException.class,
          () -> DpSharding.runRope3d(m::rope3d, 2, 2, pixels, grid, 0, ALL_ON_FIRST));
      BalancePolicy twice =
          (s, w) -> new ShardAssignment(new int[] {0, 0}, new int[] {1, 1}, new long[] {8, 8});
      assertThrows(
          IllegalArgumentException.class,
          () -> DpSharding.runRope3d(m::rope3d, 2, 2, pixels, grid, 2, twice));
      BalancePolicy wrongLoad =
          (s, w) -> new ShardAssignment(new int[] {0}, new int[] {1, 0}, new long[] {7, 0});
      assertThrows(
          IllegalArgumentException.class,
          () -> DpSharding.runRope3d(m::rope3d, 2, 2, pixels, grid, 2, wrongLoad));
      Rope3dModel wrongWidth = (x, g) -> torch.zeros(2, 3);
      assertThrows(
          IllegalStateException.class,
          () -> DpSharding.runRope3d(wrongWidth, 2, 2, pixels, grid, 2, ALL_ON_FIRST));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              DpSharding.runRope2d(
                  m::rope2d,
                  new int[] {2},
                  2,
                  pixels,
                  List.of(new long[] {2, 4}),
                  2,
                  ALL_ON_FIRST));
    }
  }

  @Test
  void plainPadsWithZeroChunksAndTrims() {
    try (PointerScope scope = new PointerScope()) {
      FakeModels m = new FakeModels(torch.eye(2), torch.ones(2));
      PlainShardedRun run = DpSharding.runVisionModel(torch.zeros(3, 1, 2), 2, m::linear);
      assertEquals(2, run.chunksPerRank());
      assertEquals(1, run.paddedChunks());
      assertEquals(4, run.gathered().size(0));
      assertEquals(3, run.output().size(0));
      assertEquals(8.0, run.gathered().sum().item_double());
    }
  }
}
