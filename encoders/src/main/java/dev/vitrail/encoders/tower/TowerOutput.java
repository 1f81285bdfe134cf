package dev.vitrail.encoders.tower;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A tower's forward result; owns its tensors and frees them on {@link #close()}.
 *
 * @param hiddenStates HF's {@code hidden_states}: the encoder input, then every layer's output
 *     (only the last one when all hidden states were not requested)
 * @param lastHiddenState HF's {@code last_hidden_state} (post-normed for SigLIP, not for CLIP)
 * @param pooled HF's {@code pooler_output}, or null when the tower has none
 */
public record TowerOutput(List<Tensor> hiddenStates, Tensor lastHiddenState, Tensor pooled)
    implements AutoCloseable {
  public TowerOutput {
    hiddenStates = List.copyOf(hiddenStates);
  }

  /** The last layer's output before any post-norm. */
  public Tensor lastLayer() {
    return hiddenStates.get(hiddenStates.size() - 1);
  }

  @Override
  public void close() {
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    for (Tensor t : hiddenStates) {
      seen.put(t, true);
    }
    seen.put(lastHiddenState, true);
    if (pooled != null) {
      seen.put(pooled, true);
    }
    seen.keySet().forEach(Tensor::close);
  }
}
