package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.JsonFields.abbreviate;
import static dev.vitrail.runtime.http.JsonFields.dimensions;
import static dev.vitrail.runtime.http.JsonFields.encoding;
import static dev.vitrail.runtime.http.JsonFields.malformed;
import static dev.vitrail.runtime.http.JsonFields.optionalBoolean;
import static dev.vitrail.runtime.http.JsonFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The option fields of an embeddings request ({@code model}, {@code modality}, {@code
 * encoding_format} / {@code embedding_type}, {@code dimensions}, {@code normalize} / {@code
 * normalized}, {@code pooled}, {@code feature_select_strategy}, {@code select_layers}, {@code
 * post_layernorm}), validated against the served tower and combined with the request's images.
 * Every problem is an {@link ApiException} naming the field.
 */
final class EmbeddingOptions {
  private static final Set<String> STRATEGIES = Set.of("class", "default", "full");
  private final int numHiddenLayers;
  private final String modality;

  /**
   * @param numHiddenLayers the tower's layer count, bounding {@code select_layers}
   * @param modality what the served model embeds, named when another modality is asked for
   */
  EmbeddingOptions(int numHiddenLayers, String modality) {
    this.numHiddenLayers = numHiddenLayers;
    this.modality = modality;
  }

  /**
   * The request of {@code root}'s options with {@code images} (placeholders where {@code urls}).
   */
  EmbeddingsRequest build(JsonNode root, List<byte[]> images, Map<Integer, URI> urls) {
    String model = optionalText(root, "model");
    String modalityField = optionalText(root, "modality");
    if (modalityField != null && !modalityField.equals("image")) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST,
          "modality: \"" + modalityField + "\" is not served: " + modality + " (\"image\")");
    }
    EncodingFormat encoding = encoding(root);
    Integer dimensions = dimensions(root.get("dimensions"));
    if (root.hasNonNull("normalize") && root.hasNonNull("normalized")) {
      throw malformed("normalized", "either normalize or its alias normalized (Jina)", "both");
    }
    String normField = root.hasNonNull("normalized") ? "normalized" : "normalize";
    boolean normalize = optionalBoolean(root, normField, dimensions != null);
    // Asking for dimensions, normalization or a quantized format means a pooled vector.
    boolean shaped = dimensions != null || root.hasNonNull(normField) || encoding.quantized();
    boolean pooled = optionalBoolean(root, "pooled", shaped);
    if (shaped && !pooled) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST,
          "dimensions, normalize and encoding_format "
              + encoding.name().toLowerCase(java.util.Locale.ROOT)
              + " apply to pooled embeddings, and this request sets \"pooled\": false");
    }
    String strategy = optionalText(root, "feature_select_strategy");
    if (strategy != null && !STRATEGIES.contains(strategy)) {
      throw malformed("feature_select_strategy", "one of " + STRATEGIES, "\"" + strategy + "\"");
    }
    FeatureSpec spec =
        new FeatureSpec(
            selectLayers(root.get("select_layers")),
            strategy,
            optionalBoolean(root, "post_layernorm", true),
            pooled);
    return new EmbeddingsRequest(model, images, encoding, spec, dimensions, normalize, urls);
  }

  private List<Integer> selectLayers(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw malformed("select_layers", "an array of integers", abbreviate(node.toString()));
    }
    if (node.isEmpty()) {
      throw malformed("select_layers", "at least one index (or leave it out)", "[]");
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw malformed("select_layers", "integers", abbreviate(n.toString()));
      }
      int layer = n.asInt();
      if (layer < -(numHiddenLayers + 1) || layer > numHiddenLayers) {
        throw malformed(
            "select_layers",
            "hidden-state indices in ["
                + -(numHiddenLayers + 1)
                + ", "
                + numHiddenLayers
                + "] (0 is the embeddings)",
            layer);
      }
      out.add(layer);
    }
    return out;
  }
}
