package dev.vitrail.encoders.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.tensor.NativeTorch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * The explicit {@code MATH} attention gives SDPA's result, whole and in blocks of query rows, with
 * and without masks, in float32 and bf16; SDPA on the CPU takes bf16 through float32.
 */
class MathAttentionTest {
  private static final long B = 2;
  private static final long H = 3;
  private static final long N = 37;
  private static final long D = 16;

  @Test
  void blocksOfQueryRowsGiveWhatOneBlockAndSdpaGive() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor[] qkv = heads(11);
      Tensor q = qkv[0];
      Tensor k = qkv[1];
      Tensor v = qkv[2];
      Tensor rowMask = torch.randn(B, 1, N, N).mul(new Scalar(2.0));
      Tensor keyMask = torch.randn(1, 1, 1, N);
      for (Tensor mask : new Tensor[] {null, rowMask, keyMask}) {
        Tensor sdpa = Attention.attend(q, k, v, mask, AttentionBackend.TORCH_SDPA);
        Tensor whole = Attention.mathAttention(q, k, v, mask, Long.MAX_VALUE);
        assertClose(sdpa, whole, 1e-5);
        // 7 rows of B·H·N scores per block: blocks of 7, the last one of 2 rows
        Tensor blocks = Attention.mathAttention(q, k, v, mask, 7 * B * H * N);
        assertArrayEquals(whole.shape(), blocks.shape());
        assertClose(whole, blocks, 1e-6);
        // fewer scores than one row allows: still one row per block
        assertClose(whole, Attention.mathAttention(q, k, v, mask, 1), 1e-6);
      }
    }
  }

  @Test
  void bf16MatchesFloat32WithinBf16Rounding() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor[] qkv = heads(12);
      Tensor q = qkv[0];
      Tensor k = qkv[1];
      Tensor v = qkv[2];
      Tensor ref = Attention.attend(q, k, v, null, AttentionBackend.TORCH_SDPA);
      Tensor half =
          Attention.mathAttention(
              q.to(torch.ScalarType.BFloat16),
              k.to(torch.ScalarType.BFloat16),
              v.to(torch.ScalarType.BFloat16),
              null,
              Long.MAX_VALUE);
      assertEquals(2, half.element_size(), "stays bf16");
      assertClose(ref, half.to(torch.ScalarType.Float), 0.05);
      // HF's eager bf16 attention (bf16 scores, softmax in float32, probabilities back to bf16):
      // equal here; the bound allows one bf16 rounding step of the output
      Tensor qb = q.to(torch.ScalarType.BFloat16);
      Tensor vb = v.to(torch.ScalarType.BFloat16);
      Tensor scores =
          qb.matmul(k.to(torch.ScalarType.BFloat16).transpose(-2, -1))
              .mul(new Scalar(1.0 / Math.sqrt(D)));
      Tensor hf =
          scores.to(torch.ScalarType.Float).softmax(-1).to(torch.ScalarType.BFloat16).matmul(vb);
      assertClose(hf.to(torch.ScalarType.Float), half.to(torch.ScalarType.Float), 1e-2);
    }
  }

  @Test
  void bf16SdpaOnTheCpuAttendsInFloat32AndRoundsOnce() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor[] qkv = heads(13);
      Tensor q = qkv[0].to(torch.ScalarType.BFloat16);
      Tensor k = qkv[1].to(torch.ScalarType.BFloat16);
      Tensor v = qkv[2].to(torch.ScalarType.BFloat16);
      Tensor got = Attention.attend(q, k, v, null, AttentionBackend.TORCH_SDPA);
      assertEquals(2, got.element_size(), "stays bf16");
      Tensor want =
          Attention.attend(
                  q.to(torch.ScalarType.Float),
                  k.to(torch.ScalarType.Float),
                  v.to(torch.ScalarType.Float),
                  null,
                  AttentionBackend.TORCH_SDPA)
              .to(torch.ScalarType.BFloat16);
      assertClose(want.to(torch.ScalarType.Float), got.to(torch.ScalarType.Float), 0.0);
    }
  }

  /** Seeded random float32 q, k and v of shape {@code [B, H, N, D]}, in the caller's scope. */
  private static Tensor[] heads(long seed) {
    torch.manual_seed(seed);
    return new Tensor[] {torch.randn(B, H, N, D), torch.randn(B, H, N, D), torch.randn(B, H, N, D)};
  }

  private static void assertClose(Tensor expected, Tensor actual, double tol) {
    double diff = expected.sub(actual).abs().max().item_double();
    assertTrue(diff <= tol, "max |diff| " + diff + " > " + tol);
  }
}
