package dev.vitrail.encoders.select;

import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A caller-supplied selector from {@code [B, S, H]} to {@code [B, S', H]}.
 *
 * @param selector the function; it may return a view of its input
 */
public record CustomStrategy(UnaryOperator<Tensor> selector) implements FeatureSelectStrategy {
  /** Width of the dummy features the token count is measured on, as in vLLM. */
  private static final long DUMMY_WIDTH = 64;

  public CustomStrategy {
    Objects.requireNonNull(selector, "selector");
  }

  @Override
  public Tensor select(Tensor feats) {
    return selector.apply(feats);
  }

  /** Applies the selector to an uninitialised {@code [1, n, 64]} tensor and measures axis 1. */
  @Override
  public long numSelectedTokens(long numVisionTokens) {
    NativeTorch.load();
    try (PointerScope scope = new PointerScope()) {
      Tensor dummy = torch.empty(1, numVisionTokens, DUMMY_WIDTH);
      Tensor selected = selector.apply(dummy);
      if (selected.dim() < 2) {
        throw new IllegalArgumentException(
            "custom feature selector must keep the token axis, returned "
                + selected.dim()
                + " axes");
      }
      return selected.size(1);
    }
  }
}
