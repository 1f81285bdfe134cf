package dev.vitrail.bench.encoders;

import static dev.vitrail.bench.encoders.OpProbe.C;
import static dev.vitrail.bench.encoders.OpProbe.D;
import static dev.vitrail.bench.encoders.OpProbe.H;
import static dev.vitrail.bench.encoders.OpProbe.LAYERS;
import static dev.vitrail.bench.encoders.OpProbe.N;
import static dev.vitrail.bench.encoders.OpProbe.each;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Attention;
import java.util.Map;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@link OpProbe}'s attention alternatives on the ViT-B/16 shapes ({@code attention} in float32,
 * {@code attention-bf16} in bfloat16), each over 12 layers of its own q, k and v.
 */
final class AttentionProbe {
  private AttentionProbe() {}

  /** {@code attention}: SDPA against explicit variants and their parts, float32. */
  static void float32(Map<String, Runnable> alts, int b) {
    Tensor[] q = new Tensor[LAYERS];
    Tensor[] k = new Tensor[LAYERS];
    Tensor[] v = new Tensor[LAYERS];
    for (int l = 0; l < LAYERS; l++) {
      q[l] = torch.randn(b, N, C);
      k[l] = torch.randn(b, N, C);
      v[l] = torch.randn(b, N, C);
    }
    Tensor merged = torch.empty(b, N, C);
    Tensor scores = torch.randn(b * H, N, N);
    alts.put("sdpa on strided head views (the tower's)", () -> each(l -> sdpa(q[l], k[l], v[l])));
    alts.put(
        "4-D matmul, softmax, matmul (copies to contiguous)",
        () ->
            each(
                l ->
                    heads(q[l])
                        .matmul(heads(k[l]).transpose(-2, -1))
                        .softmax(-1)
                        .matmul(heads(v[l]))));
    alts.put(
        "per-image strided bmm, softmax in place, bmm into merged",
        () ->
            each(
                l -> {
                  for (int i = 0; i < b; i++) {
                    Tensor s = torch.bmm(head(q[l], i), head(k[l], i).transpose(1, 2));
                    torch.softmax_out(s, s, -1);
                    torch.bmm_out(head(merged, i), s, head(v[l], i));
                  }
                  return merged;
                }));
    alts.put(
        "  part: q·kᵀ, per-image strided bmm",
        () ->
            each(
                l -> {
                  for (int i = 0; i < b; i++) {
                    torch.bmm(head(q[l], i), head(k[l], i).transpose(1, 2));
                  }
                  return merged;
                }));
    alts.put("  part: softmax in place", () -> each(l -> torch.softmax_out(scores, scores, -1)));
    alts.put(
        "  part: q·kᵀ as grouped conv1d",
        () ->
            each(
                l ->
                    torch.conv1d(
                        heads(k[l]).transpose(2, 3).reshape(1, (long) b * H * D, N),
                        heads(q[l]).reshape((long) b * H * N, D, 1),
                        new TensorOptional(),
                        new long[] {1},
                        new long[] {0},
                        new long[] {1},
                        (long) b * H)));
  }

  /** {@code attention-bf16}: bf16 SDPA, the tower's {@code MATH} and its parts, SDPA in f32. */
  static void bf16(Map<String, Runnable> alts, int b) {
    Tensor[] q = new Tensor[LAYERS];
    Tensor[] k = new Tensor[LAYERS];
    Tensor[] v = new Tensor[LAYERS];
    for (int l = 0; l < LAYERS; l++) {
      q[l] = torch.randn(b, N, C).to(torch.ScalarType.BFloat16);
      k[l] = torch.randn(b, N, C).to(torch.ScalarType.BFloat16);
      v[l] = torch.randn(b, N, C).to(torch.ScalarType.BFloat16);
    }
    Scalar scale = new Scalar(1.0 / Math.sqrt(D));
    alts.put("bf16 sdpa on strided head views", () -> each(l -> sdpa(q[l], k[l], v[l])));
    alts.put(
        "bf16 math, the tower's (Attention.attend MATH)",
        () ->
            each(
                l ->
                    Attention.attend(
                        heads(q[l]), heads(k[l]), heads(v[l]), null, AttentionBackend.MATH)));
    alts.put(
        "  part: q·kᵀ (bf16 matmul) and scale",
        () -> each(l -> heads(q[l]).matmul(heads(k[l]).transpose(-2, -1)).mul_(scale)));
    Tensor scores = torch.randn(b, H, N, N).to(torch.ScalarType.BFloat16);
    alts.put(
        "  part: to f32, softmax, to bf16",
        () ->
            each(l -> scores.to(torch.ScalarType.Float).softmax(-1).to(torch.ScalarType.BFloat16)));
    alts.put(
        "  part: softmax(dtype f32), to bf16",
        () ->
            each(
                l ->
                    scores
                        .softmax(-1, new ScalarTypeOptional(torch.ScalarType.Float))
                        .to(torch.ScalarType.BFloat16)));
    alts.put("  part: softmax on bf16 (float inside)", () -> each(l -> scores.softmax(-1)));
    alts.put("  part: probs·v (bf16 matmul)", () -> each(l -> scores.matmul(heads(v[l]))));
    alts.put(
        "f32 sdpa on f32 copies, back to bf16",
        () ->
            each(
                l ->
                    sdpa(
                            q[l].to(torch.ScalarType.Float),
                            k[l].to(torch.ScalarType.Float),
                            v[l].to(torch.ScalarType.Float))
                        .to(torch.ScalarType.BFloat16)));
  }

  private static Tensor sdpa(Tensor q, Tensor k, Tensor v) {
    return torch.scaled_dot_product_attention(
        heads(q),
        heads(k),
        heads(v),
        new TensorOptional(),
        0.0,
        false,
        new DoubleOptional(),
        false);
  }

  /** {@code [B, N, C]} as the strided head view {@code [B, H, N, D]}. */
  private static Tensor heads(Tensor t) {
    return t.view(t.size(0), N, H, D).transpose(1, 2);
  }

  /** Image {@code i} of {@code [B, N, C]} as the strided head view {@code [H, N, D]}. */
  private static Tensor head(Tensor t, int i) {
    return t.select(0, i).view(N, H, D).transpose(0, 1);
  }
}
