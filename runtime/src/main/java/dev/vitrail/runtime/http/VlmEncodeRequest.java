package dev.vitrail.runtime.http;

import dev.vitrail.runtime.vlm.EcDtype;
import dev.vitrail.runtime.vlm.InlineFormat;
import dev.vitrail.runtime.vlm.VlmOutput;

/**
 * A parsed {@code /v1/vlm/encode} body.
 *
 * @param images the embeddings-request part: model, encoded images
 * @param output where the embeddings go
 * @param dtype the written dtype
 * @param format how inline tensors are serialized ({@code torch} or {@code npy})
 */
record VlmEncodeRequest(
    EmbeddingsRequest images, VlmOutput output, EcDtype dtype, InlineFormat format) {}
