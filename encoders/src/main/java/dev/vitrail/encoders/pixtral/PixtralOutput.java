package dev.vitrail.encoders.pixtral;

import java.util.List;

/**
 * What the Pixtral tower returns: one packed sequence, image after image.
 *
 * @param tokens patches per image ({@code (h/p)·(w/p)}), in input order
 * @param hidden channels per token
 * @param lastHiddenState {@code [Σ tokens, hidden]} (the last layer; Pixtral has no final norm)
 * @param hiddenStates when requested: the {@code ln_pre} output, then every layer's output, each
 *     {@code [Σ tokens, hidden]}; else empty
 * @param patchEmbeds when hidden states are requested, the patch embeddings before {@code ln_pre}
 *     {@code [Σ tokens, hidden]}; else empty
 */
public record PixtralOutput(
    int[] tokens,
    int hidden,
    float[] lastHiddenState,
    List<float[]> hiddenStates,
    float[] patchEmbeds) {
  public PixtralOutput {
    tokens = tokens.clone();
    hiddenStates = List.copyOf(hiddenStates);
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }
}
