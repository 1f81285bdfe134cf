package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class MlasLinearTest {
  @Test
  void matchesTorchLinearWithAndWithoutBiasOnAnyLeadingShape() {
    NativeTorch.load();
    assertTrue(MlasLinear.available(), "ONNX Runtime is on the test class path");
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(3);
      for (long[] shape : new long[][] {{197, 48}, {2, 5, 48}, {1, 48}, {3, 1, 7, 48}}) {
        Tensor x = torch.randn(shape);
        Tensor w = torch.randn(40, 48);
        Tensor b = torch.randn(40);
        try (MlasLinear withBias = MlasLinear.create(w, b);
            MlasLinear noBias = MlasLinear.create(w, null)) {
          Tensor y = withBias.forward(x);
          long[] expectedShape = shape.clone();
          expectedShape[shape.length - 1] = 40;
          assertArrayEquals(expectedShape, y.shape());
          assertClose(torch.linear(x, w, new TensorOptional(b)), y);
          assertClose(torch.linear(x, w), noBias.forward(x));
        }
      }
    }
  }

  @Test
  void readsStridedInputAndAnswersEmptyBatches() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope();
        MlasLinear l = MlasLinear.create(torch.randn(6, 8), torch.randn(6))) {
      Tensor wide = torch.randn(5, 16);
      Tensor strided = wide.narrow(1, 4, 8); // not contiguous
      assertClose(l.forward(strided.contiguous()), l.forward(strided));
      assertArrayEquals(new long[] {0, 6}, l.forward(torch.empty(0, 8)).shape());
    }
  }

  @Test
  void theLayerOwnsCopiesOfItsWeights() {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor w = torch.randn(4, 8);
      Tensor x = torch.randn(3, 8);
      Tensor expected = torch.linear(x, w);
      try (MlasLinear l = MlasLinear.create(w, null)) {
        w.zero_(); // the session packed its own copy
        assertClose(expected, l.forward(x));
      }
    }
  }

  @Test
  void modelBytesCheckTheirSizes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxGemmModel.bytes(new byte[4 * 2], 3, 3, (into, at) -> {}));
    assertTrue(e.getMessage().contains("[3, 3]"), e.getMessage());
  }

  private static void assertClose(Tensor expected, Tensor actual) {
    double scale = Math.max(1.0, expected.abs().max().item_double());
    double diff = expected.sub(actual).abs().max().item_double();
    assertTrue(diff <= 1e-5 * scale, "max-abs " + diff + " (largest " + scale + ")");
  }
}
