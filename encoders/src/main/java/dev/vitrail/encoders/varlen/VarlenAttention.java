package dev.vitrail.encoders.varlen;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Attention;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Attention that never crosses a segment boundary, through {@link Attention#attend}. */
public final class VarlenAttention {
  private VarlenAttention() {}

  /**
   * Attends inside each segment.
   *
   * @param q queries {@code [S, heads, headDim]}, likewise {@code k} and {@code v}
   * @param segments covering rows {@code 0..S} in order
   * @return {@code [S, heads * headDim]} in the caller's scope
   */
  public static Tensor attend(
      Tensor q, Tensor k, Tensor v, Segments segments, AttentionBackend backend) {
    if (segments.rows() != q.size(0)) {
      throw new IllegalArgumentException(
          "segments cover " + segments.rows() + " rows, the sequence has " + q.size(0));
    }
    long heads = q.size(1);
    long dim = q.size(2);
    TensorVector parts = new TensorVector();
    for (Segments.Run run : segments.runs()) {
      long rows = run.count() * run.length();
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
  private static Tensor batch(Tensor x, Segments.Run run, long rows, long heads, long dim) {
    return x.narrow(0, run.start(), rows)
        .view(run.count(), run.length(), heads, dim)
        .transpose(1, 2);
  }
}
