package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.JsonFields.malformed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
 * Parses and validates a {@code /v1/embeddings} body: the JSON, its fields, the image sources
 * ({@link InputItems}, {@link ImageSources}); the options are {@link EmbeddingOptions}'. Every
 * problem is an {@link ApiException} naming the field, what it expects and what it found.
 */
public final class EmbeddingsRequestParser {
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

  private final long maxImageBytes;
  private final int maxInputs;
  private final String modality;
  private final UrlPolicy urls;
  private final EmbeddingOptions options;

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
    this.modality = modality;
    this.urls = urls;
    this.options = new EmbeddingOptions(numHiddenLayers, modality);
  }

  /** Parses a JSON body. */
  public EmbeddingsRequest parse(byte[] body) {
    return parse(readTree(body));
  }

  /** The JSON tree of a body, read strictly ({@link JsonBodies#STRICT}); a 400 naming the error. */
  static JsonNode readTree(byte[] body) {
    try {
      return JsonBodies.readTree(JsonBodies.STRICT, body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST, "body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ApiException(ErrorKind.MALFORMED_REQUEST, "cannot read body: " + e.getMessage(), e);
    }
  }

  /** Parses a body already read as a tree by {@link #readTree}. */
  EmbeddingsRequest parse(JsonNode root) {
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
    Sources sources = sources(root.get("input"), root.get("messages"));
    return options.build(root, sources.images(), sources.urls());
  }

  /**
   * A request from already-decoded images and the option fields of {@code root} (any field but
   * {@code input} and {@code messages}), validated as {@link #parse} does; {@code POST /v1/encode}
   * passes its query parameters this way.
   */
  EmbeddingsRequest options(JsonNode root, List<byte[]> images) {
    onlyOptions(root);
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
    return options.build(root, images, Map.of());
  }

  /** Inline image bytes (a placeholder where an input is a URL) and the URLs to fetch. */
  private record Sources(List<byte[]> images, Map<Integer, URI> urls) {}

  /**
   * The feature options of a request without images ({@code POST /v1/video}'s query parameters),
   * validated as {@link #options} does.
   */
  EmbeddingsRequest videoOptions(JsonNode root) {
    onlyOptions(root);
    return options.build(root, List.of(), Map.of());
  }

  private static void onlyOptions(JsonNode root) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f) || f.equals("input") || f.equals("messages")) {
        throw new ApiException(ErrorKind.MALFORMED_REQUEST, "unknown option '" + f + "'");
      }
    }
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
}
