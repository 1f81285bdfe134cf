package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code POST /v1/embeddings} body.
 *
 * @param model the model asked for, or null for the served one
 * @param images the encoded images (PNG, JPEG, ...) in input order; an input that is a URL to fetch
 *     holds an empty array until {@link #withFetched} fills it
 * @param format how JSON responses carry the embeddings
 * @param spec which features to return
 * @param dimensions keep the first this many values of each pooled vector, or null for all
 * @param normalize L2-normalize each pooled vector (after truncation)
 * @param urls the inputs that are URLs to fetch, by input index (empty when none)
 */
public record EmbeddingsRequest(
    String model,
    List<byte[]> images,
    EncodingFormat format,
    FeatureSpec spec,
    Integer dimensions,
    boolean normalize,
    Map<Integer, URI> urls) {
  public EmbeddingsRequest {
    images = List.copyOf(images);
    urls = Map.copyOf(urls);
  }

  /** A request with no URLs to fetch. */
  public EmbeddingsRequest(
      String model,
      List<byte[]> images,
      EncodingFormat format,
      FeatureSpec spec,
      Integer dimensions,
      boolean normalize) {
    this(model, images, format, spec, dimensions, normalize, Map.of());
  }

  /** A request for the full vectors, as the tower returns them. */
  public EmbeddingsRequest(
      String model, List<byte[]> images, EncodingFormat format, FeatureSpec spec) {
    this(model, images, format, spec, null, false);
  }

  /** This request with the fetched bytes of its URL inputs in place (and no URLs left). */
  public EmbeddingsRequest withFetched(Map<Integer, byte[]> fetched) {
    List<byte[]> all = new ArrayList<>(images);
    fetched.forEach(all::set);
    return new EmbeddingsRequest(model, all, format, spec, dimensions, normalize, Map.of());
  }
}
