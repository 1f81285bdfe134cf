package dev.vitrail.encoders.info;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.InvalidConfigException;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Token-count arithmetic of a vision encoder, as vLLM's {@code VisionEncoderInfo}: how many
 * embeddings the tower returns for an image of a given size.
 */
public sealed interface VisionEncoderInfo
    permits ClipEncoderInfo,
        SiglipEncoderInfo,
        PixtralEncoderInfo,
        Qwen2VlEncoderInfo,
        KimiK25EncoderInfo,
        Siglip2EncoderInfo {

  /** Embeddings the tower returns for one image of this size (in pixels, before resizing). */
  long numImageTokens(int imageWidth, int imageHeight);

  /** Side of one token's square of pixels as the token count sees it (merges included). */
  int patchSize();

  /**
   * vLLM's {@code get_vision_encoder_info}: the info for the vision family of a HuggingFace {@code
   * config.json} (in a model directory, or the file itself). Supported: CLIP, SigLIP, Pixtral
   * (alone or in LLaVA; a top-level {@code spatial_merge_size} is honoured) and Qwen2.5-VL (with
   * the published processor's pixel bounds, {@link Qwen2VlEncoderInfo#QWEN25_MIN_PIXELS} and {@link
   * Qwen2VlEncoderInfo#QWEN25_MAX_PIXELS}). Any other {@code model_type} is an error listing the
   * supported ones.
   */
  static VisionEncoderInfo fromConfigDir(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try {
      return fromConfig(new ObjectMapper().readTree(text));
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * vLLM's {@code get_vision_encoder_info} on a parsed {@code config.json} root; see {@link
   * #fromConfigDir}.
   */
  static VisionEncoderInfo fromConfig(JsonNode configRoot) {
    VisionConfig vision = HfConfigs.fromJson(configRoot);
    if (vision instanceof ClipVisionConfig c) {
      return new ClipEncoderInfo(c.imageSize(), c.patchSize());
    }
    if (vision instanceof SiglipVisionConfig s) {
      return new SiglipEncoderInfo(s.imageSize(), s.patchSize());
    }
    if (vision instanceof PixtralVisionConfig p) {
      JsonNode merge = configRoot.get("spatial_merge_size");
      int m = merge == null || merge.isNull() ? 1 : merge.intValue();
      return new PixtralEncoderInfo(p.imageSize(), p.patchSize(), m);
    }
    if (vision instanceof Siglip2VisionConfig s2) {
      return new Siglip2EncoderInfo(s2.patchSize(), Siglip2EncoderInfo.DEFAULT_MAX_NUM_PATCHES);
    }
    if (vision instanceof KimiK25VisionConfig k) {
      return new KimiK25EncoderInfo(
          k.patchSize(),
          k.mergeKernel()[0],
          KimiK25EncoderInfo.DEFAULT_IN_PATCH_LIMIT,
          KimiK25EncoderInfo.DEFAULT_PATCH_LIMIT_ON_ONE_SIDE);
    }
    if (vision instanceof Qwen3VlVisionConfig q3) {
      // Qwen3-VL's published processor: size {shortest_edge 65536, longest_edge 16777216} pixels.
      return new Qwen2VlEncoderInfo(
          q3.patchSize(), q3.spatialMergeSize(), q3.temporalPatchSize(), 65_536, 16_777_216);
    }
    Qwen25VisionConfig q = (Qwen25VisionConfig) vision;
    return new Qwen2VlEncoderInfo(
        q.patchSize(),
        q.spatialMergeSize(),
        q.temporalPatchSize(),
        Qwen2VlEncoderInfo.QWEN25_MIN_PIXELS,
        Qwen2VlEncoderInfo.QWEN25_MAX_PIXELS);
  }
}
