package dev.vitrail.encoders.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * int8 linear layers on both kernels (oneDNN where it runs, FBGEMM): weights per output channel and
 * activations per token, so rows and tokens four orders of magnitude apart each keep their own
 * precision; the kernels agree; quick GELU's scales folded into the int8 weights give the MLP.
 */
class Int8WeightsTest {
  private static final long IN = 64;
  private static final long OUT = 96;

  @Test
  void oneDnnInt8IsFoundWhereLibtorchHasOneDnn() {
    NativeTorch.load();
    // int8 layers take oneDNN whenever libtorch has it (x86 builds do); FBGEMM is the fallback
    assertTrue(!torch.hasMKLDNN() || OneDnnInt8.available(), "oneDNN int8 linear refused");
  }

  @Test
  void everyKernelKeepsEachTokenAndChannelOnItsOwnScale() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(3);
      // output channel o and token t scaled by 10^(o mod 5 - 2) and 10^(t mod 5 - 2)
      Tensor w = torch.randn(OUT, IN).mul(decades(OUT).unsqueeze(1));
      Tensor x = torch.randn(2, 5, IN).mul(decades(5).view(1, 5, 1));
      Tensor expected = torch.matmul(x, w.t());
      for (boolean onednn : kernels()) {
        try (Int8Weights q = Int8Weights.quantize(w, null, onednn)) {
          Tensor y = q.forward(x);
          assertArrayEquals(expected.shape(), y.shape());
          // each token's outputs, then each channel's: a per-tensor scale would zero the small ones
          assertMinCosine(expected.view(-1, OUT), y.reshape(-1, OUT), 0.999, "tokens " + onednn);
          // channels over tokens put on one scale (each row divided by its expected norm)
          Tensor norms =
              torch.linalg_vector_norm(
                  expected.view(-1, OUT),
                  new Scalar(2),
                  new long[] {1},
                  true,
                  new ScalarTypeOptional());
          assertMinCosine(
              expected.view(-1, OUT).div(norms).t(),
              y.reshape(-1, OUT).div(norms).t(),
              0.999,
              "channels " + onednn);
        }
      }
    }
  }

  @Test
  void kernelsAgreeWithBias() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(4);
      Tensor w = torch.randn(OUT, IN);
      Tensor b = torch.randn(OUT);
      Tensor x = torch.randn(3, 7, IN);
      Tensor expected = torch.matmul(x, w.t()).add(b);
      List<Tensor> outs = new ArrayList<>();
      for (boolean onednn : kernels()) {
        try (Int8Weights q = Int8Weights.quantize(w, b, onednn)) {
          Tensor y = q.forward(x);
          assertMinCosine(expected.view(-1, OUT), y.view(-1, OUT), 0.999, "bias " + onednn);
          outs.add(y);
        }
      }
      if (outs.size() == 2) {
        assertMinCosine(outs.get(0).view(-1, OUT), outs.get(1).view(-1, OUT), 0.9999, "kernels");
      }
    }
  }

  @Test
  void quickGeluScalesFoldIntoTheInt8Weights() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(5);
      Tensor x = torch.randn(2, 9, IN);
      Tensor w1 = torch.randn(OUT, IN).mul(new Scalar(0.2));
      Tensor b1 = torch.randn(OUT);
      Tensor w2 = torch.randn(IN, OUT).mul(new Scalar(0.1));
      Tensor b2 = torch.randn(IN);
      Tensor expected =
          new Linear(w2.clone(), b2.clone())
              .forward(Activation.QUICK_GELU.apply(new Linear(w1.clone(), b1.clone()).forward(x)));
      double s = Mlp.QUICK_GELU_SCALE;
      try (Mlp mlp =
          Mlp.folded(
              Linear.create(w1.mul(new Scalar(s)), b1.mul(new Scalar(s)), LinearKernel.INT8),
              Linear.create(w2.mul(new Scalar(1.0 / s)), b2.clone(), LinearKernel.INT8))) {
        assertMinCosine(
            expected.view(-1, IN), mlp.forward(x).view(-1, IN), 0.999, "folded int8 MLP");
      }
    }
  }

  private static boolean[] kernels() {
    return OneDnnInt8.available() ? new boolean[] {false, true} : new boolean[] {false};
  }

  private static Tensor decades(long n) {
    return torch.pow(
        new Scalar(10.0), torch.arange(new Scalar(n)).remainder(new Scalar(5)).sub(new Scalar(2)));
  }

  private static void assertMinCosine(Tensor expected, Tensor actual, double min, String what) {
    double cos = torch.cosine_similarity(expected, actual, 1, 1e-30).min().item_double();
    assertTrue(cos >= min, what + ": min cosine " + cos + " < " + min);
  }
}
