package dev.vitrail.encoders.select;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;

/**
 * How the tokens of one hidden state {@code [B, S, H]} are selected, as vLLM's {@code
 * feature_select_strategy}: a named strategy ({@link BuiltinStrategy}) or a custom function ({@link
 * CustomStrategy}).
 */
public sealed interface FeatureSelectStrategy permits BuiltinStrategy, CustomStrategy {

  /** Selects tokens from {@code feats} of shape {@code [B, S, H]}; the result keeps three axes. */
  Tensor select(Tensor feats);

  /**
   * vLLM's {@code get_num_selected_vision_tokens}: how many tokens {@link #select} keeps out of
   * {@code numVisionTokens}.
   */
  long numSelectedTokens(long numVisionTokens);

  /**
   * The strategy named {@code "class"}, {@code "default"} or {@code "full"} (exact, lower case);
   * any other name is an {@link IllegalArgumentException} listing the valid ones.
   */
  static FeatureSelectStrategy of(String name) {
    return BuiltinStrategy.named(name);
  }

  /** A custom selector, e.g. {@code feats -> feats.slice(1, ...)}. */
  static FeatureSelectStrategy custom(UnaryOperator<Tensor> selector) {
    return new CustomStrategy(selector);
  }
}
