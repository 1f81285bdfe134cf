package dev.vitrail.runtime.video;

import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.config.hf.VisionConfig;

/** How many sampled frames make one tower input for a model's family. */
public final class VideoFraming {
  private VideoFraming() {}

  /**
   * The temporal patch size for Qwen2.5-VL and Qwen3-VL (frames paired per temporal patch), else 1
   * (one input per frame).
   */
  public static int framesPerInput(VisionConfig config) {
    if (config instanceof Qwen25VisionConfig q) {
      return q.temporalPatchSize();
    }
    if (config instanceof Qwen3VlVisionConfig q) {
      return q.temporalPatchSize();
    }
    return 1;
  }

  /** The record name of an input: {@code frame_000012}, or {@code frames_000012-000013}. */
  public static String name(VideoInput in) {
    return in.firstIndex() == in.lastIndex()
        ? String.format("frame_%06d", in.firstIndex())
        : String.format("frames_%06d-%06d", in.firstIndex(), in.lastIndex());
  }
}
