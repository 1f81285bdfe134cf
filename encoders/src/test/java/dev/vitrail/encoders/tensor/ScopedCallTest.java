package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScopedCallTest {
  @BeforeAll
  static void load() {
    NativeTorch.load();
  }

  @Test
  void freesIntermediatesAndKeepsTheResultInTheCallersScope() {
    Tensor[] intermediate = new Tensor[1];
    Tensor result;
    try (PointerScope outer = new PointerScope()) {
      result =
          ScopedCall.returning(
              () -> {
                intermediate[0] = torch.ones(3);
                return intermediate[0].mul(new org.bytedeco.pytorch.Scalar(2.0));
              });
      assertTrue(intermediate[0].isNull(), "intermediate freed when the call returns");
      assertFalse(result.isNull());
      assertEquals(6.0, result.sum().item_double());
    }
    assertTrue(result.isNull(), "result freed with the caller's scope");
  }

  @Test
  void withoutACallerScopeTheCallerOwnsTheResult() {
    List<Tensor> out = ScopedCall.returningAll(() -> List.of(torch.zeros(2), torch.ones(2)));
    assertEquals(2.0, out.get(1).sum().item_double());
    out.forEach(Tensor::close);
    assertTrue(out.get(0).isNull() && out.get(1).isNull());
  }

  @Test
  void returningTheInputKeepsItAliveForBothScopes() {
    try (PointerScope outer = new PointerScope()) {
      Tensor in = torch.ones(2);
      Tensor same = ScopedCall.returning(() -> in);
      assertFalse(same.isNull());
      assertEquals(2.0, same.sum().item_double());
    }
  }
}
