package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * What one image became on the encoder tier.
 *
 * @param key the encoder-cache key, also the {@code uuid} to put on the image's content part
 * @param gridThw the consumer's {@code image_grid_thw} row
 * @param tokens placeholder tokens ({@code ec_cache} rows)
 * @param hidden the language model's hidden size ({@code ec_cache} columns)
 * @param dtype the written dtype
 * @param file the encoder-cache file, or null when none was asked for
 * @param cached whether the file already existed (no encoding was needed for it)
 * @param contentPart the inline {@code image_embeds} content part, or null when not asked for
 */
public record VlmResult(
    String key,
    int[] gridThw,
    long tokens,
    int hidden,
    EcDtype dtype,
    Path file,
    boolean cached,
    ObjectNode contentPart) {

  /**
   * Puts this result's fields into {@code n}, as {@code /v1/vlm/encode} and {@code vitrail ec} name
   * them: {@code uuid}, {@code image_grid_thw}, {@code num_tokens}, {@code hidden_size}, {@code
   * dtype}, {@code cached} and, when there is a file, {@code ec_path} (not the content part).
   */
  public void describe(ObjectNode n) {
    n.put("uuid", key);
    var grid = n.putArray("image_grid_thw");
    for (int g : gridThw) {
      grid.add(g);
    }
    n.put("num_tokens", tokens);
    n.put("hidden_size", hidden);
    n.put("dtype", dtype.label());
    n.put("cached", cached);
    if (file != null) {
      n.put("ec_path", file.toString());
    }
  }
}
