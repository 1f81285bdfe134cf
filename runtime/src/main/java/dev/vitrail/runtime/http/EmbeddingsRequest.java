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
 */
public record EmbeddingsRequest(
    String model, List<byte[]> images, EncodingFormat format, FeatureSpec spec) {
  public EmbeddingsRequest {
    images = List.copyOf(images);
  }
}
