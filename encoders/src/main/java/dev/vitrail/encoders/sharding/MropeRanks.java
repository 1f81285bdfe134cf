package dev.vitrail.encoders.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** The per-rank simulation behind {@link DpSharding}'s M-RoPE layouts. */
final class MropeRanks {
  private MropeRanks() {}

  static MropeShardedRun simulate(
      MropeLayout layout,
      Tensor pixels,
      List<long[]> grids,
      int worldSize,
      BalancePolicy policy,
      Rope3dModel model) {
    long f = layout.reductionFactor();
    int n = grids.size();
    long[] patches = new long[n];
    long[] outputRows = new long[n];
    long[] cum = new long[n + 1];
    for (int i = 0; i < n; i++) {
      patches[i] = patchesOf(grids.get(i), layout.gridRank(), i);
      outputRows[i] = layout.outputRows(grids.get(i), patches[i]);
      cum[i + 1] = cum[i] + patches[i];
    }
    if (pixels.dim() != 2 || pixels.size(0) != cum[n]) {
      throw new IllegalArgumentException(
          "pixel values must be ["
              + cum[n]
              + ", C] for grids totalling "
              + cum[n]
              + " patches, got "
              + Arrays.toString(DpSharding.shapeOf(pixels)));
    }
    ShardAssignment a = policy.assign(patches.clone(), worldSize);
    a.requireConsistent(patches, worldSize);
    long[] loads = a.loads();
    long[] rankRows = new long[worldSize];
    for (int r = 0; r < worldSize; r++) {
      for (int i : a.imagesOf(r)) {
        rankRows[r] += outputRows[i];
      }
    }
    // vLLM sizes the gather by max(load) // factor; a frame-pooling model returns fewer rows
    // for videos, which vLLM miscounts (it slices t*h*w / factor rows per entry): use the
    // rows the model really returns there.
    long[] spanRows = new long[worldSize];
    for (int r = 0; r < worldSize; r++) {
      spanRows[r] = layout.poolsTime() ? rankRows[r] : loads[r] / f;
    }
    long maxLen = Arrays.stream(spanRows).max().orElse(0);
    Tensor[] padded = new Tensor[worldSize];
    Tensor[] perImage = new Tensor[n];
    List<RankShard> shards = new ArrayList<>(worldSize);
    List<long[]> spans = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      int[] images = a.imagesOf(r);
      long rows = 0;
      for (int i : images) {
        rows += patches[i];
      }
      Tensor out =
          rows > 0
              ? runRank(model, layout, pixels, grids, images, patches, cum, rankRows[r], r)
              : empty(pixels, layout, 0);
      long outRows = out.size(0);
      if (outRows > maxLen) {
        throw new IllegalStateException(
            "rank " + r + " returned " + outRows + " rows, more than max_len_per_rank " + maxLen);
      }
      long pad = maxLen - outRows;
      padded[r] = pad > 0 ? torch.cat(new TensorVector(out, empty(out, layout, pad)), 0) : out;
      long begin = r * maxLen;
      shards.add(new RankShard(r, images, rows, outRows, pad, begin, begin + spanRows[r]));
      long at = begin;
      for (int i : images) {
        spans.add(new long[] {i, at, outputRows[i]});
        at += outputRows[i];
      }
    }
    Tensor gathered = torch.cat(new TensorVector(padded), 0);
    for (long[] s : spans) {
      perImage[(int) s[0]] = gathered.narrow(0, s[1], s[2]);
    }
    return new MropeShardedRun(Arrays.asList(perImage), gathered, maxLen, shards);
  }

  private static Tensor runRank(
      Rope3dModel model,
      MropeLayout layout,
      Tensor pixels,
      List<long[]> grids,
      int[] images,
      long[] patches,
      long[] cum,
      long expectedRows,
      int rank) {
    List<Tensor> parts = new ArrayList<>();
    List<long[]> localGrids = new ArrayList<>(images.length);
    long spanStart = -1;
    long spanEnd = -1;
    for (int i : images) {
      // Images that follow each other in the input stay one view: no copy for them.
      if (cum[i] != spanEnd) {
        if (spanStart >= 0) {
          parts.add(pixels.narrow(0, spanStart, spanEnd - spanStart));
        }
        spanStart = cum[i];
      }
      spanEnd = cum[i] + patches[i];
      localGrids.add(grids.get(i).clone());
    }
    parts.add(pixels.narrow(0, spanStart, spanEnd - spanStart));
    Tensor local =
        parts.size() == 1
            ? parts.get(0)
            : torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
    Tensor out = model.forward(local, localGrids).contiguous();
    long[] shape = DpSharding.shapeOf(out);
    if (shape.length != 1 + layout.rowShape().length
        || shape[0] != expectedRows
        || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), layout.rowShape())) {
      throw new IllegalStateException(
          "vision model on rank "
              + rank
              + " returned "
              + Arrays.toString(shape)
              + ", expected ["
              + expectedRows
              + ", "
              + Arrays.toString(layout.rowShape()).replaceAll("[\\[\\]]", "")
              + "]");
    }
    return out;
  }

  private static Tensor empty(Tensor like, MropeLayout layout, long rows) {
    long[] shape = new long[1 + layout.rowShape().length];
    shape[0] = rows;
    System.arraycopy(layout.rowShape(), 0, shape, 1, layout.rowShape().length);
    return like.new_zeros(shape);
  }

  private static long patchesOf(long[] grid, int rank, int image) {
    if (grid.length != rank) {
      throw new IllegalArgumentException(
          "grid of image "
              + image
              + " must have "
              + rank
              + " entries, got "
              + Arrays.toString(grid));
    }
    long p = 1;
    for (long d : grid) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "grid of image " + image + " has a negative size: " + Arrays.toString(grid));
      }
      p = Math.multiplyExact(p, d);
    }
    return p;
  }
}
