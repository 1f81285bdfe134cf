package dev.vitrail.encoders.siglip2;

import java.util.List;

/**
 * What the SigLIP2 tower returns, per image and only for its real patches.
 *
 * @param tokens patches per image
 * @param lastHiddenState per image {@code [tokens, hidden]}, after {@code post_layernorm}
 * @param hiddenStates when requested, {@code [layer][image]}: the embeddings, then every layer's
 *     output (before {@code post_layernorm}); else empty
 * @param pooled when requested and the tower has a head, per image {@code [hidden]}; else empty
 */
public record Siglip2Output(
    int[] tokens,
    List<float[]> lastHiddenState,
    List<List<float[]>> hiddenStates,
    List<float[]> pooled) {
  public Siglip2Output {
    tokens = tokens.clone();
    lastHiddenState = List.copyOf(lastHiddenState);
    hiddenStates = hiddenStates.stream().map(List::copyOf).toList();
    pooled = List.copyOf(pooled);
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }
}
