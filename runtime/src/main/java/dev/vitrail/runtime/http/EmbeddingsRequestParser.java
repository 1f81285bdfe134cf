package dev.vitrail.runtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vitrail.encoders.api.FeatureSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates a {@code /v1/embeddings} body. Every problem is an {@link ApiException}
 * naming the field, what it expects and what it found.
 */
public final class EmbeddingsRequestParser {
  /**
   * Strict: trailing data after the object and duplicate keys are errors. Strings may be as long as
   * a body (Jackson's default cap of 20 million characters would refuse images the byte limits
   * allow; the body limit bounds them).
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final Set<String> FIELDS =
      Set.of(
          "model",
          "input",
          "encoding_format",
          "user",
          "select_layers",
          "feature_select_strategy",
          "post_layernorm",
          "pooled");
  private static final Set<String> STRATEGIES = Set.of("class", "default", "full");

  private final long maxImageBytes;
  private final int maxInputs;
  private final int numHiddenLayers;

  /**
   * @param maxImageBytes largest encoded image
   * @param maxInputs most images per request (more is {@link ErrorKind#BODY_TOO_LARGE})
   * @param numHiddenLayers the tower's layer count, bounding {@code select_layers}
   */
  public EmbeddingsRequestParser(long maxImageBytes, int maxInputs, int numHiddenLayers) {
    this.maxImageBytes = maxImageBytes;
    this.maxInputs = maxInputs;
    this.numHiddenLayers = numHiddenLayers;
  }

  /** Parses a JSON body. */
  public EmbeddingsRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST, "body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ApiException(ErrorKind.MALFORMED_REQUEST, "cannot read body: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw malformed(
          "body", "a JSON object", root == null ? "nothing" : root.getNodeType().toString());
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new ApiException(
            ErrorKind.MALFORMED_REQUEST, "unknown field '" + f + "'; known: " + FIELDS);
      }
    }
    String model = optionalText(root, "model");
    List<byte[]> images = images(root.get("input"));
    String format = optionalText(root, "encoding_format");
    EncodingFormat encoding =
        format == null || format.equals("float")
            ? EncodingFormat.FLOAT
            : format.equals("base64") ? EncodingFormat.BASE64 : null;
    if (encoding == null) {
      throw malformed("encoding_format", "\"float\" or \"base64\"", "\"" + format + "\"");
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
            optionalBoolean(root, "pooled", false));
    return new EmbeddingsRequest(model, images, encoding, spec);
  }

  private List<byte[]> images(JsonNode input) {
    if (input == null || input.isNull()) {
      throw malformed("input", "an image or a non-empty array of images", "nothing");
    }
    List<JsonNode> items = new ArrayList<>();
    if (input.isArray()) {
      input.forEach(items::add);
    } else {
      items.add(input);
    }
    if (items.isEmpty()) {
      throw malformed("input", "a non-empty array of images", "[]");
    }
    if (items.size() > maxInputs) {
      throw new ApiException(
          ErrorKind.BODY_TOO_LARGE,
          "input has "
              + items.size()
              + " images; this server takes at most "
              + maxInputs
              + " per request (vitrail.http.max-inputs, vitrail.admission.max-in-flight-items); split it");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(ImageSources.decode(source(items.get(i), i), i, maxImageBytes));
    }
    return out;
  }

  /** A string, or {"type": "image_url", "image_url": {"url": ...} | "..."}. */
  private static String source(JsonNode item, int i) {
    if (item.isTextual()) {
      return item.asText();
    }
    String expected =
        "a base64 string, a data: URL or {\"type\": \"image_url\", \"image_url\": {\"url\": ...}}";
    if (item.isObject()) {
      JsonNode type = item.get("type");
      if (type != null && !"image_url".equals(type.asText())) {
        throw malformed("input[" + i + "].type", "\"image_url\"", type.toString());
      }
      JsonNode url = item.get("image_url");
      if (url != null && url.isObject()) {
        url = url.get("url");
      }
      if (url != null && url.isTextual()) {
        return url.asText();
      }
    }
    throw malformed("input[" + i + "]", expected, abbreviate(item.toString()));
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

  private static String optionalText(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw malformed(field, "a string", abbreviate(n.toString()));
    }
    return n.asText();
  }

  private static boolean optionalBoolean(JsonNode root, String field, boolean fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw malformed(field, "true or false", abbreviate(n.toString()));
    }
    return n.asBoolean();
  }

  private static ApiException malformed(String field, String expected, Object found) {
    return new ApiException(
        ErrorKind.MALFORMED_REQUEST, field + ": expected " + expected + ", found " + found);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
