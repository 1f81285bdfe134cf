package dev.vitrail.encoders.qwen25vl;

import java.util.List;

/**
 * What one tower call produced, on the heap.
 *
 * @param layout the batch layout (window permutation, segments)
 * @param hidden the tower width
 * @param embeds merged embeddings {@code [S/unit, outHidden]} in processor order
 * @param hiddenStates {@code depth + 1} tensors {@code [S, hidden]} in window order (element 0 =
 *     the permuted patch embeddings), or empty when not requested
 */
public record Qwen25Output(
    WindowLayout layout, int hidden, float[] embeds, List<float[]> hiddenStates) {
  public Qwen25Output {
    hiddenStates = List.copyOf(hiddenStates);
  }

  /**
   * Hidden state {@code index} (0 = patch embeddings, {@code depth} = last block; negative counts
   * from the end as in Python), in window order as HF's {@code hidden_states} or un-permuted to
   * processor order.
   */
  public float[] hiddenState(int index, boolean windowOrder) {
    if (hiddenStates.isEmpty()) {
      throw new IllegalStateException("hidden states were not requested");
    }
    int n = hiddenStates.size();
    if (index < -n || index >= n) {
      throw new IndexOutOfBoundsException(
          "hidden state " + index + " out of range for " + n + " hidden states");
    }
    float[] window = hiddenStates.get(index < 0 ? index + n : index);
    if (windowOrder) {
      return window.clone();
    }
    long[] inverse = layout.patchInverse();
    float[] out = new float[window.length];
    for (int i = 0; i < inverse.length; i++) {
      System.arraycopy(window, (int) inverse[i] * hidden, out, i * hidden, hidden);
    }
    return out;
  }
}
