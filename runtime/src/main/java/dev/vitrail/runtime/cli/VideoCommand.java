package dev.vitrail.runtime.cli;

import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.safetensors.SafetensorsFileWriter;
import dev.vitrail.runtime.video.VideoDecodeException;
import dev.vitrail.runtime.video.VideoDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail video}: a video file to per-frame features (per temporal patch for Qwen2-VL style
 * towers), decoded and encoded as a stream so memory holds a few frame groups at a time. Tensors
 * are named {@code frame_<index>} (or {@code frames_<first>-<last>} for a temporal patch); the
 * header metadata {@code timestamps_us} lists each tensor's first-frame timestamp in order.
 */
@Command(
    name = "video",
    mixinStandardHelpOptions = true,
    description = "Encode the frames of a video file into a safetensors file.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = "  vitrail video --model models/clip-tiny --every 2 clip.avi")
final class VideoCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin FeatureOptions features;

  @ArgGroup(exclusive = true)
  FrameSampling sampling = new FrameSampling();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Output file (default: <video name>.safetensors).")
  Path out;

  @Parameters(index = "0", paramLabel = "FILE", description = "Video file (anything FFmpeg reads).")
  Path video;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(video)) {
      throw new CliException("no such video file: " + video);
    }
    FrameSampler sampler = sampling.sampler();
    FeatureSpec featureSpec = features.spec(model.dir());
    String stem = video.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    // Beside the video unless --out says otherwise: never silently into the working directory.
    Path target =
        (out != null ? out : video.toAbsolutePath().resolveSibling(stem + ".safetensors"))
            .toAbsolutePath();
    StringJoiner timestamps = new StringJoiner(",");
    long start = System.nanoTime();
    try (ServedModel m = model.open();
        VideoDecoder decoder = VideoDecoder.open(video, sampler);
        SafetensorsFileWriter writer = SafetensorsFileWriter.create(target);
        ProgressBar bar = ProgressBars.open("video", -1, "frame")) {
      VideoEncodeStream.run(
          m, decoder, featureSpec, video.getFileName().toString(), writer, bar, timestamps);
      warnIfShort(decoder);
      if (writer.size() == 0) {
        throw new VideoDecodeException(
            "no frames decoded from "
                + video
                + (decoder.declaredFrames() > 0
                    ? " (it declares about " + decoder.declaredFrames() + "; truncated?)"
                    : ""));
      }
      writer.finish(
          Map.of(
              "format",
              "pt",
              "model",
              m.name(),
              "family",
              m.config().family(),
              "source",
              video.getFileName().toString(),
              "timestamps_us",
              timestamps.toString()));
      double seconds = (System.nanoTime() - start) / 1e9;
      spec.commandLine()
          .getOut()
          .printf(
              "encoded %d tensors from %s in %.2f s (%.1f per s, %.2f fps source)%n",
              writer.size(), video, seconds, writer.size() / seconds, decoder.frameRate());
    }
    spec.commandLine().getOut().println("wrote " + target);
    return 0;
  }

  /** A video that ends before the frames its container declares (truncated) is said so. */
  private void warnIfShort(VideoDecoder decoder) {
    long read = decoder.framesDecoded();
    int declared = decoder.declaredFrames();
    if (declared > 0 && read < declared) {
      spec.commandLine()
          .getErr()
          .printf(
              "warning: read %d of about %d frames %s declares (truncated or damaged?);"
                  + " features are for the %d frames read%n",
              read, declared, video, read);
    }
  }
}
