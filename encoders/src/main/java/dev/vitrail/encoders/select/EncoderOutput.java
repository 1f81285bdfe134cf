package dev.vitrail.encoders.select;

import java.util.List;
import java.util.Objects;
import org.bytedeco.pytorch.Tensor;

/** What a vision encoder returned: its last hidden state, or every hidden state. */
public sealed interface EncoderOutput {

  /** The last layer's output {@code [B, S, H]}. */
  static EncoderOutput single(Tensor lastHiddenState) {
    return new Single(lastHiddenState);
  }

  /**
   * Every hidden state: element 0 is the encoder's input embeddings, element i the output of loaded
   * layer i, each {@code [B, S, H]}.
   */
  static EncoderOutput hiddenStates(List<Tensor> hiddenStates) {
    return new HiddenStates(hiddenStates);
  }

  /**
   * @param tensor the last hidden state
   */
  record Single(Tensor tensor) implements EncoderOutput {
    public Single {
      Objects.requireNonNull(tensor, "tensor");
    }
  }

  /**
   * @param states the input embeddings followed by each loaded layer's output
   */
  record HiddenStates(List<Tensor> states) implements EncoderOutput {
    public HiddenStates {
      states = List.copyOf(states);
    }
  }
}
