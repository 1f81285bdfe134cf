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
      Heads h = Heads.random(11);
      Tensor q = h.q();
      Tensor k = h.k();
      Tensor v = h.v();
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
      Heads h = Heads.random(12);
      Heads b = h.to(torch.ScalarType.BFloat16);
      Tensor ref = Attention.attend(h.q(), h.k(), h.v(), null, AttentionBackend.TORCH_SDPA);
      Tensor half = Attention.mathAttention(b.q(), b.k(), b.v(), null, Long.MAX_VALUE);
      assertEquals(2, half.element_size(), "stays bf16");
      assertClose(ref, half.to(torch.ScalarType.Float), 0.05);
      // HF's eager bf16 attention (bf16 scores, softmax in float32, probabilities back to bf16):
      // equal here; the bound allows one bf16 rounding step of the output
      Tensor scores = b.q().matmul(b.k().transpose(-2, -1)).mul(new Scalar(1.0 / Math.sqrt(D)));
      Tensor hf =
          scores.to(torch.ScalarType.Float).softmax(-1).to(torch.ScalarType.BFloat16).matmul(b.v());
      assertClose(hf.to(torch.ScalarType.Float), half.to(torch.ScalarType.Float), 1e-2);
    }
  }

  @Test
  void bf16SdpaOnTheCpuAttendsInFloat32AndRoundsOnce() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Heads b = Heads.random(13).to(torch.ScalarType.BFloat16);
      Tensor got = Attention.attend(b.q(), b.k(), b.v(), null, AttentionBackend.TORCH_SDPA);
      assertEquals(2, got.element_size(), "stays bf16");
      Heads f = b.to(torch.ScalarType.Float);
      Tensor want =
          Attention.attend(f.q(), f.k(), f.v(), null, AttentionBackend.TORCH_SDPA)
              .to(torch.ScalarType.BFloat16);
      assertClose(want.to(torch.ScalarType.Float), got.to(torch.ScalarType.Float), 0.0);
    }
  }

  /** q, k and v of shape {@code [B, H, N, D]}, in the caller's scope. */
  private record Heads(Tensor q, Tensor k, Tensor v) {
    /** Seeded random float32 heads. */
    static Heads random(long seed) {
      torch.manual_seed(seed);
      return new Heads(torch.randn(B, H, N, D), torch.randn(B, H, N, D), torch.randn(B, H, N, D));
    }

    Heads to(torch.ScalarType dtype) {
      return new Heads(q.to(dtype), k.to(dtype), v.to(dtype));
    }
  }

  private static void assertClose(Tensor expected, Tensor actual, double tol) {
    double diff = expected.sub(actual).abs().max().item_double();
    assertTrue(diff <= tol, "max |diff| " + diff + " > " + tol);
  }
}
