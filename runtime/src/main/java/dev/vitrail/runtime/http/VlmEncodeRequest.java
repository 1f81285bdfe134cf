package dev.vitrail.runtime.http;

import dev.vitrail.runtime.vlm.EcDtype;
import dev.vitrail.runtime.vlm.VlmOutput;

/**
 * A parsed {@code /v1/vlm/encode} body.
 *
 * @param images the embeddings-request part: model, encoded images
 * @param output where the embeddings go
 * @param dtype the written dtype
 */
record VlmEncodeRequest(EmbeddingsRequest images, VlmOutput output, EcDtype dtype) {}
