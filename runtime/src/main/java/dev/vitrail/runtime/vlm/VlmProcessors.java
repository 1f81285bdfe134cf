package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.InvalidConfigException;
import dev.vitrail.encoders.preprocess.ImageDecoder;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The consumer's Qwen2-VL image processor: the model directory's {@code preprocessor_config.json}
 * with {@code vitrail.vlm.min-pixels} / {@code max-pixels} put over its {@code min_pixels} / {@code
 * max_pixels} when set (as the consumer's {@code --mm-processor-kwargs} would).
 */
public final class VlmProcessors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private VlmProcessors() {}

  /** The Qwen2-VL style processor for {@code modelDir} under {@code settings}. */
  public static Qwen2VlProcessor forModel(Path modelDir, VlmSettings settings) {
    ImageProcessor p = any(modelDir, settings);
    if (!(p instanceof Qwen2VlProcessor q)) {
      throw new IllegalArgumentException(modelDir + " is not a Qwen2-VL style model");
    }
    return q;
  }

  /** The processor of any family for {@code modelDir} ({@code min/max-pixels} put over it). */
  public static ImageProcessor any(Path modelDir, VlmSettings settings) {
    Path file = modelDir.resolve("preprocessor_config.json");
    ObjectNode pre = MAPPER.createObjectNode();
    if (Files.isRegularFile(file)) {
      try {
        JsonNode n = MAPPER.readTree(file.toFile());
        if (!(n instanceof ObjectNode o)) {
          throw new InvalidConfigException(file + " must hold a JSON object", null);
        }
        pre = o;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    if (settings.minPixels() > 0) {
      pre.put("min_pixels", settings.minPixels());
    }
    if (settings.maxPixels() > 0) {
      pre.put("max_pixels", settings.maxPixels());
    }
    return ImageProcessors.forConfig(
        HfConfigs.read(modelDir), pre, null, ImageDecoder.servingDefaults());
  }
}
