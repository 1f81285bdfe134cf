package dev.vitrail.encoders.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reads and checks the JSON fields of one safetensors header entry. */
final class SafetensorsHeaderFields {
  private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SafetensorsHeaderFields() {}

  /** Decodes strict UTF-8 and parses a JSON object (duplicate keys and trailing text rejected). */
  static JsonNode parseJson(byte[] json) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(json))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SafetensorsException("safetensors header is not valid UTF-8", e);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SafetensorsException(
          "safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsException("safetensors header must be a JSON object");
    }
    return root;
  }

  static Map<String, String> metadata(JsonNode node) {
    if (!node.isObject()) {
      throw new SafetensorsException("safetensors __metadata__ must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!f.getValue().isTextual()) {
        throw new SafetensorsException(
            "safetensors __metadata__ value of '"
                + f.getKey()
                + "' must be a string, found "
                + f.getValue().getNodeType());
      }
      out.put(f.getKey(), f.getValue().textValue());
    }
    return Collections.unmodifiableMap(out);
  }

  static SafetensorsHeader.Entry entry(String name, JsonNode node) {
    if (!node.isObject()) {
      throw new SafetensorsException(
          "safetensors entry '" + name + "' must be an object, found " + node.getNodeType());
    }
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!ENTRY_KEYS.contains(f.getKey())) {
        throw new SafetensorsException(
            "safetensors entry '"
                + name
                + "' has unknown key '"
                + f.getKey()
                + "'; expected "
                + ENTRY_KEYS);
      }
    }
    JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw new SafetensorsException("safetensors entry '" + name + "' needs a string dtype");
    }
    long[] shape = longs(name, "shape", node.get("shape"));
    long[] offsets = longs(name, "data_offsets", node.get("data_offsets"));
    if (offsets.length != 2) {
      throw new SafetensorsException(
          "safetensors entry '"
              + name
              + "': data_offsets must be [begin, end], found "
              + Arrays.toString(offsets));
    }
    return new SafetensorsHeader.Entry(name, dtype.textValue(), shape, offsets[0], offsets[1]);
  }

  static void validate(String name, String dtype, long[] shape, long begin, long end) {
    SafetensorsDtype kind;
    try {
      kind = SafetensorsDtype.of(dtype);
    } catch (SafetensorsException e) {
      throw new SafetensorsException("safetensors entry '" + name + "': " + e.getMessage(), e);
    }
    long numel = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new SafetensorsException(
            "safetensors entry '" + name + "' has a negative dimension: " + Arrays.toString(shape));
      }
      numel = multiply(name, numel, d);
    }
    if (begin < 0 || end < begin) {
      throw new SafetensorsException(
          "safetensors entry '"
              + name
              + "' has invalid data_offsets ["
              + begin
              + ", "
              + end
              + "]: need 0 <= begin <= end");
    }
    long bytes = multiply(name, numel, kind.byteSize());
    if (end - begin != bytes) {
      throw new SafetensorsException(
          "safetensors entry '"
              + name
              + "': "
              + dtype
              + " "
              + Arrays.toString(shape)
              + " needs "
              + bytes
              + " bytes, data_offsets ["
              + begin
              + ", "
              + end
              + "] cover "
              + (end - begin));
    }
  }

  private static long multiply(String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new SafetensorsException("safetensors entry '" + name + "' is too large", e);
    }
  }

  private static long[] longs(String name, String key, JsonNode node) {
    if (node == null || !node.isArray()) {
      throw new SafetensorsException(
          "safetensors entry '" + name + "' needs an integer array '" + key + "'");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new SafetensorsException(
            "safetensors entry '"
                + name
                + "': "
                + key
                + "["
                + i
                + "] must be an integer, found "
                + v);
      }
      out[i] = v.longValue();
    }
    return out;
  }
}
