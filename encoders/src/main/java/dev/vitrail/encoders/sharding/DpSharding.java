package dev.vitrail.encoders.sharding;

import dev.vitrail.encoders.tensor.ScopedCall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * vLLM's data-parallel layouts for vision models ({@code run_dp_sharded_vision_model} and {@code
 * run_dp_sharded_mrope_vision_model}), with every rank simulated in turn and the all-gather a
 * concatenation in rank order. The results equal the reference's bit for bit; results are new
 * tensors in the caller's scope and intermediates are freed.
 */
public final class DpSharding {
  private DpSharding() {}

  /**
   * {@code run_dp_sharded_vision_model}: zero-pads the chunks (dim 0) to a multiple of the world
   * size, runs each rank on its {@code ceil(n / world)} consecutive chunks, gathers and trims. As
   * in the reference every rank calls the model, also on padding-only chunks.
   */
  public static PlainShardedRun runVisionModel(Tensor input, int worldSize, ChunkModel model) {
    requireWorld(worldSize);
    if (input.dim() < 1) {
      throw new IllegalArgumentException("input must have a chunk axis, got a 0-d tensor");
    }
    return ScopedCall.returning(
        () -> {
          long n = input.size(0);
          long perRank = (n + worldSize - 1) / worldSize;
          long padded = perRank * worldSize - n;
          long[] padShape = shapeOf(input);
          padShape[0] = padded;
          Tensor full = torch.cat(new TensorVector(input, input.new_zeros(padShape)), 0);
          Tensor[] outs = new Tensor[worldSize];
          for (int r = 0; r < worldSize; r++) {
            outs[r] = model.forward(full.narrow(0, r * perRank, perRank)).contiguous();
          }
          Tensor gathered = torch.cat(new TensorVector(outs), 0);
          return new PlainShardedRun(gathered.narrow(0, 0, n), gathered, perRank, padded);
        },
        run -> List.of(run.output(), run.gathered()));
  }

  /**
   * {@code run_dp_sharded_mrope_vision_model} with {@code rope_type="rope_3d"}, balanced as vLLM
   * balances ({@link BalancePolicy#VLLM}).
   */
  public static MropeShardedRun runRope3d(
      Rope3dModel model,
      int spatialMergeSize,
      int outHiddenSize,
      Tensor pixelValues,
      List<long[]> gridThw,
      int worldSize) {
    return runRope3d(
        model,
        spatialMergeSize,
        outHiddenSize,
        pixelValues,
        gridThw,
        worldSize,
        BalancePolicy.VLLM);
  }

  /**
   * {@code run_dp_sharded_mrope_vision_model} with {@code rope_type="rope_2d"}, balanced as vLLM
   * balances ({@link BalancePolicy#VLLM}).
   */
  public static MropeShardedRun runRope2d(
      Rope2dModel model,
      int[] mergeKernel,
      int hiddenSize,
      Tensor pixelValues,
      List<long[]> gridHw,
      int worldSize) {
    return runRope2d(
        model, mergeKernel, hiddenSize, pixelValues, gridHw, worldSize, BalancePolicy.VLLM);
  }

  /**
   * {@code run_dp_sharded_mrope_vision_model} with {@code rope_type="rope_3d"}.
   *
   * @param spatialMergeSize the model's merge per side; outputs have rows / merge^2 rows
   * @param outHiddenSize the model's output width (for ranks without images)
   * @param gridThw {@code [t, h, w]} per image
   */
  public static MropeShardedRun runRope3d(
      Rope3dModel model,
      int spatialMergeSize,
      int outHiddenSize,
      Tensor pixelValues,
      List<long[]> gridThw,
      int worldSize,
      BalancePolicy policy) {
    if (spatialMergeSize <= 0) {
      throw new IllegalArgumentException("spatial_merge_size must be > 0, got " + spatialMergeSize);
    }
    MropeLayout layout =
        new MropeLayout(
            (long) spatialMergeSize * spatialMergeSize, new long[] {outHiddenSize}, 3, false);
    return run(layout, pixelValues, gridThw, worldSize, policy, model::forward);
  }

  /**
   * {@code run_dp_sharded_mrope_vision_model} with {@code rope_type="rope_2d"}: the model gets the
   * grids as an int64 {@code [k, 2]} (Kimi-VL) or {@code [k, 3]} (Kimi K2.5) tensor and returns one
   * tensor per entry. A {@code [t, h, w]} entry is balanced by its {@code t*h*w} patches but yields
   * {@code h*w / (kh*kw)} rows, since MoonViT averages the frames ({@code sd2_tpool}); vLLM counts
   * {@code t*h*w / (kh*kw)} there, which is only right for {@code t = 1}.
   *
   * @param mergeKernel {@code (kh, kw)}; outputs have rows / (kh*kw) rows of kh*kw embeddings
   * @param hiddenSize the model's width (for ranks without images)
   * @param gridHw {@code [h, w]} or {@code [t, h, w]} per entry, all of the same length
   */
  public static MropeShardedRun runRope2d(
      Rope2dModel model,
      int[] mergeKernel,
      int hiddenSize,
      Tensor pixelValues,
      List<long[]> gridHw,
      int worldSize,
      BalancePolicy policy) {
    if (mergeKernel.length != 2 || mergeKernel[0] <= 0 || mergeKernel[1] <= 0) {
      throw new IllegalArgumentException(
          "merge_kernel_size must be two positive ints, got " + Arrays.toString(mergeKernel));
    }
    long factor = (long) mergeKernel[0] * mergeKernel[1];
    int rank = gridHw.isEmpty() ? 2 : gridHw.get(0).length;
    if (rank != 2 && rank != 3) {
      throw new IllegalArgumentException(
          "rope_2d grids must be [h, w] or [t, h, w], got " + Arrays.toString(gridHw.get(0)));
    }
    MropeLayout layout = new MropeLayout(factor, new long[] {factor, hiddenSize}, rank, true);
    return run(
        layout,
        pixelValues,
        gridHw,
        worldSize,
        policy,
        (pixels, grids) -> {
          long[] flat = new long[grids.size() * rank];
          for (int i = 0; i < grids.size(); i++) {
            System.arraycopy(grids.get(i), 0, flat, i * rank, rank);
          }
          Tensor gridTensor = torch.tensor(flat).reshape(grids.size(), rank);
          return torch.cat(
              new TensorVector(model.forward(pixels, gridTensor).toArray(new Tensor[0])), 0);
        });
  }

  private static MropeShardedRun run(
      MropeLayout layout,
      Tensor pixelValues,
      List<long[]> grids,
      int worldSize,
      BalancePolicy policy,
      Rope3dModel local) {
    requireWorld(worldSize);
    return ScopedCall.returning(
        () -> MropeRanks.simulate(layout, pixelValues, grids, worldSize, policy, local),
        DpSharding::tensorsOf);
  }

  private static List<Pointer> tensorsOf(MropeShardedRun run) {
    List<Pointer> out = new ArrayList<>(run.outputs());
    out.add(run.gathered());
    return out;
  }

  static long[] shapeOf(Tensor t) {
    long[] s = new long[(int) t.dim()];
    for (int i = 0; i < s.length; i++) {
      s[i] = t.size(i);
    }
    return s;
  }

  private static void requireWorld(int worldSize) {
    if (worldSize < 1) {
      throw new IllegalArgumentException("world size must be >= 1, got " + worldSize);
    }
  }
}
