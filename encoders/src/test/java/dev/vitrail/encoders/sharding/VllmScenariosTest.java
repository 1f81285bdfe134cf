package dev.vitrail.encoders.sharding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scenarios of vLLM's own tests of the DP helpers (tests/models/multimodal/test_vision.py):
 * sharded output equals the model run directly on the whole input. The M-RoPE grids {@code [1, 4 +
 * i, 4 + i]} and {@code [1,2,2],[1,8,8],[1,3,3]} have patch counts that are not multiples of the
 * merge factor; vLLM divides with {@code //} and so must we.
 */
class VllmScenariosTest {

  @BeforeAll
  static void load() {
    NativeTorch.load();
  }

  private static FakeModels mropeModel() {
    torch.manual_seed(7);
    return new FakeModels(
        torch.randn(64, 768).mul_(new org.bytedeco.pytorch.Scalar(0.03)), torch.randn(64));
  }

  private static void assertSame(Tensor direct, Tensor sharded) {
    assertArrayEquals(DpSharding.shapeOf(direct), DpSharding.shapeOf(sharded));
    assertTrue(torch.allclose(direct, sharded, 1e-5, 1e-5, false), "sharded == direct");
  }

  /** vLLM test_run_dp_sharded_vision_model: batch 1, 4, 5 on 2 ranks, 3x224x224 images. */
  @ParameterizedTest
  @ValueSource(ints = {1, 4, 5})
  void plainShardedEqualsDirect(int batch) {
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(0);
      Tensor images = torch.randn(batch, 3, 224, 224);
      FakeModels m =
          new FakeModels(
              torch.randn(32, 3 * 224 * 224).mul_(new org.bytedeco.pytorch.Scalar(0.002)),
              torch.randn(32));
      Tensor direct = m.linear(images.flatten(1, -1));
      PlainShardedRun run = DpSharding.runVisionModel(images, 2, x -> m.linear(x.flatten(1, -1)));
      assertSame(direct, run.output());
    }
  }

  /** vLLM test_run_dp_sharded_mrope_vision_model: grids [1, 4+i, 4+i], 2 ranks. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5})
  void mropeShardedEqualsDirect(int batch) {
    try (PointerScope scope = new PointerScope()) {
      List<long[]> grids = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        grids.add(new long[] {1, 4 + i, 4 + i});
      }
      Tensor pixels = pixelsFor(grids);
      FakeModels m = mropeModel();
      Tensor direct = m.floorMerge(pixels, grids);
      MropeShardedRun run = DpSharding.runRope3d(m::floorMerge, 2, 64, pixels, grids, 2);
      assertSame(direct, torch.cat(new TensorVector(run.outputs().toArray(new Tensor[0])), 0));
    }
  }

  /** vLLM test_run_dp_sharded_mrope_vision_model_empty_input. */
  @Test
  void mropeEmptyInput() {
    try (PointerScope scope = new PointerScope()) {
      FakeModels m = mropeModel();
      MropeShardedRun run =
          DpSharding.runRope3d(m::floorMerge, 2, 64, torch.zeros(0, 768), List.of(), 2);
      assertEquals(0, run.outputs().size());
      assertEquals(0, m.calls.get());
    }
  }

  /** vLLM test_run_dp_sharded_mrope_vision_model_uneven_load: 4 ranks, one idle. */
  @Test
  void mropeUnevenLoad() {
    try (PointerScope scope = new PointerScope()) {
      List<long[]> grids =
          List.of(new long[] {1, 2, 2}, new long[] {1, 8, 8}, new long[] {1, 3, 3});
      Tensor pixels = pixelsFor(grids);
      FakeModels m = mropeModel();
      MropeShardedRun run = DpSharding.runRope3d(m::floorMerge, 2, 64, pixels, grids, 4);
      long[] expected = {1, 16, 2};
      for (int i = 0; i < grids.size(); i++) {
        assertArrayEquals(new long[] {expected[i], 64}, DpSharding.shapeOf(run.outputs().get(i)));
      }
      assertSame(
          m.floorMerge(pixels, grids),
          torch.cat(new TensorVector(run.outputs().toArray(new Tensor[0])), 0));
      assertEquals(3, m.calls.get() - 1, "three busy ranks and the direct call");
    }
  }

  /**
   * rope_2d with {@code [t, h, w]} entries (Kimi K2.5): balanced by t*h*w, each entry yields h*w/4
   * rows (frames pooled), and sharded == direct for every world size.
   */
  @Test
  void rope2dVideoEntriesShardedEqualsDirect() {
    try (PointerScope scope = new PointerScope()) {
      List<long[]> grids =
          List.of(
              new long[] {1, 6, 6},
              new long[] {4, 2, 4},
              new long[] {1, 2, 8},
              new long[] {2, 4, 2});
      Tensor pixels = pixelsFor(grids).narrow(1, 0, 8);
      torch.manual_seed(3);
      FakeModels m = new FakeModels(torch.randn(5, 8), torch.randn(5));
      long[] flat = grids.stream().flatMapToLong(java.util.Arrays::stream).toArray();
      List<Tensor> direct = m.rope2d(pixels, torch.tensor(flat).reshape(grids.size(), 3));
      for (int world = 1; world <= 4; world++) {
        MropeShardedRun run =
            DpSharding.runRope2d(m::rope2d, new int[] {2, 2}, 5, pixels, grids, world);
        for (int i = 0; i < grids.size(); i++) {
          long rows = grids.get(i)[1] * grids.get(i)[2] / 4;
          assertArrayEquals(new long[] {rows, 4, 5}, DpSharding.shapeOf(run.outputs().get(i)));
          assertSame(direct.get(i), run.outputs().get(i));
        }
      }
    }
  }

  private static Tensor pixelsFor(List<long[]> grids) {
    long rows = 0;
    for (long[] g : grids) {
      rows += g[0] * g[1] * g[2];
    }
    torch.manual_seed(0);
    return torch.randn(rows, 768);
  }
}
