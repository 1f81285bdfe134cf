package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.FeatureSpec;
import java.util.List;

/**
 * A parsed {@code POST /v1/embeddings} body.
 *
 * @param model the model asked for, or null for the served one
 * @param images the encoded images (PNG, JPEG, ...) in input order
 * @param format how JSON responses carry the embeddings
 * @param spec which features to return
 * @param dimensions keep the first this many values of each pooled vector, or null for all
 * @param normalize L2-normalize each pooled vector (after truncation)
 */
public record EmbeddingsRequest(
    String model,
    List<byte[]> images,
    EncodingFormat format,
    FeatureSpec spec,
    Integer dimensions,
    boolean normalize) {
  public EmbeddingsRequest {
    images = List.copyOf(images);
  }

  /** A request for the full vectors, as the tower returns them. */
  public EmbeddingsRequest(
      String model, List<byte[]> images, EncodingFormat format, FeatureSpec spec) {
    this(model, images, format, spec, null, false);
  }
}
