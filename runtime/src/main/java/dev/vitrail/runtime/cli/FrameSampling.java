package dev.vitrail.runtime.cli;

import dev.vitrail.encoders.preprocess.FrameSampler;
import picocli.CommandLine.Option;

/** Which frames of a video {@code vitrail video} keeps: {@code --fps} or {@code --every}. */
final class FrameSampling {
  @Option(
      names = "--fps",
      paramLabel = "F",
      description = "Keep at most F frames per second of video (default: no limit).")
  Double fps;

  @Option(
      names = "--every",
      paramLabel = "N",
      description = "Keep every Nth frame (default: every frame).")
  Integer every;

  /** The sampler the option given asks for; every frame without one. */
  FrameSampler sampler() {
    if (fps != null) {
      if (!(fps > 0)) {
        throw new CliException("--fps must be > 0, got " + fps);
      }
      return FrameSampler.atFps(fps);
    }
    if (every != null && every < 1) {
      throw new CliException("--every must be >= 1, got " + every);
    }
    return every == null ? FrameSampler.all() : FrameSampler.everyNth(every);
  }
}
