package dev.vitrail.encoders.qwen3vl;

import java.util.List;

/**
 * What the Qwen3-VL tower returns, rows in the processor's order.
 *
 * @param embeds the merger output {@code [Σ t·h·w / m², out_hidden]} (HF {@code pooler_output})
 * @param deepstack one {@code [Σ t·h·w / m², out_hidden]} per deepstack index, in order
 * @param lastHiddenState the last block's output {@code [Σ t·h·w, hidden]}
 * @param hiddenStates when requested: the patch + position embeddings, then every block's output;
 *     else empty
 */
public record Qwen3VlOutput(
    float[] embeds, List<float[]> deepstack, float[] lastHiddenState, List<float[]> hiddenStates) {
  public Qwen3VlOutput {
    deepstack = List.copyOf(deepstack);
    hiddenStates = List.copyOf(hiddenStates);
  }

  /**
   * vLLM's tower output: the merger output and every deepstack feature concatenated per row, {@code
   * [rows, out_hidden · (1 + deepstack)]}.
   */
  public float[] withDeepstack(int outHidden) {
    int parts = 1 + deepstack.size();
    int rows = embeds.length / outHidden;
    float[] out = new float[embeds.length * parts];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(embeds, r * outHidden, out, r * outHidden * parts, outHidden);
      for (int k = 0; k < deepstack.size(); k++) {
        System.arraycopy(
            deepstack.get(k), r * outHidden, out, (r * parts + k + 1) * outHidden, outHidden);
      }
    }
    return out;
  }
}
