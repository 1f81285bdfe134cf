package dev.vitrail.encoders.preprocess;

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
import dev.vitrail.config.hf.UnsupportedModelException;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.info.KimiK25EncoderInfo;
import dev.vitrail.encoders.info.Siglip2EncoderInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the processor for a model: the family comes from {@code config.json}, the settings from
 * {@code preprocessor_config.json} when the directory has one, else the family's defaults.
 */
public final class ImageProcessors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ImageProcessors() {}

  /** The processor for a model directory, with the serving decoder defaults. */
  public static ImageProcessor forModel(Path modelDir) {
    return forModel(modelDir, ImageDecoder.servingDefaults());
  }

  /** The processor for a model directory with the given decoder. */
  public static ImageProcessor forModel(Path modelDir, ImageDecoder decoder) {
    VisionConfig vision = HfConfigs.read(modelDir);
    JsonNode pre = readOptional(modelDir.resolve("preprocessor_config.json"));
    JsonNode video = readOptional(modelDir.resolve("video_preprocessor_config.json"));
    return forConfig(vision, pre, video, decoder);
  }

  /**
   * The processor for a vision config and an optional parsed {@code preprocessor_config.json}
   * (null: family defaults).
   */
  public static ImageProcessor forConfig(
      VisionConfig vision, JsonNode preprocessor, ImageDecoder decoder) {
    return forConfig(vision, preprocessor, null, decoder);
  }

  private static JsonNode readOptional(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return MAPPER.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidConfigException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * As {@link #forConfig(VisionConfig, JsonNode, ImageDecoder)}, with an optional parsed {@code
   * video_preprocessor_config.json} whose pixel bounds Qwen2-VL uses for video clips.
   */
  public static ImageProcessor forConfig(
      VisionConfig vision,
      JsonNode preprocessor,
      JsonNode videoPreprocessor,
      ImageDecoder decoder) {
    PreprocessorConfig pre = new PreprocessorConfig(preprocessor);
    pre.requireResize();
    if (vision instanceof ClipVisionConfig c) {
      JsonNode size = pre.get("size");
      if (size != null && size.isObject() && !size.has("shortest_edge")) {
        throw new InvalidConfigException(
            "preprocessor_config.json: CLIP size "
                + size
                + " is not supported; expected {\"shortest_edge\": N} or N");
      }
      int edge = pre.sizeOr("size", "shortest_edge", c.imageSize());
      int cropH = pre.sizeOr("crop_size", "height", c.imageSize());
      int cropW = pre.sizeOr("crop_size", "width", cropH);
      return new ClipProcessor(
          new ClipSettings(
              edge,
              pre.boolOr("do_center_crop", true),
              cropH,
              cropW,
              pre.filter(),
              pre.normalization(Normalization.OPENAI_CLIP_MEAN, Normalization.OPENAI_CLIP_STD)),
          decoder);
    }
    if (vision instanceof SiglipVisionConfig s) {
      int h = pre.sizeOr("size", "height", s.imageSize());
      int w = pre.sizeOr("size", "width", h);
      double[] half = {0.5, 0.5, 0.5};
      return new SiglipProcessor(
          new SiglipSettings(h, w, pre.filter(), pre.normalization(half, half)), decoder);
    }
    if (vision instanceof KimiK25VisionConfig k) {
      JsonNode media = pre.get("media_proc_cfg");
      PreprocessorConfig m =
          media != null && media.isObject() ? new PreprocessorConfig(media) : pre;
      double[] half = {0.5, 0.5, 0.5};
      return new KimiK25Processor(
          new KimiK25Settings(
              m.intOr("patch_size", k.patchSize()),
              k.mergeKernel()[0],
              m.longOr("in_patch_limit", KimiK25EncoderInfo.DEFAULT_IN_PATCH_LIMIT),
              m.intOr(
                  "patch_limit_on_one_side", KimiK25EncoderInfo.DEFAULT_PATCH_LIMIT_ON_ONE_SIDE),
              m.normalization(half, half)),
          decoder);
    }
    if (vision instanceof Siglip2VisionConfig s2) {
      double[] half = {0.5, 0.5, 0.5};
      return new Siglip2Processor(
          new Siglip2Settings(
              pre.intOr("patch_size", s2.patchSize()),
              pre.intOr("max_num_patches", Siglip2EncoderInfo.DEFAULT_MAX_NUM_PATCHES),
              pre.filterOr(ResampleFilter.BILINEAR),
              pre.normalization(half, half)),
          decoder);
    }
    if (vision instanceof Qwen3VlVisionConfig q3) {
      // Qwen3-VL ships Qwen2-VL's image processor with size {shortest_edge 65536, longest_edge
      // 16777216}, patch 16 and mean = std = 0.5; a video_preprocessor_config.json overrides the
      // bounds for clips.
      long minPx = pre.longOr("min_pixels", pre.sizeOr("size", "shortest_edge", 65_536));
      long maxPx = pre.longOr("max_pixels", pre.sizeOr("size", "longest_edge", 16_777_216));
      PreprocessorConfig vid = new PreprocessorConfig(videoPreprocessor);
      double[] half = {0.5, 0.5, 0.5};
      return new Qwen2VlProcessor(
          new Qwen2VlSettings(
              pre.intOr("patch_size", q3.patchSize()),
              pre.intOr("merge_size", q3.spatialMergeSize()),
              pre.intOr("temporal_patch_size", q3.temporalPatchSize()),
              minPx,
              maxPx,
              vid.longOr("min_pixels", vid.sizeOr("size", "shortest_edge", (int) minPx)),
              vid.longOr("max_pixels", vid.sizeOr("size", "longest_edge", (int) maxPx)),
              pre.filter(),
              pre.normalization(half, half)),
          decoder);
    }
    if (vision instanceof Qwen25VisionConfig q) {
      long minPx =
          pre.longOr(
              "min_pixels",
              pre.sizeOr("size", "shortest_edge", (int) Qwen2VlSettings.DEFAULT_MIN_PIXELS));
      long maxPx =
          pre.longOr(
              "max_pixels",
              pre.sizeOr("size", "longest_edge", (int) Qwen2VlSettings.DEFAULT_MAX_PIXELS));
      PreprocessorConfig vid = new PreprocessorConfig(videoPreprocessor);
      long videoMin =
          vid.longOr(
              "min_pixels",
              vid.sizeOr("size", "shortest_edge", (int) Qwen2VlSettings.DEFAULT_VIDEO_MIN_PIXELS));
      long videoMax =
          vid.longOr(
              "max_pixels",
              vid.sizeOr("size", "longest_edge", (int) Qwen2VlSettings.DEFAULT_VIDEO_MAX_PIXELS));
      return new Qwen2VlProcessor(
          new Qwen2VlSettings(
              pre.intOr("patch_size", q.patchSize()),
              pre.intOr("merge_size", q.spatialMergeSize()),
              pre.intOr("temporal_patch_size", q.temporalPatchSize()),
              minPx,
              maxPx,
              videoMin,
              videoMax,
              pre.filter(),
              pre.normalization(Normalization.OPENAI_CLIP_MEAN, Normalization.OPENAI_CLIP_STD)),
          decoder);
    }
    if (!(vision instanceof PixtralVisionConfig p)) {
      throw new UnsupportedModelException(
          vision.family() + " (no image processor yet; send patch rows with grid_thw)",
          List.of("clip", "siglip", "siglip2", "qwen2_5_vl", "qwen3_vl", "pixtral", "kimi_k25"));
    }
    int ph = pre.sizeOr("patch_size", "height", p.patchSize());
    return new PixtralProcessor(
        new PixtralSettings(
            pre.sizeOr("size", "longest_edge", p.imageSize()),
            ph,
            pre.sizeOr("patch_size", "width", ph),
            pre.filter(),
            pre.normalization(Normalization.OPENAI_CLIP_MEAN, Normalization.OPENAI_CLIP_STD)),
        decoder);
  }
}
