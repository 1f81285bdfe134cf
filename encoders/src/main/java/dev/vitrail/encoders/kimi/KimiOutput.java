package dev.vitrail.encoders.kimi;

import java.util.List;

/**
 * What the MoonViT tower returns for a batch of entries.
 *
 * @param grids {@code (t, h, w)} per entry
 * @param hidden channels per token
 * @param merged {@code [Σ h·w / (kh·kw), kh·kw, hidden]}: per entry the frames averaged and the
 *     merge-kernel blocks grouped (the per-image layout of vLLM's rope_2d DP path), entries in
 *     order
 * @param lastHiddenState when requested, {@code final_layernorm} of the last block, {@code [Σ
 *     t·h·w, hidden]}; else empty
 * @param hiddenStates when requested: patch + position embedding, then every block's output (before
 *     {@code final_layernorm}); else empty
 * @param positionEmbeddings when requested, the terms added to each patch; else empty
 */
public record KimiOutput(
    List<int[]> grids,
    int hidden,
    float[] merged,
    float[] lastHiddenState,
    List<float[]> hiddenStates,
    float[] positionEmbeddings) {
  public KimiOutput {
    grids = List.copyOf(grids);
    hiddenStates = List.copyOf(hiddenStates);
  }
}
