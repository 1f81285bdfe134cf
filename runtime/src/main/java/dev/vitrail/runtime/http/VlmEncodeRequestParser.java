package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.runtime.vlm.EcDtype;
import dev.vitrail.runtime.vlm.InlineFormat;
import dev.vitrail.runtime.vlm.VlmOutput;
import java.util.Locale;
import java.util.Set;

/**
 * Parses a {@code /v1/vlm/encode} body: its own fields ({@code output}, {@code dtype}) here, the
 * rest ({@code model}, {@code input}, limits, unknown fields) by {@link EmbeddingsRequestParser},
 * so that both endpoints take images and fail alike. Feature-selection fields are refused: the tier
 * always returns the language-model-ready embeddings.
 */
final class VlmEncodeRequestParser {
  private static final Set<String> REFUSED =
      Set.of(
          "select_layers",
          "feature_select_strategy",
          "post_layernorm",
          "pooled",
          "encoding_format");
  private final EmbeddingsRequestParser images;
  private final boolean hasStorage;
  private final String inlineRefusal;
  private final EcDtype defaultDtype;

  /**
   * @param images the embeddings parser (image limits)
   * @param hasStorage whether an EC directory is configured (default output {@code ec}, else {@code
   *     inline})
   * @param defaultDtype {@code vitrail.vlm.dtype}
   */
  VlmEncodeRequestParser(EmbeddingsRequestParser images, boolean hasStorage, EcDtype defaultDtype) {
    this(images, hasStorage, null, defaultDtype);
  }

  /**
   * @param inlineRefusal why the model's consumer takes no inline embeddings (null: it does)
   */
  VlmEncodeRequestParser(
      EmbeddingsRequestParser images,
      boolean hasStorage,
      String inlineRefusal,
      EcDtype defaultDtype) {
    this.images = images;
    this.hasStorage = hasStorage;
    this.inlineRefusal = inlineRefusal;
    this.defaultDtype = defaultDtype;
  }

  VlmEncodeRequest parse(byte[] body) {
    JsonNode root = EmbeddingsRequestParser.readTree(body);
    if (!(root instanceof ObjectNode obj)) {
      images.parse(root); // names what the body is instead
      throw new ApiException(ErrorKind.MALFORMED_REQUEST, "body: expected a JSON object");
    }
    for (String f : REFUSED) {
      if (obj.has(f)) {
        throw new ApiException(
            ErrorKind.MALFORMED_REQUEST,
            f
                + ": not accepted on /v1/vlm/encode (it always returns the language-model embeddings)");
      }
    }
    VlmOutput output = hasStorage ? VlmOutput.EC : VlmOutput.INLINE;
    EcDtype dtype = defaultDtype;
    InlineFormat format = InlineFormat.TORCH;
    try {
      JsonNode o = obj.remove("output");
      if (o != null && !o.isNull()) {
        output = VlmOutput.of(o.isTextual() ? o.asText() : o.toString());
      }
      JsonNode d = obj.remove("dtype");
      if (d != null && !d.isNull()) {
        dtype = EcDtype.of(d.isTextual() ? d.asText() : d.toString());
      }
      JsonNode f = obj.remove("format");
      if (f != null && !f.isNull()) {
        format = InlineFormat.of(f.isTextual() ? f.asText() : f.toString());
      }
      if (output.inline()) {
        format.check(dtype);
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorKind.MALFORMED_REQUEST, e.getMessage(), e);
    }
    if (output.ec() && !hasStorage) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST,
          "output: \""
              + output.name().toLowerCase(Locale.ROOT)
              + "\" needs vitrail.vlm.ec-storage, which this server does not set; ask for"
              + " \"inline\"");
    }
    if (output.inline() && inlineRefusal != null) {
      throw new ApiException(ErrorKind.MALFORMED_REQUEST, "output: " + inlineRefusal);
    }
    return new VlmEncodeRequest(images.parse(obj), output, dtype, format);
  }
}
