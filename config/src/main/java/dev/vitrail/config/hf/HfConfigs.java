package dev.vitrail.config.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a HuggingFace {@code config.json} and picks the vision family from {@code model_type}. */
public final class HfConfigs {
  /** The {@code model_type} values Vitrail reads, as listed in errors. */
  public static final List<String> SUPPORTED_MODEL_TYPES =
      List.of(
          "clip_vision_model",
          "clip",
          "siglip_vision_model",
          "siglip",
          "qwen2_5_vl",
          "pixtral",
          "kimi_k25",
          "qwen3_vl",
          "qwen3_vl_moe",
          "siglip2",
          "siglip2_vision_model",
          "llava (with a pixtral vision_config)");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HfConfigs() {}

  /** Reads {@code config.json} in a model directory, or the file itself when given one. */
  public static VisionConfig read(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
    try {
      return parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException("no config.json at " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses the text of a {@code config.json}. */
  public static VisionConfig parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          "config.json is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidConfigException("config.json must hold a JSON object");
    }
    return fromJson(root);
  }

  /** Dispatches on {@code model_type}; an unknown type lists the supported ones. */
  public static VisionConfig fromJson(JsonNode root) {
    String type = JsonFields.stringOr(root, "model_type", null);
    if (type == null) {
      throw new InvalidConfigException(
          "config.json has no model_type; supported model types: "
              + String.join(", ", SUPPORTED_MODEL_TYPES));
    }
    return switch (type) {
      case "clip_vision_model" -> ClipVisionConfig.fromJson(root);
      case "clip" -> ClipVisionConfig.fromJson(section(root, "vision_config"));
      case "siglip_vision_model" -> SiglipVisionConfig.fromJson(root);
      case "siglip" -> SiglipVisionConfig.fromJson(section(root, "vision_config"));
      case "qwen2_5_vl" -> Qwen25VisionConfig.fromJson(section(root, "vision_config"));
      case "pixtral" -> PixtralVisionConfig.fromJson(root);
      case "llava" -> llava(root);
      case "siglip2" -> Siglip2VisionConfig.fromJson(section(root, "vision_config"));
      case "siglip2_vision_model" -> Siglip2VisionConfig.fromJson(root);
      case "qwen3_vl", "qwen3_vl_moe" ->
          Qwen3VlVisionConfig.fromJson(section(root, "vision_config"));
      case "kimi_k25" -> KimiK25VisionConfig.fromJson(root, section(root, "vision_config"));
      default -> throw new UnsupportedModelException(type, SUPPORTED_MODEL_TYPES);
    };
  }

  private static VisionConfig llava(JsonNode root) {
    JsonNode vision = section(root, "vision_config");
    String visionType = JsonFields.stringOr(vision, "model_type", null);
    if (!"pixtral".equals(visionType)) {
      throw new UnsupportedModelException("llava/" + visionType, SUPPORTED_MODEL_TYPES);
    }
    return PixtralVisionConfig.fromJson(vision);
  }

  private static JsonNode section(JsonNode root, String name) {
    JsonNode s = root.get(name);
    if (s == null || !s.isObject()) {
      throw new InvalidConfigException(
          "config.json of model_type '" + root.path("model_type").asText() + "' has no " + name);
    }
    return s;
  }
}
