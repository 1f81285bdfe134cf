package dev.vitrail.encoders.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vitrail.config.hf.InvalidConfigException;

/**
 * Typed reads of a {@code preprocessor_config.json}; absent fields fall back to the caller's family
 * default, wrong types are an {@link InvalidConfigException} naming the field.
 */
final class PreprocessorConfig {
  private final JsonNode root;

  PreprocessorConfig(JsonNode root) {
    if (root != null && !root.isObject()) {
      throw new InvalidConfigException("preprocessor_config.json must hold a JSON object");
    }
    this.root = root == null ? JsonNodeFactory.instance.objectNode() : root;
  }

  JsonNode get(String field) {
    JsonNode v = root.get(field);
    return v == null || v.isNull() ? null : v;
  }

  int intOr(String field, int fallback) {
    return intOf(field, get(field), fallback);
  }

  long longOr(String field, long fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber()) {
      throw wrong(field, "an integer", v);
    }
    return v.longValue();
  }

  boolean boolOr(String field, boolean fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw wrong(field, "a boolean", v);
    }
    return v.booleanValue();
  }

  /** An int field, or the int {@code key} of an object field (e.g. {@code size.shortest_edge}). */
  int sizeOr(String field, String key, int fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (v.isObject()) {
      return intOf(field + "." + key, v.get(key), fallback);
    }
    return intOf(field, v, fallback);
  }

  /** The filter of {@code resample} (a PIL code), bicubic when absent. */
  ResampleFilter filter() {
    return filterOr(ResampleFilter.BICUBIC);
  }

  /** The filter of {@code resample} (a PIL code), {@code fallback} when absent. */
  ResampleFilter filterOr(ResampleFilter fallback) {
    int code = intOr("resample", fallback == ResampleFilter.BILINEAR ? 2 : 3);
    try {
      return ResampleFilter.fromPilCode(code);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("preprocessor_config.json: " + e.getMessage(), e);
    }
  }

  /** Rescale and normalize settings with the family's mean and std as defaults. */
  Normalization normalization(double[] mean, double[] std) {
    return new Normalization(
        boolOr("do_rescale", true),
        doubleOr("rescale_factor", 1.0 / 255.0),
        boolOr("do_normalize", true),
        triple("image_mean", mean),
        triple("image_std", std));
  }

  void requireResize() {
    if (!boolOr("do_resize", true)) {
      throw new InvalidConfigException(
          "preprocessor_config.json: do_resize=false is not supported (the towers need fixed or"
              + " patch-aligned sizes)");
    }
  }

  private double doubleOr(String field, double fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw wrong(field, "a number", v);
    }
    return v.doubleValue();
  }

  private double[] triple(String field, double[] fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback.clone();
    }
    if (v.isNumber()) {
      return new double[] {v.doubleValue(), v.doubleValue(), v.doubleValue()};
    }
    if (!v.isArray() || v.size() != 3) {
      throw wrong(field, "3 numbers", v);
    }
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      if (!v.get(i).isNumber()) {
        throw wrong(field, "3 numbers", v);
      }
      out[i] = v.get(i).doubleValue();
    }
    return out;
  }

  private static int intOf(String field, JsonNode v, int fallback) {
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrong(field, "an integer", v);
    }
    return v.intValue();
  }

  private static InvalidConfigException wrong(String field, String expected, JsonNode found) {
    return new InvalidConfigException(
        "preprocessor_config.json field '" + field + "' must be " + expected + ", got " + found);
  }
}
