package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Attention;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Variable-length attention over contiguous segments with libtorch's {@code
 * scaled_dot_product_attention}: each run of equal-length segments is one batched call, so no mask
 * over the whole sequence is ever built and no token attends across a segment boundary.
 */
final class SegmentAttention {
  private SegmentAttention() {}

  /**
   * Attends inside each segment.
   *
   * @param q queries {@code [S, heads, headDim]}, likewise {@code k} and {@code v}
   * @param runs the segments, covering rows {@code 0..S} in order
   * @param backend the attention kernel choice
   * @return {@code [S, heads * headDim]}
   */
  static Tensor attend(
      Tensor q, Tensor k, Tensor v, List<SegmentRun> runs, AttentionBackend backend) {
    long heads = q.size(1);
    long dim = q.size(2);
    TensorVector parts = new TensorVector();
    for (SegmentRun run : runs) {
      long rows = (long) run.count() * run.length();
      Tensor o =
          Attention.attend(
              batch(q, run, rows, heads, dim),
              batch(k, run, rows, heads, dim),
              batch(v, run, rows, heads, dim),
              null,
              backend);
      parts.push_back(o.transpose(1, 2).reshape(rows, heads * dim));
    }
    return parts.size() == 1 ? parts.get(0) : torch.cat(parts, 0);
  }

  // [rows, heads, dim] -> [count, heads, length, dim]
  private static Tensor batch(Tensor x, SegmentRun run, long rows, long heads, long dim) {
    return x.narrow(0, run.start(), rows)
        .view(run.count(), run.length(), heads, dim)
        .transpose(1, 2);
  }
}
