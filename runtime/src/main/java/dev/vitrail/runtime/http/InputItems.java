package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flattens the image request shapes clients send into image sources (data URL or base64 strings),
 * in order: strings; OpenAI/vLLM content parts {@code {"type": "image_url", "image_url": {"url"} |
 * "..."}} and {@code {"type": "image", "image": "..."}}; Jina-style {@code {"image": "..."}}; and
 * chat messages {@code {"role", "content": [parts]}} (as {@code input} items or vLLM's {@code
 * messages}). Text (a text part, a {@code "text"} item, or a string that cannot be an image) is
 * refused with a 400 naming the served model's modality.
 */
final class InputItems {
  /**
   * A string with a space, or too short to hold any image (the smallest PNG is 90 base64
   * characters), is text; anything else is decoded as an image (a 422 when it is none).
   */
  /** Text, not an image: a string with a space, or too short for any encoded image. */
  private static boolean looksLikeText(String s) {
    return s.length() <= 31 || s.indexOf(' ') >= 0;
  }

  private static final String SHAPES =
      "a data: URL, a base64 string, {\"type\": \"image_url\", \"image_url\": {\"url\": ...}},"
          + " {\"type\": \"image\", \"image\": ...}, {\"image\": ...} or a message whose content"
          + " holds such parts";

  private final String modality;
  private final List<String> out = new ArrayList<>();

  private InputItems(String modality) {
    this.modality = modality;
  }

  /**
   * The image sources of {@code input} (an item or an array of items) or of {@code messages} (an
   * array of messages); exactly one of them must be present.
   *
   * @param modality what the served model embeds, for the text error (e.g. "model 'x' (clip) embeds
   *     images only")
   */
  static List<String> sources(JsonNode input, JsonNode messages, String modality) {
    InputItems items = new InputItems(modality);
    boolean hasInput = input != null && !input.isNull();
    boolean hasMessages = messages != null && !messages.isNull();
    if (hasInput == hasMessages) {
      throw malformed(
          "input",
          "exactly one of 'input' and 'messages'",
          hasInput ? "both" : "neither (nothing to embed)");
    }
    if (hasMessages) {
      if (!messages.isArray() || messages.isEmpty()) {
        throw malformed("messages", "a non-empty array of messages", abbreviate(messages));
      }
      for (int i = 0; i < messages.size(); i++) {
        items.message(messages.get(i), "messages[" + i + "]");
      }
    } else if (input.isArray()) {
      if (input.isEmpty()) {
        throw malformed("input", "a non-empty array of images", "[]");
      }
      for (int i = 0; i < input.size(); i++) {
        items.item(input.get(i), "input[" + i + "]");
      }
    } else {
      items.item(input, "input[0]");
    }
    if (items.out.isEmpty()) {
      throw malformed(hasInput ? "input" : "messages", "at least one image", "none");
    }
    return items.out;
  }

  private void item(JsonNode item, String where) {
    if (item.isTextual()) {
      String s = item.asText();
      // Only the scheme is looked at: an image string is megabytes (lower-casing or matching a
      // pattern over all of it took most of a 5.8 MB request's parse time).
      String start = s.stripLeading();
      String lower = start.substring(0, Math.min(start.length(), 8)).toLowerCase(Locale.ROOT);
      if (!lower.startsWith("data:")
          && !lower.startsWith("http://")
          && !lower.startsWith("https://")
          && !lower.startsWith("file:")
          && looksLikeText(s.strip())) {
        throw text(where, "a string that is not a data: URL or base64 image");
      }
      out.add(s);
      return;
    }
    if (!item.isObject()) {
      throw malformed(where, SHAPES, abbreviate(item));
    }
    if (item.has("role") || item.has("content")) {
      message(item, where);
      return;
    }
    JsonNode type = item.get("type");
    String t = type == null ? null : type.asText();
    if ("text".equals(t) || (t == null && item.has("text"))) {
      throw text(where, "a text part");
    }
    JsonNode source;
    if ("image_url".equals(t) || (t == null && item.has("image_url"))) {
      source = item.get("image_url");
      if (source != null && source.isObject()) {
        source = source.get("url");
      }
    } else if ("image".equals(t) || (t == null && item.has("image"))) {
      source = item.has("image") ? item.get("image") : item.get("url");
    } else {
      throw malformed(where + ".type", "\"image_url\" or \"image\"", abbreviate(item));
    }
    if (source == null || !source.isTextual()) {
      throw malformed(where, SHAPES, abbreviate(item));
    }
    out.add(source.asText());
  }

  private void message(JsonNode message, String where) {
    JsonNode content = message.isObject() ? message.get("content") : null;
    if (content == null || content.isNull()) {
      throw malformed(where, "a message {\"role\", \"content\": [parts]}", abbreviate(message));
    }
    if (content.isTextual()) {
      throw text(where + ".content", "a text message");
    }
    if (!content.isArray()) {
      throw malformed(where + ".content", "an array of content parts", abbreviate(content));
    }
    for (int i = 0; i < content.size(); i++) {
      item(content.get(i), where + ".content[" + i + "]");
    }
  }

  private ApiException text(String where, String what) {
    return new ApiException(
        ErrorKind.MALFORMED_REQUEST,
        where
            + ": "
            + what
            + " is text, and "
            + modality
            + "; send images as "
            + SHAPES.replace(" or a message whose content holds such parts", ""));
  }

  static ApiException malformed(String field, String expected, Object found) {
    return new ApiException(
        ErrorKind.MALFORMED_REQUEST, field + ": expected " + expected + ", found " + found);
  }

  static String abbreviate(Object node) {
    String s = String.valueOf(node);
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
