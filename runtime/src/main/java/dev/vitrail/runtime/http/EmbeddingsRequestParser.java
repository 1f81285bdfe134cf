package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.JsonFields.abbreviate;
import static dev.vitrail.runtime.http.JsonFields.dimensions;
import static dev.vitrail.runtime.http.JsonFields.encoding;
import static dev.vitrail.runtime.http.JsonFields.malformed;
import static dev.vitrail.runtime.http.JsonFields.optionalBoolean;
import static dev.vitrail.runtime.http.JsonFields.optionalText;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.runtime.fetch.UrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
          "pooled",
          "dimensions",
          "normalize",
          "messages",
          "modality",
          "embedding_type",
          "normalized");
  private static final Set<String> STRATEGIES = Set.of("class", "default", "full");

  private final long maxImageBytes;
  private final int maxInputs;
  private final int numHiddenLayers;
  private final String modality;
  private final UrlPolicy urls;

  /**
   * @param maxImageBytes largest encoded image
   * @param maxInputs most images per request (more is {@link ErrorKind#BODY_TOO_LARGE})
   * @param numHiddenLayers the tower's layer count, bounding {@code select_layers}
   */
  public EmbeddingsRequestParser(long maxImageBytes, int maxInputs, int numHiddenLayers) {
    this(maxImageBytes, maxInputs, numHiddenLayers, "this server embeds images only");
  }

  /**
   * @param modality what the served model embeds, named when text is refused (e.g. {@code "model
   *     'clip-tiny' (clip) embeds images only"})
   */
  public EmbeddingsRequestParser(
      long maxImageBytes, int maxInputs, int numHiddenLayers, String modality) {
    this(maxImageBytes, maxInputs, numHiddenLayers, modality, null);
  }

  /**
   * @param urls the allow-list of URL inputs to fetch, checked here before anything is admitted;
   *     null when this server fetches no URLs
   */
  public EmbeddingsRequestParser(
      long maxImageBytes, int maxInputs, int numHiddenLayers, String modality, UrlPolicy urls) {
    this.maxImageBytes = maxImageBytes;
    this.maxInputs = maxInputs;
    this.numHiddenLayers = numHiddenLayers;
    this.modality = modality;
    this.urls = urls;
  }

  /** Parses a JSON body. */
  public EmbeddingsRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = JsonBodies.readTree(MAPPER, body);
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
    return build(root, sources(root.get("input"), root.get("messages")));
  }

  /**
   * A request from already-decoded images and the option fields of {@code root} (any field but
   * {@code input} and {@code messages}), validated as {@link #parse} does; {@code POST /v1/encode}
   * passes its query parameters this way.
   */
  EmbeddingsRequest options(JsonNode root, List<byte[]> images) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f) || f.equals("input") || f.equals("messages")) {
        throw new ApiException(ErrorKind.MALFORMED_REQUEST, "unknown option '" + f + "'");
      }
    }
    if (images.isEmpty()) {
      throw malformed("body", "at least one image", "none");
    }
    if (images.size() > maxInputs) {
      throw new ApiException(
          ErrorKind.BODY_TOO_LARGE,
          "the body has "
              + images.size()
              + " images; this server takes at most "
              + maxInputs
              + " per request; split it");
    }
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i).length > maxImageBytes) {
        throw new ApiException(
            ErrorKind.IMAGE_TOO_LARGE,
            "image "
                + i
                + " has "
                + images.get(i).length
                + " bytes; the limit is vitrail.http.max-image-bytes = "
                + maxImageBytes);
      }
      if (images.get(i).length == 0) {
        throw new ApiException(ErrorKind.INVALID_IMAGE, "image " + i + ": image data is empty");
      }
    }
    return build(root, new Sources(images, Map.of()));
  }

  /** Inline image bytes (a placeholder where an input is a URL) and the URLs to fetch. */
  private record Sources(List<byte[]> images, Map<Integer, URI> urls) {}

  /**
   * The feature options of a request without images ({@code POST /v1/video}'s query parameters),
   * validated as {@link #options} does.
   */
  EmbeddingsRequest videoOptions(JsonNode root) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f) || f.equals("input") || f.equals("messages")) {
        throw new ApiException(ErrorKind.MALFORMED_REQUEST, "unknown option '" + f + "'");
      }
    }
    return build(root, new Sources(List.of(), Map.of()));
  }

  private EmbeddingsRequest build(JsonNode root, Sources sources) {
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
    return new EmbeddingsRequest(
        model, sources.images(), encoding, spec, dimensions, normalize, sources.urls());
  }

  private Sources sources(JsonNode input, JsonNode messages) {
    List<String> sources = InputItems.sources(input, messages, modality);
    if (sources.size() > maxInputs) {
      throw new ApiException(
          ErrorKind.BODY_TOO_LARGE,
          "input has "
              + sources.size()
              + " images; this server takes at most "
              + maxInputs
              + " per request (vitrail.http.max-inputs, vitrail.admission.max-in-flight-items); split it");
    }
    List<byte[]> out = new ArrayList<>();
    Map<Integer, URI> remote = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      URI url = urls == null ? null : ImageSources.url(sources.get(i), i, urls);
      if (url != null) {
        remote.put(i, url);
        out.add(new byte[0]);
      } else {
        out.add(ImageSources.decode(sources.get(i), i, maxImageBytes));
      }
    }
    return new Sources(out, remote);
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
