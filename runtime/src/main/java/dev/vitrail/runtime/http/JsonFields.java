package dev.vitrail.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading and checking single request fields; every problem is a 400 {@link ApiException} naming
 * the field, what it expects and what it found.
 */
final class JsonFields {
  private JsonFields() {}

  static EncodingFormat encoding(JsonNode root) {
    String format = optionalText(root, "encoding_format");
    String alias = optionalText(root, "embedding_type");
    if (format != null && alias != null && !format.equals(alias)) {
      throw malformed("embedding_type", "the same value as encoding_format", "\"" + alias + "\"");
    }
    String name = format != null ? format : alias != null ? alias : "float";
    EncodingFormat encoding = EncodingFormat.of(name);
    if (encoding == null) {
      throw malformed(
          format != null ? "encoding_format" : "embedding_type",
          EncodingFormat.names(),
          "\"" + name + "\"");
    }
    return encoding;
  }

  static Integer dimensions(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw malformed("dimensions", "a positive integer", abbreviate(n.toString()));
    }
    return n.asInt();
  }

  static String optionalText(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw malformed(field, "a string", abbreviate(n.toString()));
    }
    return n.asText();
  }

  static boolean optionalBoolean(JsonNode root, String field, boolean fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw malformed(field, "true or false", abbreviate(n.toString()));
    }
    return n.asBoolean();
  }

  static ApiException malformed(String field, String expected, Object found) {
    return new ApiException(
        ErrorKind.MALFORMED_REQUEST, field + ": expected " + expected + ", found " + found);
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
