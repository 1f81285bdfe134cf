package dev.vitrail.encoders.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.golden.TensorJson;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The convenience forms and argument checks around the golden-tested resolve. */
class EncoderOutputsTest {
  @BeforeAll
  static void load() {
    NativeTorch.load();
  }

  private static Tensor filled(double v) {
    return torch.full(new long[] {1, 3, 2}, new Scalar(v));
  }

  @Test
  void layersAreConcatenatedInSelectOrderWithTheNormOnTheLastOnly() {
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> states = List.of(filled(0), filled(1), filled(2));
      Tensor out =
          EncoderOutputs.resolveLayers(
              states, x -> x.mul(new Scalar(10)), new int[] {-2, -1}, 2, BuiltinStrategy.DEFAULT);
      assertArrayEquals(new long[] {1, 2, 4}, TensorJson.shape(out));
      assertArrayEquals(new float[] {1, 1, 20, 20, 1, 1, 20, 20}, TensorJson.values(out));
      Tensor last = EncoderOutputs.resolveLast(filled(3), null, BuiltinStrategy.CLASS);
      assertArrayEquals(new long[] {1, 1, 2}, TensorJson.shape(last));
    }
  }

  @Test
  void lastHsProcRunsBeforeSelectionAndNormOnlyWhenTheLastLayerIsUsed() {
    try (PointerScope scope = new PointerScope()) {
      Tensor tokens = torch.arange(new Scalar(6)).to(torch.ScalarType.Float).reshape(1, 3, 2);
      Tensor single =
          EncoderOutputs.resolve(
              EncoderOutput.single(tokens),
              x -> x.mul(new Scalar(10)),
              null,
              null,
              x -> x.add(new Scalar(1)),
              BuiltinStrategy.DEFAULT);
      assertArrayEquals(new float[] {30, 40, 50, 60}, TensorJson.values(single));
      Tensor pooled =
          EncoderOutputs.resolve(
              EncoderOutput.single(tokens), null, null, null, x -> x.narrow(1, 2, 1), null);
      assertArrayEquals(new float[] {4, 5}, TensorJson.values(pooled));
      List<Tensor> states = List.of(filled(0), filled(1), filled(2));
      java.util.function.UnaryOperator<Tensor> plus100 = x -> x.add(new Scalar(100));
      for (int[] layers : new int[][] {{-2, -1}, {0, 1}}) {
        Tensor out =
            EncoderOutputs.resolve(
                EncoderOutput.hiddenStates(states), null, layers, 2, plus100, null);
        float lastValue = layers[1] == -1 ? 102 : 101;
        assertEquals(lastValue, TensorJson.values(out)[3], "proc on the last pick " + layers[1]);
      }
      Tensor untouched =
          EncoderOutputs.resolve(
              EncoderOutput.hiddenStates(states), null, new int[] {-1, 0}, 2, plus100, null);
      assertArrayEquals(
          new float[] {2, 2, 0, 0, 2, 2, 0, 0, 2, 2, 0, 0}, TensorJson.values(untouched));
    }
  }

  @Test
  void rejectsWhatTheReferenceRejects() {
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> states = List.of(filled(0), filled(1));
      assertThrows(
          IllegalArgumentException.class,
          () -> EncoderOutputs.resolveLayers(states, null, new int[0], 1, null));
      IndexOutOfBoundsException e =
          assertThrows(
              IndexOutOfBoundsException.class,
              () -> EncoderOutputs.resolveLayers(states, null, new int[] {-3}, 1, null));
      assertTrue(e.getMessage().contains("-3"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> BuiltinStrategy.DEFAULT.select(torch.zeros(3, 2)));
      assertThrows(IllegalArgumentException.class, () -> FeatureSelectStrategy.of("Default"));
      assertEquals(BuiltinStrategy.FULL, FeatureSelectStrategy.of("full"));
    }
  }

  @Test
  void layerNormChecksItsShapes() {
    try (PointerScope scope = new PointerScope()) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new PostLayerNorm(torch.ones(2), torch.zeros(3), 1e-5));
      assertThrows(
          IllegalArgumentException.class,
          () -> new PostLayerNorm(torch.ones(2), torch.zeros(2), 0));
      PostLayerNorm ln = new PostLayerNorm(torch.ones(2), torch.zeros(2), 1e-5);
      assertThrows(IllegalArgumentException.class, () -> ln.apply(torch.zeros(1, 3)));
      Tensor y = ln.apply(torch.arange(new Scalar(4)).to(torch.ScalarType.Float).reshape(2, 2));
      TensorJson.assertClose(new long[] {2, 2}, new float[] {-1, 1, -1, 1}, y, 1e-4, 0, "normed");
    }
  }
}
