package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of optional {@code config.json} fields with HuggingFace's defaults. */
final class JsonFields {
  private JsonFields() {}

  static int intOr(JsonNode node, String field, int fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new InvalidConfigException("config field '" + field + "' must be an integer, got " + v);
    }
    return v.intValue();
  }

  static double doubleOr(JsonNode node, String field, double fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new InvalidConfigException("config field '" + field + "' must be a number, got " + v);
    }
    return v.doubleValue();
  }

  static String stringOr(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new InvalidConfigException("config field '" + field + "' must be a string, got " + v);
    }
    return v.textValue();
  }

  static boolean boolOr(JsonNode node, String field, boolean fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new InvalidConfigException("config field '" + field + "' must be a boolean, got " + v);
    }
    return v.booleanValue();
  }

  static int[] intsOr(JsonNode node, String field, int[] fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback.clone();
    }
    if (!v.isArray()) {
      throw new InvalidConfigException("config field '" + field + "' must be a list, got " + v);
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isIntegralNumber()) {
        throw new InvalidConfigException(
            "config field '" + field + "' must hold integers, got " + v);
      }
      out[i] = v.get(i).intValue();
    }
    return out;
  }

  static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new InvalidConfigException("config field '" + field + "' must be > 0, got " + value);
    }
  }
}
