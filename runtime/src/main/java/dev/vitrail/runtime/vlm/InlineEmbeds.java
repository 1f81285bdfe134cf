package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The chat-completions content part vLLM accepts with {@code --enable-mm-embeds} for a Qwen2-VL
 * style model ({@code vllm/entrypoints/chat_utils.py}, {@code
 * ChatCompletionContentPartImageEmbedsParam}):
 *
 * <pre>{@code
 * {"type": "image_embeds",
 *  "image_embeds": {"image_embeds": "<base64 torch.save of [tokens, hidden] in the LM dtype>",
 *                   "image_grid_thw": "<base64 torch.save of int64 [1, 3]>"},
 *  "uuid": "<key>"}
 * }</pre>
 *
 * A client forwards it as is; no shared file system is needed.
 */
public final class InlineEmbeds {
  private InlineEmbeds() {}

  /** The content part for one image's embeddings, {@code torch.save} serialized. */
  public static ObjectNode contentPart(
      String uuid, float[] embeds, int tokens, int hidden, int[] gridThw, EcDtype dtype) {
    return contentPart(uuid, embeds, tokens, hidden, gridThw, dtype, InlineFormat.TORCH);
  }

  /** The content part for one image's embeddings, serialized in {@code format}. */
  public static ObjectNode contentPart(
      String uuid,
      float[] embeds,
      int tokens,
      int hidden,
      int[] gridThw,
      EcDtype dtype,
      InlineFormat format) {
    if ((long) tokens * hidden != embeds.length) {
      throw new IllegalArgumentException(
          "image_embeds ["
              + tokens
              + ", "
              + hidden
              + "] needs "
              + (long) tokens * hidden
              + " values, got "
              + embeds.length);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode part = JsonNodeFactory.instance.objectNode();
    part.put("type", "image_embeds");
    ObjectNode fields = part.putObject("image_embeds");
    fields.put(
        "image_embeds",
        b64.encodeToString(format.tensor(embeds, new long[] {tokens, hidden}, dtype)));
    fields.put(
        "image_grid_thw",
        b64.encodeToString(
            format.int64(new long[] {gridThw[0], gridThw[1], gridThw[2]}, new long[] {1, 3})));
    part.put("uuid", uuid);
    return part;
  }
}
