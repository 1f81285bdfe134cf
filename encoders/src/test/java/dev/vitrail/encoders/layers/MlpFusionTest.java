package dev.vitrail.encoders.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.NativeTorch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MLP's fused activations (SiLU with the quick-GELU scales in the GEMMs' alpha; oneDNN
 * post-ops; quick GELU as swish on folded weights) give what the three-step {@code
 * fc2(act(fc1(x)))} gives.
 */
class MlpFusionTest {
  private static final long DIM = 48;
  private static final long INNER = 160;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void everyKernelAndActivationMatchesTheUnfusedMlp(Activation act) {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(7);
      Tensor x = torch.randn(2, 9, DIM);
      Tensor w1 = torch.randn(INNER, DIM).mul(new Scalar(0.2));
      Tensor b1 = torch.randn(INNER);
      Tensor w2 = torch.randn(DIM, INNER).mul(new Scalar(0.1));
      Tensor b2 = torch.randn(DIM);
      Tensor expected =
          new Linear(w2.clone(), b2.clone())
              .forward(act.apply(new Linear(w1.clone(), b1.clone()).forward(x)));
      for (LinearKernel kernel :
          new LinearKernel[] {LinearKernel.DENSE, LinearKernel.ONEDNN, LinearKernel.MLAS}) {
        if (kernel == LinearKernel.ONEDNN && !torch.hasMKLDNN()) {
          continue;
        }
        try (Mlp mlp =
            new Mlp(
                Linear.create(w1.clone(), b1.clone(), kernel),
                Linear.create(w2.clone(), b2.clone(), kernel),
                act)) {
          assertClose(expected, mlp.forward(x), act + " " + kernel);
        }
      }
      if (act == Activation.QUICK_GELU && torch.hasMKLDNN()) {
        // load's folded form: fc1 ·1.702 (weight and bias), fc2's weight ·1/1.702, oneDNN swish
        double s = Mlp.QUICK_GELU_SCALE;
        Tensor folded1 = w1.mul(new Scalar(s));
        Tensor foldedB1 = b1.mul(new Scalar(s));
        Tensor folded2 = w2.mul(new Scalar(1.0 / s));
        try (Mlp mlp =
            Mlp.folded(
                Linear.create(folded1, foldedB1, LinearKernel.ONEDNN),
                Linear.create(folded2, b2.clone(), LinearKernel.ONEDNN))) {
          assertClose(expected, mlp.forward(x), "quick_gelu folded into oneDNN swish");
        }
      }
      if (act == Activation.QUICK_GELU) {
        // the folded form on MLAS layers: one SiLU pass between them
        double s = Mlp.QUICK_GELU_SCALE;
        try (Mlp mlp =
            Mlp.folded(
                Linear.create(w1.mul(new Scalar(s)), b1.mul(new Scalar(s)), LinearKernel.MLAS),
                Linear.create(w2.mul(new Scalar(1.0 / s)), b2.clone(), LinearKernel.MLAS))) {
          assertClose(expected, mlp.forward(x), "quick_gelu folded into MLAS layers");
        }
      }
    }
  }

  @Test
  void scaledDenseLinearPutsAlphaAndBetaInTheGemm() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor x = torch.randn(3, 5, 8);
      Tensor w = torch.randn(4, 8);
      Tensor b = torch.randn(4);
      try (Linear l = new Linear(w.clone(), b.clone())) {
        Tensor y = l.forwardScaled(x, 2.5, 1.0);
        assertEquals(3, y.size(0));
        assertEquals(4, y.size(2));
        Tensor expected = torch.matmul(x, w.t()).mul(new Scalar(2.5)).add(b);
        assertClose(expected, y, "alpha 2.5, beta 1");
      }
    }
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    double maxAbs = expected.sub(actual).abs().max().item_double();
    double scale = expected.abs().max().item_double();
    assertTrue(maxAbs <= 1e-5 * Math.max(1.0, scale), what + ": max-abs " + maxAbs);
  }
}
